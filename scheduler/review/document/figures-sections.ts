import { lastIncludedDay } from '../../domain/date-range.js';
import { localDate } from '../../domain/timetable.js';
import { CANCEL_REASONS } from '../../domain/types.js';
import { chartBuckets, chartSeries, chartTitle, spanLabel } from '../chart.js';
import type { Comparison, PanelReview, Review, ReviewFigures, TimetableKind } from '../review.js';
import type { Block, Column, Section } from './blocks.js';
import { count, dateWords, figureFacts, pct } from './words.js';

// The review's figures as sections: the headline and its comparisons, the chart and its months, the per-panel table,
// cancellations by reason. Every number is the review's own (review.ts), as `review --format json` prints it.

export const plain = (text: string) => [{ text, bold: false }];
export const para = (text: string, style?: 'lead' | 'subtle' | 'mono'): Block => ({ kind: 'paragraph', runs: plain(text), ...(style ? { style } : {}) });

/** "A decision maker was present at 8 of the 12 meetings due (67%)": recommendation 7's question, answered first. */
function headline(f: ReviewFigures): string {
  if (!f.due) return 'No meeting was due in this period, so there is no share of meetings due to show.';
  const held = f.held ? `; of the ${count(f.held)} held, ${pct(f.decisionMakerShareOfHeld)}` : '; none was held';
  return `A decision maker was present for the police at ${count(f.decisionMakerPresent)} of the ${count(f.due)} meetings due (${pct(f.decisionMakerShareOfDue)})${held}.`;
}

const reasonsOf = (f: ReviewFigures) => Object.entries(f.cancelledByReason).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));

/** "+12 points", "no change", or "" when either share is missing. */
function change(now: number | null, then: number | null): string {
  if (now === null || then === null) return '';
  const points = Math.round(now * 100) - Math.round(then * 100);
  return points === 0 ? 'no change' : `${points > 0 ? '+' : '-'}${Math.abs(points)} points`;
}

/** This period beside the previous one and the same period a year earlier, measure by measure. */
function comparisonTable(r: Review): Block {
  const periods: Array<[string, Comparison]> = [['This period', { from: r.from, to: r.to, total: r.total }]];
  if (r.previous) periods.push(['Previous period', r.previous]);
  if (r.lastYear) periods.push(['A year earlier', r.lastYear]);
  const measures: Array<[string, (c: Comparison) => string]> = [
    ['Period', (c) => `${dateWords(localDate(c.from))} to ${dateWords(lastIncludedDay(c.to, c === periods[0]![1] ? r.now : undefined))}`],
    ['Due', (c) => count(c.total.due)],
    ['Held', (c) => count(c.total.held)],
    ['Decision maker present', (c) => count(c.total.decisionMakerPresent)],
    ['Share of meetings due', (c) => pct(c.total.decisionMakerShareOfDue)],
    ['Change from then', (c) => (c === periods[0]![1] ? '' : change(r.total.decisionMakerShareOfDue, c.total.decisionMakerShareOfDue))],
    ['Share of meetings held', (c) => pct(c.total.decisionMakerShareOfHeld)],
    ['Months met', (c) => `${count(c.total.monthsMet)} of ${count(c.total.monthsDue)}`],
    ['Cancelled', (c) => count(c.total.cancelled)],
    ['Did not take place', (c) => count(c.total.notHeld)],
    ['Ended with nothing recorded', (c) => count(c.total.unrecorded)],
    ['Police absent', (c) => count(c.total.policeAbsent)],
  ];
  return {
    kind: 'table',
    columns: [{ title: 'Measure', weight: 2 }, ...periods.map(([title]) => ({ title, weight: 1.6, numeric: true }))],
    rows: measures.map(([name, cell]) => [name, ...periods.map(([, c]) => cell(c))]),
  };
}

/** The headline, the period's other figures, and the comparison with the previous period and a year earlier. */
export function headlineSection(r: Review): Section {
  return {
    title: 'Headline figures',
    blocks: [
      para(headline(r.total), 'lead'),
      { kind: 'facts', rows: [...figureFacts(r.total, r.panels.length > 1), ['Open flags', count(r.total.openFlags)]] },
      { kind: 'heading', text: 'Compared with the previous period and a year earlier' },
      comparisonTable(r),
    ],
  };
}

/** The chart as an image, then the same bars as a table, so the figures read where the image does not. */
export function chartSection(r: Review): Section {
  const bars = chartBuckets(r.months);
  const series = chartSeries(bars);
  const title = chartTitle(bars);
  const rows = bars.map((b) => [spanLabel(b.first, b.last), ...series.map((s) => count(s.pick(b))), count(b.held + b.cancelled + b.notHeld + b.unrecorded)]);
  const alt = `${title}, stacked by outcome: ${rows.map((row) => `${row[0]}: ${series.map((s, i) => `${row[i + 1]} ${s.legend.toLowerCase()}`).join(', ')}`).join('; ')}.`;
  const blocks: Block[] = rows.length
    ? [
      { kind: 'chart', alt },
      { kind: 'table', columns: [{ title: bars[0]!.first === bars[0]!.last ? 'Month' : 'Months', weight: 2 }, ...series.map((s) => ({ title: s.legend, weight: 1.2, numeric: true })), { title: 'All meetings', weight: 1, numeric: true }], rows },
    ]
    : [para('There were no months in this period to chart.')];
  return { title: 'Meetings month by month', blocks };
}

const MARKERS: Record<TimetableKind, string> = { guidance: '', 'below-guidance': ' (below the guidance timetable)', 'when-necessary': ' (when necessary)' };

/** The figure columns of the per-panel and per-force tables, in the order `figureCells` fills them. */
const FIGURE_COLUMNS: Column[] = [
  { title: 'Due', weight: 1, numeric: true },
  { title: 'Held', weight: 1, numeric: true },
  { title: 'Cancelled', weight: 1.15, numeric: true },
  { title: 'Did not take place', weight: 1, numeric: true },
  { title: 'Unrecorded', weight: 1.15, numeric: true },
  { title: 'Months met', weight: 1.3, numeric: true },
  { title: 'Decision maker present (of due)', weight: 1.6, numeric: true },
  { title: 'Of held', weight: 0.95, numeric: true },
  { title: 'Police absent', weight: 1, numeric: true },
  { title: 'Flags', weight: 0.85, numeric: true },
];

/** One row's figures, as the columns above name them. */
export function figureCells(f: ReviewFigures): string[] {
  return [
    count(f.due), count(f.held), count(f.cancelled), count(f.notHeld), count(f.unrecorded), `${count(f.monthsMet)} of ${count(f.monthsDue)}`,
    `${count(f.decisionMakerPresent)} (${pct(f.decisionMakerShareOfDue)})`, pct(f.decisionMakerShareOfHeld), count(f.policeAbsent), count(f.openFlags),
  ];
}

/** Panels by name, a joint panel's forces by name under it. */
const byName = (forceName: (id: string) => string) => (a: PanelReview, b: PanelReview) =>
  a.panelName.localeCompare(b.panelName) || forceName(a.forceId).localeCompare(forceName(b.forceId));

/** Every panel and force in scope with its figures, the total last; per force too when the scope has several. */
export function panelsSection(r: Review, forceName: (id: string) => string): Section {
  const many = r.forces.length > 1;
  const name = (p: PanelReview) => `${p.panelName}${MARKERS[p.timetable]}${p.invited ? ' (invited to some meetings)' : ''}`;
  const lead: Column[] = [{ title: 'Panel', weight: many ? 3 : 4 }, ...(many ? [{ title: 'Force', weight: 2.2 }] : [])];
  const rows = [...r.panels].sort(byName(forceName)).map((p) => [name(p), ...(many ? [forceName(p.forceId)] : []), ...figureCells(p.figures)]);
  const total = ['Total', ...(many ? [''] : []), ...figureCells(r.total)];
  const blocks: Block[] = [
    para('Counted per panel and force: a joint panel appears once for each force facing it. Due: planned by the timetable, plus extra meetings held. Decision maker present: as a share of meetings due, and of those held.', 'subtle'),
    r.panels.length ? { kind: 'table', columns: [...lead, ...FIGURE_COLUMNS], rows: [...rows, total], lastIsTotal: true } : para('No panels in this scope.'),
  ];
  if (many) {
    const forces = [...r.forces].sort((a, b) => forceName(a.forceId).localeCompare(forceName(b.forceId)));
    blocks.push(
      { kind: 'heading', text: 'Per force' },
      { kind: 'table', columns: [{ title: 'Force', weight: 4 }, ...FIGURE_COLUMNS], rows: [...forces.map((f) => [forceName(f.forceId), ...figureCells(f.figures)]), ['Total', ...figureCells(r.total)]], lastIsTotal: true },
    );
  }
  blocks.push(...areaBlocks(r, forceName));
  return { title: many ? 'Per panel and force' : 'Per panel', blocks };
}

/**
 * Each force's areas, then its panels in no area, with the force's total: every row counted exactly as the force's
 * figures are (the same meetings, months and flags, taken over the area's panels). Nothing for forces without areas.
 */
function areaBlocks(r: Review, forceName: (id: string) => string): Block[] {
  const rows = r.byArea ?? [];
  if (!rows.length) return [];
  const forces = [...new Set(rows.map((a) => a.forceId))].sort((a, b) => forceName(a).localeCompare(forceName(b)));
  const many = forces.length > 1;
  const table = forces.flatMap((f) => {
    const total = r.forces.find((x) => x.forceId === f)?.figures;
    const own = rows.filter((a) => a.forceId === f).map((a) => [a.name, ...(many ? [forceName(f)] : []), String(a.panels.length), ...figureCells(a.figures)]);
    return total && many ? [...own, [`All of ${forceName(f)}`, forceName(f), '', ...figureCells(total)]] : own;
  });
  const total = r.forces.length === 1 ? [['Total', '', ...figureCells(r.total)]] : [];
  return [
    { kind: 'heading', text: 'By area' },
    para('A big force hands its panels to areas, each with its own leads. Each area is its panels counted together exactly as the force is counted; "Not in an area" is the force\'s panels in none.', 'subtle'),
    {
      kind: 'table',
      columns: [{ title: 'Area', weight: 3 }, ...(many ? [{ title: 'Force', weight: 2.2 }] : []), { title: 'Panels', weight: 0.9, numeric: true }, ...FIGURE_COLUMNS],
      rows: [...table, ...total],
      ...(total.length ? { lastIsTotal: true } : {}),
    },
  ];
}

/** Cancellations by reason over the scope, then each panel's that had any. */
export function cancellationsSection(r: Review, forceName: (id: string) => string): Section {
  const f = r.total;
  const known = [...CANCEL_REASONS, 'no reason recorded'];
  const reasons = [...known.filter((k) => f.cancelledByReason[k]), ...Object.keys(f.cancelledByReason).filter((k) => !known.includes(k)).sort()];
  if (!f.cancelled) return { title: 'Cancellations by reason', blocks: [para(`No meeting was cancelled in this period. ${count(f.notHeld)} did not take place.`)] };
  const many = r.forces.length > 1;
  const panels = [...r.panels].filter((p) => p.figures.cancelled).sort(byName(forceName));
  return {
    title: 'Cancellations by reason',
    blocks: [
      { kind: 'table', columns: [{ title: 'Reason', weight: 3 }, { title: 'Meetings', weight: 1, numeric: true }], rows: [...reasons.map((k) => [k, count(f.cancelledByReason[k]!)]), ['Total', count(f.cancelled)]], lastIsTotal: true },
      para(`Besides these, ${count(f.notHeld)} ${f.notHeld === 1 ? 'meeting was' : 'meetings were'} recorded afterwards as not having taken place.`),
      { kind: 'heading', text: 'By panel' },
      {
        kind: 'table',
        columns: [{ title: 'Panel', weight: 3 }, ...(many ? [{ title: 'Force', weight: 2 }] : []), { title: 'Cancelled', weight: 1, numeric: true }, { title: 'Reasons', weight: 3 }],
        rows: panels.map((p) => [p.panelName, ...(many ? [forceName(p.forceId)] : []), count(p.figures.cancelled), reasonsOf(p.figures).map(([k, n]) => `${k}: ${count(n)}`).join('; ')]),
      },
    ],
  };
}
