import { teamFor } from '../domain/areas.js';
import { addWorkingDays } from '../domain/calendar-days.js';
import { DEFAULT_FLAG_SETTINGS } from '../domain/flags.js';
import { localDate } from '../domain/timetable.js';
import type { Meeting, OutboxMessage, Panel, Person } from '../domain/types.js';
import type { Presence } from './meeting-presence-repo.js';
import type { Repos, Store } from '../store/store.js';
import { meetingForceIds } from './invitations.js';
import { attendanceVersion } from './record-attendance.js';

/** A force's person who was in the Teams meeting: their name, minutes present, and whether they had not left yet. */
export interface TeamsPresence {
  name: string;
  minutes: number;
  stillIn: boolean;
}

/** The chair's attendance card's view of a meeting (its forces, invited ones included); null when it is not known. */
export async function attendanceCardModel(repos: Repos, meetingId: string) {
  const meeting = await repos.meetings.get(meetingId);
  const panel = meeting && (await repos.directory.getPanel(meeting.panelId));
  if (!meeting || !panel) return null;
  const forceIds = await meetingForceIds(repos, meeting, panel);
  const [nominations, records, [meetingRecord], apologies, presence] = await Promise.all([
    repos.nominations.listForMeetings([meeting.id]), repos.chairs.attendance([meeting.id]), repos.chairs.meetingRecords([meeting.id]), repos.chairs.apologies([meeting.id]),
    repos.meetingPresence?.list(meeting.id) ?? [],
  ]);
  const forces = [];
  for (const forceId of forceIds) {
    const force = await repos.directory.getForce(forceId);
    if (!force) continue;
    const nominee = nominations.find((n) => n.forceId === forceId) ?? null;
    const recorded = records.find((r) => r.forceId === forceId) ?? null;
    const apology = apologies.find((a) => a.forceId === forceId) ?? null;
    const people = [
      ...(nominee ? [{ aadObjectId: nominee.aadObjectId, name: nominee.name }] : []),
      ...(apology?.substitute ? [apology.substitute] : []),
      ...(recorded?.attendees.flatMap((a) => (a.aadObjectId ? [{ aadObjectId: a.aadObjectId, name: a.name }] : [])) ?? []),
      ...(await repos.nominations.recentPeople(forceId, meeting.start, 6)),
      ...teamFor(force, panel.id),
    ];
    const seen = new Set<string>();
    const known = people.filter((p) => (seen.has(p.aadObjectId) ? false : (seen.add(p.aadObjectId), true)));
    const choices = known.slice(0, 12);
    const fromTeams = joinedFor(known, presence);
    forces.push({ id: force.id, name: force.name, invited: !panel.forces.includes(force.id), nominee: nominee && { aadObjectId: nominee.aadObjectId, name: nominee.name, role: nominee.role, decisionMaker: nominee.decisionMaker }, recorded, apology, choices, ...(fromTeams.length ? { fromTeams } : {}) });
  }
  return { meeting, panel, meetingRecord: meetingRecord ?? null, forces, version: attendanceVersion(meeting, forceIds, records) };
}

/**
 * The force's people who were in the panel meeting's Teams meeting, as Teams reported it: a suggestion the card shows
 * beside its questions, never an answer. Only the force's own people are listed (its team, its nominee, a substitute
 * offered, those it sent before): the card names police attendees only.
 */
function joinedFor(people: readonly Person[], presence: readonly Presence[]): TeamsPresence[] {
  return presence.flatMap((p) => {
    const person = people.find((x) => x.aadObjectId === p.aadObjectId);
    return person ? [{ name: person.name, minutes: Math.round(p.presentSeconds / 60), stillIn: p.openSince !== null }] : [];
  });
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
      const base = attendanceMessage(m, conversationId, now);
      wanted.push(base);
      // One reminder to the chair when the record is overdue (the meeting then carries ATTENDANCE_UNRECORDED).
      const records = await tx.chairs.attendance([m.id]);
      if (records.length === 0 && localDate(now) >= addWorkingDays(localDate(m.start), UNRECORDED_WORKING_DAYS)) {
        wanted.push({ ...base, id: `attendance-reminder:${m.id}`, kind: 'attendance-reminder', cardId: `attendance:${m.id}` });
      }
    }
    return tx.outbox.enqueue(wanted);
  });
}

/**
 * The chair's attendance card for a meeting, as the outbox holds it: one id per meeting, so whoever queues it first
 * (the scheduler after the planned end, or the Teams meeting's end) queues the only one. It is not sent before the
 * planned end, when attendance may first be recorded.
 */
export function attendanceMessage(m: Meeting, conversationId: string, now: string): OutboxMessage {
  const nextAttemptAt = m.end > now ? m.end : now;
  return { id: `attendance:${m.id}`, kind: 'attendance', cardId: null, conversationId, meetingId: m.id, forceId: '', personAadObjectId: null, status: 'pending', attempts: 0, nextAttemptAt, activityId: null, lastError: null, createdAt: now };
}
