import { describe, expect, it } from 'vitest';
import { computeFlags, DEFAULT_FLAG_SETTINGS, judgedMonths, meetingFlagsKept, type Flag, type FlagMeeting } from './flags.js';
import type { Attendance, Attendee, Nomination, Panel } from './types.js';

// Flags, one per problem (issue 16): each rule and its edges, on hand-built meetings.
const NOW = '2027-06-20T12:00:00.000Z';
const monthly: Panel = {
  id: 'p', name: 'P panel', localAuthority: 'LA', forces: ['cambs'], chairs: [], teamsChannelId: null, retired: false,
  timetable: { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' },
};
const fortnightly: Panel = { ...monthly, timetable: { kind: 'rrule', rrule: 'FREQ=WEEKLY;INTERVAL=2;BYDAY=TU', start: '10:00', minutes: 120, from: '2027-01-05' } };
const sixWeekly: Panel = { ...monthly, timetable: { kind: 'rrule', rrule: 'FREQ=WEEKLY;INTERVAL=6;BYDAY=TU', start: '10:00', minutes: 120, from: '2027-01-05' } };
const twoForces: Panel = { ...monthly, forces: ['cambs', 'leics'] };

const nominee = (forceId = 'cambs', extra: Partial<Nomination> = {}): Nomination => ({
  meetingId: 'x', forceId, aadObjectId: 'n1', name: 'Nominee', role: 'DI', decisionMaker: true, nominatedBy: 'l', nominatedAt: NOW, version: 1, ...extra,
});
const person = (who: string, extra: Partial<Attendee> = {}): Attendee => ({
  aadObjectId: who, tenantId: null, name: who, roleCategory: 'prevent-officer', role: 'DS', unit: 'local', mode: 'in-person', decisionMaker: 'yes', substitute: false, ...extra,
});
const record = (who: string, extra: Partial<Attendance> = {}, p: Partial<Attendee> = {}): Attendance => ({
  meetingId: 'x', forceId: 'cambs', outcome: 'attended', attendees: [person(who, p)], source: 'chair', forceConfirmation: 'not-needed', confirmedBy: null, confirmedAt: null,
  recordedBy: 'c', recordedAt: NOW, version: 1, ...extra,
});
/** A meeting on a local date, held by default with the nominee attending as a decision maker. */
const meeting = (day: string, extra: Partial<FlagMeeting> = {}): FlagMeeting => ({
  id: `p.${day}`, panelId: 'p', occurrence: day, start: `${day}T09:00:00.000Z`, end: `${day}T11:00:00.000Z`, status: 'held',
  moved: null, extra: false, version: 1, locked: true, cancelReason: null, nominations: [nominee()], attendance: [record('a')], invited: [], meetingRecord: null, ...extra,
});
const cancelled = (day: string, reason: FlagMeeting['cancelReason']) => meeting(day, { status: 'cancelled', cancelReason: reason, attendance: [] });
const show = (f: Flag) => [f.code, f.month, f.meetingId, f.forceId].filter(Boolean).join(' ');
const codes = (p: Panel, ms: FlagMeeting[], now = NOW, period?: { from: string; to: string }) => computeFlags(p, ms, now, undefined, period).map(show);

describe('flags: one per problem', () => {
  it("judges a retired panel's months up to its last meeting, whatever order its meetings come in", () => {
    const retired = { ...monthly, retired: true };
    const ms = [cancelled('2027-04-13', 'other'), meeting('2027-02-09'), meeting('2027-03-09')];
    expect(judgedMonths(retired, ms, NOW)).toEqual(['2027-02', '2027-03', '2027-04']);
    expect(judgedMonths(monthly, ms, NOW)).toEqual(['2027-02', '2027-03', '2027-04', '2027-05']);
    expect(codes(retired, ms)).toEqual(['CANCELLED 2027-04 p.2027-04-13']);
    expect(judgedMonths(retired, [], NOW)).toEqual([]);
  });

  it("judges each meeting's own flags once across periods given a keep, and refuses a keep from another time or settings", () => {
    const ms = [meeting('2027-04-13', { attendance: [] }), meeting('2027-05-11', { nominations: [] })];
    const kept = meetingFlagsKept(NOW);
    const april = { from: '2027-04-01T00:00:00.000Z', to: '2027-05-01T00:00:00.000Z' };
    const spring = { from: '2027-04-01T00:00:00.000Z', to: '2027-06-01T00:00:00.000Z' };
    const [first, second] = [computeFlags(monthly, ms, NOW, undefined, april, kept), computeFlags(monthly, ms, NOW, undefined, spring, kept)];
    expect(second.map(show)).toEqual(computeFlags(monthly, ms, NOW, undefined, spring).map(show));
    // The April meeting's flag is the one object judged for April, not judged again.
    const unrecorded = first.find((f) => f.code === 'ATTENDANCE_UNRECORDED')!;
    expect(second).toContain(unrecorded);
    expect(kept.flags.size).toBe(2);
    expect(() => computeFlags(monthly, ms, '2027-06-21T12:00:00.000Z', undefined, spring, kept)).toThrow(/another time or with other settings/);
    expect(() => computeFlags(monthly, ms, NOW, { ...DEFAULT_FLAG_SETTINGS }, spring, kept)).toThrow(/another time or with other settings/);
  });

  it('raises nothing for a panel held monthly with a decision maker each time', () => {
    expect(codes(monthly, [meeting('2027-04-13'), meeting('2027-05-11')])).toEqual([]);
  });

  it('raises nothing for a fortnightly panel that met every month, though one of two meetings was cancelled', () => {
    const ms = [meeting('2027-04-06'), cancelled('2027-04-20', 'no cases to discuss'), meeting('2027-05-04'), meeting('2027-05-18')];
    expect(codes(fortnightly, ms)).toEqual([]);
  });

  it.each([
    ['cancelled for want of cases', cancelled('2027-05-11', 'no cases to discuss'), 'CANCELLED_NO_CASES 2027-05 p.2027-05-11'],
    ['cancelled for another reason', cancelled('2027-05-11', 'not quorate'), 'CANCELLED 2027-05 p.2027-05-11'],
    ['recorded as not taking place', meeting('2027-05-11', { status: 'not-held', attendance: [] }), 'NOT_HELD 2027-05 p.2027-05-11'],
    ['ended with nothing recorded', meeting('2027-05-11', { status: 'scheduled', attendance: [] }), 'ATTENDANCE_UNRECORDED 2027-05 p.2027-05-11'],
  ])('raises exactly one flag for a month not met because it was %s', (_name, may, expected) => {
    expect(codes(monthly, [meeting('2027-04-13'), may])).toEqual([expected]);
  });

  it('raises TIMETABLE_GAP for a month with nothing planned, and judges no month that has not ended', () => {
    expect(codes(monthly, [meeting('2027-03-09'), meeting('2027-05-11'), meeting('2027-06-08', { status: 'scheduled', attendance: [] })])).toEqual(['TIMETABLE_GAP 2027-04']);
  });

  it('prefers the reason a month can still be put right: unrecorded before cancelled', () => {
    const ms = [meeting('2027-04-06'), cancelled('2027-05-04', 'no cases to discuss'), meeting('2027-05-18', { status: 'scheduled', attendance: [] })];
    expect(codes(fortnightly, ms)).toEqual(['ATTENDANCE_UNRECORDED 2027-05 p.2027-05-18']);
  });

  it('counts a month whose cancelled meeting was replaced by an extra one as met', () => {
    expect(codes(monthly, [cancelled('2027-05-11', 'rescheduled'), meeting('2027-05-19', { id: 'p.x1', occurrence: null, extra: true })])).toEqual([]);
  });

  it('accepts a 6-weekly timetable: BELOW_GUIDANCE_TIMETABLE once and a TIMETABLE_GAP in each empty month', () => {
    // Tuesdays 6 weeks apart from 5 Jan 2027: 5 Jan, 16 Feb, 30 Mar, 11 May; April is empty.
    const ms = ['2027-01-05', '2027-02-16', '2027-03-30', '2027-05-11'].map((d) => meeting(d));
    expect(codes(sixWeekly, ms)).toEqual(['BELOW_GUIDANCE_TIMETABLE', 'TIMETABLE_GAP 2027-04']);
  });

  it('flags a when-necessary panel once', () => {
    expect(codes({ ...monthly, timetable: { kind: 'when-necessary', start: '10:00', minutes: 120 } }, [meeting('2027-05-11', { occurrence: null, extra: true })])).toEqual(['WHEN_NECESSARY_PANEL']);
  });

  it('judges only the period’s months and meetings, and a panel that met before from the period’s start', () => {
    const period = { from: '2027-03-01T00:00:00.000Z', to: '2027-06-01T00:00:00.000Z' };
    const ms = [meeting('2027-01-12'), meeting('2027-02-09', { attendance: [] }), meeting('2027-05-11')];
    expect(codes(monthly, ms, NOW, period)).toEqual(['TIMETABLE_GAP 2027-03', 'TIMETABLE_GAP 2027-04']);
  });

  it('judges only whole months inside the period: a rolling period’s part-month is left alone', () => {
    // From 15 March: March is cut in two, so only April and May are judged (May’s meeting is there, April’s is not).
    const period = { from: '2027-03-15T00:00:00.000Z', to: '2027-06-01T00:00:00.000Z' };
    expect(codes(monthly, [meeting('2027-01-12'), meeting('2027-03-30'), meeting('2027-05-11')], NOW, period)).toEqual(['TIMETABLE_GAP 2027-04']);
  });

  it('judges a when-necessary panel that never met from the period’s start: every month is a gap', () => {
    const period = { from: '2027-02-01T00:00:00.000Z', to: '2027-04-30T23:00:00.000Z' };
    expect(codes({ ...monthly, timetable: { kind: 'when-necessary', start: '10:00', minutes: 120 } }, [], NOW, period)).toEqual([
      'WHEN_NECESSARY_PANEL', 'TIMETABLE_GAP 2027-02', 'TIMETABLE_GAP 2027-03', 'TIMETABLE_GAP 2027-04',
    ]);
  });

  it('counts a meeting moved into the next month there, and says so of the month it left', () => {
    const moved = meeting('2027-05-04', { moved: { from: '2027-04-27T09:00:00.000Z', reason: 'moved by the chair' } });
    const flags = computeFlags(monthly, [meeting('2027-03-09'), moved], NOW);
    expect(flags.map(show)).toEqual(['TIMETABLE_GAP 2027-04']);
    expect(flags[0]!.facts).toBe('2027-04: its meeting was moved to 2027-05-04, so no meeting was held in the month');
  });

  it('gives the chair 3 working days to record a meeting at the end of a month before flagging it', () => {
    const late = meeting('2027-05-31', { status: 'scheduled', attendance: [] }); // Monday 31 May (a bank holiday, but a meeting may be held)
    expect(codes(monthly, [meeting('2027-04-13'), late], '2027-06-02T12:00:00.000Z')).toEqual([]);
    expect(codes(monthly, [meeting('2027-04-13'), late], '2027-06-04T12:00:00.000Z')).toEqual(['ATTENDANCE_UNRECORDED 2027-05 p.2027-05-31']);
  });

  it('judges a retired panel only up to its last meeting', () => {
    expect(codes({ ...monthly, retired: true }, [meeting('2027-02-09'), meeting('2027-03-09')])).toEqual([]);
  });

  it('flags police absence with whether apologies were sent, and no decision maker present', () => {
    const f = (a: Attendance) => computeFlags(monthly, [meeting('2027-05-11', { attendance: [a] })], NOW).map((x) => `${x.code}${x.apologies === undefined ? '' : ` apologies:${x.apologies}`}`);
    expect(f(record('a', { outcome: 'absent', attendees: [] }))).toEqual(['POLICE_ABSENT apologies:false']);
    expect(f(record('a', { outcome: 'apologies', attendees: [] }))).toEqual(['POLICE_ABSENT apologies:true']);
    expect(f(record('a', {}, { decisionMaker: 'no' }))).toEqual(['NOT_DECISION_MAKER']);
    expect(f(record('a', {}, { decisionMaker: 'unknown' }))).toEqual(['NOT_DECISION_MAKER']);
    expect(f(record('b', { forceConfirmation: 'disputed' }, { substitute: true }))).toEqual(['NOT_DECISION_MAKER']);
    // A substitute the force has yet to confirm is not a problem until 10 working days have passed.
    expect(f(record('b', { forceConfirmation: 'pending', recordedAt: '2027-06-10T12:00:00.000Z' }, { substitute: true }))).toEqual([]);
    expect(f(record('b', { forceConfirmation: 'pending', recordedAt: '2027-06-04T12:00:00.000Z' }, { substitute: true }))).toEqual(['SUBSTITUTE_UNCONFIRMED']);
  });

  it('flags a held meeting with no record for one of its forces, for that force', () => {
    expect(codes(twoForces, [meeting('2027-05-11', { nominations: [nominee('cambs'), nominee('leics')] })])).toEqual(['ATTENDANCE_UNRECORDED p.2027-05-11 leics']);
  });

  it('flags a missing nominee from two working days before, per force, but not for a meeting the bot learnt of afterwards', () => {
    const soon = meeting('2027-06-22', { status: 'scheduled', nominations: [nominee('cambs')], attendance: [] });
    expect(computeFlags(twoForces, [soon], NOW).map(show)).toEqual(['NO_NOMINATION p.2027-06-22 leics']);
    expect(codes(twoForces, [soon], '2027-06-17T12:00:00.000Z')).toEqual([]);
    const imported = meeting('2027-05-11', { nominations: [], createdAt: '2027-06-01T00:00:00.000Z' });
    expect(codes(monthly, [imported])).toEqual([]);
  });

  it('asks an invited force about its one meeting only, and never counts it absent from the others', () => {
    const invitedTo = meeting('2027-05-11', { invited: ['btp'], nominations: [nominee(), nominee('btp')] });
    expect(codes(monthly, [meeting('2027-04-13'), invitedTo])).toEqual(['ATTENDANCE_UNRECORDED p.2027-05-11 btp']);
  });

  it('flags churn once per force when any 4 meetings in a row had 3 or more different people', () => {
    const days = ['2027-01-12', '2027-02-09', '2027-03-09', '2027-04-13', '2027-05-11', '2027-06-08'];
    const run = (people: string[]) => people.map((p, i) => meeting(days[i]!, { attendance: [record(p)] }));
    const churn = (ms: FlagMeeting[]) => codes(monthly, ms).filter((c) => c.startsWith('ATTENDEE_CHURN'));
    expect(churn(run(['a', 'b', 'a', 'b']))).toEqual([]);
    expect(churn(run(['a', 'b', 'c', 'a', 'b', 'c']))).toEqual(['ATTENDEE_CHURN cambs']);
    // A force that sends the same three people every time is consistent: one person per meeting is counted.
    const trio = days.slice(0, 4).map((d) => meeting(d, { attendance: [{ ...record('a'), attendees: [person('a'), person('b', { decisionMaker: 'no' }), person('c', { decisionMaker: 'no' })] }] }));
    expect(churn(trio)).toEqual([]);
  });
});
