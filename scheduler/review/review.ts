import { DateTime } from 'luxon';
import { decisionMakerPresent as dmPresent } from '../domain/attendance-rules.js';
import { lastIncludedDay } from '../domain/date-range.js';
import { computeFlags, judgedMonths, meetingFlagsKept, type Flag, type FlagFacts, type MeetingFlagsKept } from '../domain/flags.js';
import { groupBy } from '../domain/group.js';
import { monthFate, monthOf, monthsBetween } from '../domain/months.js';
import { timetableClass } from '../domain/timetable-class.js';
import { figures, outcome, tallied, tallies, type PanelSlice, type ReviewFigures } from './review-figures.js';
import type { Meeting, Panel } from '../domain/types.js';

/** Which meetings and forces a review covers: null means every one. */
export interface ReviewScope {
  forces: string[] | null;
  panels: string[] | null;
  /** How people see the scope: "all forces", "Hampshire and Isle of Wight Constabulary", "Southampton Channel panel". */
  label: string;
  /**
   * Forces seen only in part, by id: only these of their panels count (an area team's scope). A force absent here
   * counts on every panel in `panels`. Absent when no force is seen in part.
   */
  forcePanels?: Record<string, string[]>;
  /** The area asked for (`review <area-id>`): a force's part, with no sign-off of its own. */
  areaId?: string;
}

/** An area of a force, as a review groups the force's panels by it. */
export interface ReviewArea {
  id: string;
  name: string;
  forceId: string;
  panels: string[];
}

/** One row of a force's table by area: an area's panels, or (areaId null) the force's panels in no area. */
export interface AreaReview {
  forceId: string;
  areaId: string | null;
  /** The area's name, or "Not in an area". */
  name: string;
  /** The panels whose figures are summed here (invited ones too, for the row of panels in no area). */
  panels: string[];
  figures: ReviewFigures;
}

export { figures, isDue, outcome, timetabled, type Outcome, type PanelSlice, type ReviewFigures } from './review-figures.js';

export const NOT_IN_AN_AREA = 'Not in an area';

/** How an area is named wherever it is shown: "North London (Metropolitan Police Service)". */
export const areaLabel = (areaName: string, forceName: string): string => `${areaName} (${forceName})`;

export type TimetableKind = 'guidance' | 'below-guidance' | 'when-necessary';

/** One panel and one force facing it (or invited to some of its meetings). */
export interface PanelReview {
  panelId: string;
  panelName: string;
  localAuthority: string;
  forceId: string;
  /** Invited to some of the panel's meetings only: it is judged on those alone, never on the panel's months. */
  invited: boolean;
  timetable: TimetableKind;
  whenNecessary: boolean;
  figures: ReviewFigures;
}

export interface MonthFigures {
  month: string; // YYYY-MM, Europe/London
  held: number;
  cancelled: number;
  notHeld: number;
  unrecorded: number;
  decisionMakerPresent: number;
}

/** The same figures for another period, to compare with. */
export interface Comparison {
  from: string;
  to: string;
  total: ReviewFigures;
}

export interface Review {
  scope: ReviewScope;
  from: string;
  to: string;
  now: string;
  panels: PanelReview[];
  /** Per force, over its panels. */
  forces: Array<{ forceId: string; figures: ReviewFigures }>;
  /**
   * Per area of each force the review covers whole that has areas, counted as the force's figures are (computeReview
   * always gives it, empty when no such force; a review built by hand may leave it out).
   */
  byArea?: AreaReview[];
  total: ReviewFigures;
  months: MonthFigures[];
  /** Every flag the scope may see in the period, once each. */
  flags: Flag[];
  previous: Comparison | null;
  lastYear: Comparison | null;
}

/** What a review is computed from; the CSV export's rows need its meetings' records whole (M = FlagMeeting). */
export interface ReviewInput<M extends FlagFacts = FlagFacts> {
  scope: ReviewScope;
  panels: Panel[];
  /** The period's meetings; a review with comparisons may be given earlier ones too (they are filtered by period). */
  meetings: M[];
  from: string;
  to: string;
  now: string;
  /** The areas of the forces in scope: the review's table by area, and each export row's area. None when absent. */
  areas?: ReviewArea[];
  /** False for a review narrowed to one area or panel, which has no table by area (its one row would be the total). */
  byArea?: boolean;
}

/** A meeting counts once it has ended. */
const counts = (m: FlagFacts, now: string) => m.end <= now;

const inPeriod = (m: Pick<Meeting, 'start'>, from: string, to: string) => m.start >= from && m.start < to;

/**
 * Splits the period's meetings into panel-and-force slices the scope covers, each with its months and flags. `kept`
 * carries each meeting's own flags between the periods of one review (the same `now`).
 */
export function slices<M extends FlagFacts>(input: ReviewInput<M>, kept?: MeetingFlagsKept): Array<PanelSlice<M>> {
  const { scope, from, to, now } = input;
  const byPanel = groupBy(input.meetings.filter((m) => m.start < to), (m) => m.panelId);
  return input.panels.flatMap((panel) => {
    const all = byPanel.get(panel.id) ?? [];
    const loaded = all.filter((m) => inPeriod(m, from, to));
    const flags = computeFlags(panel, all, now, undefined, { from, to }, kept);
    const months = panelMonths(panel, all, now, from, to);
    const expected = [...new Set([...panel.forces, ...loaded.flatMap((m) => m.invited)])];
    return expected
      .filter((f) => (!scope.forces || scope.forces.includes(f)) && (!scope.forcePanels?.[f] || scope.forcePanels[f]!.includes(panel.id)))
      .map((forceId) => {
        const invited = !panel.forces.includes(forceId);
        return {
          panel, forceId, invited,
          // The same test as forcesOf(panel, m).includes(forceId), without building the list for every meeting.
          meetings: loaded.filter((m) => counts(m, now) && (!invited || m.invited.includes(forceId))),
          months: invited ? [] : months,
          flags: flags.filter((f) => (f.forceId ? f.forceId === forceId : !invited)),
        };
      })
      .filter((s) => !s.invited || s.meetings.length > 0);
  });
}

function panelMonths(panel: Panel, loaded: FlagFacts[], now: string, from: string, to: string) {
  const byMonth = groupBy(loaded, monthOf);
  return judgedMonths(panel, loaded, now, { from, to }).map((month) => ({ month, met: monthFate(byMonth.get(month) ?? []) === 'met' }));
}

/** Meetings per month (each meeting once), for the chart; decision maker present when every force in scope had one. */
function monthly(parts: PanelSlice[], input: ReviewInput): MonthFigures[] {
  const end = lastIncludedDay(input.to, input.now).slice(0, 7);
  const rows = new Map(monthsBetween(monthOf({ start: input.from }), end).map((m) => [m, { month: m, held: 0, cancelled: 0, notHeld: 0, unrecorded: 0, decisionMakerPresent: 0 }]));
  const forcesAt = new Map<FlagFacts, string[]>();
  for (const s of parts) for (const m of s.meetings) forcesAt.set(m, [...(forcesAt.get(m) ?? []), s.forceId]);
  for (const [m, forces] of forcesAt) {
    const row = rows.get(monthOf(m));
    if (!row) continue;
    const what = outcome(m);
    if (what === 'held') row.held++;
    else if (what === 'cancelled') row.cancelled++;
    else if (what === 'not-held') row.notHeld++;
    else row.unrecorded++;
    if (what === 'held' && forces.every((f) => dmPresent(m.attendance.find((a) => a.forceId === f)))) row.decisionMakerPresent++;
  }
  return [...rows.values()];
}

/** The recommendation 7 review for the input's period, with the previous period and the same period a year before. */
export function computeReview(input: ReviewInput, comparisons = true): Review {
  const kept = meetingFlagsKept(input.now);
  const parts = slices(input, kept);
  const sum = tallied(tallies());
  const forces = [...new Set(parts.map((p) => p.forceId))].sort();
  return {
    scope: input.scope,
    from: input.from,
    to: input.to,
    now: input.now,
    panels: parts.map((p) => {
      const kind = timetableClass(p.panel.timetable);
      return { panelId: p.panel.id, panelName: p.panel.name, localAuthority: p.panel.localAuthority, forceId: p.forceId, invited: p.invited, timetable: kind, whenNecessary: kind === 'when-necessary', figures: sum([p]) };
    }),
    forces: forces.map((forceId) => ({ forceId, figures: sum(parts.filter((p) => p.forceId === forceId)) })),
    byArea: input.byArea === false ? [] : forces.flatMap((forceId) => areaRows(parts.filter((p) => p.forceId === forceId), (input.areas ?? []).filter((a) => a.forceId === forceId && !input.scope.forcePanels?.[forceId]), sum)),
    total: sum(parts),
    months: monthly(parts, input),
    flags: [...new Set(parts.flatMap((p) => p.flags))],
    ...(comparisons ? comparisonsOf(input, kept) : { previous: null, lastYear: null }),
  };
}

/** The previous period and the same period a year before: whole years (a financial year) are one period, counted once. */
function comparisonsOf(input: ReviewInput, kept: MeetingFlagsKept): { previous: Comparison; lastYear: Comparison } {
  const [before, back] = [previousPeriod(input.from, input.to), yearEarlier(input.from, input.to)];
  const previous = compare(input, before, kept);
  return { previous, lastYear: before.from === back.from && before.to === back.to ? structuredClone(previous) : compare(input, back, kept) };
}

/**
 * A force's slices by area: each area's panels taken together with `figures`, exactly as the force's own figures are
 * counted, then the slices in no area (when there are any). Nothing for a force without areas.
 */
function areaRows(parts: PanelSlice[], areas: ReviewArea[], sum: (parts: PanelSlice[]) => ReviewFigures): AreaReview[] {
  if (!areas.length || !parts.length) return [];
  const forceId = parts[0]!.forceId;
  const row = (areaId: string | null, name: string, of: PanelSlice[]): AreaReview => ({ forceId, areaId, name, panels: [...new Set(of.map((s) => s.panel.id))], figures: sum(of) });
  const rows = areas.map((a) => row(a.id, a.name, parts.filter((s) => a.panels.includes(s.panel.id)))).filter((r) => r.panels.length);
  const rest = parts.filter((s) => !areas.some((a) => a.panels.includes(s.panel.id)));
  return rest.length ? [...rows, row(null, NOT_IN_AN_AREA, rest)] : rows;
}

function compare(input: ReviewInput, period: { from: string; to: string }, kept: MeetingFlagsKept): Comparison {
  // Only the total is compared: the slices' other tables would be thrown away.
  return { ...period, total: figures(slices({ ...input, ...period, areas: [] }, kept)) };
}

/**
 * The period of the same length that ends where this one starts: whole calendar months when the period is whole
 * months (a quarter's previous period is the quarter before), else the same span of time (from the start of its
 * first day when the period starts at midnight).
 */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
  const [a, b] = [from, to].map((x) => DateTime.fromISO(x, { zone: 'utc' }).setZone('Europe/London'));
  const whole = (d: DateTime) => d.day === 1 && d.hour === 0 && d.minute === 0 && d.second === 0 && d.millisecond === 0;
  if (whole(a!) && whole(b!)) {
    const months = Math.round(b!.diff(a!, 'months').months);
    return { from: a!.minus({ months }).toUTC().toISO()!, to: from };
  }
  const back = DateTime.fromMillis(2 * a!.toMillis() - b!.toMillis(), { zone: 'Europe/London' });
  // A period that starts at midnight (the last 12 months) is compared with one that starts at midnight too.
  const start = a!.equals(a!.startOf('day')) ? back.startOf('day') : back;
  return { from: start.toUTC().toISO()!, to: from };
}

/** The same period a year earlier, by the Europe/London calendar (29 February falls back to the 28th). */
export function yearEarlier(from: string, to: string): { from: string; to: string } {
  const back = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone('Europe/London').minus({ years: 1 }).toUTC().toISO()!;
  return { from: back(from), to: back(to) };
}

/** Where a review's meetings must be loaded from so its comparisons can be computed too. */
export function loadFrom(from: string, to: string): string {
  const [a, b] = [previousPeriod(from, to).from, yearEarlier(from, to).from];
  return a < b ? a : b;
}
