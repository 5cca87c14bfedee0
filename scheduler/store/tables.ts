import type { Generated, Selectable } from 'kysely';
import type { QueuedText } from '../domain/audit-chain.js';

/** Row shapes as Kysely sees them. Repositories translate these to domain types; nothing else uses them. */
export interface ForcesTable {
  id: string;
  name: string;
  teams_channel_id: string | null;
  retired_at: string | null;
  updated_at: string;
  /** The force's areas (id, name, panels), JSON; null when it has none. Their people are in `roles`. */
  areas_json: string | null;
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

/**
 * Roles that act (national-lead ''; prevent-lead and deputy: a force; chair: a panel) and read-only ones
 * (inspector ''; pcc-office and region: a force, one row per force a region covers); area-lead and area-deputy act for
 * one area of a force, scope `<force id>/<area id>`. `role` is plain text, unchecked.
 */
export type RoleName = 'national-lead' | 'prevent-lead' | 'deputy' | 'chair' | 'inspector' | 'pcc-office' | 'region' | 'area-lead' | 'area-deputy';

export interface RolesTable {
  role: RoleName;
  scope_id: string;
  aad_object_id: string;
  name: string;
  position: number;
  /** The holder's tenant as the file gives it; null: the deployment's own (HOME_TENANT_ID). */
  tenant_id: string | null;
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
  /** Null for an entry chained before the chain was keyed. */
  details_hash: string | null;
  prev_hash: string;
  hash: string;
  /** The queued row's nonce, for an entry chained from `audit_pending` (a copy queued again is refused); else null. */
  nonce?: string | null;
}

/** An audit entry queued by a transaction on PostgreSQL, waiting for the chainer (migrations-014-audit-pending.ts). */
export type AuditPendingTable = QueuedText & {
  id: Generated<number>;
  mac: string;
};

/** An entry's details, apart from the chain so they can be erased; `meeting_id` finds a meeting's for retention. */
export interface AuditDetailsTable {
  seq: number;
  meeting_id: string | null;
  details_json: string;
}

export interface ConversationsTable {
  id: string;
  tenant_id: string;
  service_url: string;
  kind: string;
  team_id: string | null;
  user_aad_object_id: string | null;
  bot_id: string;
  updated_at: string;
  removed_at: string | null;
}

export interface LinksTable {
  scope: string;
  scope_id: string;
  conversation_id: string;
  linked_by: string;
  linked_at: string;
}

export interface NominationsTable {
  meeting_id: string;
  force_id: string;
  aad_object_id: string;
  name: string;
  role: string;
  decision_maker: number;
  nominated_by: string;
  nominated_at: string;
  version: number;
  /** The meeting's start, kept by the database (migrations-015-nomination-start.ts): a force's recent nominees' index. */
  meeting_start_utc: Generated<string>;
}

/** A nomination's row as the code writes and reads it: its meeting's start is the database's to keep. */
export type NominationRow = Omit<Selectable<NominationsTable>, 'meeting_start_utc'>;

export interface OutboxTable {
  id: string;
  kind: string;
  conversation_id: string;
  meeting_id: string;
  force_id: string;
  card_id: string | null;
  person_aad_object_id: string | null;
  status: string;
  attempts: number;
  next_attempt_at: string;
  lease_until: string | null;
  lease_owner: string | null;
  activity_id: string | null;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** An instance sending from the outbox, and when it last sent (migrations-016-outbox-senders.ts). */
export interface OutboxSendersTable {
  instance_id: string;
  seen_at: string;
}

export interface PeopleSeenTable {
  aad_object_id: string;
  teams_user_id: string;
  name: string;
  updated_at: string;
}

export interface CancellationsTable {
  meeting_id: string;
  reason: string;
  note: string;
  cancelled_by: string;
  cancelled_at: string;
  note_redacted_at: string | null;
}

export interface AttendanceTable {
  meeting_id: string;
  force_id: string;
  outcome: string;
  attendees_json: string;
  source: string;
  force_confirmation: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  /** Set when the meeting was recorded as not taking place: the row is kept so its version never repeats. */
  withdrawn_at: string | null;
  recorded_by: string;
  recorded_at: string;
  version: number;
}

export interface MeetingRecordsTable {
  meeting_id: string;
  outcome: string;
  not_held_reason: string | null;
  agencies_json: string;
  source: string;
  recorded_by: string;
  recorded_at: string;
}

export interface ApologiesTable {
  meeting_id: string;
  force_id: string;
  sent_by: string;
  sent_by_name: string;
  substitute_aad_object_id: string | null;
  substitute_name: string | null;
  sent_at: string;
}

export interface InvitationsTable {
  meeting_id: string;
  force_id: string;
  invited_by: string;
  invited_at: string;
}

export interface SettingsTable {
  name: string;
  value: string;
  created_at: string;
}

export interface FeedTokensTable {
  token_hash: string;
  owner: string;
  scope_kind: string;
  scope_id: string;
  created_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface Database {
  feed_tokens: FeedTokensTable;
  cancellations: CancellationsTable;
  attendance: AttendanceTable;
  meeting_records: MeetingRecordsTable;
  apologies: ApologiesTable;
  invitations: InvitationsTable;
  conversations: ConversationsTable;
  links: LinksTable;
  nominations: NominationsTable;
  outbox: OutboxTable;
  outbox_senders: OutboxSendersTable;
  people_seen: PeopleSeenTable;
  forces: ForcesTable;
  panels: PanelsTable;
  panel_forces: PanelForcesTable;
  roles: RolesTable;
  meetings: MeetingsTable;
  audit_log: AuditLogTable;
  audit_details: AuditDetailsTable;
  audit_pending: AuditPendingTable;
  settings: SettingsTable;
}

/** A table the migrations make: those in `Database`, and bot_state, which kysely-state-repos.ts types itself. */
// The review sign-off tables are typed in their own repo (kysely-signoff-repo.ts); named here as literals to avoid an import loop.
export type BotTable = keyof Database | 'bot_state' | 'review_signoffs' | 'review_actions' | 'meeting_tombstones' | 'feed_seen' | 'teams_meetings' | 'meeting_presence';

// A record, so the compiler refuses a table of Database missing here (or one here that is neither).
const botTables: Record<BotTable, true> = {
  review_signoffs: true,
  review_actions: true,
  meeting_tombstones: true,
  feed_seen: true,
  teams_meetings: true,
  meeting_presence: true,
  forces: true,
  panels: true,
  panel_forces: true,
  roles: true,
  meetings: true,
  audit_log: true,
  audit_details: true,
  audit_pending: true,
  conversations: true,
  links: true,
  nominations: true,
  outbox: true,
  outbox_senders: true,
  people_seen: true,
  cancellations: true,
  attendance: true,
  feed_tokens: true,
  settings: true,
  bot_state: true,
  meeting_records: true,
  apologies: true,
  invitations: true,
};

/**
 * The bot's own tables, and the only ones (with Kysely's bookkeeping) its app role is granted on: the schema may be
 * shared with other apps. A migration that makes a table adds it here; test/least-privilege.db.test.ts checks.
 */
export const BOT_TABLES: readonly BotTable[] = Object.freeze(Object.keys(botTables) as BotTable[]);
