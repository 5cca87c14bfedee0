import { DateTime } from 'luxon';
import type { TopLevelSpec } from 'vega-lite';
import { lastIncludedDay } from '../domain/date-range.js';
import { cleanText } from '../domain/text.js';
import { localDate } from '../domain/timetable.js';
import type { MonthFigures, Review } from './review.js';

/** The chart shows at most this many bars; longer periods are grouped into spans of months. */
const MAX_BARS = 24;
/** Teams shows a card about this wide; the PNG is drawn at twice this for sharp text on high-density screens. */
export const CHART_WIDTH = 450;
const PLOT_HEIGHT = 220;
/** Bundled with the renderer (chart-render.ts), so the chart looks the same on every machine. */
export const CHART_FONT = 'DejaVu Sans';

const MONTH_WORDS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const monthWord = (ym: string) => MONTH_WORDS[Number(ym.slice(5, 7)) - 1] ?? ym;
/** "Jan 2026" from "2026-01". */
export const monthName = (ym: string) => `${monthWord(ym)} ${ym.slice(0, 4)}`;

/** "Jan 2026", "Jan–May 2016" or "Nov 2016–Mar 2017": a span of months named in full. */
export function spanLabel(first: string, last: string): string {
  if (first === last) return monthName(first);
  return first.slice(0, 4) === last.slice(0, 4) ? `${monthWord(first)}–${monthName(last)}` : `${monthName(first)}–${monthName(last)}`;
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

/**
 * Groups months into at most MAX_BARS spans so the chart stays readable for long periods, losing no meeting. Labels
 * are month words: a year of single months shows the year on its first bar and on January only ("Nov 2025", "Dec",
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

/** "Meetings per month", or per span ("Meetings per 5 months") when a long period is grouped. */
export function chartTitle(bars: ChartBar[]): string {
  const first = bars[0];
  return !first || first.first === first.last ? 'Meetings per month' : `Meetings per ${monthsBetweenCount(first.first, first.last)} months`;
}

/** One stacked segment: the outcomes do not overlap, so a bar's height is every meeting of its month. */
export interface ChartSeries {
  legend: string;
  color: string;
  pick: (b: ChartBar) => number;
}

/**
 * Okabe and Ito's colour-blind-safe palette, keeping only colours with at least 3:1 contrast against white (WCAG AA
 * for graphics): bluish green 3.4, blue 5.2, vermillion 3.9, reddish purple 3.1, and grey 4.5 for "nothing known".
 */
export const CHART_COLOURS = { dmPresent: '#009E73', heldOther: '#0072B2', cancelled: '#D55E00', notHeld: '#CC79A7', unrecorded: '#767676' } as const;

/** Bottom to top; "did not take place" only when some meeting did not, so the legend names nothing that is absent. */
export function chartSeries(bars: ChartBar[]): ChartSeries[] {
  const c = CHART_COLOURS;
  return [
    { legend: 'Held, decision maker present', color: c.dmPresent, pick: (b) => b.decisionMakerPresent },
    { legend: 'Held, no decision maker', color: c.heldOther, pick: (b) => b.held - b.decisionMakerPresent },
    { legend: 'Cancelled', color: c.cancelled, pick: (b) => b.cancelled },
    ...(bars.some((b) => b.notHeld) ? [{ legend: 'Did not take place', color: c.notHeld, pick: (b: ChartBar) => b.notHeld }] : []),
    { legend: 'Unrecorded', color: c.unrecorded, pick: (b) => b.unrecorded },
  ];
}

/**
 * A year of months fits its labels level, each on two lines ("Jan" over "2026"); more bars, or spans of months, stand
 * their labels upright so none overlaps. Either way the axis shows the labels chartBuckets made, never a date format.
 */
function xAxis(bars: ChartBar[]) {
  const level = bars.length <= 12 && bars.every((b) => b.first === b.last);
  return {
    title: null,
    labelAngle: level ? 0 : -90,
    ...(level ? { labelExpr: "split(datum.value, ' ')", labelLineHeight: 13 } : { labelAlign: 'right' as const, labelBaseline: 'top' as const }),
    labelFontSize: 11,
    labelLimit: 120,
    ticks: false,
  };
}

/**
 * The vega-lite spec of the review's stacked bar chart: whole meetings per month by outcome, months in words, a
 * y axis of whole numbers only, a legend above the bars, on white (Teams' dark theme would hide dark text on clear).
 */
export function chartSpec(months: MonthFigures[], subtitle: string): TopLevelSpec {
  const bars = chartBuckets(months);
  const series = chartSeries(bars);
  const values = bars.flatMap((b) => series.map((s, order) => ({ label: b.label, outcome: s.legend, order, meetings: s.pick(b) })));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: chartTitle(bars), subtitle, limit: CHART_WIDTH - 24, anchor: 'start', fontSize: 15, subtitleFontSize: 12, subtitleColor: '#444444', color: '#1a1a1a', offset: 10 },
    width: CHART_WIDTH,
    height: PLOT_HEIGHT,
    autosize: { type: 'fit-x', contains: 'padding' },
    padding: 12,
    background: '#ffffff',
    data: { values },
    mark: { type: 'bar', stroke: '#ffffff', strokeWidth: 0.75 },
    encoding: {
      x: { field: 'label', type: 'nominal', sort: bars.map((b) => b.label), axis: xAxis(bars), scale: { paddingInner: 0.2 } },
      y: {
        field: 'meetings',
        type: 'quantitative',
        stack: 'zero',
        // Meetings are whole: ticks at least one apart, printed as integers, so no gridline falls at 0.25 of one.
        axis: { title: 'Meetings', format: 'd', tickMinStep: 1, titleFontSize: 12, labelFontSize: 11, gridColor: '#dddddd', domain: false, ticks: false },
      },
      color: {
        field: 'outcome',
        type: 'nominal',
        scale: { domain: series.map((s) => s.legend), range: series.map((s) => s.color) },
        legend: { title: null, orient: 'top', direction: 'horizontal', columns: 2, labelFontSize: 12, symbolType: 'square', symbolSize: 140, labelLimit: 220, columnPadding: 16, rowPadding: 6 },
      },
      order: { field: 'order', type: 'quantitative' },
      tooltip: null,
    },
    config: { font: CHART_FONT, view: { stroke: null }, axis: { labelColor: '#333333', titleColor: '#333333' }, legend: { labelColor: '#1a1a1a' } },
  };
}

/** A Europe/London calendar date (YYYY-MM-DD) as people write it. */
const date = (ymd: string) => DateTime.fromISO(ymd, { zone: 'Europe/London' }).toFormat('d LLL yyyy');

/** The chart of a review: its months, under the scope and period it covers ("Hampshire …, 1 Jun 2025 to 31 May 2026"). */
export function reviewChartSpec(r: Review): TopLevelSpec {
  return chartSpec(r.months, `${cleanText(r.scope.label)}, ${date(localDate(r.from))} to ${date(lastIncludedDay(r.to, r.now))}`);
}
