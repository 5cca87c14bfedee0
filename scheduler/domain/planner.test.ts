import { describe, expect, it } from 'vitest';
import { isEmptyDiff, planDiff } from './planner.js';
import type { Meeting, PlannedMeeting } from './types.js';

const NOW = '2027-01-01T00:00:00.000Z';
const HORIZON = '2028-01-01T00:00:00.000Z';
const planned = (day: string, extra: Partial<PlannedMeeting> = {}): PlannedMeeting => ({
  id: `p.${day}`, panelId: 'p', occurrence: day, start: `${day}T10:00:00.000Z`, end: `${day}T12:00:00.000Z`, moved: null, ...extra,
});
const stored = (day: string, extra: Partial<Meeting> = {}): Meeting => ({
  ...planned(day), status: 'scheduled', extra: false, version: 1, locked: false, ...extra,
});

describe('planDiff', () => {
  it('creates what is missing and nothing else', () => {
    const d = planDiff([stored('2027-02-09')], [planned('2027-02-09'), planned('2027-03-09')], NOW, HORIZON);
    expect(d.create.map((m) => m.id)).toEqual(['p.2027-03-09']);
    expect(d.create[0]).toMatchObject({ status: 'scheduled', version: 1, locked: false, extra: false });
    expect(d.update).toEqual([]);
    expect(d.remove).toEqual([]);
  });

  it('is empty when the plan matches the store', () => {
    expect(isEmptyDiff(planDiff([stored('2027-02-09')], [planned('2027-02-09')], NOW, HORIZON))).toBe(true);
  });

  it('moves a plain meeting in place and raises its version', () => {
    const moved = planned('2027-05-03', { start: '2027-05-04T09:00:00.000Z', end: '2027-05-04T11:00:00.000Z', moved: { from: '2027-05-03T09:00:00.000Z', reason: 'bank holiday: Early May bank holiday' } });
    const d = planDiff([stored('2027-05-03')], [moved], NOW, HORIZON);
    expect(d.update).toHaveLength(1);
    expect(d.update[0]!.after).toMatchObject({ id: 'p.2027-05-03', start: moved.start, moved: moved.moved, version: 2 });
  });

  it('removes plain future meetings the plan no longer has', () => {
    const d = planDiff([stored('2027-02-09'), stored('2027-02-10')], [planned('2027-02-10')], NOW, HORIZON);
    expect(d.remove.map((m) => m.id)).toEqual(['p.2027-02-09']);
  });

  it.each([
    ['held', { status: 'held' as const }],
    ['cancelled', { status: 'cancelled' as const }],
    ['locked (nominated or rescheduled)', { locked: true }],
    ['extra', { extra: true }],
  ])('never touches a %s meeting', (_name, extra) => {
    const m = stored('2027-02-09', extra);
    const d = planDiff([m], [planned('2027-02-09', { start: '2027-02-09T14:00:00.000Z' })], NOW, HORIZON);
    expect(isEmptyDiff(d)).toBe(true);
    expect(isEmptyDiff(planDiff([m], [], NOW, HORIZON))).toBe(true);
  });

  it('never touches a past meeting, nor plans one in the past or beyond the horizon', () => {
    const past = stored('2026-12-01');
    const d = planDiff([past], [planned('2026-12-15'), planned('2028-01-11')], NOW, HORIZON);
    expect(isEmptyDiff(d)).toBe(true);
  });
});
