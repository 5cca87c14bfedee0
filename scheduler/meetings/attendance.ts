import { accessFor, canActForPanel } from '../people/access.js';
import { addWorkingDays } from '../domain/calendar-days.js';
import { DEFAULT_FLAG_SETTINGS } from '../domain/flags.js';
import { localDate } from '../domain/timetable.js';
import type { Attendance, Meeting, OutboxMessage, Panel, Person, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import type { Repos, Store } from '../store/store.js';

/** What a chair says about one force's representation at a meeting. */
export interface AttendanceInput {
  forceId: string;
  attended: boolean;
  attendee: Person | null;
  decisionMaker: boolean;
}

/**
 * Records (or corrects) who represented each force at a meeting that has ended. A chair of the panel or a
 * national lead may; the latest version counts and every version is audited. Someone other than the
 * force's nominee is recorded as a substitute.
 */
export async function recordAttendance(store: Store, meetingId: string, records: AttendanceInput[], actor: string, now: string, cardVersion?: string): Promise<Result<{ meeting: Meeting; panel: Panel; changed: number }>> {
  return store.transaction(async (tx) => {
    const meeting = await tx.meetings.getForUpdate(meetingId);
    const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
    if (!meeting || !panel) return fail('NOT_FOUND', 'That meeting is not known to this bot.');
    if (!canActForPanel(await accessFor(tx, actor), panel.id)) return fail('FORBIDDEN', `Only the chairs of ${panel.name} or a national lead can record its attendance.`);
    if (meeting.status === 'cancelled') return fail('CANCELLED', 'That meeting was cancelled, so there is no attendance to record.');
    if (meeting.end > now) return fail('NOT_ENDED', 'Attendance can be recorded once the meeting has ended.');
    const unknown = records.find((r) => !panel.forces.includes(r.forceId));
    if (unknown) return fail('NOT_FOUND', `${unknown.forceId} does not face ${panel.name}.`);
    const missing = records.find((r) => r.attended && !r.attendee);
    if (missing) return fail('INVALID', `Say who attended for ${missing.forceId}, or record that nobody did.`);
    const stored = await tx.chairs.attendance([meeting.id]);
    // A card made before someone else's record would overwrite it unseen; a repeated press changes nothing, so passes.
    // A card from before cards carried versions ('') may record what nobody has recorded yet, and nothing more.
    if (cardVersion !== undefined && cardVersion !== attendanceVersion(meeting, panel.forces, stored) && records.some((r) => differs(stored, r))) {
      if (cardVersion === '' && stored.length > 0) return fail('OUTDATED', 'This card is from an earlier version of the bot, so nothing was changed: here is the record as it stands now.');
      if (cardVersion !== '') return fail('STALE', 'This card was out of date: the attendance was recorded or corrected by someone else after it was made. Nothing was changed; here is the record as it stands now.');
    }
    let changed = 0;
    for (const r of records) changed += (await saveOne(tx, meeting, r, actor, now)) ? 1 : 0;
    const held: Meeting = meeting.status === 'held' ? meeting : { ...meeting, status: 'held', locked: true, version: meeting.version + 1 };
    if (held !== meeting) await tx.meetings.update(held, now);
    return ok({ meeting: held, panel, changed });
  });
}

/** The version a card of this record carries: the meeting's version and each force's record version. */
export function attendanceVersion(meeting: Meeting, forces: readonly string[], records: readonly Attendance[]): string {
  return [meeting.version, ...forces.map((f) => records.find((r) => r.forceId === f)?.version ?? 0)].join('.');
}

const differs = (stored: readonly Attendance[], r: AttendanceInput) => {
  const previous = stored.find((a) => a.forceId === r.forceId);
  return !previous || !sameRecord(previous, r);
};

const sameRecord = (a: Attendance, r: AttendanceInput) =>
  a.attended === r.attended && a.aadObjectId === (r.attended ? (r.attendee?.aadObjectId ?? null) : null) && a.decisionMaker === (r.attended && r.decisionMaker);

async function saveOne(tx: Repos, meeting: Meeting, r: AttendanceInput, actor: string, now: string): Promise<boolean> {
  const [previous] = await tx.chairs.attendance([meeting.id]).then((all) => all.filter((a) => a.forceId === r.forceId));
  const nominee = await tx.nominations.get(meeting.id, r.forceId);
  const record: Attendance = {
    meetingId: meeting.id,
    forceId: r.forceId,
    attended: r.attended,
    aadObjectId: r.attended ? (r.attendee?.aadObjectId ?? null) : null,
    name: r.attended ? (r.attendee?.name ?? null) : null,
    substitute: r.attended && !!nominee && nominee.aadObjectId !== r.attendee?.aadObjectId,
    decisionMaker: r.attended && r.decisionMaker,
    recordedBy: actor,
    recordedAt: now,
    version: (previous?.version ?? 0) + 1,
  };
  const same = previous && previous.attended === record.attended && previous.aadObjectId === record.aadObjectId && previous.decisionMaker === record.decisionMaker;
  if (same) return false;
  await tx.chairs.saveAttendance(record);
  await tx.audit.append([
    {
      at: now,
      actor,
      action: previous ? 'attendance.corrected' : 'attendance.recorded',
      subject: { meetingId: meeting.id, forceId: r.forceId, panelId: meeting.panelId },
      details: { attended: record.attended, attendee: record.aadObjectId ? { aadObjectId: record.aadObjectId, name: record.name } : null, substitute: record.substitute, decisionMaker: record.decisionMaker, version: record.version },
    },
  ]);
  return true;
}

/** The chair's attendance card's view of a meeting; null when it is not known. */
export async function attendanceCardModel(repos: Repos, meetingId: string) {
  const meeting = await repos.meetings.get(meetingId);
  const panel = meeting && (await repos.directory.getPanel(meeting.panelId));
  if (!meeting || !panel) return null;
  const [nominations, records] = await Promise.all([repos.nominations.listForMeetings([meeting.id]), repos.chairs.attendance([meeting.id])]);
  const forces = [];
  for (const forceId of panel.forces) {
    const force = await repos.directory.getForce(forceId);
    if (!force) continue;
    const nominee = nominations.find((n) => n.forceId === forceId) ?? null;
    const recorded = records.find((r) => r.forceId === forceId) ?? null;
    const people = [
      ...(nominee ? [{ aadObjectId: nominee.aadObjectId, name: nominee.name }] : []),
      ...(recorded?.aadObjectId ? [{ aadObjectId: recorded.aadObjectId, name: recorded.name ?? '' }] : []),
      ...(await repos.nominations.recentPeople(forceId, meeting.start, 6)),
      ...force.preventLeads,
      ...force.deputies,
    ];
    const seen = new Set<string>();
    const choices = people.filter((p) => (seen.has(p.aadObjectId) ? false : (seen.add(p.aadObjectId), true))).slice(0, 12);
    forces.push({ id: force.id, name: force.name, nominee: nominee && { aadObjectId: nominee.aadObjectId, name: nominee.name }, recorded, choices });
  }
  return { meeting, panel, forces, version: attendanceVersion(meeting, panel.forces, records) };
}

/** The conversation a panel's chair cards go to: a `link panel` wins over the config's teamsChannelId. */
export async function panelConversation(repos: Repos, panel: Panel): Promise<string | null> {
  const id = (await repos.teams.linkedConversation('panel', panel.id)) ?? panel.teamsChannelId;
  return id && (await repos.teams.getConversation(id)) ? id : null;
}

const LOOK_BACK_MS = 14 * 86_400_000;
const UNRECORDED_WORKING_DAYS = DEFAULT_FLAG_SETTINGS.unrecordedWorkingDays;

/** Queues an attendance card to the chair's linked conversation for every meeting that has ended (idempotent). */
export async function queueAttendanceCards(store: Store, now: string): Promise<string[]> {
  return store.transaction(async (tx) => {
    await tx.exclusive('outbox');
    const from = new Date(Date.parse(now) - LOOK_BACK_MS).toISOString();
    const ended = (await tx.meetings.list({ from, to: now, statuses: ['scheduled'] })).filter((m) => m.end <= now);
    const wanted: OutboxMessage[] = [];
    for (const m of ended) {
      const panel = await tx.directory.getPanel(m.panelId);
      const conversationId = panel && !panel.retired ? await panelConversation(tx, panel) : null;
      if (!conversationId) continue;
      const base = { conversationId, meetingId: m.id, forceId: '', personAadObjectId: null, status: 'pending' as const, attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now };
      wanted.push({ ...base, id: `attendance:${m.id}`, kind: 'attendance', cardId: null });
      // One reminder to the chair when the record is overdue (the meeting then carries ATTENDANCE_UNRECORDED).
      const records = await tx.chairs.attendance([m.id]);
      if (records.length === 0 && localDate(now) >= addWorkingDays(localDate(m.start), UNRECORDED_WORKING_DAYS)) {
        wanted.push({ ...base, id: `attendance-reminder:${m.id}`, kind: 'attendance-reminder', cardId: `attendance:${m.id}` });
      }
    }
    return tx.outbox.enqueue(wanted);
  });
}
