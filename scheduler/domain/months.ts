import { memo } from './memo.js';
import { localDate } from './timetable.js';
import type { Meeting } from './types.js';

/** The calendar month after a YYYY-MM month. */
export const nextMonth = (m: string): string => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/** The calendar month before a YYYY-MM month. */
export const previousMonth = (m: string): string => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 1 ? `${y - 1}-12` : `${y}-${String(mo - 1).padStart(2, '0')}`;
};

/** Every month from `first` to `last` (YYYY-MM, both included), oldest first; shared, so frozen. */
export const monthsBetween = (first: string, last: string): readonly string[] => monthsKept(`${first} ${last}`);

// A review asks for the same few spans once per panel and period.
const monthsKept = memo((key: string): readonly string[] => {
  const [first, last] = key.split(' ') as [string, string];
  const out: string[] = [];
  for (let m = first; m <= last && out.length < 1200; m = nextMonth(m)) out.push(m);
  return Object.freeze(out);
}, 1000);

/** The local (Europe/London) month a meeting starts in. */
export const monthOf = (m: Pick<Meeting, 'start'>): string => localDate(m.start).slice(0, 7);

/**
 * What became of a panel's calendar month, judged once it has ended. It is met when at least one of its meetings
 * was held (recorded held). Otherwise exactly one reason, the first that applies: a meeting that ended with
 * nothing recorded (it may yet have been held), one recorded as not taking place, one cancelled for want of
 * cases, one cancelled for any other reason, or no meeting planned at all.
 */
export type MonthFate = 'met' | 'unrecorded' | 'not-held' | 'cancelled-no-cases' | 'cancelled' | 'gap';

export function monthFate(meetings: ReadonlyArray<Pick<Meeting, 'status'> & { cancelReason: string | null }>): MonthFate {
  if (meetings.some((m) => m.status === 'held')) return 'met';
  if (meetings.some((m) => m.status === 'scheduled')) return 'unrecorded';
  if (meetings.some((m) => m.status === 'not-held')) return 'not-held';
  if (meetings.some((m) => m.status === 'cancelled' && m.cancelReason === 'no cases to discuss')) return 'cancelled-no-cases';
  if (meetings.some((m) => m.status === 'cancelled')) return 'cancelled';
  return 'gap';
}
