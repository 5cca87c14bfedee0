import { DateTime } from 'luxon';
import type { Flag } from '../../domain/flags.js';
import type { ReviewFigures } from '../review.js';

// Figures, dates and flag facts as the review document writes them: words and whole numbers, Europe/London dates as
// people write them, never an id or an ISO date.

const ZONE = 'Europe/London';

/** "1,234". */
export const count = (n: number): string => n.toLocaleString('en-GB');

/** "67%", or "n/a" when nothing was there to share. */
export const pct = (share: number | null): string => (share === null ? 'n/a' : `${Math.round(share * 100)}%`);

/** "13 January 2026" from a local calendar date (YYYY-MM-DD). */
export const dateWords = (ymd: string): string => DateTime.fromISO(ymd, { zone: ZONE }).toFormat('d LLLL yyyy');

/** "Tue 13 January 2026" from a local calendar date (YYYY-MM-DD). */
export const dayWords = (ymd: string): string => DateTime.fromISO(ymd, { zone: ZONE }).toFormat('ccc d LLLL yyyy');

/** "January 2026" from a calendar month (YYYY-MM). */
export const monthWords = (ym: string): string => DateTime.fromFormat(ym, 'yyyy-MM', { zone: ZONE }).toFormat('LLLL yyyy');

/** "22 November 2026 at 12:00" from an instant, in Europe/London time. */
export const instantWords = (iso: string): string => DateTime.fromISO(iso, { zone: 'utc' }).setZone(ZONE).toFormat("d LLLL yyyy 'at' HH:mm");

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A flag's facts in plain words: its dates and months as people write them and its force by name. The facts are the
 * domain's own sentence (scheduler/domain/flags.ts), so the document says exactly what `panel-bot flags` says.
 */
export function flagFacts(f: Flag, forceName: (id: string) => string): string {
  let text = f.facts
    .replace(/\b(\d{4}-\d{2}-\d{2})\b/g, (d) => dayWords(d))
    .replace(/\b(\d{4}-\d{2})\b(?!-)/g, (m) => monthWords(m));
  if (f.forceId) text = text.replace(new RegExp(`(^|[\\s(])${escape(f.forceId)}(?=$|[\\s),.:;])`, 'g'), (_all, before: string) => `${before}${forceName(f.forceId!)}`);
  return text;
}

/**
 * A period's figures beyond the headline, as facts (label, value) in words: what the review card and the document
 * both list. `reason` prepares a cancellation reason for where it is shown (the card escapes Markdown).
 */
export function figureFacts(f: ReviewFigures, perSlice: boolean, reason = (r: string) => r): Array<[string, string]> {
  const reasons = Object.entries(f.cancelledByReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([r, n]) => `${reason(r)}: ${count(n)}`).join('; ');
  return [
    ['Months met', `${count(f.monthsMet)} of ${count(f.monthsDue)} months met${perSlice ? ' (each panel and force counted)' : ''}`],
    ['Due (timetable, plus extra meetings held)', count(f.due)],
    ['Held', count(f.held)],
    ['Cancelled', f.cancelled ? `${count(f.cancelled)} (${reasons})` : '0'],
    ['Did not take place', count(f.notHeld)],
    ['Ended with nothing recorded', count(f.unrecorded)],
    ['Police absent from a meeting held', count(f.policeAbsent)],
    ["Held, the force's attendance not recorded", count(f.attendanceUnrecorded)],
    ['Distinct police attendees', count(f.distinctAttendees)],
    ['Extra meetings', count(f.extra)],
    ['Moved', count(f.moved)],
    ['Median days named ahead', f.medianNominationDays === null ? 'n/a' : String(f.medianNominationDays)],
  ];
}
