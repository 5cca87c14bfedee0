import { DateTime } from 'luxon';
import { accessFor, canActForForce, canActForPanel, mayView, noAccess, seesForceOf, visiblePanels, type Access } from '../people/access.js';
import { computeFlags, type Flag, type FlagMeeting } from '../domain/flags.js';
import { groupBy } from '../domain/group.js';
import { toLocalIso } from '../domain/timetable.js';
import type { OutboxMessage } from '../domain/types.js';
import { loadFlagMeetings } from '../planning/schedule-view.js';
import type { Store } from '../store/store.js';

/** A flag is visible to whoever may see its panel; a force-specific one only to that force's people (or the chair). */
const visible = (access: Access, f: Flag): boolean => !f.forceId || seesForceOf(access, f.panelId, f.forceId);

/**
 * A flag as people read it: its panel and force by name, its meeting's local start, and what the person may do
 * about it (name the attendee of a meeting to come, for the force's leads; record a meeting that ended, for the
 * panel's chairs). The card shows these, never the ids or the flag's `facts` (which are for the log and the CLI).
 */
export interface ShownFlag extends Flag {
  panelName: string;
  forceName?: string;
  meetingStart?: string;
  action?: 'name-attendee' | 'record-attendance' | null;
}

/** Names, local times and the action each flag offers; `access` null is a force's Teams channel (its leads act there). */
async function describe(store: Store, flags: Array<Flag & { panelName: string }>, meetings: FlagMeeting[], access: Access | null, now: string): Promise<ShownFlag[]> {
  const forceNames = new Map((await store.directory.listForces({ includeRetired: true })).map((f) => [f.id, f.name]));
  const byId = new Map(meetings.map((m) => [m.id, m]));
  return flags.map((f) => {
    const m = f.meetingId ? byId.get(f.meetingId) : undefined;
    const forceName = f.forceId ? forceNames.get(f.forceId) : undefined;
    return { ...f, ...(forceName ? { forceName } : {}), ...(m && !f.month ? { meetingStart: toLocalIso(m.start) } : {}), action: actionFor(f, m, access, now) };
  });
}

function actionFor(f: Flag, m: FlagMeeting | undefined, access: Access | null, now: string): ShownFlag['action'] {
  // The weekly digest (access null) is one card in a shared Teams channel: a button's answer would replace it for
  // whoever pressed, so it offers none; the words say what to do.
  if (!m || m.status === 'cancelled' || access === null) return null;
  const forForce = !!f.forceId && canActForForce(access, f.forceId);
  if (f.code === 'NO_NOMINATION' && m.start > now && forForce) return 'name-attendee';
  const chair = access !== null && canActForPanel(access, f.panelId);
  if (f.code === 'ATTENDANCE_UNRECORDED' && m.end <= now && chair) return 'record-attendance';
  return null;
}

/** The flags of the last 12 months (and the month ahead) that the person may see, newest panels' facts first. */
export async function openFlags(store: Store, actor: string, now: string): Promise<{ access: Access; flags: ShownFlag[] } | null> {
  const access = await accessFor(store, actor);
  // Read-only roles too: they see their forces' flags, and are offered nothing to act on (actionFor asks canActFor*).
  if (!mayView(access)) return null;
  const panels = visiblePanels(access, await store.directory.listPanels());
  // Whole months, so each month is judged on all its meetings.
  const from = DateTime.fromISO(now, { zone: 'utc' }).setZone('Europe/London').startOf('month').minus({ months: 12 }).toUTC().toISO()!;
  const to = DateTime.fromISO(now, { zone: 'utc' }).plus({ months: 1 }).toISO()!;
  const meetings = await loadFlagMeetings(store, await store.meetings.list({ panelIds: panels.map((p) => p.id), from, to }));
  const flags = panels.flatMap((p) => computeFlags(p, meetings, now, undefined, { from, to }).filter((f) => visible(access, f)).map((f) => ({ ...f, panelName: p.name })));
  return { access, flags: await describe(store, flags, meetings, access, now) };
}

/**
 * A force's new flags for its Monday digest: those about its meetings of the last `days` days, any upcoming
 * meeting it has named nobody for, and its panels' months that ended in those days and were not met.
 * Panel-wide timetable flags stay in `flags` and the review.
 */
export async function forceDigestFlags(store: Store, forceId: string, now: string, days = 7): Promise<ShownFlag[]> {
  const access: Access = { ...noAccess(), forces: new Set([forceId]) };
  const panels = visiblePanels(access, await store.directory.listPanels());
  const at = DateTime.fromISO(now, { zone: 'utc' });
  const since = at.minus({ days }).toISO()!;
  // A month that ended in the last `days` days is judged on all its meetings, so load from the start of the month before.
  const from = at.setZone('Europe/London').minus({ days }).startOf('month').toUTC().toISO()!;
  const meetings = await loadFlagMeetings(store, await store.meetings.list({ panelIds: panels.map((p) => p.id), from, to: at.plus({ days: 14 }).toISO()! }));
  const recent = new Set(meetings.filter((m) => m.start >= since && m.start <= now).map((m) => m.id));
  const endedLately = (month: string) => {
    const end = DateTime.fromISO(`${month}-01`, { zone: 'Europe/London' }).plus({ months: 1 }).toUTC().toISO()!;
    return end > since && end <= now;
  };
  const flags = panels.flatMap((p) =>
    computeFlags(p, meetings, now)
      .filter((f) => (f.month ? endedLately(f.month) : f.meetingId && f.forceId === forceId && (recent.has(f.meetingId) || f.code === 'NO_NOMINATION')))
      .map((f) => ({ ...f, panelName: p.name })),
  );
  // The digest goes to the force's Teams channel, where its leads may name an attendee; no chair reads it there.
  return describe(store, flags, meetings, null, now);
}

/**
 * A digest message's flags as it goes: null when it is for a person who no longer reads for the force (a regional
 * unit's people change with the file), so it is not sent; else the force's new flags (forceDigestFlags).
 */
export async function digestFlags(store: Store, m: Pick<OutboxMessage, 'forceId' | 'personAadObjectId'>, now: string): Promise<ShownFlag[] | null> {
  const person = m.personAadObjectId?.toLowerCase();
  if (person && !(await store.directory.listReaders()).some((r) => r.role === 'region' && r.scopeId === m.forceId && r.person.aadObjectId.toLowerCase() === person)) return null;
  return forceDigestFlags(store, m.forceId, now);
}

/**
 * Queues each force's digest card on Mondays: to its linked Teams conversation, and to each person of a regional
 * counter terrorism unit covering it, in their personal chat with the bot (once they have one). One per force, and
 * per person, per Monday; the sender renders each from the store when it goes (forceDigestFlags).
 */
export async function queueDigests(store: Store, now: string, conversationOf: (forceId: string) => Promise<string | null>): Promise<string[]> {
  const local = DateTime.fromISO(now, { zone: 'utc' }).setZone('Europe/London');
  if (local.weekday !== 1 || local.hour < 8) return [];
  const day = local.toISODate();
  const digest = (forceId: string, conversationId: string, person: string | null): OutboxMessage => ({
    id: `digest:${forceId}:${day}${person ? `:${person}` : ''}`, kind: 'digest', conversationId, meetingId: '', forceId, cardId: null, personAadObjectId: person,
    status: 'pending', attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now,
  });
  const regional = groupBy((await store.directory.listReaders()).filter((r) => r.role === 'region'), (r) => r.scopeId);
  const messages: OutboxMessage[] = [];
  for (const force of await store.directory.listForces()) {
    const conversationId = await conversationOf(force.id);
    if (conversationId) messages.push(digest(force.id, conversationId, null));
    for (const { person } of regional.get(force.id) ?? []) {
      const chat = await store.teams.personalConversation(person.aadObjectId);
      if (chat) messages.push(digest(force.id, chat.id, person.aadObjectId));
    }
  }
  return store.outbox.enqueue(messages);
}
