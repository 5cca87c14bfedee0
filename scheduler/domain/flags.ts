import { addWorkingDays } from './calendar-days.js';
import { localDate } from './timetable.js';
import { attended, decisionMakerPresent } from './attendance-rules.js';
import type { Attendance, CancelReason, Meeting, MeetingRecord, Nomination, Panel } from './types.js';

export const FLAG_CODES = [
  'WHEN_NECESSARY_PANEL', 'CANCELLED', 'CANCELLED_NO_CASES', 'TIMETABLE_GAP', 'NO_NOMINATION', 'NOT_DECISION_MAKER',
  'POLICE_ABSENT', 'SUBSTITUTE_ATTENDED', 'ATTENDEE_CHURN', 'ATTENDANCE_UNRECORDED',
] as const;
export type FlagCode = (typeof FLAG_CODES)[number];

/** A compliance flag and the facts behind it: derived from the store every time, never stored. */
export interface Flag {
  code: FlagCode;
  panelId: string;
  meetingId?: string;
  forceId?: string;
  month?: string; // YYYY-MM
  facts: string;
}

export interface FlagMeeting extends Meeting {
  cancelReason: CancelReason | null;
  nominations: Nomination[];
  attendance: Attendance[];
  /** Forces invited to this meeting alone (they are asked to it, and to no other of the panel's). */
  invited: string[];
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
}

export const DEFAULT_FLAG_SETTINGS: FlagSettings = { churnWindow: 4, churnThreshold: 3, unrecordedWorkingDays: 3, escalationWorkingDays: 2 };

/** Ended and not cancelled or marked not held: the meeting took place. */
export const tookPlace = (m: Meeting, now: string): boolean => m.status === 'held' || (m.status === 'scheduled' && m.end <= now);

function meetingFlags(panel: Panel, m: FlagMeeting, now: string, s: FlagSettings): Flag[] {
  const at = { panelId: panel.id, meetingId: m.id };
  const day = localDate(m.start);
  if (m.status === 'cancelled') {
    const why = `cancelled (${m.cancelReason ?? 'no reason recorded'})`;
    return [{ code: 'CANCELLED', ...at, facts: `${day}: ${why}` }, ...(m.cancelReason === 'no cases to discuss' ? [{ code: 'CANCELLED_NO_CASES' as const, ...at, facts: `${day}: cancelled because there were no cases to discuss` }] : [])];
  }
  const out: Flag[] = [];
  for (const forceId of forcesOf(panel, m)) {
    const named = m.nominations.find((n) => n.forceId === forceId);
    const record = m.attendance.find((a) => a.forceId === forceId);
    const f = { ...at, forceId };
    const escalate = localDate(now) >= addWorkingDays(day, -s.escalationWorkingDays);
    if (m.status === 'scheduled' && !named && escalate) out.push({ code: 'NO_NOMINATION', ...f, facts: `${day}: ${forceId} has named nobody` });
    if (!record) {
      if (tookPlace(m, now) && localDate(now) >= addWorkingDays(day, s.unrecordedWorkingDays)) {
        out.push({ code: 'ATTENDANCE_UNRECORDED', ...f, facts: `${day}: no attendance recorded for ${forceId}` });
      }
      continue;
    }
    if (!attended(record)) out.push({ code: 'POLICE_ABSENT', ...f, facts: `${day}: no police representative for ${forceId}${record.outcome === 'apologies' ? ' (apologies sent)' : ''}` });
    else {
      if (!decisionMakerPresent(record)) out.push({ code: 'NOT_DECISION_MAKER', ...f, facts: `${day}: no attendee for ${forceId} was recorded as able to make decisions on its behalf${record.forceConfirmation === 'disputed' ? ' (the force disputed the record)' : ''}` });
      const subs = record.attendees.filter((a) => a.substitute);
      if (subs.length) out.push({ code: 'SUBSTITUTE_ATTENDED', ...f, facts: `${day}: ${subs.map((a) => a.name).join(', ')} attended instead of ${named?.name ?? 'a named attendee'}` });
    }
  }
  return out;
}

/** Calendar months (fully ended, from the first meeting's month) in which a timetabled panel held no meeting. */
function gaps(panel: Panel, ms: FlagMeeting[], now: string): Flag[] {
  if (panel.timetable.kind !== 'rrule' || ms.length === 0) return [];
  const held = new Set(ms.filter((m) => tookPlace(m, now)).map((m) => localDate(m.start).slice(0, 7)));
  const thisMonth = localDate(now).slice(0, 7);
  const out: Flag[] = [];
  const first = ms.map((m) => localDate(m.start).slice(0, 7)).sort()[0]!;
  for (let month = first; month < thisMonth; month = nextMonth(month)) {
    if (!held.has(month)) out.push({ code: 'TIMETABLE_GAP', panelId: panel.id, month, facts: `${month}: no meeting held` });
  }
  return out;
}

/** The calendar month after a YYYY-MM month. */
export const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

/** Three or more different police attendees for one force across the panel's last four held meetings (people, not nominations). */
function churn(panel: Panel, ms: FlagMeeting[], now: string, s: FlagSettings): Flag[] {
  return panel.forces.flatMap((forceId) => {
    const recent = ms
      .filter((m) => tookPlace(m, now) && m.attendance.some((a) => a.forceId === forceId && attended(a)))
      .sort((a, b) => (a.start < b.start ? 1 : -1))
      .slice(0, s.churnWindow);
    // One person per meeting (its decision maker, else its first attendee): a force that sends the same three people every time is consistent.
    const people = new Set(recent.map((m) => lead(m.attendance.find((a) => a.forceId === forceId)!)));
    if (people.size < s.churnThreshold) return [];
    return [{ code: 'ATTENDEE_CHURN' as const, panelId: panel.id, forceId, facts: `${people.size} different police attendees for ${forceId} across the last ${recent.length} meetings held` }];
  });
}

/** Who represented the force at a meeting, for continuity: the first attendee answered a decision maker, else the first. */
function lead(a: Attendance): string {
  const p = a.attendees.find((x) => x.decisionMaker === 'yes') ?? a.attendees[0];
  return p ? (p.aadObjectId ?? `name:${p.name}`) : '';
}

/** Every flag for one panel's meetings at `now`, oldest facts first. */
export function computeFlags(panel: Panel, meetings: FlagMeeting[], now: string, s: FlagSettings = DEFAULT_FLAG_SETTINGS): Flag[] {
  const ms = meetings.filter((m) => m.panelId === panel.id).sort((a, b) => (a.start < b.start ? -1 : 1));
  return [
    ...(panel.timetable.kind === 'when-necessary' ? [{ code: 'WHEN_NECESSARY_PANEL' as const, panelId: panel.id, facts: `${panel.name} has no fixed timetable: it meets only "when necessary"` }] : []),
    ...gaps(panel, ms, now),
    ...ms.flatMap((m) => meetingFlags(panel, m, now, s)),
    ...churn(panel, ms, now, s),
  ];
}
