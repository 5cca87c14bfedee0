/** Row shapes as Kysely sees them. Repositories translate these to domain types; nothing else uses them. */
export interface ForcesTable {
  id: string;
  name: string;
  teams_channel_id: string | null;
  retired_at: string | null;
  updated_at: string;
}

export interface PanelsTable {
  id: string;
  name: string;
  local_authority: string;
  timetable_json: string;
  teams_channel_id: string | null;
  retired_at: string | null;
  updated_at: string;
}

export interface PanelForcesTable {
  panel_id: string;
  force_id: string;
}

export type RoleName = 'national-lead' | 'prevent-lead' | 'deputy' | 'chair';

export interface RolesTable {
  role: RoleName;
  scope_id: string;
  aad_object_id: string;
  name: string;
  position: number;
}

export interface MeetingsTable {
  id: string;
  panel_id: string;
  occurrence: string | null;
  start_utc: string;
  end_utc: string;
  status: string;
  moved_from: string | null;
  moved_reason: string | null;
  extra: number;
  version: number;
  locked: number;
  created_at: string;
  updated_at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject_json: string;
  details_json: string;
  prev_hash: string;
  hash: string;
}

export interface Database {
  forces: ForcesTable;
  panels: PanelsTable;
  panel_forces: PanelForcesTable;
  roles: RolesTable;
  meetings: MeetingsTable;
  audit_log: AuditLogTable;
}
