import { DateTime } from 'luxon';
import { lastIncludedDay } from '../scheduler/domain/date-range.js';
import { FLAG_CODES, type Flag } from '../scheduler/domain/flags.js';
import { FLAG_WORDS } from '../scheduler/domain/flag-words.js';
import { figureFacts } from '../scheduler/review/document/words.js';
import { chartBuckets, chartTitle, spanLabel, type ChartBar } from '../scheduler/review/chart.js';
import type { AreaReview, Comparison, MonthFigures, PanelReview, Review, ReviewFigures, TimetableKind } from '../scheduler/review/review.js';
import { callout, card, facts, md, text, type CardElement } from './format.js';
import { table } from './table.js';
import { VERBS } from './verbs.js';
import type { PreviousSignoff } from '../scheduler/review/signoff.js';
import { previousActions } from './signoff-card.js';

export interface ReviewCardModel {
  review: Review;
  /** Force names by id, for the forces the review mentions (a force without a name here shows its id). */
  forceNames: Record<string, string>;
  /** Where the CSV export of exactly this review can be fetched (signed, short-lived); null outside a personal chat. */
  exportUrl: string | null;
  /** Where the chart of exactly this review can be fetched as PNG (signed and person-bound like the export, but lasting 30 days); absent outside a personal chat. */
  chartUrl?: string | null;
  /** Where this review's document can be downloaded, as PDF and as Word (signed, short-lived, person-bound like the CSV); absent outside a personal chat. */
  reportUrls?: { pdf: string; docx: string } | null;
  /** PROTECTIVE_MARKING, shown as a label at the top of the card. */
  marking?: string;
  /** The scope's last review sign-off with its actions' state today, shown under the flags; none for a panel's or a mixed scope. */
  previous?: PreviousSignoff | null;
  scopeChoices: Array<{ title: string; value: string }>;
  filterScope: string;
  months: number;
  page: number;
  notice?: string;
}

export const PANELS_PER_PAGE = 10;
/** Forces shown in the per-force table of a review of many; the rest are listed, a line each, behind a button. */
export const FORCES_SHOWN = 10;
/** The id of the rest of the forces' list, which a button shows and hides. */
const MORE_FORCES = 'moreForces';
const PERIODS = [3, 6, 12, 24, 36];
/** The id of the chart's figures in words, which a button shows and hides. */
const CHART_WORDS = 'chartInWords';
/** Places named for each kind of flag; the rest are counted. */
const FLAG_PLACES = 3;

const count = (n: number) => n.toLocaleString('en-GB');
const pct = (share: number | null) => (share === null ? 'n/a' : `${Math.round(share * 100)}%`);
const day = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone('Europe/London').toFormat('d LLL yyyy');
/** A Europe/London calendar date (YYYY-MM-DD) as people write it. */
const date = (ymd: string) => DateTime.fromISO(ymd, { zone: 'Europe/London' }).toFormat('d LLL yyyy');

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

/** The comparisons, then the rest of the period's figures as facts, each in words (as the review document lists them). */
function totals(r: Review): CardElement {
  const f = r.total;
  return facts([
    ...(r.previous ? [comparison('Previous period', r.previous, f.decisionMakerShareOfDue)] : []),
    ...(r.lastYear ? [comparison('A year earlier', r.lastYear, f.decisionMakerShareOfDue)] : []),
    ...figureFacts(f, r.panels.length > 1, md),
  ]);
}

type Series = { pick: (b: ChartBar) => number; words: (n: string) => string };

/** The figures of each bar in words, "did not take place" only when some meeting did not. */
function seriesOf(bars: ChartBar[]): Series[] {
  return [
    { pick: (b) => b.held, words: (n) => `${n} held` },
    { pick: (b) => b.cancelled, words: (n) => `${n} cancelled` },
    ...(bars.some((b) => b.notHeld) ? [{ pick: (b: ChartBar) => b.notHeld, words: (n: string) => `${n} did not take place` }] : []),
    { pick: (b) => b.unrecorded, words: (n) => `${n} unrecorded` },
    { pick: (b) => b.decisionMakerPresent, words: (n) => `decision maker present at ${n}` },
  ];
}

/** A bar's figures in words and whole numbers, its months named in full. */
const barWords = (b: ChartBar, series: Series[]): [string, string] => [spanLabel(b.first, b.last), series.map((s) => s.words(count(s.pick(b)))).join(', ')];

/**
 * The chart of whole meetings per month, as a PNG the bot draws when Teams fetches it (never inside the card, which
 * must stay under 28 KB), its figures in words for screen readers, and the same figures as a list a button shows:
 * so the card still reads where the image does not load (the link has expired, or images are blocked). Without a
 * link (outside a personal chat) the list is shown as it is.
 */
function chart(months: MonthFigures[], chartUrl: string | null): CardElement[] {
  const bars = chartBuckets(months);
  const series = seriesOf(bars);
  if (!bars.some((b) => series.some((s) => s.pick(b) > 0))) return [text('There were no meetings in this period to chart.', { isSubtle: true })];
  const title = chartTitle(bars);
  const list = facts(bars.map((b) => barWords(b, series)));
  if (!chartUrl) return [text(title, { weight: 'Bolder', spacing: 'Medium' }), list];
  const alt = `${title}, stacked by outcome: ${bars.map((b) => barWords(b, series).join(': ')).join('; ')}.`;
  return [
    { type: 'Image', url: chartUrl, altText: alt, size: 'Stretch', spacing: 'Medium', msTeams: { allowExpand: true } },
    { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: `Show ${title.toLowerCase()} in words`, targetElements: [CHART_WORDS] }] },
    { type: 'Container', id: CHART_WORDS, isVisible: false, items: [list] },
  ];
}

const MARKERS: Record<TimetableKind, string> = { guidance: '', 'below-guidance': ' (below the guidance timetable)', 'when-necessary': ' (when necessary)' };

/** A panel (and its force, when the review has several) as people read it, with its timetable and invitation in words. */
function panelCell(p: PanelReview, forceName: (id: string) => string, manyForces: boolean): string {
  return `${md(p.panelName)}${MARKERS[p.timetable]}${p.invited ? ' (invited)' : ''}${manyForces ? `\n${md(forceName(p.forceId))}` : ''}`;
}

/** Weakest share of due first, nothing due last. */
const weakestFirst = (a: ReviewFigures, b: ReviewFigures) => (a.decisionMakerShareOfDue ?? 2) - (b.decisionMakerShareOfDue ?? 2);
const figureRow = (name: string, f: ReviewFigures) => [name, count(f.due), count(f.held), count(f.unrecorded), `${count(f.decisionMakerPresent)} (${pct(f.decisionMakerShareOfDue)})`, count(f.openFlags)];
const FIGURE_HEADERS = ['Due', 'Held', 'Unrecorded', 'Decision maker (of due)', 'Flags'];
const FIGURE_WIDTHS = [2, 2, 4, 3, 2];

/**
 * A force's review by area: one row per area, then its panels in no area, each summed as the force's figures are.
 * Shown for one force's review; a review of several forces has the per-force table instead (the JSON and the
 * document have every force's areas).
 */
function areaTable(r: Review): CardElement[] {
  const rows = r.byArea ?? [];
  if (!rows.length || new Set(rows.map((a) => a.forceId)).size > 1) return [];
  const name = (a: AreaReview) => (a.areaId ? md(a.name) : `_${md(a.name)}_`);
  return [
    text(`By area (${count(rows.filter((a) => a.areaId).length)})`, { weight: 'Bolder', spacing: 'Medium' }),
    table(['Area', ...FIGURE_HEADERS], rows.map((a) => figureRow(`${name(a)} (${count(a.panels.length)} panel${a.panels.length === 1 ? '' : 's'})`, a.figures)), [5, ...FIGURE_WIDTHS]),
  ];
}

/**
 * A review of several forces, per force, weakest share of due first: the first FORCES_SHOWN as facts, the rest behind
 * a button. Facts, not a table: a force's fact costs some 100 bytes where a table row costs 700, so a national review
 * of 43 forces stays inside a card's 28 KB beside its page of panels.
 */
function forceTable(r: Review, forceName: (id: string) => string): CardElement[] {
  const present = new Set(r.panels.map((p) => p.forceId));
  if (present.size < 2) return [];
  const sorted = r.forces.filter((f) => present.has(f.forceId)).sort((a, b) => weakestFirst(a.figures, b.figures) || forceName(a.forceId).localeCompare(forceName(b.forceId)));
  const fact = ({ forceId, figures: f }: (typeof sorted)[number]): [string, string] => [
    md(forceName(forceId)),
    `${count(f.decisionMakerPresent)} of ${count(f.due)} due (${pct(f.decisionMakerShareOfDue)}), ${count(f.held)} held, ${count(f.unrecorded)} unrecorded, ${count(f.openFlags)} flags`,
  ];
  const rest = sorted.slice(FORCES_SHOWN);
  return [
    text(`Per force (${count(sorted.length)}), weakest share of due first: decision maker present of meetings due`, { weight: 'Bolder', spacing: 'Medium' }),
    facts(sorted.slice(0, FORCES_SHOWN).map(fact)),
    ...(rest.length
      ? [
        { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: `Show the other ${count(rest.length)} forces`, targetElements: [MORE_FORCES] }] },
        { type: 'Container', id: MORE_FORCES, isVisible: false, items: [facts(rest.map(fact))] },
      ]
      : []),
  ];
}

/** One page of the per-panel table, weakest share of due first (nothing due last). */
function panelTable(r: Review, page: number, forceName: (id: string) => string): CardElement[] {
  const many = new Set(r.panels.map((p) => p.forceId)).size > 1;
  const sorted = [...r.panels].sort(
    (a, b) =>
      weakestFirst(a.figures, b.figures) ||
      a.panelName.localeCompare(b.panelName) ||
      forceName(a.forceId).localeCompare(forceName(b.forceId)),
  );
  const shown = sorted.slice(page * PANELS_PER_PAGE, (page + 1) * PANELS_PER_PAGE);
  const rows = shown.map((p) => figureRow(panelCell(p, forceName, many), p.figures));
  const pages = Math.ceil(sorted.length / PANELS_PER_PAGE);
  return [
    text(`Per panel${many ? ' and force' : ''} (${sorted.length}), weakest share of due first${pages > 1 ? `: page ${page + 1} of ${pages}` : ''}`, { weight: 'Bolder', spacing: 'Medium' }),
    rows.length
      ? table([many ? 'Panel, force' : 'Panel', ...FIGURE_HEADERS], rows, [5, ...FIGURE_WIDTHS])
      : text('No panels in this scope.'),
  ];
}

/** Every flag kind that occurs, in plain words: its title, how many, and the panels (and forces) it is about. */
function flagList(r: Review, forceName: (id: string) => string): CardElement[] {
  if (!r.flags.length) return [text('No flags in this period.', { spacing: 'Medium' })];
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
    { type: 'Input.ChoiceSet', id: 'filterScope', label: 'Force, area or panel', value: m.filterScope || 'all', choices: m.scopeChoices },
    { type: 'Input.ChoiceSet', id: 'filterMonths', label: 'Period', value: String(m.months), choices: months.map((n) => ({ title: `Last ${n} months`, value: String(n) })) },
    {
      type: 'ActionSet',
      actions: [
        go('Update', 0),
        ...(m.page > 0 ? [go('Previous panels', m.page - 1)] : []),
        ...(m.page + 1 < pages ? [go('Next panels', m.page + 1)] : []),
      ],
    },
    ...downloads(m),
  ];
}

/** The report (PDF or Word) beside the CSV, in a row of their own so the paging buttons never spill into a menu. */
function downloads(m: ReviewCardModel): CardElement[] {
  const open = (title: string, url: string) => ({ type: 'Action.OpenUrl', title, url });
  const actions = [
    ...(m.reportUrls ? [open('Download report (PDF)', m.reportUrls.pdf), open('Download report (Word)', m.reportUrls.docx)] : []),
    ...(m.exportUrl ? [open('Download CSV', m.exportUrl)] : []),
  ];
  return actions.length ? [{ type: 'ActionSet', spacing: 'Small', actions }] : [];
}

/** The links' small print: who they work for and how long, and that they never hold anything about a referred person. */
function linkNote(m: ReviewCardModel): string {
  if (!m.exportUrl) return 'The CSV export and report links are personal, so I give them only in our personal chat: type `review` there.';
  const what = m.reportUrls ? 'The report and CSV links work' : 'The CSV link works';
  return `${what} for 15 minutes and only for you. They hold panel, meeting and attendee facts only: never anything about a referred person.`;
}

/** The recommendation 7 review card: the headline, totals, a monthly chart, a page of panels, flags, filters and the export link. */
export function reviewCard(m: ReviewCardModel): Record<string, unknown> {
  const r = m.review;
  const forceName = (id: string) => m.forceNames[id] ?? id;
  return card([
    ...(m.marking ? [text(md(m.marking), { weight: 'Bolder', size: 'Small', horizontalAlignment: 'Center', spacing: 'None' })] : []),
    text(`Recommendation 7 review: ${md(r.scope.label)}`, { weight: 'Bolder', size: 'Medium' }),
    text(`Meetings from ${day(r.from)} up to ${date(lastIncludedDay(r.to, r.now))}, as recorded by ${day(r.now)}.`, { isSubtle: true, spacing: 'None' }),
    ...(m.notice ? [callout('attention', md(m.notice))] : []),
    headline(r.total),
    totals(r),
    ...chart(r.months, m.chartUrl ?? null),
    ...areaTable(r),
    ...forceTable(r, forceName),
    ...panelTable(r, m.page, forceName),
    ...flagList(r, forceName),
    ...(m.previous ? previousActions(m.previous, false) : []),
    ...controls(m, r.panels.length),
    text(linkNote(m), { size: 'Small', isSubtle: true }),
  ]);
}
