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
    // Each area of a force with areas (areaId null: its panels in no area), summed as the force's figures are.
    byArea: (r.byArea ?? []).map(({ figures, ...a }) => ({ ...a, ...figures })),
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
  // Added with areas (issue 24), last so the columns before keep their places.
  'area_id',
] as const;

/** A summary row's subject: a panel and force, an area's (or a force's panels in no area) total, or the TOTAL. */
type SummarySubject = { panelId: string; panelName: string; forceId: string; invited: boolean; timetable: string; figures: ReviewFigures; areaId: string };

function summaryRow(p: SummarySubject): string[] {
  const f = p.figures;
  return [
    p.panelId, p.panelName, p.forceId, p.invited ? 'yes' : 'no', p.timetable, f.due, f.held, f.monthsDue, f.monthsMet, f.decisionMakerPresent,
    ratio(f.decisionMakerShareOfDue), ratio(f.decisionMakerShareOfHeld), f.policeAbsent, f.attendanceUnrecorded, f.notHeld, f.unrecorded, f.extra,
    f.cancelled, ...REASON_COLUMNS.map((r) => f.cancelledByReason[r] ?? 0), f.distinctAttendees,
    Object.entries(f.flagsByCode).sort(([a], [b]) => a.localeCompare(b)).map(([c, n]) => `${c}:${n}`).join(' '),
    p.areaId,
  ].map(String);
}

/**
 * `review --format summary-csv`: one row per panel and force (its area in `area_id`), then for a force with areas one
 * `AREA` row per area (`area_id` empty on the row of its panels in no area), then a TOTAL row.
 */
export function summaryCsv(r: Review): string {
  const areaOf = new Map((r.byArea ?? []).flatMap((a) => (a.areaId ? a.panels.map((p) => [`${a.forceId}/${p}`, a.areaId!] as const) : [])));
  // An area's own review has no table by area: every panel row is of that area.
  const panels = r.panels.map((p) => ({ ...p, areaId: areaOf.get(`${p.forceId}/${p.panelId}`) ?? r.scope.areaId ?? '' }));
  const areas = (r.byArea ?? []).map((a) => ({ panelId: 'AREA', panelName: a.name, forceId: a.forceId, invited: false, timetable: '', figures: a.figures, areaId: a.areaId ?? '' }));
  const total = { panelId: 'TOTAL', panelName: r.scope.label, forceId: '', invited: false, timetable: '', figures: r.total, areaId: r.scope.areaId ?? '' };
  const lines = [SUMMARY_COLUMNS.join(','), ...[...panels, ...areas, total].map((p) => summaryRow(p).map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
