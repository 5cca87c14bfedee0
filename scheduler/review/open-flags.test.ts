import { describe, expect, it } from 'vitest';
import type { Meeting, Panel } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { forceDigestFlags, openFlags, type ShownFlag } from './open-flags.js';

// The open flags as the cards get them: names, local times and what the person may do, from a store holding one
// joint panel (Cambridgeshire and Leicestershire) with a meeting to come that nobody is named for, and one that ended
// with nothing recorded.

const NOW = '2027-05-10T09:00:00.000Z'; // a Monday, past the escalation point for Tuesday 11 May
const panel: Panel = {
  id: 'peterborough-rutland', name: 'Peterborough and Rutland Channel panel', localAuthority: 'Peterborough City Council', forces: ['cambs', 'leics'], chairs: [],
  timetable: { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2027-01-01' }, teamsChannelId: null, retired: false,
};
const meeting = (id: string, start: string, end: string): Meeting => ({ id, panelId: panel.id, occurrence: start.slice(0, 10), start, end, status: 'scheduled', moved: null, extra: false, version: 1, locked: false, createdAt: '2027-01-01T00:00:00.000Z' });
const MEETINGS = [
  meeting('peterborough-rutland.2027-04-13', '2027-04-13T09:00:00.000Z', '2027-04-13T11:00:00.000Z'),
  meeting('peterborough-rutland.2027-05-11', '2027-05-11T09:00:00.000Z', '2027-05-11T11:00:00.000Z'),
];
const ROLES: Record<string, Array<{ role: string; scopeId: string }>> = {
  chair: [{ role: 'chair', scopeId: panel.id }],
  leics: [{ role: 'prevent-lead', scopeId: 'leics' }],
  pcc: [{ role: 'pcc-office', scopeId: 'cambs' }],
};
const FORCES = [{ id: 'cambs', name: 'Cambridgeshire Constabulary', retired: false }, { id: 'leics', name: 'Leicestershire Police', retired: false }];
const none = async () => [];
const store = {
  directory: {
    rolesOf: async (aad: string) => ROLES[aad] ?? [],
    getForce: async (id: string) => FORCES.find((f) => f.id === id) ?? null,
    getPanel: async (id: string) => (id === panel.id ? panel : null),
    listPanels: async () => [panel],
    listForces: async () => FORCES,
  },
  meetings: { list: async () => MEETINGS },
  nominations: { listForMeetings: none },
  chairs: { attendance: none, cancellations: none, invitations: none, meetingRecords: none },
} as unknown as Store;

const shown = (flags: ShownFlag[]) => flags.map(({ code, forceName, meetingStart, month, action }) => ({ code, forceName, meetingStart, month, action }));

describe('open flags, as the cards get them', () => {
  it("gives a lead their own force's flags by name, with a button to name the attendee of the meeting to come", async () => {
    const r = await openFlags(store, 'leics', NOW);
    expect(shown(r!.flags.filter((f) => f.meetingId === 'peterborough-rutland.2027-05-11'))).toEqual([
      { code: 'NO_NOMINATION', forceName: 'Leicestershire Police', meetingStart: '2027-05-11T10:00:00+01:00', month: undefined, action: 'name-attendee' },
    ]);
    expect(r!.flags.every((f) => f.forceId !== 'cambs')).toBe(true);
    // Nobody was named for April either, but that meeting has passed: nothing to press.
    expect(r!.flags.find((f) => f.code === 'NO_NOMINATION' && f.meetingId === 'peterborough-rutland.2027-04-13')?.action).toBeNull();
  });

  it("gives the chair every force's flags, and a button to record the meeting that ended with nothing recorded", async () => {
    const r = await openFlags(store, 'chair', NOW);
    const april = r!.flags.filter((f) => f.code === 'ATTENDANCE_UNRECORDED');
    expect(april.map((f) => [f.month, f.meetingId, f.action])).toEqual([['2027-04', 'peterborough-rutland.2027-04-13', 'record-attendance']]);
    expect(r!.flags.filter((f) => f.code === 'NO_NOMINATION' && f.meetingStart?.startsWith('2027-05-11')).map((f) => [f.forceName, f.action])).toEqual([
      ['Cambridgeshire Constabulary', null],
      ['Leicestershire Police', null],
    ]);
  });

  it("gives a read-only role (a PCC's office) its force's flags, and nothing to press", async () => {
    const r = await openFlags(store, 'pcc', NOW);
    expect(r!.flags.length).toBeGreaterThan(0);
    expect(r!.flags.every((f) => f.forceId !== 'leics' && f.action === null)).toBe(true);
    expect(r!.flags.some((f) => f.forceName === 'Cambridgeshire Constabulary' && f.code === 'NO_NOMINATION')).toBe(true);
    expect(await openFlags(store, 'nobody', NOW)).toBeNull();
  });

  it("offers no button in the weekly digest (an answer would replace the shared card for whoever pressed), only the words", async () => {
    const flags = await forceDigestFlags(store, 'cambs', NOW);
    expect(shown(flags.filter((f) => f.code === 'NO_NOMINATION' && f.meetingId === 'peterborough-rutland.2027-05-11'))).toEqual([
      { code: 'NO_NOMINATION', forceName: 'Cambridgeshire Constabulary', meetingStart: '2027-05-11T10:00:00+01:00', month: undefined, action: null },
    ]);
  });
});
