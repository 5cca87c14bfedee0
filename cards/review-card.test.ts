import { describe, expect, it } from 'vitest';
import type { HistoryPage } from '../scheduler/meetings/attendance-history.js';
import type { Review, ReviewFigures } from '../scheduler/review/review.js';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { attendanceHistoryCard } from './attendance-history-card.js';
import { chartBuckets, reviewCard } from './review-card.js';
import { scopeChoices } from './table.js';

const figures: ReviewFigures = {
  meetings: 12, due: 12, held: 10, cancelled: 2, cancelledByReason: { 'no cases to discuss': 1, 'not quorate': 1 }, notHeld: 0, unrecorded: 0, extra: 1, moved: 1,
  attendanceUnrecorded: 1, decisionMakerPresent: 8, decisionMakerShare: 0.8, distinctAttendees: 3, medianNominationDays: 9.5, openFlags: 6,
  flagsByCode: { CANCELLED: 2, CANCELLED_NO_CASES: 1, NOT_DECISION_MAKER: 2, ATTENDANCE_UNRECORDED: 1 },
};
const months = Array.from({ length: 120 }, (_, i) => ({ month: `${2016 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`, held: 30, cancelled: 3, decisionMakerPresent: 25 }));
const national: Review = {
  scope: { forces: null, panels: null, label: 'all forces' },
  from: '2016-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z', now: '2026-01-02T00:00:00.000Z',
  panels: Array.from({ length: 400 }, (_, i) => ({ panelId: `panel-${i}`, panelName: `Panel ${i} Channel panel`, localAuthority: `Council ${i}`, forces: ['f'], whenNecessary: i === 7, figures })),
  total: figures,
  months,
};
const forces = Array.from({ length: 45 }, (_, i) => ({ id: `force-${i}`, name: `Force ${i} Constabulary` }));
const panels = national.panels.map((p) => ({ id: p.panelId, name: p.panelName }));
const model = { review: national, exportUrl: `https://bot.example/reports/${'x'.repeat(250)}.csv`, scopeChoices: scopeChoices(forces, panels), filterScope: 'all', months: 120, page: 3 };

describe('the review card', () => {
  it('stays valid and under 28 KB for 400 panels over ten years', () => {
    const card = reviewCard(model);
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    expect(JSON.stringify(card)).toContain('page 4 of 40');
  });

  it('says in words, not with an empty chart, that nothing was held or cancelled', () => {
    const empty = reviewCard({ ...model, review: { ...national, months: months.map((m) => ({ ...m, held: 0, cancelled: 0, decisionMakerPresent: 0 })) } });
    expect(JSON.stringify(empty)).not.toContain('Chart.VerticalBar.Grouped');
    expect(JSON.stringify(empty)).toContain('No meeting was held or cancelled in this period.');
    expect(JSON.stringify(reviewCard(model))).toContain('Chart.VerticalBar.Grouped');
  });

  it('groups a long period into at most 24 bars, losing no meeting', () => {
    const bars = chartBuckets(months);
    expect(bars).toHaveLength(24);
    expect(bars[0]!.month).toBe('2016-01–2016-05');
    expect(bars.reduce((s, b) => s + b.held, 0)).toBe(120 * 30);
  });

  it('is only accepted by the card check while its chart carries a fallback table', () => {
    const card = reviewCard(model) as { body: Array<Record<string, unknown>> };
    const chart = card.body.find((e) => e.type === 'Chart.VerticalBar.Grouped')!;
    expect((chart.fallback as { type: string }).type).toBe('Table');
    delete chart.fallback;
    expect(cardProblems(card)).toEqual([expect.stringContaining('Unknown element type "Chart.VerticalBar.Grouped"')]);
  });
});

describe('the attendance history card', () => {
  it('shows a page of two-force meetings with paging buttons, valid and small', () => {
    const row = (i: number) => ({
      meetingId: `m${i}`, panelId: 'p', panelName: 'Peterborough and Rutland Channel panel', start: '2026-05-12T10:00:00+01:00', end: '2026-05-12T12:00:00+01:00',
      status: 'held', extra: false, moved: i === 2, flags: ['NOT_DECISION_MAKER', 'SUBSTITUTE_ATTENDED'],
      forces: [
        {
          forceId: 'cambs', nominee: 'Priya Shah', outcome: 'attended' as const, decisionMaker: false, source: 'chair' as const, forceConfirmation: 'disputed' as const, invited: false,
          attendees: [{ aadObjectId: 't', tenantId: null, name: 'Tom Whitfield', roleCategory: 'neighbourhood-officer' as const, role: 'PC', unit: 'local' as const, mode: 'online' as const, decisionMaker: 'yes' as const, substitute: true }],
        },
        { forceId: 'leics', nominee: null, outcome: null, attendees: [], decisionMaker: null, source: null, forceConfirmation: null, invited: false },
      ],
    });
    const page: HistoryPage = { scope: { forces: null, panels: null, label: 'all forces' }, rows: Array.from({ length: 8 }, (_, i) => row(i)), older: { start: '2026-01-01T10:00:00.000Z', id: 'm7' }, newer: { start: '2026-06-01T10:00:00.000Z', id: 'm0' } };
    const card = attendanceHistoryCard({ page, scopeChoices: scopeChoices(forces, panels.slice(0, 20)), filter: { scope: 'force:cambs', from: '2026-01-01', to: '' } });
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    const actions = (card.body as Array<{ actions?: Array<{ title: string; data: unknown }> }>).flatMap((e) => e.actions ?? []);
    expect(actions.map((a) => a.title)).toEqual(['Apply', 'Newer', 'Older']);
    expect(actions[2]!.data).toEqual({ direction: 'older', cursorStart: '2026-01-01T10:00:00.000Z', cursorId: 'm7' });
    expect(JSON.stringify(card)).toContain('leics: named nobody; attended not recorded');
  });
});
