import { describe, expect, it } from 'vitest';
import { computeFlags, type FlagMeeting } from './flags.js';
import type { Attendance, Attendee, Nomination, Panel } from './types.js';

const NOW = '2027-06-20T12:00:00.000Z';
const panel: Panel = {
  id: 'p', name: 'P panel', localAuthority: 'LA', forces: ['cambs'], chairs: [], teamsChannelId: null, retired: false,
  timetable: { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' },
};
const twoForces: Panel = { ...panel, forces: ['cambs', 'leics'] };
const nominee = (forceId = 'cambs', extra: Partial<Nomination> = {}): Nomination => ({
  meetingId: 'x', forceId, aadObjectId: 'n1', name: 'Nominee', role: 'DI', decisionMaker: true, nominatedBy: 'l', nominatedAt: NOW, version: 1, ...extra,
});
const person = (who: string, extra: Partial<Attendee> = {}): Attendee => ({
  aadObjectId: who, tenantId: null, name: who, roleCategory: 'prevent-officer', role: 'DS', unit: 'local', mode: 'in-person', decisionMaker: 'yes', substitute: false, ...extra,
});
const attended = (who: string, extra: Partial<Attendance> = {}, p: Partial<Attendee> = {}): Attendance => ({
  meetingId: 'x', forceId: 'cambs', outcome: 'attended', attendees: [person(who, p)], source: 'chair', forceConfirmation: 'not-needed', confirmedBy: null, confirmedAt: null,
  recordedBy: 'c', recordedAt: NOW, version: 1, ...extra,
});
const meeting = (day: string, extra: Partial<FlagMeeting> = {}): FlagMeeting => ({
  id: `p.${day}`, panelId: 'p', occurrence: day, start: `${day}T09:00:00.000Z`, end: `${day}T11:00:00.000Z`, status: 'scheduled',
  moved: null, extra: false, version: 1, locked: false, cancelReason: null, nominations: [nominee()], attendance: [attended('a')], invited: [], meetingRecord: null, ...extra,
});
const codes = (p: Panel, ms: FlagMeeting[], now = NOW) => computeFlags(p, ms, now).map((f) => `${f.code}${f.month ? ` ${f.month}` : ''}${f.meetingId ? ` ${f.meetingId}` : ''}`);

describe('compliance flags', () => {
  it('raises nothing for a panel held monthly with a confirmed decision maker recorded', () => {
    expect(codes(panel, [meeting('2027-04-13'), meeting('2027-05-11')])).toEqual([]);
  });

  it('flags a when-necessary panel permanently', () => {
    expect(codes({ ...panel, timetable: { kind: 'when-necessary', start: '10:00', minutes: 120 } }, [])).toEqual(['WHEN_NECESSARY_PANEL']);
  });

  it('flags a cancellation, and one for want of cases twice', () => {
    expect(codes(panel, [meeting('2027-04-13'), meeting('2027-05-11', { status: 'cancelled', cancelReason: 'not quorate' })])).toEqual(['TIMETABLE_GAP 2027-05', 'CANCELLED p.2027-05-11']);
    expect(codes(panel, [meeting('2027-05-11', { status: 'cancelled', cancelReason: 'no cases to discuss' })])).toEqual([
      'TIMETABLE_GAP 2027-05', 'CANCELLED p.2027-05-11', 'CANCELLED_NO_CASES p.2027-05-11',
    ]);
  });

  it('counts a month whose cancelled meeting was replaced by an extra one as met', () => {
    const ms = [meeting('2027-05-11', { status: 'cancelled', cancelReason: 'rescheduled' }), meeting('2027-05-19', { id: 'p.x1', occurrence: null, extra: true })];
    expect(codes(panel, ms)).toEqual(['CANCELLED p.2027-05-11']);
  });

  it('keeps a meeting moved by a bank holiday in its month', () => {
    const moved = meeting('2027-05-04', { moved: { from: '2027-05-03T09:00:00.000Z', reason: 'bank holiday: Early May bank holiday' } });
    expect(codes(panel, [meeting('2027-04-13'), moved])).toEqual([]);
  });

  it('finds a month with no meeting at all, but not the current month', () => {
    expect(codes(panel, [meeting('2027-03-09'), meeting('2027-05-11'), meeting('2027-06-28', { attendance: [] })])).toEqual(['TIMETABLE_GAP 2027-04']);
  });

  it('flags a missing nominee two working days before, per force', () => {
    const soon = meeting('2027-06-22', { nominations: [nominee('cambs')], attendance: [] });
    expect(computeFlags(twoForces, [soon], NOW).map((f) => `${f.code} ${f.forceId}`)).toEqual(['NO_NOMINATION leics']);
    expect(codes(twoForces, [soon], '2027-06-17T12:00:00.000Z')).toEqual([]);
  });

  it('flags absence, a non-decision-maker and a substitute', () => {
    const f = (a: Attendance) => computeFlags(panel, [meeting('2027-05-11', { attendance: [a] })], NOW).map((x) => x.code);
    expect(f(attended('a', { outcome: 'absent', attendees: [] }))).toEqual(['POLICE_ABSENT']);
    expect(f(attended('a', { outcome: 'apologies', attendees: [] }))).toEqual(['POLICE_ABSENT']);
    expect(f(attended('a', {}, { decisionMaker: 'no' }))).toEqual(['NOT_DECISION_MAKER']);
    expect(f(attended('a', {}, { decisionMaker: 'unknown' }))).toEqual(['NOT_DECISION_MAKER']);
    expect(f(attended('b', { forceConfirmation: 'pending' }, { substitute: true }))).toEqual(['SUBSTITUTE_ATTENDED']);
    expect(f(attended('b', { forceConfirmation: 'disputed' }, { substitute: true }))).toEqual(['NOT_DECISION_MAKER', 'SUBSTITUTE_ATTENDED']);
  });

  it('asks an invited force about its one meeting only, and never counts it absent from the others', () => {
    const invitedTo = meeting('2027-05-11', { invited: ['btp'], attendance: [attended('a')] });
    const other = meeting('2027-04-13');
    const flags = computeFlags(panel, [other, invitedTo], NOW).map((x) => `${x.code} ${x.forceId ?? ''} ${x.meetingId ?? ''}`);
    expect(flags).toEqual(['NO_NOMINATION btp p.2027-05-11', 'ATTENDANCE_UNRECORDED btp p.2027-05-11']);
  });

  it('flags attendance unrecorded 3 working days after the meeting, not before', () => {
    const m = meeting('2027-06-14', { attendance: [] }); // Monday
    expect(codes(panel, [m], '2027-06-16T12:00:00.000Z')).toEqual([]);
    expect(codes(panel, [m], '2027-06-17T08:00:00.000Z')).toEqual(['ATTENDANCE_UNRECORDED p.2027-06-14']);
  });

  it('flags churn by people, not nominations, over the last four held meetings', () => {
    const four = (people: string[]) => people.map((p, i) => meeting(['2027-02-09', '2027-03-09', '2027-04-13', '2027-05-11'][i]!, { attendance: [attended(p)] }));
    expect(codes(panel, four(['a', 'b', 'a', 'b']))).toEqual([]);
    expect(codes(panel, four(['a', 'b', 'c', 'a']))).toEqual(['ATTENDEE_CHURN']);
    // Older history outside the window does not count.
    expect(codes(panel, [meeting('2027-01-12', { attendance: [attended('z')] }), ...four(['a', 'b', 'a', 'b'])])).toEqual([]);
  });
});
