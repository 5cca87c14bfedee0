import { DateTime } from 'luxon';
import { lastIncludedDay } from '../scheduler/domain/date-range.js';
import { FLAG_CODES, type Flag } from '../scheduler/domain/flags.js';
import { FLAG_WORDS } from '../scheduler/domain/flag-words.js';
import type { Comparison, MonthFigures, PanelReview, Review, ReviewFigures, TimetableKind } from '../scheduler/review/review.js';
import { card, facts, md, text, type CardElement } from './format.js';
import { table } from './table.js';
import { VERBS } from './verbs.js';

export interface ReviewCardModel {
  review: Review;
  /** Force names by id, for the forces the review mentions (a force without a name here shows its id). */
  forceNames: Record<string, string>;
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
/**
 * Chart.VerticalBar.Grouped has no property for its y axis: Teams documents title, axis titles, colours and
 * showBarValues, but no minimum, maximum, step or integer setting. Fluent UI's open-source grouped bar chart splits
 * the axis into four steps and rounds a step up to a whole number only when it is at least 1; Teams' renderer is not
 * public, and is assumed to do the same. A tallest bar below 4 would then draw gridlines at 0.25 or 0.5 meetings,
 * so such a period is shown month by month in words instead. Every value charted is a whole count of meetings, and
 * each bar shows its value.
 */
export const MIN_CHART_PEAK = 4;
const PERIODS = [3, 6, 12, 24, 36];
/** Places named for each kind of flag; the rest are counted. */
const FLAG_PLACES = 3;

const count = (n: number) => n.toLocaleString('en-GB');
const pct = (share: number | null) => (share === null ? 'n/a' : `${Math.round(share * 100)}%`);
const day = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone('Europe/London').toFormat('d LLL yyyy');
/** A Europe/London calendar date (YYYY-MM-DD) as people write it. */
const date = (ymd: string) => DateTime.fromISO(ymd, { zone: 'Europe/London' }).toFormat('d LLL yyyy');

const MONTH_WORDS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthWord = (ym: string) => MONTH_WORDS[Number(ym.slice(5, 7)) - 1] ?? ym;
/** "Jan 2026" from "2026-01". */
export const monthName = (ym: string) => `${monthWord(ym)} ${ym.slice(0, 4)}`;

/** The headline: a decision maker present as a share of the meetings due, with the share of those held beside it. */
function headline(f: ReviewFigures): CardElement {
  const due = f.due
    ? `Decision maker present at ${count(f.decisionMakerPresent)} of ${count(f.due)} meetings due (${pct(f.decisionMakerShareOfDue)})`
    : 'Decision maker present: no meeting was due in this period';
  const held = f.held ? `Of meetings held: ${count(f.decisionMakerPresent)} of ${count(f.held)} (${pct(f.decisionMakerShareOfHeld)})` : 'Of meetings held: none held';
  return {
    type: 'ColumnSet',
    columns: [
      { type: 'Column', width: 'stretch', items: [text(due, { weight: 'Bolder', size: 'Medium' })] },
      { type: 'Column', width: 'auto', verticalContentAlignment: 'Center', items: [text(held, { isSubtle: true })] },
    ],
  };
}

/** "Previous period (…): 58% (+12 points)", the change in whole points between the shares shown; or why there is no share. */
function comparison(label: string, c: Comparison, now: number | null): [string, string] {
  const then = c.total.decisionMakerShareOfDue;
  if (then === null) return [`${label} (${day(c.from)} to ${date(lastIncludedDay(c.to))})`, 'no meeting was due'];
  const change = now === null ? null : Math.round(now * 100) - Math.round(then * 100);
  const points = change === null ? '' : change === 0 ? ' (no change)' : ` (${change > 0 ? '+' : '-'}${Math.abs(change)} points)`;
  return [`${label} (${day(c.from)} to ${date(lastIncludedDay(c.to))})`, `${pct(then)}${points}: ${count(c.total.decisionMakerPresent)} of ${count(c.total.due)} due`];
}

/** The rest of the period's figures as facts, each in words. */
function totals(r: Review): CardElement {
  const f = r.total;
  const reasons = Object.entries(f.cancelledByReason).sort((a, b) => b[1] - a[1]).map(([reason, n]) => `${md(reason)}: ${count(n)}`).join('; ');
  const perSlice = r.panels.length > 1 ? ' (each panel and force counted)' : '';
  return facts([
    ...(r.previous ? [comparison('Previous period', r.previous, f.decisionMakerShareOfDue)] : []),
    ...(r.lastYear ? [comparison('A year earlier', r.lastYear, f.decisionMakerShareOfDue)] : []),
    ['Months met', `${count(f.monthsMet)} of ${count(f.monthsDue)} months met${perSlice}`],
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
  ]);
}

/** One bar of the chart: a month, or a span of months for a long period, with its meetings summed. */
export interface ChartBar extends Omit<MonthFigures, 'month'> {
  first: string;
  last: string;
  /** Month words, unique within the chart: "Jan 2026", "Feb", or "Jan–May 2016". */
  label: string;
}

/** How many calendar months from `first` to `last` (YYYY-MM), both included. */
const monthsBetweenCount = (first: string, last: string) =>
  (Number(last.slice(0, 4)) - Number(first.slice(0, 4))) * 12 + Number(last.slice(5, 7)) - Number(first.slice(5, 7)) + 1;

function spanLabel(first: string, last: string): string {
  if (first === last) return monthName(first);
  return first.slice(0, 4) === last.slice(0, 4) ? `${monthWord(first)}–${monthName(last)}` : `${monthName(first)}–${monthName(last)}`;
}

/**
 * Groups months into at most MAX_BARS spans so the card stays small for long periods, losing no meeting. Labels are
 * month words: a year of single months shows the year on its first bar and on January only ("Nov 2025", "Dec",
 * "Jan 2026"); longer periods show it on every bar, since a month name alone would then repeat.
 */
export function chartBuckets(months: MonthFigures[]): ChartBar[] {
  const size = Math.max(1, Math.ceil(months.length / MAX_BARS));
  const short = size === 1 && months.length <= 12;
  const out: ChartBar[] = [];
  for (let i = 0; i < months.length; i += size) {
    const span = months.slice(i, i + size);
    const [first, last] = [span[0]!.month, span[span.length - 1]!.month];
    const sum = (pick: (m: MonthFigures) => number) => span.reduce((s, m) => s + pick(m), 0);
    out.push({
      first, last,
      label: short && i > 0 && !first.endsWith('-01') ? monthWord(first) : spanLabel(first, last),
      held: sum((m) => m.held),
      cancelled: sum((m) => m.cancelled),
      notHeld: sum((m) => m.notHeld),
      unrecorded: sum((m) => m.unrecorded),
      decisionMakerPresent: sum((m) => m.decisionMakerPresent),
    });
  }
  return out;
}

type Series = { legend: string; color: string; pick: (b: ChartBar) => number; words: (n: string) => string };

/** The series shown: "did not take place" only when some meeting did not. Colours are ones Teams documents for charts. */
function seriesOf(bars: ChartBar[]): Series[] {
  return [
    { legend: 'Held', color: 'good', pick: (b) => b.held, words: (n) => `${n} held` },
    { legend: 'Cancelled', color: 'attention', pick: (b) => b.cancelled, words: (n) => `${n} cancelled` },
    ...(bars.some((b) => b.notHeld)
      ? [{ legend: 'Did not take place', color: 'warning', pick: (b: ChartBar) => b.notHeld, words: (n: string) => `${n} did not take place` }]
      : []),
    { legend: 'Unrecorded', color: 'neutral', pick: (b) => b.unrecorded, words: (n) => `${n} unrecorded` },
    { legend: 'Decision maker present', color: 'categoricalBlue', pick: (b) => b.decisionMakerPresent, words: (n) => `decision maker present at ${n}` },
  ];
}

/** The months in words and whole numbers, each month named in full: one line each, so even 24 of them stay small. */
function monthFacts(bars: ChartBar[], series: Series[]): CardElement {
  return facts(bars.map((b) => [spanLabel(b.first, b.last), series.map((s) => s.words(count(s.pick(b)))).join(', ')]));
}

/** A grouped bar chart of whole meetings per month for Teams, falling back to the same figures in words. */
function chart(months: MonthFigures[]): CardElement[] {
  const bars = chartBuckets(months);
  const series = seriesOf(bars);
  const peak = Math.max(0, ...bars.flatMap((b) => series.map((s) => s.pick(b))));
  // An empty chart draws a meaningless axis (0 to 0.0001): say so in words instead.
  if (peak === 0) return [text('There were no meetings in this period to chart.', { isSubtle: true })];
  const span = bars[0]!.first === bars[0]!.last ? 'month' : `${monthsBetweenCount(bars[0]!.first, bars[0]!.last)} months`;
  const title = `Meetings per ${span}`;
  if (peak < MIN_CHART_PEAK) return [text(title, { weight: 'Bolder', spacing: 'Medium' }), monthFacts(bars, series)];
  return [{
    type: 'Chart.VerticalBar.Grouped',
    title,
    xAxisTitle: 'Month',
    yAxisTitle: 'Meetings',
    showBarValues: true,
    data: series.map((s) => ({ legend: s.legend, color: s.color, values: bars.map((b) => ({ x: b.label, y: s.pick(b) })) })),
    fallback: { type: 'Container', items: [text(title, { weight: 'Bolder' }), monthFacts(bars, series)] },
  }];
}

const MARKERS: Record<TimetableKind, string> = { guidance: '', 'below-guidance': ' (below the guidance timetable)', 'when-necessary': ' (when necessary)' };

/** A panel (and its force, when the review has several) as people read it, with its timetable and invitation in words. */
function panelCell(p: PanelReview, forceName: (id: string) => string, manyForces: boolean): string {
  return `${md(p.panelName)}${MARKERS[p.timetable]}${p.invited ? ' (invited)' : ''}${manyForces ? `\n${md(forceName(p.forceId))}` : ''}`;
}

/** One page of the per-panel table, weakest share of due first (nothing due last). */
function panelTable(r: Review, page: number, forceName: (id: string) => string): CardElement[] {
  const many = new Set(r.panels.map((p) => p.forceId)).size > 1;
  const sorted = [...r.panels].sort(
    (a, b) =>
      (a.figures.decisionMakerShareOfDue ?? 2) - (b.figures.decisionMakerShareOfDue ?? 2) ||
      a.panelName.localeCompare(b.panelName) ||
      forceName(a.forceId).localeCompare(forceName(b.forceId)),
  );
  const shown = sorted.slice(page * PANELS_PER_PAGE, (page + 1) * PANELS_PER_PAGE);
  const rows = shown.map((p) => {
    const f = p.figures;
    return [panelCell(p, forceName, many), count(f.due), count(f.held), count(f.unrecorded), `${count(f.decisionMakerPresent)} (${pct(f.decisionMakerShareOfDue)})`, count(f.openFlags)];
  });
  const pages = Math.ceil(sorted.length / PANELS_PER_PAGE);
  return [
    text(`Per panel${many ? ' and force' : ''} (${sorted.length}), weakest share of due first${pages > 1 ? `: page ${page + 1} of ${pages}` : ''}`, { weight: 'Bolder', spacing: 'Medium' }),
    rows.length
      ? table([many ? 'Panel, force' : 'Panel', 'Due', 'Held', 'Unrecorded', 'Decision maker (of due)', 'Flags'], rows, [4, 1, 1, 2, 2, 1])
      : text('No panels in this scope.'),
  ];
}

/** Every flag kind that occurs, in plain words: its title, how many, and the panels (and forces) it is about. */
function flagList(r: Review, forceName: (id: string) => string): CardElement[] {
  if (!r.flags.length) return [text('No flags in this period.', { color: 'Good', spacing: 'Medium' })];
  const panelNames = new Map(r.panels.map((p) => [p.panelId, p.panelName]));
  const many = new Set(r.panels.map((p) => p.forceId)).size > 1;
  const place = (f: Flag) => {
    const panel = md(panelNames.get(f.panelId) ?? f.panelId);
    return many && f.forceId ? `${panel} (${md(forceName(f.forceId))})` : panel;
  };
  const byCode = FLAG_CODES.flatMap((code) => {
    const flags = r.flags.filter((f) => f.code === code);
    if (!flags.length) return [];
    const places = new Map<string, number>();
    for (const f of flags) places.set(place(f), (places.get(place(f)) ?? 0) + 1);
    const ranked = [...places].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const named = ranked.slice(0, FLAG_PLACES).map(([p, n]) => `${p}: ${count(n)}`);
    const more = ranked.length - FLAG_PLACES;
    return [[`${FLAG_WORDS[code].title}: ${count(flags.length)}`, `${named.join('; ')}${more > 0 ? `; and ${count(more)} more` : ''}`] as [string, string]];
  });
  return [text(`Flags (${count(r.flags.length)})`, { weight: 'Bolder', spacing: 'Medium' }), facts(byCode)];
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

/** The recommendation 7 review card: the headline, totals, a monthly chart, a page of panels, flags, filters and the export link. */
export function reviewCard(m: ReviewCardModel): Record<string, unknown> {
  const r = m.review;
  const forceName = (id: string) => m.forceNames[id] ?? id;
  return card([
    text(`Recommendation 7 review: ${md(r.scope.label)}`, { weight: 'Bolder', size: 'Medium' }),
    text(`Meetings from ${day(r.from)} up to ${date(lastIncludedDay(r.to, r.now))}, as recorded by ${day(r.now)}.`, { isSubtle: true, spacing: 'None' }),
    ...(m.notice ? [text(md(m.notice), { color: 'Attention' })] : []),
    headline(r.total),
    totals(r),
    ...chart(r.months),
    ...panelTable(r, m.page, forceName),
    ...flagList(r, forceName),
    ...controls(m, r.panels.length),
    text(
      m.exportUrl
        ? 'The CSV link works for 15 minutes and only for you. It holds panel, meeting and attendee facts only: never anything about a referred person.'
        : 'The CSV export link is personal, so I give it only in our personal chat: type `review` there.',
      { size: 'Small', isSubtle: true },
    ),
  ]);
}
