import { describe, expect, it } from 'vitest';
import { flagMeetings, NOW, PANELS, PERIOD, WHEN_NECESSARY } from '../../test/support/review-fixture.js';
import { computeReview, previousPeriod, yearEarlier, type ReviewFigures, type ReviewScope } from './review.js';
import { csvCell, reviewCsv, reviewRows } from './review-csv.js';

const NATIONAL: ReviewScope = { forces: null, panels: null, label: 'all forces' };
const FORCE_A: ReviewScope = { forces: ['a'], panels: ['p1', 'p2'], label: 'Force A' };
const input = (scope: ReviewScope) => ({ scope, panels: PANELS, meetings: flagMeetings(), ...PERIOD, now: NOW });

const base: ReviewFigures = {
  meetings: 0, due: 0, held: 0, cancelled: 0, cancelledByReason: {}, notHeld: 0, unrecorded: 0, extra: 0, moved: 0, monthsDue: 0, monthsMet: 0,
  attendanceUnrecorded: 0, decisionMakerPresent: 0, decisionMakerShareOfDue: null, decisionMakerShareOfHeld: null, policeAbsent: 0,
  distinctAttendees: 0, medianNominationDays: null, openFlags: 0, flagsByCode: {},
};
const entry = (scope: ReviewScope, panelId: string, forceId: string) => computeReview(input(scope)).panels.find((p) => p.panelId === panelId && p.forceId === forceId)!.figures;

// The fixture's quarter (Jan-Mar 2026), counted by hand per panel and force. Months are judged from the panel's first
// meeting (January for p1 and p2; the when-necessary p3 from the period's start) to March, the last whole month.
describe('the recommendation 7 review, against hand-computed figures', () => {
  it('counts a two-force panel per force: due includes the held extra meeting; the share of due is the headline', () => {
    // p1: Jan held (a: A1 yes; b: B1 no), Feb cancelled for no cases, Mar moved and unrecorded, 24 Mar extra held (a: A2 yes; b: B1 yes).
    // Due 4 (three timetabled, one extra held); months met Jan and Mar of 3; NO_NOMINATION for Mar and the extra, per force.
    expect(entry(NATIONAL, 'p1', 'a')).toEqual({
      ...base, meetings: 4, due: 4, held: 2, cancelled: 1, cancelledByReason: { 'no cases to discuss': 1 }, unrecorded: 1, extra: 1, moved: 1,
      monthsDue: 3, monthsMet: 2, decisionMakerPresent: 2, decisionMakerShareOfDue: 0.5, decisionMakerShareOfHeld: 1, distinctAttendees: 2,
      medianNominationDays: 9.5, openFlags: 3, flagsByCode: { CANCELLED_NO_CASES: 1, NO_NOMINATION: 2 },
    });
    expect(entry(NATIONAL, 'p1', 'b')).toEqual({
      ...base, meetings: 4, due: 4, held: 2, cancelled: 1, cancelledByReason: { 'no cases to discuss': 1 }, unrecorded: 1, extra: 1, moved: 1,
      monthsDue: 3, monthsMet: 2, decisionMakerPresent: 1, decisionMakerShareOfDue: 0.25, decisionMakerShareOfHeld: 0.5, distinctAttendees: 1,
      medianNominationDays: 5, openFlags: 4, flagsByCode: { CANCELLED_NO_CASES: 1, NOT_DECISION_MAKER: 1, NO_NOMINATION: 2 },
    });
  });

  it('counts a meeting not held, police absent and a cancellation without a reason, one flag per lost month', () => {
    // p2: Jan not held, Feb held with force a absent (no apologies), Mar cancelled with no reason; April is after the period.
    expect(entry(NATIONAL, 'p2', 'a')).toEqual({
      ...base, meetings: 3, due: 3, held: 1, cancelled: 1, cancelledByReason: { 'no reason recorded': 1 }, notHeld: 1, monthsDue: 3, monthsMet: 1,
      decisionMakerShareOfDue: 0, decisionMakerShareOfHeld: 0, policeAbsent: 1, openFlags: 5,
      flagsByCode: { NOT_HELD: 1, CANCELLED: 1, NO_NOMINATION: 2, POLICE_ABSENT: 1 },
    });
  });

  it('counts a held extra meeting of a when-necessary panel as due, judges it from the period’s start, and flags the panel once and its empty months', () => {
    expect(entry(NATIONAL, 'p3', 'b')).toEqual({
      ...base, meetings: 1, due: 1, held: 1, extra: 1, monthsDue: 3, monthsMet: 1, decisionMakerPresent: 1, decisionMakerShareOfDue: 1,
      decisionMakerShareOfHeld: 1, distinctAttendees: 1, medianNominationDays: 1, openFlags: 3, flagsByCode: { WHEN_NECESSARY_PANEL: 1, TIMETABLE_GAP: 2 },
    });
  });

  it('totals over panels and forces: people once, flags once each, the median over every nomination', () => {
    const r = computeReview(input(NATIONAL));
    expect(r.total).toEqual({
      ...base, meetings: 12, due: 12, held: 6, cancelled: 3, cancelledByReason: { 'no cases to discuss': 2, 'no reason recorded': 1 }, notHeld: 1,
      unrecorded: 2, extra: 3, moved: 2, monthsDue: 12, monthsMet: 6, decisionMakerPresent: 4, decisionMakerShareOfDue: 0.333, decisionMakerShareOfHeld: 0.667,
      policeAbsent: 1, distinctAttendees: 4, medianNominationDays: 7, openFlags: 14,
      flagsByCode: { CANCELLED_NO_CASES: 1, NOT_DECISION_MAKER: 1, NO_NOMINATION: 6, NOT_HELD: 1, CANCELLED: 1, POLICE_ABSENT: 1, WHEN_NECESSARY_PANEL: 1, TIMETABLE_GAP: 2 },
    });
    // Each meeting once; decision maker present when every force at it had one.
    expect(r.months).toEqual([
      { month: '2026-01', held: 1, cancelled: 0, notHeld: 1, unrecorded: 0, decisionMakerPresent: 0 },
      { month: '2026-02', held: 2, cancelled: 1, notHeld: 0, unrecorded: 0, decisionMakerPresent: 1 },
      { month: '2026-03', held: 1, cancelled: 1, notHeld: 0, unrecorded: 1, decisionMakerPresent: 1 },
    ]);
    expect(r.forces.map((f) => [f.forceId, f.figures.due, f.figures.decisionMakerPresent])).toEqual([['a', 7, 2], ['b', 5, 2]]);
  });

  it("judges a force's review by its own attendees only, on a panel it shares", () => {
    const r = computeReview(input(FORCE_A));
    expect(r.panels.map((p) => `${p.panelId}/${p.forceId}`)).toEqual(['p1/a', 'p2/a']);
    expect(r.total).toMatchObject({ meetings: 7, due: 7, held: 3, monthsDue: 6, monthsMet: 3, decisionMakerPresent: 2, decisionMakerShareOfDue: 0.286, decisionMakerShareOfHeld: 0.667, distinctAttendees: 2, medianNominationDays: 9.5, openFlags: 8 });
  });

  it('compares with the previous period of the same length and the same period a year earlier', () => {
    const r = computeReview(input(NATIONAL));
    // The fixture's quarter is Jan-Mar: the quarter before is Oct-Dec 2025 (1 October 00:00 BST is 30 September 23:00Z).
    expect(r.previous).toMatchObject({ from: '2025-09-30T23:00:00.000Z', to: PERIOD.from, total: { meetings: 0, due: 0 } });
    expect(previousPeriod('2026-02-10T09:00:00.000Z', '2026-02-20T09:00:00.000Z')).toEqual({ from: '2026-01-31T09:00:00.000Z', to: '2026-02-10T09:00:00.000Z' });
    expect(yearEarlier('2024-02-29T00:00:00.000Z', '2024-03-01T00:00:00.000Z')).toEqual({ from: '2023-02-28T00:00:00.000Z', to: '2023-03-01T00:00:00.000Z' });
    expect(r.lastYear).toMatchObject({ from: '2025-01-01T00:00:00.000Z', to: '2025-03-31T23:00:00.000Z', total: { meetings: 0 } });
  });

  it('keeps meetings planned from the old timetable due after the panel goes when-necessary', () => {
    const switched = { ...input(NATIONAL), panels: PANELS.map((p) => (p.id === 'p1' ? { ...p, timetable: WHEN_NECESSARY } : p)) };
    expect(computeReview(switched).panels[0]!.figures).toMatchObject({ due: 4, extra: 1 });
    expect(reviewRows(switched).filter((r) => r.panel_id === 'p1' && r.force_id === 'a').map((r) => r.timetabled)).toEqual(['yes', 'yes', 'yes', 'no']);
  });

  it('exports one row per meeting and force in scope, oldest first, and nothing from the cancellation note', () => {
    expect(reviewRows(input(NATIONAL))).toHaveLength(12);
    const rows = reviewRows(input(FORCE_A));
    expect(rows.map((r) => r.meeting_id)).toEqual(['p1-jan', 'p2-jan', 'p1-feb', 'p2-feb', 'p1-mar', 'p2-mar', 'p1-extra']);
    expect(rows[0]).toMatchObject({ force_id: 'a', status: 'held', nominee: 'Officer A1', days_nominated_ahead: '10.0', attendance: 'attended', decision_maker_present: 'yes', flags: '' });
    expect(rows[4]).toMatchObject({ status: 'unrecorded', timetabled: 'yes', attendance: 'unrecorded', moved_from: '2026-03-09T10:00:00+00:00', decision_maker_present: '', flags: 'NO_NOMINATION' });
    expect(rows[5]).toMatchObject({ status: 'cancelled', cancel_reason: 'no reason recorded', attendance: '' });
    expect(reviewCsv(rows)).not.toContain('none this month');
  });

  it('quotes CSV cells and defuses spreadsheet formulas', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('plain')).toBe('plain');
  });
});
