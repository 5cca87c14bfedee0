import { accessFor, canActForPanel } from '../people/access.js';
import { checkAnswers, needsForceConfirmation, nextConfirmation, samePeople, toAttendees, type CheckedAnswers, type MeetingAnswers } from '../domain/attendance-rules.js';
import type { Attendance, AttendanceSource, Force, Meeting, MeetingRecord, OutboxMessage, Panel, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import { leadsFor } from '../domain/areas.js';
import { panelConversation } from '../nominations/nomination-jobs.js';
import type { NewAuditEntry } from '../domain/audit-chain.js';
import type { Repos, Store } from '../store/store.js';
import { meetingForceIds } from './invitations.js';

/** The version a card of this record carries: the meeting's version and each force's record version. */
export function attendanceVersion(meeting: Meeting, forces: readonly string[], records: readonly Attendance[]): string {
  return [meeting.version, ...forces.map((f) => records.find((r) => r.forceId === f)?.version ?? 0)].join('.');
}

export interface RecordOptions {
  source: AttendanceSource;
  /** The version of the card the chair pressed; undefined when not from a card (an import). */
  cardVersion?: string;
  /**
   * Answer for only the forces named in the answers (an import of one force's past at a joint panel): the
   * others' records are left as they are. A chair's card always answers for every force asked.
   */
  onlyNamedForces?: boolean;
}

/**
 * Records (or corrects) what happened at a meeting that has ended: held, with each force's outcome and
 * attendees, or not held and why. A chair of the panel or a national lead may; every question must have
 * an answer (nothing is assumed), the latest version counts and every version is audited. When the chair
 * records someone the force did not name, or a decision maker the force did not confirm, the force's
 * leads are asked to confirm or dispute it.
 */
export async function recordAttendance(store: Store, meetingId: string, answers: MeetingAnswers, actor: string, now: string, options: RecordOptions = { source: 'chair' }): Promise<Result<{ meeting: Meeting; panel: Panel; changed: number }>> {
  return store.transaction((tx) => recordIn(tx, meetingId, answers, actor, now, options));
}

/** recordAttendance inside a caller's transaction (the import records many meetings in one). */
export async function recordIn(tx: Repos, meetingId: string, answers: MeetingAnswers, actor: string, now: string, options: RecordOptions): Promise<Result<{ meeting: Meeting; panel: Panel; changed: number }>> {
  const meeting = await tx.meetings.getForUpdate(meetingId);
  const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
  if (!meeting || !panel) return fail('NOT_FOUND', 'That meeting is not known to this bot.');
  if (options.source === 'chair' && !canActForPanel(await accessFor(tx, actor), panel.id)) return fail('FORBIDDEN', `Only the chairs of ${panel.name} or a national lead can record its attendance.`);
  if (meeting.status === 'cancelled') return fail('CANCELLED', 'That meeting was cancelled, so there is no attendance to record.');
  if (meeting.end > now) return fail('NOT_ENDED', 'Attendance can be recorded once the meeting has ended.');
  const forceIds = await meetingForceIds(tx, meeting, panel);
  const named = (f: string) => !options.onlyNamedForces || answers.forces.some((a) => a.forceId === f);
  const forces = (await Promise.all(forceIds.filter(named).map((f) => tx.directory.getForce(f)))).filter((f): f is Force => !!f);
  const checked = checkAnswers(answers, forces);
  if (!checked.ok) return checked;
  const stored = await tx.chairs.attendance([meeting.id]);
  const version = attendanceVersion(meeting, forceIds, stored);
  const [record] = await tx.chairs.meetingRecords([meeting.id]);
  if (options.cardVersion !== undefined && options.cardVersion !== version && differs(meeting, record, checked.value, stored)) {
    if (options.cardVersion === '' && (stored.length > 0 || meeting.status !== 'scheduled')) return fail('OUTDATED', 'This card is from an earlier version of the bot, so nothing was changed: here is the record as it stands now.');
    if (options.cardVersion !== '') return fail('STALE', 'This card was out of date: the attendance was recorded or corrected by someone else after it was made. Nothing was changed; here is the record as it stands now.');
  }
  // Every entry is appended last, in one go: on PostgreSQL appending takes the lock that chains all instances' entries,
  // held from there to the commit, so nothing else should run under it.
  const entries: NewAuditEntry[] = [];
  const recordChanged = await saveMeetingRecord(tx, meeting, record, checked.value, actor, now, options.source, entries);
  let changed = recordChanged ? 1 : 0;
  if (checked.value.outcome === 'held') {
    for (const f of checked.value.forces) {
      const force = forces.find((x) => x.id === f.forceId)!;
      changed += (await saveForce(tx, meeting, force, f, stored.find((a) => a.forceId === f.forceId) ?? null, actor, now, options.source, entries)) ? 1 : 0;
    }
  }
  const status = checked.value.outcome;
  // Held or not, and why, is what calendars show of a past meeting: a change to it raises the meeting's version (SEQUENCE).
  const updated: Meeting = meeting.status === status && !recordChanged ? meeting : { ...meeting, status, locked: true, version: meeting.version + 1 };
  if (updated !== meeting) await tx.meetings.update(updated, now);
  await tx.meetingPresence?.forget(meeting.id); // Who joined the Teams meeting was a suggestion for this record: it has served.
  await tx.audit.append(entries);
  return ok({ meeting: updated, panel, changed });
}

/** Whether the answers would change anything stored (a repeated press changes nothing, so is never stale). */
function differs(meeting: Meeting, record: MeetingRecord | undefined, a: CheckedAnswers, stored: readonly Attendance[]): boolean {
  if (meeting.status !== a.outcome) return true;
  if (!record || !sameRecord(record, a)) return true;
  if (a.outcome === 'not-held') return false;
  return a.forces.some((f) => {
    const previous = stored.find((s) => s.forceId === f.forceId);
    return !previous || previous.outcome !== f.outcome || !samePeople(previous.attendees, toAttendees(f.attendees, null));
  });
}

const sameRecord = (r: MeetingRecord, a: CheckedAnswers) =>
  r.outcome === a.outcome && r.notHeldReason === (a.outcome === 'not-held' ? a.notHeldReason : null) && JSON.stringify(sorted(r.agencies)) === JSON.stringify(sorted(a.agencies));

const sorted = (o: Record<string, number | undefined>) => Object.entries(o).filter(([, n]) => n).sort(([a], [b]) => a.localeCompare(b));

/** Saves the meeting's record when it changed, its audit entry added to `entries`. */
async function saveMeetingRecord(tx: Repos, meeting: Meeting, previous: MeetingRecord | undefined, a: CheckedAnswers, actor: string, now: string, source: AttendanceSource, entries: NewAuditEntry[]): Promise<boolean> {
  if (previous && sameRecord(previous, a) && meeting.status === a.outcome) return false;
  const record: MeetingRecord = { meetingId: meeting.id, outcome: a.outcome, notHeldReason: a.outcome === 'not-held' ? a.notHeldReason : null, agencies: a.agencies, source, recordedBy: actor, recordedAt: now };
  await tx.chairs.saveMeetingRecord(record);
  // A meeting that did not take place had no police representation to record; any earlier record of it goes.
  if (a.outcome === 'not-held') await tx.chairs.clearAttendance(meeting.id, now);
  entries.push({
    at: now,
    actor,
    action: a.outcome === 'held' ? 'meeting.held' : 'meeting.not-held',
    subject: { meetingId: meeting.id, panelId: meeting.panelId },
    details: { outcome: a.outcome, notHeldReason: record.notHeldReason, agencies: record.agencies, source, ...(previous ? { previous: previous.outcome } : {}) },
  });
  return true;
}

type ForceChecked = Extract<CheckedAnswers, { outcome: 'held' }>['forces'][number];

/** Saves one force's record when it changed (asking the force to confirm it where needed), its audit entry added to `entries`. */
async function saveForce(tx: Repos, meeting: Meeting, force: Force, f: ForceChecked, previous: Attendance | null, actor: string, now: string, source: AttendanceSource, entries: NewAuditEntry[]): Promise<boolean> {
  const nominee = await tx.nominations.get(meeting.id, f.forceId);
  // An imported past has no nominations to compare with: its attendees are not substitutes of anyone.
  const attendees = toAttendees(f.attendees, nominee).map((a) => (source === 'import' && !nominee ? { ...a, substitute: false } : a));
  if (previous && previous.outcome === f.outcome && samePeople(previous.attendees, attendees)) return false;
  // An import is the force's own record of its past, so there is nothing to confirm.
  const confirmation = source === 'chair' ? nextConfirmation(previous, attendees, needsForceConfirmation(attendees, nominee)) : { state: 'not-needed' as const, by: null, at: null };
  const record: Attendance = {
    meetingId: meeting.id, forceId: f.forceId, outcome: f.outcome, attendees, source, forceConfirmation: confirmation.state, confirmedBy: confirmation.by, confirmedAt: confirmation.at,
    // Above every version this force's record ever had, withdrawn ones included, so no card or message id repeats.
    recordedBy: actor, recordedAt: now, version: Math.max(previous?.version ?? 0, (await tx.chairs.attendanceVersions(meeting.id)).get(f.forceId) ?? 0) + 1,
  };
  await tx.chairs.saveAttendance(record);
  entries.push({
    at: now,
    actor,
    action: previous ? 'attendance.corrected' : 'attendance.recorded',
    subject: { meetingId: meeting.id, forceId: f.forceId, panelId: meeting.panelId },
    details: { outcome: record.outcome, attendees: record.attendees, source, forceConfirmation: record.forceConfirmation, version: record.version },
  });
  if (record.forceConfirmation === 'pending') await askForce(tx, meeting, force, record, now);
  return true;
}

/** Queues the confirm-or-dispute card to the force's Teams channel (and each lead's personal chat when there is none). */
async function askForce(tx: Repos, meeting: Meeting, force: Force, record: Attendance, now: string): Promise<void> {
  const base = { meetingId: meeting.id, forceId: force.id, cardId: null, status: 'pending' as const, attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now };
  const conversation = await panelConversation(tx, force, meeting.panelId);
  const wanted: OutboxMessage[] = [];
  if (conversation) wanted.push({ ...base, id: `confirm:${meeting.id}:${force.id}:v${record.version}`, kind: 'confirm-attendance', conversationId: conversation, personAadObjectId: null });
  else {
    for (const lead of leadsFor(force, meeting.panelId)) {
      const personal = await tx.teams.personalConversation(lead.aadObjectId);
      if (personal) wanted.push({ ...base, id: `confirm:${meeting.id}:${force.id}:v${record.version}:${lead.aadObjectId}`, kind: 'confirm-attendance', conversationId: personal.id, personAadObjectId: lead.aadObjectId });
    }
  }
  await tx.outbox.enqueue(wanted);
}
