import { attended, decisionMakerPresent as dmPresent } from '../domain/attendance-rules.js';
import type { Flag, FlagFacts } from '../domain/flags.js';
import type { Meeting, Panel } from '../domain/types.js';

// How the review counts: one panel-and-force slice's figures, and any set of slices' figures taken together.

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

/** One panel and force's share of the review: its meetings that count and the flags that are about it. */
export interface PanelSlice<M extends FlagFacts = FlagFacts> {
  panel: Panel;
  forceId: string;
  invited: boolean;
  meetings: M[];
  /** The panel's judged months and which were met; empty for an invited force. */
  months: Array<{ month: string; met: boolean }>;
  flags: Flag[];
}

const DAY_MS = 86_400_000;

export type Outcome = 'held' | 'cancelled' | 'not-held' | 'unrecorded';

/** What became of a meeting that counts: only a record makes a meeting held. */
export const outcome = (m: Pick<Meeting, 'status'>): Outcome => (m.status === 'scheduled' ? 'unrecorded' : m.status);

/** Planned from a timetable, even if the panel has since gone when-necessary: its past meetings were still due. */
export const timetabled = (m: Pick<Meeting, 'occurrence' | 'extra'>): boolean => m.occurrence !== null && !m.extra;

/** Due: planned by the timetable, or an extra meeting that was held. */
export const isDue = (m: Pick<Meeting, 'occurrence' | 'extra' | 'status'>): boolean => timetabled(m) || (m.extra && m.status === 'held');

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
function addMeeting(f: ReviewFigures, m: FlagFacts, forceId: string, people: Set<string>, lags: number[]): void {
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
  if (record && attended(record)) for (const p of record.attendees) people.add(p.aadObjectId ?? `name:${p.name}`);
  const start = Date.parse(m.start);
  for (const n of m.nominations) if (n.forceId === forceId) lags.push((start - Date.parse(n.nominatedAt)) / DAY_MS);
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
    for (const x of s.months) if (x.met) f.monthsMet++;
    for (const x of s.flags) flags.add(x);
  }
  return finish(f, people, lags, flags);
}

/** The figures worked out from the counts: shares, distinct people, the median lag and the flags by code. */
function finish(f: ReviewFigures, people: Set<string>, lags: number[], flags: Set<Flag>): ReviewFigures {
  f.decisionMakerShareOfDue = share(f.decisionMakerPresent, f.due);
  f.decisionMakerShareOfHeld = share(f.decisionMakerPresent, f.held);
  f.distinctAttendees = people.size;
  f.medianNominationDays = median(lags);
  f.openFlags = flags.size;
  flags.forEach((x) => bump(f.flagsByCode, x.code));
  return f;
}

/** One slice's own figures with the people, lags and flags behind them: what `figures` would add for it. */
export interface Tally {
  f: ReviewFigures;
  people: Set<string>;
  lags: number[];
  flags: Flag[];
}

const SUMMED = ['meetings', 'due', 'held', 'cancelled', 'notHeld', 'unrecorded', 'extra', 'moved', 'monthsDue', 'monthsMet', 'attendanceUnrecorded', 'decisionMakerPresent', 'policeAbsent'] as const;

/**
 * `figures`, from tallies of each slice made once per review: a slice is summed for its panel's row, its force, its
 * area and the total, and adding its meetings four times was most of the review's work. The same sums in the same
 * order (so reasons and flag codes keep their order), distinct people and flags as unions, the median over all lags.
 */
export function tallied(tallyOf: (s: PanelSlice) => Tally): (parts: PanelSlice[]) => ReviewFigures {
  return (parts) => {
    const f = empty();
    const [people, lags, flags] = [new Set<string>(), [] as number[], new Set<Flag>()];
    for (const t of parts.map(tallyOf)) {
      for (const k of SUMMED) f[k] += t.f[k];
      for (const [reason, n] of Object.entries(t.f.cancelledByReason)) f.cancelledByReason[reason] = (f.cancelledByReason[reason] ?? 0) + n;
      for (const p of t.people) people.add(p);
      for (const l of t.lags) lags.push(l);
      for (const x of t.flags) flags.add(x);
    }
    return finish(f, people, lags, flags);
  };
}

/** Tallies each slice the first time it is asked for, for one review. */
export function tallies(): (s: PanelSlice) => Tally {
  const seen = new Map<PanelSlice, Tally>();
  return (s) => {
    let t = seen.get(s);
    if (!t) {
      t = { f: empty(), people: new Set(), lags: [], flags: s.flags };
      for (const m of s.meetings) addMeeting(t.f, m, s.forceId, t.people, t.lags);
      t.f.monthsDue = s.months.length;
      for (const x of s.months) if (x.met) t.f.monthsMet++;
      seen.set(s, t);
    }
    return t;
  };
}
