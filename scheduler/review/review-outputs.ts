import { lastIncludedDay } from '../domain/date-range.js';
import { localDate } from '../domain/timetable.js';
import { CANCEL_REASONS } from '../domain/types.js';
import { csvCell } from './review-csv.js';
import type { Comparison, Review, ReviewFigures } from './review.js';

/** A held meeting a force in scope did not attend. */
export interface Absence {
  meetingId: string;
  panelId: string;
  forceId: string;
  date: string;
  apologies: boolean;
}

/** The held meetings where a force was absent, oldest first (from the review's POLICE_ABSENT flags). */
export function absences(r: Review): Absence[] {
  return r.flags
    .filter((f) => f.code === 'POLICE_ABSENT' && f.meetingId && f.forceId)
    .map((f) => ({ meetingId: f.meetingId!, panelId: f.panelId, forceId: f.forceId!, date: f.facts.slice(0, 10), apologies: !!f.apologies }))
    .sort((a, b) => a.date.localeCompare(b.date) || a.meetingId.localeCompare(b.meetingId));
}

const flagCounts = (r: Review) => r.flags.reduce<Record<string, number>>((acc, f) => ((acc[f.code] = (acc[f.code] ?? 0) + 1), acc), {});
const comparison = (c: Comparison | null) => c && { from: localDate(c.from), to: lastIncludedDay(c.to), ...c.total };

/** `review --format json` (CONTRACT.md): inclusive local dates, the total, one entry per panel and force, comparisons, flag counts. */
export function reviewJson(r: Review): Record<string, unknown> {
  return {
    from: localDate(r.from),
    to: lastIncludedDay(r.to, r.now),
    scope: r.scope,
    total: r.total,
    panels: r.panels.map(({ figures, ...p }) => ({ ...p, ...figures })),
    forces: r.forces.map(({ forceId, figures }) => ({ forceId, ...figures })),
    previous: comparison(r.previous),
    lastYear: comparison(r.lastYear),
    flags: flagCounts(r),
    absences: absences(r),
    months: r.months,
  };
}

const REASON_COLUMNS = [...CANCEL_REASONS, 'no reason recorded'];
const ratio = (n: number | null) => (n === null ? '' : n.toFixed(3));

/** The summary export's columns, in order (documented in the README). */
export const SUMMARY_COLUMNS = [
  'panel_id', 'panel_name', 'force_id', 'invited', 'timetable', 'due', 'held', 'months_due', 'months_met', 'decision_maker_present',
  'decision_maker_share_of_due', 'decision_maker_share_of_held', 'police_absent', 'attendance_unrecorded', 'not_held', 'unrecorded', 'extra',
  'cancelled', ...REASON_COLUMNS.map((r) => `cancelled_${r.replace(/ /g, '_')}`), 'distinct_attendees', 'flags',
] as const;

function summaryRow(p: Review['panels'][number] | { panelId: string; panelName: string; forceId: string; invited: boolean; timetable: string; figures: ReviewFigures }): string[] {
  const f = p.figures;
  return [
    p.panelId, p.panelName, p.forceId, p.invited ? 'yes' : 'no', p.timetable, f.due, f.held, f.monthsDue, f.monthsMet, f.decisionMakerPresent,
    ratio(f.decisionMakerShareOfDue), ratio(f.decisionMakerShareOfHeld), f.policeAbsent, f.attendanceUnrecorded, f.notHeld, f.unrecorded, f.extra,
    f.cancelled, ...REASON_COLUMNS.map((r) => f.cancelledByReason[r] ?? 0), f.distinctAttendees,
    Object.entries(f.flagsByCode).sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `${c}:${n}`).join(' '),
  ].map(String);
}

/** `review --format summary-csv`: one row per panel and force, then a TOTAL row. */
export function summaryCsv(r: Review): string {
  const total = { panelId: 'TOTAL', panelName: r.scope.label, forceId: '', invited: false, timetable: '', figures: r.total };
  const lines = [SUMMARY_COLUMNS.join(','), ...[...r.panels, total].map((p) => summaryRow(p).map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
