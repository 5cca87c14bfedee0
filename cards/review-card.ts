import { DateTime } from 'luxon';
import { lastIncludedDay } from '../scheduler/domain/date-range.js';
import type { MonthFigures, Review, ReviewFigures } from '../scheduler/review/review.js';
import { card, facts, md, text, type CardElement } from './format.js';
import { table } from './table.js';
import { VERBS } from './verbs.js';

export interface ReviewCardModel {
  review: Review;
  /** Where the CSV export of exactly this review can be fetched (signed, short-lived); null outside a personal chat. */
  exportUrl: string | null;
  scopeChoices: Array<{ title: string; value: string }>;
  filterScope: string;
  months: number;
  page: number;
  notice?: string;
}

export const PANELS_PER_PAGE = 10;
/** The chart shows at most this many bars per series; longer periods are grouped into spans of months. */
const MAX_BARS = 24;
const PERIODS = [3, 6, 12, 24, 36];

const pct = (share: number | null) => (share === null ? 'n/a' : `${Math.round(share * 100)}%`);
const day = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone('Europe/London').toFormat('d LLL yyyy');
/** A Europe/London calendar date (YYYY-MM-DD) as people write it. */
const date = (ymd: string) => DateTime.fromISO(ymd, { zone: 'Europe/London' }).toFormat('d LLL yyyy');

/** The headline figures as facts. */
function totals(f: ReviewFigures): CardElement {
  const reasons = Object.entries(f.cancelledByReason).map(([r, n]) => `${r}: ${n}`).join('; ');
  const flags = Object.entries(f.flagsByCode).sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', ');
  return facts([
    ['Due by the timetable', String(f.due)],
    ['Held (attendance recorded)', String(f.held)],
    ['Cancelled', f.cancelled ? `${f.cancelled} (${reasons})` : '0'],
    ['Ended, nothing recorded', String(f.unrecorded)],
    ['Extra meetings', String(f.extra)],
    ['Moved', String(f.moved)],
    ['Decision maker present', `${f.decisionMakerPresent} of ${f.held} held (${pct(f.decisionMakerShare)})`],
    ['Held, a force not recorded', String(f.attendanceUnrecorded)],
    ['Distinct police attendees', String(f.distinctAttendees)],
    ['Median days named ahead', f.medianNominationDays === null ? 'n/a' : String(f.medianNominationDays)],
    ['Open flags', f.openFlags ? `${f.openFlags} (${flags})` : '0'],
  ]);
}

/** Groups months into at most MAX_BARS spans so the card stays small for long periods. */
export function chartBuckets(months: MonthFigures[]): MonthFigures[] {
  const size = Math.max(1, Math.ceil(months.length / MAX_BARS));
  const out: MonthFigures[] = [];
  for (let i = 0; i < months.length; i += size) {
    const span = months.slice(i, i + size);
    const label = span.length > 1 ? `${span[0]!.month}–${span[span.length - 1]!.month}` : span[0]!.month;
    out.push({
      month: label,
      held: span.reduce((s, m) => s + m.held, 0),
      cancelled: span.reduce((s, m) => s + m.cancelled, 0),
      decisionMakerPresent: span.reduce((s, m) => s + m.decisionMakerPresent, 0),
    });
  }
  return out;
}

/** A grouped bar chart for Teams, falling back to a plain table where charts are not rendered. */
function chart(months: MonthFigures[]): CardElement {
  const bars = chartBuckets(months);
  // An empty chart draws a meaningless axis (0 to 0.0001): say so in words instead.
  if (bars.every((m) => m.held + m.cancelled + m.decisionMakerPresent === 0)) return text('No meeting was held or cancelled in this period.', { isSubtle: true });
  const series = (legend: string, color: string, pick: (m: MonthFigures) => number) => ({ legend, color, values: bars.map((m) => ({ x: m.month, y: pick(m) })) });
  return {
    type: 'Chart.VerticalBar.Grouped',
    title: 'Meetings per month',
    xAxisTitle: 'Month',
    yAxisTitle: 'Meetings',
    data: [
      series('Held', 'good', (m) => m.held),
      series('Cancelled', 'attention', (m) => m.cancelled),
      series('Decision maker present', 'accent', (m) => m.decisionMakerPresent),
    ],
    fallback: table(['Month', 'Held', 'Cancelled', 'Decision maker present'], bars.map((m) => [m.month, String(m.held), String(m.cancelled), String(m.decisionMakerPresent)]), [3, 1, 1, 2]),
  };
}

/** One page of the per-panel table, weakest decision-maker share first. */
function panelTable(review: Review, page: number): CardElement[] {
  const sorted = [...review.panels].sort((a, b) => (a.figures.decisionMakerShare ?? 2) - (b.figures.decisionMakerShare ?? 2) || a.panelName.localeCompare(b.panelName));
  const shown = sorted.slice(page * PANELS_PER_PAGE, (page + 1) * PANELS_PER_PAGE);
  const rows = shown.map((p) => {
    const f = p.figures;
    return [`${md(p.panelName)}${p.whenNecessary ? ' (when necessary)' : ''}`, String(f.due), String(f.held), String(f.cancelled), `${f.decisionMakerPresent} (${pct(f.decisionMakerShare)})`, String(f.openFlags)];
  });
  const pages = Math.ceil(sorted.length / PANELS_PER_PAGE);
  return [
    text(`Per panel (${sorted.length}), weakest decision-maker share first${pages > 1 ? `: page ${page + 1} of ${pages}` : ''}`, { weight: 'Bolder', spacing: 'Medium' }),
    rows.length ? table(['Panel', 'Due', 'Held', 'Cancelled', 'Decision maker', 'Flags'], rows, [4, 1, 1, 1, 2, 1]) : text('No panels in this scope.'),
  ];
}

/** The filter inputs and the buttons that re-render this card in place. */
function controls(m: ReviewCardModel, panelCount: number): CardElement[] {
  const pages = Math.ceil(panelCount / PANELS_PER_PAGE);
  const go = (title: string, page: number) => ({ type: 'Action.Execute', title, verb: VERBS.reviewView, data: { page } });
  const months = PERIODS.includes(m.months) ? PERIODS : [...PERIODS, m.months].sort((a, b) => a - b);
  return [
    { type: 'Input.ChoiceSet', id: 'filterScope', label: 'Force or panel', value: m.filterScope || 'all', choices: m.scopeChoices },
    { type: 'Input.ChoiceSet', id: 'filterMonths', label: 'Period', value: String(m.months), choices: months.map((n) => ({ title: `Last ${n} months`, value: String(n) })) },
    {
      type: 'ActionSet',
      actions: [
        go('Update', 0),
        ...(m.page > 0 ? [go('Previous panels', m.page - 1)] : []),
        ...(m.page + 1 < pages ? [go('Next panels', m.page + 1)] : []),
        ...(m.exportUrl ? [{ type: 'Action.OpenUrl', title: 'Download CSV', url: m.exportUrl }] : []),
      ],
    },
  ];
}

/** The recommendation 7 review card: totals, a monthly chart, a page of panels, filters and the export link. */
export function reviewCard(m: ReviewCardModel): Record<string, unknown> {
  const r = m.review;
  return card([
    text(`Recommendation 7 review: ${md(r.scope.label)}`, { weight: 'Bolder', size: 'Medium' }),
    text(`Meetings from ${day(r.from)} up to ${date(lastIncludedDay(r.to, r.now))}, as recorded by ${day(r.now)}.`, { isSubtle: true, spacing: 'None' }),
    ...(m.notice ? [text(md(m.notice), { color: 'Attention' })] : []),
    totals(r.total),
    chart(r.months),
    ...panelTable(r, m.page),
    ...controls(m, r.panels.length),
    text(
      m.exportUrl
        ? 'The CSV link works for 15 minutes and only for you. It holds panel, meeting and attendee facts only: never anything about a referred person.'
        : 'The CSV export link is personal, so I give it only in our personal chat: type `review` there.',
      { size: 'Small', isSubtle: true },
    ),
  ]);
}
