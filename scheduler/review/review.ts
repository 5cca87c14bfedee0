import { attended, decisionMakerPresent as dmPresent } from '../domain/attendance-rules.js';
import { lastIncludedDay } from '../domain/date-range.js';
import { computeFlags, nextMonth, type Flag, type FlagMeeting } from '../domain/flags.js';
import { groupBy } from '../domain/group.js';
import { localDate } from '../domain/timetable.js';
import type { Meeting, Panel } from '../domain/types.js';

/** Which meetings and forces a review covers: null means every one. */
export interface ReviewScope {
  forces: string[] | null;
  panels: string[] | null;
  /** How people see the scope: "all forces", "Hampshire and Isle of Wight Constabulary", "Southampton Channel panel". */
  label: string;
}

/**
 * The review's counts. Every meeting that counts is exactly one of held, cancelled, notHeld or unrecorded,
 * so those four add up to `meetings`.
 */
export interface ReviewFigures {
  /** Meetings of the period that have ended (or were cancelled) by now. */
  meetings: number;
  /** Meetings planned from a timetable (not extra ones), whatever the panel's timetable is now. */
  due: number;
  /** Meetings whose attendance the chair recorded (recording it marks the meeting held). */
  held: number;
  cancelled: number;
  cancelledByReason: Record<string, number>;
  notHeld: number;
  /** Ended meetings nobody has recorded: not evidence either way, so never counted as held. */
  unrecorded: number;
  extra: number;
  moved: number;
  /** Held meetings where at least one force in scope has no attendance record of its own. */
  attendanceUnrecorded: number;
  /** Held meetings where every force in scope had a confirmed decision maker present. */
  decisionMakerPresent: number;
  /** decisionMakerPresent / held; null when nothing was held. */
  decisionMakerShare: number | null;
  distinctAttendees: number;
  /** Median days between the (latest) nomination and the meeting's start; null without nominations. */
  medianNominationDays: number | null;
  openFlags: number;
  flagsByCode: Record<string, number>;
}

export interface PanelReview {
  panelId: string;
  panelName: string;
  localAuthority: string;
  /** The forces facing the panel that are in scope. */
  forces: string[];
  whenNecessary: boolean;
  figures: ReviewFigures;
}

export interface MonthFigures {
  month: string; // YYYY-MM, Europe/London
  held: number;
  cancelled: number;
  decisionMakerPresent: number;
}

export interface Review {
  scope: ReviewScope;
  from: string;
  to: string;
  now: string;
  panels: PanelReview[];
  total: ReviewFigures;
  months: MonthFigures[];
}

export interface ReviewInput {
  scope: ReviewScope;
  panels: Panel[];
  meetings: FlagMeeting[];
  from: string;
  to: string;
  now: string;
}

/** One panel's share of the review: its meetings that count, its forces in scope and its visible flags. */
export interface PanelSlice {
  panel: Panel;
  forces: string[];
  meetings: FlagMeeting[];
  flags: Flag[];
}

const DAY_MS = 86_400_000;
const month = (iso: string) => localDate(iso).slice(0, 7);

/** A meeting counts once it has ended, or once it was cancelled and its time has passed. */
const counts = (m: FlagMeeting, now: string) => m.end <= now;

export type Outcome = 'held' | 'cancelled' | 'not-held' | 'unrecorded';

/**
 * What became of a meeting that counts. Only the chair's attendance record makes a meeting held (see
 * recordAttendance): a panel that quietly skips a meeting must not show up as evidence that it met.
 */
export const outcome = (m: Meeting): Outcome => (m.status === 'scheduled' ? 'unrecorded' : m.status);

/** Planned from a timetable, even if the panel has since gone when-necessary: its past meetings were still due. */
export const timetabled = (m: Meeting): boolean => m.occurrence !== null && !m.extra;

/** Splits the loaded meetings by panel, keeping the flags a scope may see and only months inside the period. */
export function slices(input: ReviewInput): PanelSlice[] {
  const { scope, from, to, now } = input;
  const byPanel = groupBy(input.meetings, (m) => m.panelId);
  const [first, last] = [month(from), lastIncludedDay(to, now).slice(0, 7)];
  return input.panels.flatMap((panel) => {
    const forces = panel.forces.filter((f) => !scope.forces || scope.forces.includes(f));
    if (scope.forces && !forces.length) return [];
    const loaded = byPanel.get(panel.id) ?? [];
    // Flags about months outside the period come from meetings that were not loaded, so they are not facts.
    const flags = computeFlags(panel, loaded, now).filter(
      (f) => (!f.forceId || forces.includes(f.forceId)) && (!f.month || (f.month >= first && f.month <= last)),
    );
    return [{ panel, forces, meetings: loaded.filter((m) => counts(m, now)), flags }];
  });
}

const decisionMakerPresent = (m: FlagMeeting, forces: string[]) =>
  forces.length > 0 && forces.every((f) => dmPresent(m.attendance.find((a) => a.forceId === f)));

/** Everything one meeting contributes, for one panel's forces in scope. */
function meetingFacts(m: FlagMeeting, forces: string[]) {
  const held = outcome(m) === 'held';
  return {
    held,
    dm: held && decisionMakerPresent(m, forces),
    unrecorded: held && forces.some((f) => !m.attendance.some((a) => a.forceId === f)),
    attendees: m.attendance.filter((a) => attended(a) && forces.includes(a.forceId)).flatMap((a) => a.attendees.map((p) => p.aadObjectId ?? `name:${p.name}`)),
    lags: m.nominations.filter((n) => forces.includes(n.forceId)).map((n) => (Date.parse(m.start) - Date.parse(n.nominatedAt)) / DAY_MS),
  };
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const v = s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  return Math.round(v * 10) / 10;
}

const bump = (rec: Record<string, number>, key: string) => void (rec[key] = (rec[key] ?? 0) + 1);

/** The figures for a set of panel slices taken together (one panel, or the whole scope). */
export function figures(parts: PanelSlice[]): ReviewFigures {
  const f: ReviewFigures = {
    meetings: 0, due: 0, held: 0, cancelled: 0, cancelledByReason: {}, notHeld: 0, unrecorded: 0, extra: 0, moved: 0, attendanceUnrecorded: 0,
    decisionMakerPresent: 0, decisionMakerShare: null, distinctAttendees: 0, medianNominationDays: null, openFlags: 0, flagsByCode: {},
  };
  const people = new Set<string>();
  const lags: number[] = [];
  for (const { forces, meetings, flags } of parts) {
    for (const m of meetings) {
      const facts = meetingFacts(m, forces);
      const what = outcome(m);
      f.meetings++;
      if (timetabled(m)) f.due++;
      if (m.extra) f.extra++;
      if (m.moved) f.moved++;
      if (what === 'held') f.held++;
      else if (what === 'unrecorded') f.unrecorded++;
      else if (what === 'not-held') f.notHeld++;
      else {
        f.cancelled++;
        bump(f.cancelledByReason, m.cancelReason ?? 'no reason recorded');
      }
      if (facts.dm) f.decisionMakerPresent++;
      if (facts.unrecorded) f.attendanceUnrecorded++;
      facts.attendees.forEach((p) => people.add(p));
      lags.push(...facts.lags);
    }
    f.openFlags += flags.length;
    flags.forEach((flag) => bump(f.flagsByCode, flag.code));
  }
  f.decisionMakerShare = f.held ? Math.round((f.decisionMakerPresent / f.held) * 1000) / 1000 : null;
  f.distinctAttendees = people.size;
  f.medianNominationDays = median(lags);
  return f;
}

/** Every calendar month (Europe/London) the period covers up to now, oldest first. */
function periodMonths(from: string, to: string, now: string): string[] {
  const end = lastIncludedDay(to, now).slice(0, 7);
  const out: string[] = [];
  for (let m = month(from); m <= end && out.length < 1200; m = nextMonth(m)) out.push(m);
  return out;
}

/** Held, cancelled and decision-maker-present meetings per month, for the chart. */
function monthly(parts: PanelSlice[], input: ReviewInput): MonthFigures[] {
  const rows = new Map(periodMonths(input.from, input.to, input.now).map((m) => [m, { month: m, held: 0, cancelled: 0, decisionMakerPresent: 0 }]));
  for (const { forces, meetings } of parts) {
    for (const m of meetings) {
      const row = rows.get(month(m.start));
      if (!row) continue;
      const held = outcome(m) === 'held';
      if (held) row.held++;
      else if (m.status === 'cancelled') row.cancelled++;
      if (held && decisionMakerPresent(m, forces)) row.decisionMakerPresent++;
    }
  }
  return [...rows.values()];
}

/** The recommendation 7 review: per panel and in total, from the loaded meetings at `now`. */
export function computeReview(input: ReviewInput): Review {
  const parts = slices(input);
  return {
    scope: input.scope,
    from: input.from,
    to: input.to,
    now: input.now,
    panels: parts.map((p) => ({
      panelId: p.panel.id,
      panelName: p.panel.name,
      localAuthority: p.panel.localAuthority,
      forces: p.forces,
      whenNecessary: p.panel.timetable.kind === 'when-necessary',
      figures: figures([p]),
    })),
    total: figures(parts),
    months: monthly(parts, input),
  };
}
