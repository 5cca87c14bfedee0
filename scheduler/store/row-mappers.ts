import type { Selectable } from 'kysely';
import type { Meeting, Nomination } from '../domain/types.js';
import type { MeetingsTable, NominationsTable } from './tables.js';

// Rows to domain types, shared by the repositories that read meetings and nominations.

/** A meetings row as the domain's Meeting. */
export function toMeeting(r: Selectable<MeetingsTable>): Meeting {
  return {
    id: r.id,
    panelId: r.panel_id,
    occurrence: r.occurrence,
    start: r.start_utc,
    end: r.end_utc,
    status: r.status as Meeting['status'],
    moved: r.moved_from !== null ? { from: r.moved_from, reason: r.moved_reason ?? '' } : null,
    extra: r.extra === 1,
    version: r.version,
    locked: r.locked === 1,
  };
}

/** A nominations row as the domain's Nomination. */
export const toNomination = (r: Selectable<NominationsTable>): Nomination => ({
  meetingId: r.meeting_id,
  forceId: r.force_id,
  aadObjectId: r.aad_object_id,
  name: r.name,
  role: r.role,
  decisionMaker: r.decision_maker === 1,
  nominatedBy: r.nominated_by,
  nominatedAt: r.nominated_at,
  version: r.version,
});
