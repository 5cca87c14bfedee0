import { DateTime } from 'luxon';
import { accessFor, hasRole, seesForceOf, visiblePanels, type Access } from '../people/access.js';
import { computeFlags, type Flag } from '../domain/flags.js';
import type { OutboxMessage } from '../domain/types.js';
import { loadFlagMeetings } from '../planning/schedule-view.js';
import type { Store } from '../store/store.js';

/** A flag is visible to whoever may see its panel; a force-specific one only to that force's people (or the chair). */
const visible = (access: Access, f: Flag): boolean => !f.forceId || seesForceOf(access, f.panelId, f.forceId);

/** The flags of the last 12 months (and the month ahead) that the person may see, newest panels' facts first. */
export async function openFlags(store: Store, actor: string, now: string): Promise<{ access: Access; flags: Array<Flag & { panelName: string }> } | null> {
  const access = await accessFor(store, actor);
  if (!hasRole(access)) return null;
  const panels = visiblePanels(access, await store.directory.listPanels());
  // Whole months, so each month is judged on all its meetings.
  const from = DateTime.fromISO(now, { zone: 'utc' }).setZone('Europe/London').startOf('month').minus({ months: 12 }).toUTC().toISO()!;
  const to = DateTime.fromISO(now, { zone: 'utc' }).plus({ months: 1 }).toISO()!;
  const meetings = await loadFlagMeetings(store, await store.meetings.list({ panelIds: panels.map((p) => p.id), from, to }));
  const flags = panels.flatMap((p) => computeFlags(p, meetings, now, undefined, { from, to }).filter((f) => visible(access, f)).map((f) => ({ ...f, panelName: p.name })));
  return { access, flags };
}

/**
 * A force's new flags for its Monday digest: those about its meetings of the last `days` days, any upcoming
 * meeting it has named nobody for, and its panels' months that ended in those days and were not met.
 * Panel-wide timetable flags stay in `flags` and the review.
 */
export async function forceDigestFlags(store: Store, forceId: string, now: string, days = 7): Promise<Array<Flag & { panelName: string }>> {
  const access: Access = { aadObjectId: '', national: false, forces: new Set([forceId]), panels: new Set() };
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
  return panels.flatMap((p) =>
    computeFlags(p, meetings, now)
      .filter((f) => (f.month ? endedLately(f.month) : f.meetingId && f.forceId === forceId && (recent.has(f.meetingId) || f.code === 'NO_NOMINATION')))
      .map((f) => ({ ...f, panelName: p.name })),
  );
}

/** Queues each linked force's digest card on Mondays (one per force per Monday). */
export async function queueDigests(store: Store, now: string, conversationOf: (forceId: string) => Promise<string | null>): Promise<string[]> {
  const local = DateTime.fromISO(now, { zone: 'utc' }).setZone('Europe/London');
  if (local.weekday !== 1 || local.hour < 8) return [];
  const messages: OutboxMessage[] = [];
  for (const force of await store.directory.listForces()) {
    const conversationId = await conversationOf(force.id);
    if (!conversationId) continue;
    messages.push({
      id: `digest:${force.id}:${local.toISODate()}`, kind: 'digest', conversationId, meetingId: '', forceId: force.id, cardId: null, personAadObjectId: null,
      status: 'pending', attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now,
    });
  }
  return store.outbox.enqueue(messages);
}
