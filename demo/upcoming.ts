import { addWorkingDays } from '../scheduler/domain/calendar-days.js';
import { localDate, localToUtc, toLocalIso } from '../scheduler/domain/timetable.js';
import type { Meeting } from '../scheduler/domain/types.js';
import { cancelMeeting, rescheduleMeeting } from '../scheduler/meetings/cancellations.js';
import { nameStep, type DemoContext } from './meeting-steps.js';
import { NOTES } from './script.js';
import { must } from './timeline.js';

// The weeks after `now`, as the year leaves them: some forces have named their attendee already, Hampshire and
// Nottinghamshire have not (so a newcomer can), one meeting was cancelled yesterday and one moved two days ago.

/** The upcoming meetings the year cancelled and moved, once chosen. */
export interface Upcoming {
  cancelled: string | null;
  moved: string | null;
}

const DAY = 86_400_000;
/** Forces that have named their attendee for the next three weeks; the others are the newcomer's to name. */
const NAMED_AHEAD = new Set(['cambs', 'cumbria', 'leics', 'devon-cornwall']);
const CANCELLED_PANEL = 'cumbria';
const MOVED_PANEL = 'nottinghamshire';

/** Schedules what happened before `now` to a meeting still to come. */
export function upcomingSteps(ctx: DemoContext & { upcoming: Upcoming }, m: Meeting, notBefore: string): void {
  const after = (days: number) => new Date(Date.parse(ctx.now) + days * DAY).toISOString();
  const before = (hours: number) => new Date(Date.parse(ctx.now) - hours * 3_600_000).toISOString();
  const chair = ctx.panels.get(m.panelId)!.chairs[0]!.aadObjectId;
  const soon = (days: number) => m.start > after(days) && m.start <= after(40);
  if (m.panelId === CANCELLED_PANEL && !ctx.upcoming.cancelled && soon(1)) {
    ctx.upcoming.cancelled = m.id;
    const at = before(26);
    const input = { meetingId: m.id, reason: 'no cases to discuss' as const, note: NOTES.upcoming };
    ctx.timeline.add(at, `cancel ${m.id}`, async () => must(await cancelMeeting(ctx.store, input, chair, at), `cancelling ${m.id}`));
    return;
  }
  if (m.panelId === MOVED_PANEL && !ctx.upcoming.moved && soon(2)) {
    ctx.upcoming.moved = m.id;
    const at = before(50);
    const slot = { date: addWorkingDays(localDate(m.start), 1), time: toLocalIso(m.start).slice(11, 16) };
    ctx.timeline.add(at, `move ${m.id}`, async () => must(await rescheduleMeeting(ctx.store, m.id, slot, undefined, chair, at), `moving ${m.id}`));
  }
  if (m.start > after(21)) return;
  for (const forceId of ctx.panels.get(m.panelId)!.forces.filter((f) => NAMED_AHEAD.has(f))) {
    const ahead = localToUtc(addWorkingDays(localDate(m.start), -10), '09:30');
    const latest = before(3) < ahead ? before(3) : ahead;
    nameStep(ctx, m, forceId, 0, latest > notBefore ? latest : notBefore);
  }
}
