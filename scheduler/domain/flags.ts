import { DateTime } from 'luxon';
import { attended, decisionMakerPresent } from './attendance-rules.js';
import { addWorkingDays } from './calendar-days.js';
import { groupBy } from './group.js';
import { memo } from './memo.js';
import { monthFate, monthOf, monthsBetween, nextMonth, previousMonth, type MonthFate } from './months.js';
import { localDate } from './timetable.js';
import { timetableClass } from './timetable-class.js';
import type { Attendance, CancelReason, Meeting, MeetingRecord, Nomination, Panel } from './types.js';

export const FLAG_CODES = [
  'WHEN_NECESSARY_PANEL', 'BELOW_GUIDANCE_TIMETABLE', 'CANCELLED_NO_CASES', 'CANCELLED', 'NOT_HELD', 'ATTENDANCE_UNRECORDED', 'TIMETABLE_GAP',
  'POLICE_ABSENT', 'NOT_DECISION_MAKER', 'NO_NOMINATION', 'SUBSTITUTE_UNCONFIRMED', 'ATTENDEE_CHURN',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/** A compliance flag and the facts behind it: derived from the store every time, never stored. One per problem. */
export interface Flag {
  code: FlagCode;
  panelId: string;
  meetingId?: string;
  forceId?: string;
  month?: string; // YYYY-MM
  /** POLICE_ABSENT only: whether the force sent apologies. */
  apologies?: boolean;
  facts: string;
}

/** What flags and the review's figures read of a nomination: whose it is and when it was made. */
export type NominationFacts = Pick<Nomination, 'forceId' | 'nominatedAt'>;

/** What flags and the review's figures read of a force's attendance record. */
export type AttendanceFacts = Pick<Attendance, 'forceId' | 'outcome' | 'attendees' | 'forceConfirmation' | 'recordedAt'>;

/**
 * A meeting with exactly what flags and the review's figures read of it and its records: the national review loads
 * the meeting row whole (its version and lock too) but only these of its records (a third of their columns), and a
 * FlagMeeting is one too. A meeting has at most one nomination and one
 * record per force; loaded as facts they come in no particular order (whole, by force).
 */
export interface FlagFacts extends Pick<Meeting, 'id' | 'panelId' | 'occurrence' | 'start' | 'end' | 'status' | 'moved' | 'extra' | 'createdAt'> {
  cancelReason: CancelReason | null;
  nominations: NominationFacts[];
  attendance: AttendanceFacts[];
  /** Forces invited to this meeting alone (they are asked to it, and to no other of the panel's). */
  invited: string[];
}

/** A meeting with its records whole: what views, the CSV export and the actions on a flag show. */
export interface FlagMeeting extends Meeting, FlagFacts {
  nominations: Nomination[];
  attendance: Attendance[];
  /** Held or not held, why, and other agencies present; null until someone records it. */
  meetingRecord: MeetingRecord | null;
}

/** The forces asked to a meeting: the panel's, then those invited to it. */
export const forcesOf = (panel: Panel, m: Pick<FlagMeeting, 'invited'>): string[] => [...panel.forces, ...m.invited.filter((f) => !panel.forces.includes(f))];

export interface FlagSettings {
  churnWindow: number;
  churnThreshold: number;
  unrecordedWorkingDays: number;
  escalationWorkingDays: number;
  /** Working days a force has to confirm or dispute a substitute before SUBSTITUTE_UNCONFIRMED. */
  confirmWorkingDays: number;
}

export const DEFAULT_FLAG_SETTINGS: FlagSettings = { churnWindow: 4, churnThreshold: 3, unrecordedWorkingDays: 3, escalationWorkingDays: 2, confirmWorkingDays: 10 };

/** The months a review or listing judges: [from, to) as instants; absent, the months the loaded meetings span. */
export interface FlagPeriod {
  from: string;
  to: string;
}

const MONTH_CODES: Record<Exclude<MonthFate, 'met'>, FlagCode> = {
  unrecorded: 'ATTENDANCE_UNRECORDED', 'not-held': 'NOT_HELD', 'cancelled-no-cases': 'CANCELLED_NO_CASES', cancelled: 'CANCELLED', gap: 'TIMETABLE_GAP',
};
const MONTH_FACTS: Record<Exclude<MonthFate, 'met'>, string> = {
  unrecorded: 'a meeting ended and nothing was recorded, so the month is not shown as met',
  'not-held': 'the meeting did not take place',
  'cancelled-no-cases': 'the meeting was cancelled because there were no cases to discuss',
  cancelled: 'the meeting was cancelled',
  gap: 'no meeting was planned',
};

/**
 * The calendar months a panel is judged on: whole Europe/London months that have ended by `now` and lie wholly
 * within the period (a rolling "last 12 months" judges the 11 whole months in it), from the panel's first meeting
 * among those loaded (a review loads the year before its period too, so a panel that met before is judged from
 * the period's start, a new one from its first meeting), or from the period's start for a when-necessary panel,
 * which need not have met at all; a retired panel up to its last meeting.
 */
export function judgedMonths(panel: Panel, meetings: ReadonlyArray<Pick<Meeting, 'start'>>, now: string, period?: FlagPeriod): readonly string[] {
  // The earliest and latest starts give the first and last months (a later instant is never in an earlier month):
  // a review asks this for every panel several times, and listing and sorting every meeting's month was a tenth of it.
  let [earliest, latest] = [meetings[0]?.start, meetings[0]?.start];
  for (const m of meetings) {
    if (m.start < earliest!) earliest = m.start;
    if (m.start > latest!) latest = m.start;
  }
  const start = period && firstWholeMonth(period.from);
  let first = panel.timetable.kind === 'when-necessary' && start ? start : earliest && monthOf({ start: earliest });
  if (!first) return [];
  if (start && start > first) first = start;
  let last = previousMonth(monthOf({ start: now }));
  const end = period && lastWholeMonth(period.to);
  if (end && end < last) last = end;
  if (panel.retired && latest && monthOf({ start: latest }) < last) last = monthOf({ start: latest });
  return monthsBetween(first, last);
}

const atMonthStart = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone('Europe/London').toFormat('dd HH:mm:ss.SSS') === '01 00:00:00.000';
// Memoised: a review asks the same few period ends once per panel, and each costs two time-zone conversions.
/** The first whole month from an instant: its own month when it is that month's start, else the next. */
const firstWholeMonth = memo((from: string) => (atMonthStart(from) ? monthOf({ start: from }) : nextMonth(monthOf({ start: from }))), 1000);
/** The last whole month before an exclusive end. */
const lastWholeMonth = memo((to: string) => (atMonthStart(to) ? monthOf({ start: new Date(Date.parse(to) - 1).toISOString() }) : previousMonth(monthOf({ start: to }))), 1000);
/** Working days from a date, remembered: a review asks it for every meeting and force, over a few hundred dates. */
const workingDaysFrom = memo((key: string) => addWorkingDays(key.slice(0, 10), Number(key.slice(11))), 20_000);
const shiftWorkingDays = (date: string, n: number) => workingDaysFrom(`${date} ${n}`);


/** One flag per judged month that was not met. */
function monthFlags(panel: Panel, ms: FlagFacts[], now: string, s: FlagSettings, period?: FlagPeriod): Flag[] {
  const byMonth = groupBy(ms, monthOf);
  return judgedMonths(panel, ms, now, period).flatMap((month) => {
    const inMonth = byMonth.get(month) ?? [];
    const fate = monthFate(inMonth);
    if (fate === 'met') return [];
    const meeting = inMonth.find((m) => fateOf(m) === fate);
    // The chair has 3 working days to record a meeting: one on the 31st is not flagged on the 1st.
    if (fate === 'unrecorded' && localDate(now) < shiftWorkingDays(localDate(meeting!.start), s.unrecordedWorkingDays)) return [];
    // A meeting moved out of the month leaves it without one: say where it went rather than "nothing was planned".
    const movedOut = fate === 'gap' ? ms.find((m) => m.moved && monthOf({ start: m.moved.from }) === month) : undefined;
    const facts = movedOut ? `its meeting was moved to ${localDate(movedOut.start)}, so no meeting was held in the month` : MONTH_FACTS[fate];
    return [{ code: MONTH_CODES[fate], panelId: panel.id, month, ...(meeting ? { meetingId: meeting.id } : {}), facts: `${month}: ${facts}` }];
  });
}

const fateOf = (m: FlagFacts): MonthFate => monthFate([m]);

/** Per meeting and force expected there: absence or no decision maker at a held meeting, nobody named, an unconfirmed substitute. */
function forceFlags(panel: Panel, m: FlagFacts, now: string, s: FlagSettings): Flag[] {
  if (m.status === 'cancelled') return [];
  const day = localDate(m.start);
  const today = localDate(now);
  return forcesOf(panel, m).flatMap((forceId) => {
    const at = { panelId: panel.id, meetingId: m.id, forceId };
    const out: Flag[] = [];
    const escalation = shiftWorkingDays(day, -s.escalationWorkingDays);
    // Nobody named by the escalation point, for a meeting the bot knew of by then (not one an import planned back).
    if (!m.nominations.some((n) => n.forceId === forceId) && today >= escalation && (!m.createdAt || localDate(m.createdAt) <= escalation)) {
      out.push({ code: 'NO_NOMINATION', ...at, facts: `${day}: ${forceId} had named nobody by ${escalation}` });
    }
    const record = m.attendance.find((a) => a.forceId === forceId);
    if (m.status === 'held') out.push(...heldFlags(at, day, forceId, record));
    if (record?.forceConfirmation === 'pending' && today >= shiftWorkingDays(localDate(record.recordedAt), s.confirmWorkingDays)) {
      out.push({ code: 'SUBSTITUTE_UNCONFIRMED', ...at, facts: `${day}: ${forceId} has not confirmed or disputed the attendees the chair recorded` });
    }
    return out;
  });
}

function heldFlags(at: { panelId: string; meetingId: string; forceId: string }, day: string, forceId: string, record: AttendanceFacts | undefined): Flag[] {
  if (!record) return [{ code: 'ATTENDANCE_UNRECORDED', ...at, facts: `${day}: the meeting was held but nothing was recorded for ${forceId}` }];
  if (!attended(record)) {
    const apologies = record.outcome === 'apologies';
    return [{ code: 'POLICE_ABSENT', ...at, apologies, facts: `${day}: no police representative for ${forceId}${apologies ? ' (apologies sent)' : ' (no apologies)'}` }];
  }
  if (decisionMakerPresent(record)) return [];
  const why = record.forceConfirmation === 'disputed' ? ' (the force disputed the record)' : '';
  return [{ code: 'NOT_DECISION_MAKER', ...at, facts: `${day}: nobody present for ${forceId} was answered a decision maker${why}` }];
}

/** Who represented the force at a meeting, for continuity: the first attendee answered a decision maker, else the first. */
function lead(a: AttendanceFacts): string {
  const p = a.attendees.find((x) => x.decisionMaker === 'yes') ?? a.attendees[0];
  return p ? (p.aadObjectId ?? `name:${p.name}`) : '';
}

/** Once per force: any run of 4 consecutive attended meetings with 3 or more different people (one per meeting). */
function churn(panel: Panel, ms: FlagFacts[], s: FlagSettings): Flag[] {
  return panel.forces.flatMap((forceId) => {
    const run = ms.filter((m) => m.status === 'held' && attended(m.attendance.find((a) => a.forceId === forceId)));
    for (let i = 0; i + s.churnWindow <= run.length; i++) {
      const window = run.slice(i, i + s.churnWindow);
      const people = new Set(window.map((m) => lead(m.attendance.find((a) => a.forceId === forceId)!)));
      if (people.size >= s.churnThreshold) {
        const span = `${localDate(window[0]!.start)} to ${localDate(window.at(-1)!.start)}`;
        return [{ code: 'ATTENDEE_CHURN' as const, panelId: panel.id, forceId, facts: `${people.size} different police attendees for ${forceId} across ${s.churnWindow} meetings in a row (${span})` }];
      }
    }
    return [];
  });
}

/** WHEN_NECESSARY_PANEL or BELOW_GUIDANCE_TIMETABLE, once. */
function panelFlags(panel: Panel): Flag[] {
  const kind = timetableClass(panel.timetable);
  if (kind === 'when-necessary') return [{ code: 'WHEN_NECESSARY_PANEL', panelId: panel.id, facts: `${panel.name} has no fixed timetable: it meets only "when necessary"` }];
  if (kind === 'below-guidance') return [{ code: 'BELOW_GUIDANCE_TIMETABLE', panelId: panel.id, facts: `${panel.name}'s timetable leaves some months without a meeting: below the guidance timetable (monthly)` }];
  return [];
}

/**
 * Each meeting's own flags (absence, no decision maker, nobody named, an unconfirmed substitute), which depend only on
 * the meeting, its panel, `now` and the settings: kept by a review that judges its period and the two it is compared
 * with at the same `now`, so a meeting in more than one of them is judged once. The panel is not checked: a meeting
 * is only ever judged under its own panel, and a keep lives for one review.
 */
export interface MeetingFlagsKept {
  readonly now: string;
  readonly settings: FlagSettings;
  readonly flags: Map<FlagFacts, Flag[]>;
}

/** An empty keep for flags judged at `now` with these settings; computeFlags refuses it for any other. */
export const meetingFlagsKept = (now: string, settings: FlagSettings = DEFAULT_FLAG_SETTINGS): MeetingFlagsKept => ({ now, settings, flags: new Map() });

/**
 * Every flag for one panel's meetings at `now`: panel, then months, then meetings and forces, then churn. Given a
 * period, only its months and meetings are judged (earlier meetings may be passed to show since when the panel met).
 */
export function computeFlags(panel: Panel, meetings: FlagFacts[], now: string, s: FlagSettings = DEFAULT_FLAG_SETTINGS, period?: FlagPeriod, kept?: MeetingFlagsKept): Flag[] {
  const ms = meetings.filter((m) => m.panelId === panel.id).sort((a, b) => (a.start < b.start ? -1 : 1));
  // Meetings before the period only say since when the panel has met; flags are about the period's own.
  const own = period ? ms.filter((m) => m.start >= period.from && m.start < period.to) : ms;
  if (kept && (kept.now !== now || kept.settings !== s)) throw new Error('flags kept at another time or with other settings were passed to computeFlags');
  const ofMeeting = (m: FlagFacts) => {
    if (!kept) return forceFlags(panel, m, now, s);
    let flags = kept.flags.get(m);
    if (!flags) kept.flags.set(m, (flags = forceFlags(panel, m, now, s)));
    return flags;
  };
  return [...panelFlags(panel), ...monthFlags(panel, ms, now, s, period), ...own.flatMap(ofMeeting), ...churn(panel, own, s)];
}
