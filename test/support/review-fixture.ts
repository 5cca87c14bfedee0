import type { Cancellation, Store } from '../../scheduler/store/store.js';
import type { FlagMeeting } from '../../scheduler/domain/flags.js';
import type { Attendance, Force, Meeting, Nomination, Panel, Person } from '../../scheduler/domain/types.js';

/**
 * A hand-checked quarter (Jan-Mar 2026) for the review: a two-force panel (p1) with a held meeting where
 * force b's attendee could not decide, a no-cases cancellation, a moved meeting nobody recorded (so not held,
 * though it ended) and an extra meeting; a one-force panel (p2) with a meeting not held, one the police missed and a cancellation without
 * a recorded reason, plus an April meeting outside the period; a when-necessary panel (p3).
 */
export const PERIOD = { from: '2026-01-01T00:00:00.000Z', to: '2026-03-31T23:00:00.000Z' };
export const NOW = '2026-06-01T09:00:00.000Z';
/** When the fixture's meetings were planned: before the quarter, so every one was known in time to name an attendee. */
export const PLANNED_AT = '2025-12-01T00:00:00.000Z';

const person = (n: number, name: string): Person => ({ aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name });
export const LEAD_A = person(1, 'Lead A');
export const LEAD_B = person(2, 'Lead B');
export const CHAIR_2 = person(3, 'Chair Two');
export const NATIONAL = person(4, 'National Lead');
const [A1, A2, B1, B2] = [person(11, 'Officer A1'), person(12, 'Officer A2'), person(21, 'Officer B1'), person(22, 'Officer B2')];

export const FORCES: Force[] = [
  { id: 'a', name: 'Force A', preventLeads: [LEAD_A], deputies: [], teamsChannelId: null, retired: false },
  { id: 'b', name: 'Force B', preventLeads: [LEAD_B], deputies: [], teamsChannelId: null, retired: false },
];
const rule = { kind: 'rrule' as const, rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' };
/** A when-necessary timetable, also for switching a fixture panel to it after its meetings were planned. */
export const WHEN_NECESSARY: Panel['timetable'] = { kind: 'when-necessary', start: '10:00', minutes: 120 };
const panel = (id: string, forces: string[], chairs: Person[], timetable: Panel['timetable'] = rule): Panel => ({
  id, name: `Panel ${id}`, localAuthority: `Council ${id}`, forces, chairs, timetable, teamsChannelId: null, retired: false,
});
export const PANELS: Panel[] = [
  panel('p1', ['a', 'b'], [person(5, 'Chair One')]),
  panel('p2', ['a'], [CHAIR_2]),
  panel('p3', ['b'], [person(6, 'Chair Three')], WHEN_NECESSARY),
];

const meeting = (id: string, day: string, extra: Partial<Meeting> = {}): Meeting => ({
  id, panelId: id.split('-')[0]!, occurrence: day, start: `${day}T10:00:00.000Z`, end: `${day}T12:00:00.000Z`,
  status: 'held', moved: null, extra: false, version: 1, locked: true, ...extra,
});
export const MEETINGS: Meeting[] = [
  meeting('p1-jan', '2026-01-13'),
  meeting('p1-feb', '2026-02-10', { status: 'cancelled' }),
  meeting('p1-mar', '2026-03-10', { status: 'scheduled', moved: { from: '2026-03-09T10:00:00.000Z', reason: 'chair moved it' } }),
  meeting('p1-extra', '2026-03-24', { extra: true, occurrence: null }),
  meeting('p2-jan', '2026-01-20', { status: 'not-held' }),
  meeting('p2-feb', '2026-02-17'),
  meeting('p2-mar', '2026-03-17', { status: 'cancelled' }),
  meeting('p2-apr', '2026-04-14'),
  meeting('p3-feb', '2026-02-05', { extra: true, occurrence: null }),
];

const nomination = (meetingId: string, forceId: string, p: Person, at: string): Nomination => ({
  meetingId, forceId, aadObjectId: p.aadObjectId, name: p.name, role: 'DI', decisionMaker: true, nominatedBy: LEAD_A.aadObjectId, nominatedAt: at, version: 1,
});
export const NOMINATIONS: Nomination[] = [
  nomination('p1-jan', 'a', A1, '2026-01-03T10:00:00.000Z'), // 10 days ahead
  nomination('p1-jan', 'b', B1, '2026-01-08T10:00:00.000Z'), // 5
  nomination('p1-feb', 'a', A1, '2026-02-01T10:00:00.000Z'), // 9
  nomination('p3-feb', 'b', B2, '2026-02-04T10:00:00.000Z'), // 1
];

const attended = (meetingId: string, forceId: string, p: Person | null, decisionMaker: boolean): Attendance => ({
  meetingId, forceId, outcome: p ? 'attended' : 'absent',
  attendees: p ? [{ aadObjectId: p.aadObjectId, tenantId: null, name: p.name, roleCategory: 'prevent-officer', role: 'DI', unit: 'local', mode: 'in-person', decisionMaker: decisionMaker ? 'yes' : 'no', substitute: false }] : [],
  source: 'chair', forceConfirmation: 'not-needed', confirmedBy: null, confirmedAt: null, recordedBy: CHAIR_2.aadObjectId, recordedAt: '2026-03-30T10:00:00.000Z', version: 1,
});
export const ATTENDANCE: Attendance[] = [
  attended('p1-jan', 'a', A1, true),
  attended('p1-jan', 'b', B1, false),
  attended('p1-extra', 'a', A2, true),
  attended('p1-extra', 'b', B1, true),
  attended('p2-feb', 'a', null, false),
  attended('p3-feb', 'b', B2, true),
];

export const CANCELLATIONS: Cancellation[] = [
  { meetingId: 'p1-feb', reason: 'no cases to discuss', note: 'none this month', cancelledBy: CHAIR_2.aadObjectId, cancelledAt: '2026-02-01T10:00:00.000Z' },
];

/** The fixture's meetings in the period as the review loads them. */
export function flagMeetings(): FlagMeeting[] {
  return MEETINGS.filter((m) => m.start >= PERIOD.from && m.start < PERIOD.to).map((m) => ({
    ...m,
    createdAt: PLANNED_AT,
    cancelReason: CANCELLATIONS.find((c) => c.meetingId === m.id)?.reason ?? null,
    nominations: NOMINATIONS.filter((n) => n.meetingId === m.id),
    attendance: ATTENDANCE.filter((a) => a.meetingId === m.id),
    invited: [],
    meetingRecord: null,
  }));
}

/** Writes the fixture into a store, national lead included. */
export async function seedReviewFixture(store: Store): Promise<void> {
  for (const f of FORCES) await store.directory.saveForce(f, NOW);
  for (const p of PANELS) await store.directory.savePanel(p, NOW);
  await store.directory.setNationalLeads([NATIONAL]);
  await store.meetings.insertMany(MEETINGS, PLANNED_AT);
  for (const n of NOMINATIONS) await store.nominations.save(n);
  for (const a of ATTENDANCE) await store.chairs.saveAttendance(a);
  for (const c of CANCELLATIONS) await store.chairs.saveCancellation(c);
}
