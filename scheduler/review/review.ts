import { DateTime } from 'luxon';
import { attended, decisionMakerPresent as dmPresent } from '../domain/attendance-rules.js';
import { lastIncludedDay } from '../domain/date-range.js';
import { computeFlags, forcesOf, judgedMonths, type Flag, type FlagMeeting } from '../domain/flags.js';
import { groupBy } from '../domain/group.js';
import { monthFate, monthOf, monthsBetween } from '../domain/months.js';
import { timetableClass } from '../domain/timetable-class.js';
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

export const NOT_IN_AN_AREA = 'Not in an area';

/** How an area is named wherever it is shown: "North London (Metropolitan Police Service)". */
export const areaLabel = (areaName: string, forceName: string): string => `${areaName} (${forceName})`;

/**
 * The review's counts for one panel and force (a joint panel's meeting counts once for each force facing it),
 * or summed over several. Every meeting that counts is exactly one of held, cancelled, notHeld or unrecorded.
 */
export interface ReviewFigures {
  /** Meetings of the period that have ended (or were cancelled) by now, where the force was expected. */
  meetings: number;
  /** Planned by the timetable in the period, plus extra meetings that were held. */
  due: number;
  /** Recorded as held (by the chair, an import or the Teams meeting). */
  held: number;
  cancelled: number;
  cancelledByReason: Record<string, number>;
  /** Recorded afterwards as not having taken place. */
  notHeld: number;
  /** Ended with nothing recorded: not evidence either way, so never counted as held. */
  unrecorded: number;
  extra: number;
  moved: number;
  /** Calendar months of the period (ended, from the panel's first) the guidance expects a meeting in, and those met. */
  monthsDue: number;
  monthsMet: number;
  /** Held meetings where the force has no record of its own. */
  attendanceUnrecorded: number;
  /** Held meetings where someone present for the force was answered a decision maker (and the force did not dispute it). */
  decisionMakerPresent: number;
  /** decisionMakerPresent / due: the headline; null when nothing was due. */
  decisionMakerShareOfDue: number | null;
  /** decisionMakerPresent / held, shown beside it; null when nothing was held. */
  decisionMakerShareOfHeld: number | null;
  /** Held meetings the force did not attend (apologies or none). */
  policeAbsent: number;
  distinctAttendees: number;
  /** Median days between the (latest) nomination and the meeting's start; null without nominations. */
  medianNominationDays: number | null;
  openFlags: number;
  flagsByCode: Record<string, number>;
}

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

export interface ReviewInput {
  scope: ReviewScope;
  panels: Panel[];
  /** The period's meetings; a review with comparisons may be given earlier ones too (they are filtered by period). */
  meetings: FlagMeeting[];
  from: string;
  to: string;
  now: string;
  /** The areas of the forces in scope: the review's table by area, and each export row's area. None when absent. */
  areas?: ReviewArea[];
  /** False for a review narrowed to one area or panel, which has no table by area (its one row would be the total). */
  byArea?: boolean;
}

/** One panel and force's share of the review: its meetings that count and the flags that are about it. */
export interface PanelSlice {
  panel: Panel;
  forceId: string;
  invited: boolean;
  meetings: FlagMeeting[];
  /** The panel's judged months and which were met; empty for an invited force. */
  months: Array<{ month: string; met: boolean }>;
  flags: Flag[];
}

const DAY_MS = 86_400_000;

/** A meeting counts once it has ended. */
const counts = (m: FlagMeeting, now: string) => m.end <= now;

export type Outcome = 'held' | 'cancelled' | 'not-held' | 'unrecorded';

/** What became of a meeting that counts: only a record makes a meeting held. */
export const outcome = (m: Meeting): Outcome => (m.status === 'scheduled' ? 'unrecorded' : m.status);

/** Planned from a timetable, even if the panel has since gone when-necessary: its past meetings were still due. */
export const timetabled = (m: Meeting): boolean => m.occurrence !== null && !m.extra;

/** Due: planned by the timetable, or an extra meeting that was held. */
export const isDue = (m: Meeting): boolean => timetabled(m) || (m.extra && m.status === 'held');

const inPeriod = (m: Meeting, from: string, to: string) => m.start >= from && m.start < to;

/** Splits the period's meetings into panel-and-force slices the scope covers, each with its months and flags. */
export function slices(input: ReviewInput): PanelSlice[] {
  const { scope, from, to, now } = input;
  const byPanel = groupBy(input.meetings.filter((m) => m.start < to), (m) => m.panelId);
  return input.panels.flatMap((panel) => {
    const all = byPanel.get(panel.id) ?? [];
    const loaded = all.filter((m) => inPeriod(m, from, to));
    const flags = computeFlags(panel, all, now, undefined, { from, to });
    const months = panelMonths(panel, all, now, from, to);
    const expected = [...new Set([...panel.forces, ...loaded.flatMap((m) => m.invited)])];
    return expected
      .filter((f) => (!scope.forces || scope.forces.includes(f)) && (!scope.forcePanels?.[f] || scope.forcePanels[f]!.includes(panel.id)))
      .map((forceId) => {
        const invited = !panel.forces.includes(forceId);
        return {
          panel, forceId, invited,
          meetings: loaded.filter((m) => counts(m, now) && forcesOf(panel, m).includes(forceId)),
          months: invited ? [] : months,
          flags: flags.filter((f) => (f.forceId ? f.forceId === forceId : !invited)),
        };
      })
      .filter((s) => !s.invited || s.meetings.length > 0);
  });
}

function panelMonths(panel: Panel, loaded: FlagMeeting[], now: string, from: string, to: string) {
  const byMonth = groupBy(loaded, monthOf);
  return judgedMonths(panel, loaded, now, { from, to }).map((month) => ({ month, met: monthFate(byMonth.get(month) ?? []) === 'met' }));
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const v = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return Math.round(v * 10) / 10;
}

const bump = (rec: Record<string, number>, key: string) => void (rec[key] = (rec[key] ?? 0) + 1);
const share = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 1000 : null);

const empty = (): ReviewFigures => ({
  meetings: 0, due: 0, held: 0, cancelled: 0, cancelledByReason: {}, notHeld: 0, unrecorded: 0, extra: 0, moved: 0, monthsDue: 0, monthsMet: 0,
  attendanceUnrecorded: 0, decisionMakerPresent: 0, decisionMakerShareOfDue: null, decisionMakerShareOfHeld: null, policeAbsent: 0,
  distinctAttendees: 0, medianNominationDays: null, openFlags: 0, flagsByCode: {},
});

/** Adds one meeting, as one force saw it, to the figures. */
function addMeeting(f: ReviewFigures, m: FlagMeeting, forceId: string, people: Set<string>, lags: number[]): void {
  const what = outcome(m);
  f.meetings++;
  if (isDue(m)) f.due++;
  if (m.extra) f.extra++;
  if (m.moved) f.moved++;
  if (what === 'held') f.held++;
  else if (what === 'unrecorded') f.unrecorded++;
  else if (what === 'not-held') f.notHeld++;
  else {
    f.cancelled++;
    bump(f.cancelledByReason, m.cancelReason ?? 'no reason recorded');
  }
  const record = m.attendance.find((a) => a.forceId === forceId);
  if (what === 'held') {
    if (!record) f.attendanceUnrecorded++;
    else if (!attended(record)) f.policeAbsent++;
    if (dmPresent(record)) f.decisionMakerPresent++;
  }
  if (record && attended(record)) record.attendees.forEach((p) => people.add(p.aadObjectId ?? `name:${p.name}`));
  m.nominations.filter((n) => n.forceId === forceId).forEach((n) => lags.push((Date.parse(m.start) - Date.parse(n.nominatedAt)) / DAY_MS));
}

/** The figures for a set of slices taken together; flags are counted once each, however many slices share them. */
export function figures(parts: PanelSlice[]): ReviewFigures {
  const f = empty();
  const people = new Set<string>();
  const lags: number[] = [];
  const flags = new Set<Flag>();
  for (const s of parts) {
    for (const m of s.meetings) addMeeting(f, m, s.forceId, people, lags);
    f.monthsDue += s.months.length;
    f.monthsMet += s.months.filter((x) => x.met).length;
    s.flags.forEach((x) => flags.add(x));
  }
  f.decisionMakerShareOfDue = share(f.decisionMakerPresent, f.due);
  f.decisionMakerShareOfHeld = share(f.decisionMakerPresent, f.held);
  f.distinctAttendees = people.size;
  f.medianNominationDays = median(lags);
  f.openFlags = flags.size;
  flags.forEach((x) => bump(f.flagsByCode, x.code));
  return f;
}

/** Meetings per month (each meeting once), for the chart; decision maker present when every force in scope had one. */
function monthly(parts: PanelSlice[], input: ReviewInput): MonthFigures[] {
  const end = lastIncludedDay(input.to, input.now).slice(0, 7);
  const rows = new Map(monthsBetween(monthOf({ start: input.from }), end).map((m) => [m, { month: m, held: 0, cancelled: 0, notHeld: 0, unrecorded: 0, decisionMakerPresent: 0 }]));
  const forcesAt = new Map<FlagMeeting, string[]>();
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
  const parts = slices(input);
  const forces = [...new Set(parts.map((p) => p.forceId))].sort();
  return {
    scope: input.scope,
    from: input.from,
    to: input.to,
    now: input.now,
    panels: parts.map((p) => {
      const kind = timetableClass(p.panel.timetable);
      return { panelId: p.panel.id, panelName: p.panel.name, localAuthority: p.panel.localAuthority, forceId: p.forceId, invited: p.invited, timetable: kind, whenNecessary: kind === 'when-necessary', figures: figures([p]) };
    }),
    forces: forces.map((forceId) => ({ forceId, figures: figures(parts.filter((p) => p.forceId === forceId)) })),
    byArea: input.byArea === false ? [] : forces.flatMap((forceId) => areaRows(parts.filter((p) => p.forceId === forceId), (input.areas ?? []).filter((a) => a.forceId === forceId && !input.scope.forcePanels?.[forceId]))),
    total: figures(parts),
    months: monthly(parts, input),
    flags: [...new Set(parts.flatMap((p) => p.flags))],
    previous: comparisons ? compare(input, previousPeriod(input.from, input.to)) : null,
    lastYear: comparisons ? compare(input, yearEarlier(input.from, input.to)) : null,
  };
}

/**
 * A force's slices by area: each area's panels taken together with `figures`, exactly as the force's own figures are
 * counted, then the slices in no area (when there are any). Nothing for a force without areas.
 */
function areaRows(parts: PanelSlice[], areas: ReviewArea[]): AreaReview[] {
  if (!areas.length || !parts.length) return [];
  const forceId = parts[0]!.forceId;
  const row = (areaId: string | null, name: string, of: PanelSlice[]): AreaReview => ({ forceId, areaId, name, panels: [...new Set(of.map((s) => s.panel.id))], figures: figures(of) });
  const rows = areas.map((a) => row(a.id, a.name, parts.filter((s) => a.panels.includes(s.panel.id)))).filter((r) => r.panels.length);
  const rest = parts.filter((s) => !areas.some((a) => a.panels.includes(s.panel.id)));
  return rest.length ? [...rows, row(null, NOT_IN_AN_AREA, rest)] : rows;
}

function compare(input: ReviewInput, period: { from: string; to: string }): Comparison {
  return { ...period, total: computeReview({ ...input, ...period, areas: [] }, false).total };
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
