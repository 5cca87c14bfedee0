import { DateTime } from 'luxon';
import { accessFor, canActForForceOn, canActForPanel, mayView, noAccess, seesForceOf, visiblePanels, type Access } from '../people/access.js';
import { computeFlags, type Flag, type FlagMeeting } from '../domain/flags.js';
import { groupBy } from '../domain/group.js';
import { toLocalIso } from '../domain/timetable.js';
import type { Area, Force, OutboxMessage } from '../domain/types.js';
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
  const forForce = !!f.forceId && canActForForceOn(access, f.forceId, f.panelId);
  if (f.code === 'NO_NOMINATION' && m.start > now && forForce) return 'name-attendee';
  const chair = access !== null && canActForPanel(access, f.panelId);
  if (f.code === 'ATTENDANCE_UNRECORDED' && m.end <= now && chair) return 'record-attendance';
  return null;
}

/**
 * What `flags <word>` narrows the list to: a force (its panels, its own flags and panel-wide ones), an area (the
 * same, on the area's panels) or a panel. Whether the person may see it was decided when the word was read
 * (review-args namedScope); the list is still only what they may see.
 */
export type FlagsScope = { forceId: string } | { areaId: string } | { panelId: string };

/** The panels and force a scope keeps, from the force list; null for an area no longer in the file. */
function scopeFilter(scope: FlagsScope, forces: Force[]): { panel: (id: string, faces: string[]) => boolean; forceId: string | null } | null {
  if ('panelId' in scope) return { panel: (id) => id === scope.panelId, forceId: null };
  if ('forceId' in scope) return { panel: (_id, faces) => faces.includes(scope.forceId), forceId: scope.forceId };
  const force = forces.find((f) => f.areas?.some((a) => a.id === scope.areaId));
  const area = force?.areas?.find((a) => a.id === scope.areaId);
  return force && area ? { panel: (id, faces) => area.panels.includes(id) && faces.includes(force.id), forceId: force.id } : null;
}

/**
 * The flags of the last 12 months (and the month ahead) that the person may see, newest panels' facts first; given
 * a scope, only those of that force, area or panel (a force's and an area's: its own flags and its panels' panel-wide ones).
 */
export async function openFlags(store: Store, actor: string, now: string, scope?: FlagsScope): Promise<{ access: Access; flags: ShownFlag[] } | null> {
  const access = await accessFor(store, actor);
  // Read-only roles too: they see their forces' flags, and are offered nothing to act on (actionFor asks canActFor*).
  if (!mayView(access)) return null;
  const narrow = scope ? scopeFilter(scope, await store.directory.listForces()) : null;
  if (scope && !narrow) return { access, flags: [] };
  const panels = visiblePanels(access, await store.directory.listPanels()).filter((p) => !narrow || narrow.panel(p.id, p.forces));
  const kept = (f: Flag) => visible(access, f) && (!narrow?.forceId || !f.forceId || f.forceId === narrow.forceId);
  // Whole months, so each month is judged on all its meetings.
  const from = DateTime.fromISO(now, { zone: 'utc' }).setZone('Europe/London').startOf('month').minus({ months: 12 }).toUTC().toISO()!;
  const to = DateTime.fromISO(now, { zone: 'utc' }).plus({ months: 1 }).toISO()!;
  const meetings = await loadFlagMeetings(store, await store.meetings.list({ panelIds: panels.map((p) => p.id), from, to }));
  const flags = panels.flatMap((p) => computeFlags(p, meetings, now, undefined, { from, to }).filter(kept).map((f) => ({ ...f, panelName: p.name })));
  return { access, flags: await describe(store, flags, meetings, access, now) };
}

/**
 * A force's new flags for its Monday digest: those about its meetings of the last `days` days, any upcoming
 * meeting it has named nobody for, and its panels' months that ended in those days and were not met.
 * Panel-wide timetable flags stay in `flags` and the review.
 */
export async function forceDigestFlags(store: Store, forceId: string, now: string, days = 7, part: DigestPart = { kind: 'force', except: [] }): Promise<ShownFlag[]> {
  const access: Access = { ...noAccess(), forces: new Set([forceId]) };
  const inPart = (panelId: string) => (part.kind === 'area' ? part.panels.includes(panelId) : !part.except.includes(panelId));
  const panels = visiblePanels(access, await store.directory.listPanels()).filter((p) => inPart(p.id));
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
export async function digestFlags(store: Store, m: Pick<OutboxMessage, 'id' | 'forceId' | 'personAadObjectId'>, now: string): Promise<ShownFlag[] | null> {
  const person = m.personAadObjectId?.toLowerCase();
  if (person && !(await store.directory.listReaders()).some((r) => r.role === 'region' && r.scopeId === m.forceId && r.person.aadObjectId.toLowerCase() === person)) return null;
  if (person) return forceDigestFlags(store, m.forceId, now);
  const force = await store.directory.getForce(m.forceId);
  if (!force) return null;
  const part = await digestPart(store, force, digestAreaOf(m.id));
  return part ? forceDigestFlags(store, m.forceId, now, 7, part) : null;
}

/** Which of a force's panels one digest covers: an area's, or the force's own (every panel not in a linked area). */
export type DigestPart = { kind: 'area'; panels: string[] } | { kind: 'force'; except: string[] };

/** The area a digest message is for, from its id (`digest:<force>:<day>:area:<area>`); null for the force's own. */
const digestAreaOf = (id: string): string | null => /^digest:[a-z0-9-]+:\d{4}-\d{2}-\d{2}:area:([a-z0-9-]+)$/.exec(id)?.[1] ?? null;

/** The part of the force a digest covers as the file and links stand when it goes; null for an area no longer in the file. */
async function digestPart(store: Store, force: Force, areaId: string | null): Promise<DigestPart | null> {
  if (areaId) {
    const area = force.areas?.find((a) => a.id === areaId);
    return area ? { kind: 'area', panels: area.panels } : null;
  }
  return { kind: 'force', except: (await linkedAreas(store, force)).flatMap((a) => a.area.panels) };
}

/** The force's areas linked to a Teams conversation the bot is still in, with it: their panels' messages go there. */
export async function linkedAreas(store: Pick<Store, 'teams'>, force: Force): Promise<Array<{ area: Area; conversationId: string }>> {
  const linked: Array<{ area: Area; conversationId: string }> = [];
  for (const area of force.areas ?? []) {
    const id = await store.teams.linkedConversation('area', area.id);
    if (id && (await store.teams.getConversation(id))) linked.push({ area, conversationId: id });
  }
  return linked;
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
    // An area linked to its own channel gets its own digest there, of its panels; the force's covers the rest.
    for (const { area, conversationId: areaChannel } of await linkedAreas(store, force)) messages.push({ ...digest(force.id, areaChannel, null), id: `digest:${force.id}:${day}:area:${area.id}` });
    for (const { person } of regional.get(force.id) ?? []) {
      const chat = await store.teams.personalConversation(person.aadObjectId);
      if (chat) messages.push(digest(force.id, chat.id, person.aadObjectId));
    }
  }
  return store.outbox.enqueue(messages);
}
