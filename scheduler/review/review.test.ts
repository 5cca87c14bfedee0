import { describe, expect, it } from 'vitest';
import { flagMeetings, NOW, PANELS, PERIOD, WHEN_NECESSARY } from '../../test/support/review-fixture.js';
import { computeReview, type ReviewFigures, type ReviewScope } from './review.js';
import { csvCell, reviewCsv, reviewRows } from './review-csv.js';

const NATIONAL: ReviewScope = { forces: null, panels: null, label: 'all forces' };
const FORCE_A: ReviewScope = { forces: ['a'], panels: ['p1', 'p2'], label: 'Force A' };
const input = (scope: ReviewScope) => ({ scope, panels: PANELS, meetings: flagMeetings(), ...PERIOD, now: NOW });
const byPanel = (scope: ReviewScope) => Object.fromEntries(computeReview(input(scope)).panels.map((p) => [p.panelId, p.figures]));

const base: ReviewFigures = {
  meetings: 0, due: 0, held: 0, cancelled: 0, cancelledByReason: {}, notHeld: 0, unrecorded: 0, extra: 0, moved: 0, attendanceUnrecorded: 0,
  decisionMakerPresent: 0, decisionMakerShare: null, distinctAttendees: 0, medianNominationDays: null, openFlags: 0, flagsByCode: {},
};

describe('the recommendation 7 review, against hand-computed figures', () => {
  it('counts a two-force panel with a cancellation, a moved meeting nobody recorded (not held) and an extra one', () => {
    expect(byPanel(NATIONAL).p1).toEqual({
      ...base, meetings: 4, due: 3, held: 2, cancelled: 1, cancelledByReason: { 'no cases to discuss': 1 }, unrecorded: 1, extra: 1, moved: 1,
      decisionMakerPresent: 1, decisionMakerShare: 0.5, distinctAttendees: 3, medianNominationDays: 9, openFlags: 8,
      flagsByCode: { TIMETABLE_GAP: 1, NOT_DECISION_MAKER: 1, CANCELLED: 1, CANCELLED_NO_CASES: 1, NO_NOMINATION: 2, ATTENDANCE_UNRECORDED: 2 },
    });
  });

  it('counts a meeting not held, police absent, a cancellation without a reason, and leaves out a meeting after the period', () => {
    expect(byPanel(NATIONAL).p2).toEqual({
      ...base, meetings: 3, due: 3, held: 1, cancelled: 1, cancelledByReason: { 'no reason recorded': 1 }, notHeld: 1,
      decisionMakerShare: 0, openFlags: 4, flagsByCode: { TIMETABLE_GAP: 2, POLICE_ABSENT: 1, CANCELLED: 1 },
    });
  });

  it('never counts a when-necessary panel as due, and flags it', () => {
    expect(byPanel(NATIONAL).p3).toEqual({
      ...base, meetings: 1, held: 1, extra: 1, decisionMakerPresent: 1, decisionMakerShare: 1, distinctAttendees: 1, medianNominationDays: 1,
      openFlags: 1, flagsByCode: { WHEN_NECESSARY_PANEL: 1 },
    });
  });

  it('totals across panels: people are counted once, the median is over every nomination', () => {
    const r = computeReview(input(NATIONAL));
    expect(r.total).toMatchObject({
      meetings: 8, due: 6, held: 4, cancelled: 2, notHeld: 1, unrecorded: 1, extra: 2, moved: 1, attendanceUnrecorded: 0, decisionMakerPresent: 2,
      decisionMakerShare: 0.5, distinctAttendees: 4, medianNominationDays: 7, openFlags: 13,
    });
    expect(r.total.cancelledByReason).toEqual({ 'no cases to discuss': 1, 'no reason recorded': 1 });
    expect(r.months).toEqual([
      { month: '2026-01', held: 1, cancelled: 0, decisionMakerPresent: 0 },
      { month: '2026-02', held: 2, cancelled: 1, decisionMakerPresent: 1 },
      { month: '2026-03', held: 1, cancelled: 1, decisionMakerPresent: 1 },
    ]);
  });

  it("judges a force's review by its own attendees only, on a panel it shares", () => {
    const r = computeReview(input(FORCE_A));
    expect(r.panels.map((p) => p.panelId)).toEqual(['p1', 'p2']);
    expect(r.panels[0]!.figures).toMatchObject({ held: 2, unrecorded: 1, decisionMakerPresent: 2, decisionMakerShare: 1, distinctAttendees: 2, medianNominationDays: 9.5, openFlags: 5 });
    expect(r.total).toMatchObject({ meetings: 7, due: 6, held: 3, unrecorded: 1, decisionMakerPresent: 2, decisionMakerShare: 0.667, distinctAttendees: 2, medianNominationDays: 9.5, openFlags: 9 });
  });

  it('keeps meetings planned from the old timetable due after the panel goes when-necessary', () => {
    const switched = { ...input(NATIONAL), panels: PANELS.map((p) => (p.id === 'p1' ? { ...p, timetable: WHEN_NECESSARY } : p)) };
    expect(computeReview(switched).panels[0]!.figures).toMatchObject({ due: 3, extra: 1 });
    expect(reviewRows(switched).filter((r) => r.panel_id === 'p1' && r.force_id === 'a').map((r) => r.timetabled)).toEqual(['yes', 'yes', 'yes', 'no']);
  });

  it('exports one row per meeting and force in scope, oldest first, and nothing from the cancellation note', () => {
    expect(reviewRows(input(NATIONAL))).toHaveLength(12);
    const rows = reviewRows(input(FORCE_A));
    expect(rows.map((r) => r.meeting_id)).toEqual(['p1-jan', 'p2-jan', 'p1-feb', 'p2-feb', 'p1-mar', 'p2-mar', 'p1-extra']);
    expect(rows[0]).toMatchObject({ force_id: 'a', status: 'held', nominee: 'Officer A1', days_nominated_ahead: '10.0', attendance: 'attended', decision_maker_present: 'yes', flags: '' });
    expect(rows[4]).toMatchObject({ status: 'unrecorded', timetabled: 'yes', attendance: 'unrecorded', moved_from: '2026-03-09T10:00:00+00:00', decision_maker_present: '', flags: 'NO_NOMINATION ATTENDANCE_UNRECORDED' });
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
