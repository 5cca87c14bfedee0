import type { Selectable } from 'kysely';
import type { Apology, Attendance, CancelReason, Meeting, MeetingRecord, Nomination, Person } from '../domain/types.js';
import type { AttendanceFacts, NominationFacts } from '../domain/flags.js';
import type { Cancellation } from './store.js';
import { agenciesSchema, attendeesSchema } from './row-schemas.js';
import type { ApologiesTable, AttendanceTable, CancellationsTable, MeetingRecordsTable, MeetingsTable, NominationRow, NominationsTable } from './tables.js';

// Rows to domain types, shared by the repositories that read meetings and nominations.

/** A meetings row as the domain's Meeting. */
export function toMeeting(r: Omit<Selectable<MeetingsTable>, 'updated_at'>): Meeting {
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
    createdAt: r.created_at,
  };
}

/** A nominations row as the domain's Nomination. */
export const toNomination = (r: NominationRow): Nomination => ({
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

/** An attendance row as the domain's Attendance; its attendees' JSON passes a schema. */
export const toAttendance = (r: Selectable<AttendanceTable>): Attendance => ({
  meetingId: r.meeting_id,
  forceId: r.force_id,
  outcome: r.outcome as Attendance['outcome'],
  attendees: attendeesSchema.parse(JSON.parse(r.attendees_json)),
  source: r.source as Attendance['source'],
  forceConfirmation: r.force_confirmation as Attendance['forceConfirmation'],
  confirmedBy: r.confirmed_by,
  confirmedAt: r.confirmed_at,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
  version: r.version,
});

/** What flags and figures read of a nominations row. */
export const toNominationFacts = (r: Pick<Selectable<NominationsTable>, 'force_id' | 'nominated_at'>): NominationFacts => ({ forceId: r.force_id, nominatedAt: r.nominated_at });

/** What flags and figures read of an attendance row; its attendees' JSON passes the same schema. */
export const toAttendanceFacts = (r: Pick<Selectable<AttendanceTable>, 'force_id' | 'outcome' | 'attendees_json' | 'force_confirmation' | 'recorded_at'>): AttendanceFacts => ({
  forceId: r.force_id,
  outcome: r.outcome as Attendance['outcome'],
  attendees: attendeesSchema.parse(JSON.parse(r.attendees_json)),
  forceConfirmation: r.force_confirmation as Attendance['forceConfirmation'],
  recordedAt: r.recorded_at,
});

/** The domain's Attendance as a row. */
export const attendanceRow = (a: Attendance): Omit<AttendanceTable, 'withdrawn_at'> => ({
  meeting_id: a.meetingId, force_id: a.forceId, outcome: a.outcome, attendees_json: JSON.stringify(a.attendees), source: a.source,
  force_confirmation: a.forceConfirmation, confirmed_by: a.confirmedBy, confirmed_at: a.confirmedAt, recorded_by: a.recordedBy, recorded_at: a.recordedAt, version: a.version,
});

/** A meeting_records row as the domain's MeetingRecord. */
export const toMeetingRecord = (r: Selectable<MeetingRecordsTable>): MeetingRecord => ({
  meetingId: r.meeting_id,
  outcome: r.outcome as MeetingRecord['outcome'],
  notHeldReason: r.not_held_reason as CancelReason | null,
  agencies: agenciesSchema.parse(JSON.parse(r.agencies_json)),
  source: r.source as MeetingRecord['source'],
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

/** An apologies row as the domain's Apology. */
export const toApology = (r: Selectable<ApologiesTable>): Apology => ({
  meetingId: r.meeting_id,
  forceId: r.force_id,
  sentBy: { aadObjectId: r.sent_by, name: r.sent_by_name },
  substitute: r.substitute_aad_object_id ? { aadObjectId: r.substitute_aad_object_id, name: r.substitute_name ?? '' } : null,
  sentAt: r.sent_at,
});

/** A cancellations row as a Cancellation. */
export const toCancellation = (r: Selectable<CancellationsTable>): Cancellation => ({
  meetingId: r.meeting_id, reason: r.reason as CancelReason, note: r.note, cancelledBy: r.cancelled_by, cancelledAt: r.cancelled_at, noteRedactedAt: r.note_redacted_at,
});

/** A JSON array column (Kysely's jsonArrayFrom): PostgreSQL's driver parses it, SQLite's returns the text. */
export const fromJsonArray = <T>(v: unknown): T[] => (typeof v === 'string' ? JSON.parse(v) : v) as T[];

/** A force's nominees, newest first, each person once and at most `limit` (the rows are read four times over). */
export function distinctPeople(rows: ReadonlyArray<{ aad_object_id: string; name: string }>, limit: number): Person[] {
  const seen = new Map<string, Person>();
  for (const r of rows) if (!seen.has(r.aad_object_id)) seen.set(r.aad_object_id, { aadObjectId: r.aad_object_id, name: r.name });
  return [...seen.values()].slice(0, limit);
}
