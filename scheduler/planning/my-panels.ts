import { DateTime } from 'luxon';
import { accessFor, canActForForce, canActForPanel, hasRole, seesForceOf, visiblePanels } from '../people/access.js';
import { listSchedule, type ForceView, type MeetingView } from './schedule-view.js';
import type { Store } from '../store/store.js';

export interface MyMeeting extends MeetingView {
  /** Forces this person may name the attendee for. */
  canNominateFor: string[];
  canCancel: boolean;
}

const LIMIT = 10;

/** The next meetings a person is involved in (as chair, Prevent lead, deputy, national lead or nominee). */
export async function myMeetings(store: Store, actor: string, now: string, escalationWorkingDays: number): Promise<MyMeeting[] | null> {
  const access = await accessFor(store, actor);
  const panels = visiblePanels(access, await store.directory.listPanels());
  // National leads and a panel's chairs see every force's part; a lead their own forces'; a nominee their own nomination.
  const view: ForceView = { sees: (panel, forceId) => seesForceOf(access, panel.id, forceId), person: access.aadObjectId };
  const to = DateTime.fromISO(now, { zone: 'utc' }).plus({ months: 3 }).toISO()!;
  const upcoming: MeetingView[] = [];
  for (const p of panels) upcoming.push(...(await listSchedule(store, { panelId: p.id, from: now, to }, now, escalationWorkingDays, view)).meetings);
  const panelIds = new Set(panels.map((p) => p.id));
  // A nominee without a role still sees the meetings they were named for.
  const all = (await listSchedule(store, { from: now, to }, now, escalationWorkingDays, view)).meetings;
  // So does a force's lead for a meeting their force was invited to alone.
  upcoming.push(...all.filter((m) => !panelIds.has(m.panelId) && (m.nominations.some((n) => n.aadObjectId === access.aadObjectId) || m.invited.some((f) => canActForForce(access, f)))));
  if (!upcoming.length && !hasRole(access)) return null;
  return upcoming
    .sort((a, b) => (a.start < b.start ? -1 : 1))
    .slice(0, LIMIT)
    .map((m) => ({
      ...m,
      canNominateFor: m.status === 'scheduled' ? m.forces.filter((f) => canActForForce(access, f)) : [],
      canCancel: m.status === 'scheduled' && canActForPanel(access, m.panelId),
    }));
}
