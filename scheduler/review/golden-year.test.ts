import { describe, expect, it } from 'vitest';
import type { FlagMeeting } from '../domain/flags.js';
import { localToUtc } from '../domain/timetable.js';
import type { Attendance, Nomination, Panel } from '../domain/types.js';
import { computeReview } from './review.js';
import { reviewJson } from './review-outputs.js';

// A golden review of one scripted financial year (FY2026: 1 April 2026 to 31 March 2027) for one monthly panel
// (2nd Tuesday, 10:00) and one force, checked by hand below. The year before has six held months (Oct 2025 to
// Mar 2026) to compare with.
//
//   month    meeting                          force X                     nominee
//   2026-04  14 Apr held                      P1, decision maker yes      P1
//   2026-05  12 May held                      P1, yes                     P1
//   2026-06   9 Jun cancelled: no cases       -                           P1
//   2026-07  14 Jul held                      apologies                   P1
//   2026-08  11 Aug not held (not quorate)    -                           P1
//   2026-09   8 Sep held                      P2, no                      P1
//   2026-10  13 Oct ended, nothing recorded   -                           nobody
//   2026-11  10 Nov cancelled: not quorate;   -                           P1
//            24 Nov extra, held               P3, yes                     nobody
//   2026-12   8 Dec held                      P1, yes                     P1
//   2027-01  12 Jan held                      P4, don't know              P1
//   2027-02   9 Feb held                      absent, no apologies        P1
//   2027-03   9 Mar held                      P1, yes                     P1
//
// By hand: 13 meetings ended (12 timetabled + the extra); due 13 (12 timetabled + the extra, held); held 9; cancelled 2
// (no cases 1, not quorate 1); not held 1; unrecorded 1. Decision maker present at Apr, May, Nov extra, Dec, Mar = 5:
// 5 of 13 due (0.385), 5 of 9 held (0.556). Police absent 2 (Jul apologies, Feb none). Months due 12, met 9 (not Jun,
// Aug, Oct; November is met by its extra meeting, so its cancellation raises no flag). People P1-P4: 4. Eleven
// nominations, each 10 days ahead: median 10.
// Flags, one per problem: Jun CANCELLED_NO_CASES, Aug NOT_HELD, Oct ATTENDANCE_UNRECORDED; Jul and Feb POLICE_ABSENT;
// Sep and Jan NOT_DECISION_MAKER; Oct and the Nov extra NO_NOMINATION; ATTENDEE_CHURN once (Apr, May, Sep, Nov: P1,
// P1, P2, P3 are three people in four meetings). 10 in all.
// The year before: 6 meetings, all due, held and with a decision maker: 6 of 6 (1.0), months 6 of 6 (from Oct 2025,
// its first meeting). The change in the headline: 0.385 - 1.0 = -61.5 points.

const panel: Panel = {
  id: 'g', name: 'Golden Channel panel', localAuthority: 'Golden Council', forces: ['x'], chairs: [], teamsChannelId: null, retired: false,
  timetable: { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' },
};
const person = (n: number) => ({ aadObjectId: `00000000-0000-4000-8000-00000000000${n}`, name: `P${n}` });
type Script = { day: string; status?: FlagMeeting['status']; reason?: FlagMeeting['cancelReason']; x?: number | 'apologies' | 'absent'; dm?: 'yes' | 'no' | 'unknown'; named?: boolean; extra?: boolean };

function meeting(s: Script): FlagMeeting {
  const start = localToUtc(s.day, '10:00');
  const id = `g.${s.day}${s.extra ? '.extra' : ''}`;
  const nomination: Nomination[] = s.named === false ? [] : [{ meetingId: id, forceId: 'x', ...person(1), role: 'DI', decisionMaker: true, nominatedBy: 'lead', nominatedAt: new Date(Date.parse(start) - 10 * 86_400_000).toISOString(), version: 1 }];
  const record = (): Attendance[] => {
    if (s.x === undefined) return [];
    const base = { meetingId: id, forceId: 'x', source: 'chair' as const, forceConfirmation: 'not-needed' as const, confirmedBy: null, confirmedAt: null, recordedBy: 'chair', recordedAt: start, version: 1 };
    if (typeof s.x === 'string') return [{ ...base, outcome: s.x, attendees: [] }];
    const p = person(s.x);
    return [{ ...base, outcome: 'attended', attendees: [{ ...p, tenantId: null, roleCategory: 'prevent-officer', role: 'DS', unit: 'local', mode: 'in-person', decisionMaker: s.dm ?? 'yes', substitute: s.x !== 1 }] }];
  };
  return {
    id, panelId: 'g', occurrence: s.extra ? null : s.day, start, end: new Date(Date.parse(start) + 7_200_000).toISOString(), status: s.status ?? 'held', moved: null,
    extra: !!s.extra, version: 1, locked: true, createdAt: '2025-09-01T00:00:00.000Z', cancelReason: s.reason ?? null, nominations: nomination, attendance: record(), invited: [], meetingRecord: null,
  };
}

const YEAR: Script[] = [
  { day: '2026-04-14', x: 1 }, { day: '2026-05-12', x: 1 }, { day: '2026-06-09', status: 'cancelled', reason: 'no cases to discuss' },
  { day: '2026-07-14', x: 'apologies' }, { day: '2026-08-11', status: 'not-held' }, { day: '2026-09-08', x: 2, dm: 'no' },
  { day: '2026-10-13', status: 'scheduled', named: false }, { day: '2026-11-10', status: 'cancelled', reason: 'not quorate' },
  { day: '2026-11-24', x: 3, extra: true, named: false }, { day: '2026-12-08', x: 1 }, { day: '2027-01-12', x: 4, dm: 'unknown' },
  { day: '2027-02-09', x: 'absent' }, { day: '2027-03-09', x: 1 },
];
const BEFORE: Script[] = ['2025-10-14', '2025-11-11', '2025-12-09', '2026-01-13', '2026-02-10', '2026-03-10'].map((day) => ({ day, x: 1 }));

describe('a golden year, checked by hand', () => {
  const r = computeReview({
    scope: { forces: null, panels: null, label: 'all forces' }, panels: [panel], meetings: [...BEFORE, ...YEAR].map(meeting),
    from: localToUtc('2026-04-01', '00:00'), to: localToUtc('2027-04-01', '00:00'), now: '2027-04-10T12:00:00.000Z',
  });

  it('counts the year exactly as the table above', () => {
    expect(r.total).toEqual({
      meetings: 13, due: 13, held: 9, cancelled: 2, cancelledByReason: { 'no cases to discuss': 1, 'not quorate': 1 }, notHeld: 1, unrecorded: 1, extra: 1, moved: 0,
      monthsDue: 12, monthsMet: 9, attendanceUnrecorded: 0, decisionMakerPresent: 5, decisionMakerShareOfDue: 0.385, decisionMakerShareOfHeld: 0.556,
      policeAbsent: 2, distinctAttendees: 4, medianNominationDays: 10, openFlags: 10,
      flagsByCode: { CANCELLED_NO_CASES: 1, NOT_HELD: 1, ATTENDANCE_UNRECORDED: 1, POLICE_ABSENT: 2, NOT_DECISION_MAKER: 2, NO_NOMINATION: 2, ATTENDEE_CHURN: 1 },
    });
  });

  it('raises one flag per problem, where the table says', () => {
    expect(r.flags.map((f) => `${f.code} ${f.month ?? f.meetingId ?? f.forceId}${f.apologies === undefined ? '' : ` ${f.apologies}`}`)).toEqual([
      'CANCELLED_NO_CASES 2026-06', 'NOT_HELD 2026-08', 'ATTENDANCE_UNRECORDED 2026-10',
      'POLICE_ABSENT g.2026-07-14 true', 'NOT_DECISION_MAKER g.2026-09-08', 'NO_NOMINATION g.2026-10-13', 'NO_NOMINATION g.2026-11-24.extra',
      'NOT_DECISION_MAKER g.2027-01-12', 'POLICE_ABSENT g.2027-02-09 false', 'ATTENDEE_CHURN x',
    ]);
  });

  it('compares with the year before, which is both the previous period and the same period a year earlier', () => {
    const before = { meetings: 6, due: 6, held: 6, decisionMakerPresent: 6, decisionMakerShareOfDue: 1, monthsDue: 6, monthsMet: 6, openFlags: 0 };
    expect(r.previous).toMatchObject({ from: localToUtc('2025-04-01', '00:00'), to: localToUtc('2026-04-01', '00:00'), total: before });
    expect(r.lastYear).toMatchObject({ from: localToUtc('2025-04-01', '00:00'), to: localToUtc('2026-04-01', '00:00'), total: before });
    const json = reviewJson(r) as { from: string; to: string; previous: Record<string, unknown>; flags: Record<string, number> };
    expect([json.from, json.to]).toEqual(['2026-04-01', '2027-03-31']);
    expect(json.previous).toMatchObject({ from: '2025-04-01', to: '2026-03-31', decisionMakerShareOfDue: 1 });
    expect(json.flags).toEqual(r.total.flagsByCode);
  });
});
