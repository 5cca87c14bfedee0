import { describe, expect, it } from 'vitest';
import type { Flag } from '../scheduler/domain/flags.js';
import type { HistoryPage } from '../scheduler/meetings/attendance-history.js';
import type { MonthFigures, Review, ReviewFigures } from '../scheduler/review/review.js';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { attendanceHistoryCard } from './attendance-history-card.js';
import { reviewCard, type ReviewCardModel } from './review-card.js';
import { scopeChoices } from './table.js';

const figures: ReviewFigures = {
  meetings: 12, due: 12, held: 10, cancelled: 2, cancelledByReason: { 'no cases to discuss': 1, 'not quorate': 1 }, notHeld: 0, unrecorded: 1, extra: 1, moved: 1,
  monthsDue: 12, monthsMet: 10, attendanceUnrecorded: 1, decisionMakerPresent: 8, decisionMakerShareOfDue: 0.667, decisionMakerShareOfHeld: 0.8, policeAbsent: 1,
  distinctAttendees: 3, medianNominationDays: 9.5, openFlags: 6, flagsByCode: { CANCELLED: 2, CANCELLED_NO_CASES: 1, NOT_DECISION_MAKER: 2, ATTENDANCE_UNRECORDED: 1 },
};
const month = (i: number, start = 2016) => `${start + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
const months: MonthFigures[] = Array.from({ length: 120 }, (_, i) => ({ month: month(i), held: 30, cancelled: 3, notHeld: 1, unrecorded: 2, decisionMakerPresent: 25 }));
const forces = Array.from({ length: 45 }, (_, i) => ({ id: `force-${i}`, name: `Force ${i} Constabulary` }));
const forceNames = Object.fromEntries(forces.map((f) => [f.id, f.name]));
const flags: Flag[] = Array.from({ length: 400 }, (_, i): Flag[] => [
  { code: 'NOT_DECISION_MAKER', panelId: `panel-${i}`, meetingId: `panel-${i}.2025-01-06`, forceId: `force-${i % 45}`, facts: '2025-01-06: nobody present was answered a decision maker' },
  { code: 'CANCELLED_NO_CASES', panelId: `panel-${i}`, month: '2025-02', facts: '2025-02: the meeting was cancelled because there were no cases to discuss' },
]).flat();
const national: Review = {
  scope: { forces: null, panels: null, label: 'all forces' },
  from: '2016-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z', now: '2026-01-02T00:00:00.000Z',
  panels: Array.from({ length: 400 }, (_, i) => ({
    panelId: `panel-${i}`, panelName: `Panel ${i} Channel panel`, localAuthority: `Council ${i}`, forceId: `force-${i % 45}`, invited: i === 9,
    timetable: i === 7 ? 'when-necessary' as const : i === 8 ? 'below-guidance' as const : 'guidance' as const, whenNecessary: i === 7,
    figures: { ...figures, decisionMakerPresent: i % 13, decisionMakerShareOfDue: (i % 13) / 12 },
  })),
  forces: forces.map((f) => ({ forceId: f.id, figures })),
  total: figures,
  months,
  flags,
  previous: { from: '2006-01-01T00:00:00.000Z', to: '2016-01-01T00:00:00.000Z', total: { ...figures, decisionMakerPresent: 7, decisionMakerShareOfDue: 0.583 } },
  lastYear: { from: '2015-01-01T00:00:00.000Z', to: '2025-01-01T00:00:00.000Z', total: { ...figures, decisionMakerPresent: 9, decisionMakerShareOfDue: 0.75 } },
};
const panels = national.panels.map((p) => ({ id: p.panelId, name: p.panelName }));
const model: ReviewCardModel = {
  review: national, forceNames, exportUrl: `https://bot.example/reports/${'x'.repeat(250)}.csv`, chartUrl: `https://bot.example/reports/${'y'.repeat(260)}.png`,
  reportUrls: { pdf: `https://bot.example/reports/${'p'.repeat(250)}.pdf`, docx: `https://bot.example/reports/${'d'.repeat(250)}.docx` }, marking: 'OFFICIAL-SENSITIVE',
  scopeChoices: scopeChoices(forces, panels), filterScope: 'all', months: 120, page: 3 };

type Body = Array<Record<string, unknown>>;
const bodyOf = (c: Record<string, unknown>) => c.body as Body;
type Image = { url: string; altText: string; size: string };
const chartOf = (c: Record<string, unknown>) => bodyOf(c).find((e) => e.type === 'Image') as Image | undefined;
/** The figures in words that the chart's button shows and hides. */
const hiddenWords = (c: Record<string, unknown>) => bodyOf(c).find((e) => e.id === 'chartInWords') as { isVisible: boolean; items: unknown[] } | undefined;
/** Every TextBlock's text and both sides of every fact, in order. */
const words = (node: unknown): string[] => {
  if (Array.isArray(node)) return node.flatMap(words);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = o.type === 'TextBlock' ? [o.text as string] : o.type === 'FactSet' ? (o.facts as Array<{ title: string; value: string }>).map((f) => `${f.title} | ${f.value}`) : [];
  return [...own, ...Object.values(o).flatMap(words)];
};
/** A smaller review: one year, three panels of two forces, a few flags. */
function small(overrides: Partial<Review> = {}): Review {
  const year = Array.from({ length: 12 }, (_, i) => ({ month: month(i + 5, 2025), held: 5, cancelled: 1, notHeld: 0, unrecorded: i % 3, decisionMakerPresent: 2 }));
  const row = (panelId: string, panelName: string, forceId: string, share: number | null, extra: Partial<Review['panels'][number]> = {}) => ({
    panelId, panelName, localAuthority: 'Council', forceId, invited: false, timetable: 'guidance' as const, whenNecessary: false,
    figures: { ...figures, decisionMakerShareOfDue: share, unrecorded: 4 }, ...extra,
  });
  return {
    ...national,
    from: '2025-06-01T00:00:00.000Z', to: '2026-06-01T00:00:00.000Z', now: '2026-06-02T00:00:00.000Z',
    panels: [
      row('southampton', 'Southampton Channel panel', 'hampshire', 0.9),
      row('scilly', 'Isles of Scilly Channel panel', 'devon-cornwall', null, { timetable: 'when-necessary', whenNecessary: true }),
      row('portsmouth', 'Portsmouth Channel panel', 'hampshire', 0.25, { timetable: 'below-guidance' }),
      row('southampton', 'Southampton Channel panel', 'devon-cornwall', 0.5, { invited: true }),
    ],
    forces: [{ forceId: 'hampshire', figures }, { forceId: 'devon-cornwall', figures }],
    months: year,
    flags: [
      { code: 'POLICE_ABSENT', panelId: 'southampton', meetingId: 'southampton.2025-07-07', forceId: 'hampshire', apologies: true, facts: '2025-07-07: no police representative for hampshire' },
      { code: 'POLICE_ABSENT', panelId: 'southampton', meetingId: 'southampton.2025-08-04', forceId: 'hampshire', apologies: false, facts: '2025-08-04: no police representative for hampshire' },
      { code: 'WHEN_NECESSARY_PANEL', panelId: 'scilly', facts: 'Isles of Scilly Channel panel has no fixed timetable' },
    ],
    ...overrides,
  };
}
const smallModel = (review = small()): ReviewCardModel => ({ ...model, review, forceNames: { hampshire: 'Hampshire and Isle of Wight Constabulary', 'devon-cornwall': 'Devon and Cornwall Police' }, months: 12, page: 0 });

describe('the review card', () => {
  it('stays valid and under 28 KB for 400 panels over ten years', () => {
    const card = reviewCard(model);
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    expect(JSON.stringify(card)).toContain('page 4 of 40');
  });

  it('leads with a decision maker present as a share of the meetings due, the share of held beside it, labelled', () => {
    const text = words(reviewCard(model));
    expect(text).toContain('Decision maker present at 8 of 12 meetings due (67%)');
    expect(text).toContain('Of meetings held: 8 of 10 (80%)');
    expect(text.indexOf('Decision maker present at 8 of 12 meetings due (67%)')).toBeLessThan(text.findIndex((t) => t.startsWith('Months met')));
    expect(text).toContain('Months met | 10 of 12 months met (each panel and force counted)');
    expect(text).toContain('Cancelled | 2 (no cases to discuss: 1; not quorate: 1)');
    expect(text).toContain('Ended with nothing recorded | 1');
    expect(text).toContain('Police absent from a meeting held | 1');
    expect(text).toContain('Previous period (1 Jan 2006 to 31 Dec 2015) | 58% (+9 points): 7 of 12 due');
    expect(text).toContain('A year earlier (1 Jan 2015 to 31 Dec 2024) | 75% (-8 points): 9 of 12 due');
  });

  it('says when nothing was due, and leaves out comparisons it was not given', () => {
    const none = { ...figures, due: 0, held: 0, decisionMakerPresent: 0, decisionMakerShareOfDue: null, decisionMakerShareOfHeld: null };
    const text = words(reviewCard(smallModel(small({ total: none, previous: null, lastYear: { ...national.lastYear!, total: none } }))));
    expect(text).toContain('Decision maker present: no meeting was due in this period');
    expect(text).toContain('Of meetings held: none held');
    expect(text.some((t) => t.startsWith('Previous period'))).toBe(false);
    expect(text).toContain('A year earlier (1 Jan 2015 to 31 Dec 2024) | no meeting was due');
  });

  it('says in words, not with an empty chart, that there were no meetings', () => {
    const empty = reviewCard({ ...model, review: { ...national, months: months.map((m) => ({ ...m, held: 0, cancelled: 0, notHeld: 0, unrecorded: 0, decisionMakerPresent: 0 })) } });
    expect(chartOf(empty)).toBeUndefined();
    expect(words(empty)).toContain('There were no meetings in this period to chart.');
    expect(chartOf(reviewCard(model))).toBeDefined();
  });

  it('shows the chart as an image from its signed link, never drawn into the card, with its figures in words for screen readers', () => {
    const card = reviewCard(model);
    expect(chartOf(card)).toMatchObject({ url: model.chartUrl, size: 'Stretch' });
    expect(JSON.stringify(card)).not.toContain('data:image');
    const alt = chartOf(card)!.altText;
    expect(alt).toMatch(/^Meetings per 5 months, stacked by outcome: Jan–May 2016: 150 held, 15 cancelled, 5 did not take place, 10 unrecorded, decision maker present at 125; /);
    expect(alt).toContain('Aug–Dec 2025: 150 held');
    expect(alt).not.toMatch(/\d{4}-\d{2}/);
    expect(chartOf(reviewCard(smallModel()))!.altText).toMatch(/^Meetings per month, stacked by outcome: Jun 2025: 5 held, 1 cancelled, 0 unrecorded, decision maker present at 2; Jul 2025: /);
  });

  // Issue 18: the chart's month labels read "2…" and its y axis went up in steps of 0.25.
  it('charts a quiet period too, now that the image has whole-number ticks, and keeps the months in words behind a button', () => {
    const quiet = small({ months: small().months.map((m) => ({ ...m, held: 1, cancelled: 0, unrecorded: m.month === '2025-09' ? 3 : 0, decisionMakerPresent: 1 })) });
    const card = reviewCard(smallModel(quiet));
    expect(chartOf(card)).toBeDefined();
    expect(cardProblems(card)).toEqual([]);
    const list = hiddenWords(card)!;
    expect(list.isVisible).toBe(false);
    expect(words(list)).toContain('Sep 2025 | 1 held, 0 cancelled, 3 unrecorded, decision maker present at 1');
    expect(words(list)).toContain('Jan 2026 | 1 held, 0 cancelled, 0 unrecorded, decision maker present at 1');
    const toggle = bodyOf(card).flatMap((e) => (e.actions as Array<Record<string, unknown>> | undefined) ?? []).find((a) => a.type === 'Action.ToggleVisibility');
    expect(toggle).toMatchObject({ title: 'Show meetings per month in words', targetElements: ['chartInWords'] });
  });

  it('lists the months in words, shown, where it has no chart link (outside a personal chat)', () => {
    const card = reviewCard({ ...smallModel(), chartUrl: null, exportUrl: null });
    expect(chartOf(card)).toBeUndefined();
    expect(hiddenWords(card)).toBeUndefined();
    const text = words(card);
    expect(text).toContain('Meetings per month');
    expect(text).toContain('Jun 2025 | 5 held, 1 cancelled, 0 unrecorded, decision maker present at 2');
    expect(text).toContain('Jul 2025 | 5 held, 1 cancelled, 1 unrecorded, decision maker present at 2');
    expect(cardProblems(card)).toEqual([]);
    // A model without the field reads the same.
    const older = { ...smallModel(), exportUrl: null };
    delete older.chartUrl;
    expect(chartOf(reviewCard(older))).toBeUndefined();
  });

  it('lists one row per panel and force, weakest share of due first, with force names and timetables in words', () => {
    const card = reviewCard(smallModel());
    const table = bodyOf(card).find((e) => e.type === 'Table' && JSON.stringify(e).includes('"Due"'))!;
    const cells = words(table);
    expect(cells.slice(0, 6)).toEqual(['Panel, force', 'Due', 'Held', 'Unrecorded', 'Decision maker (of due)', 'Flags']);
    const first = (row: number) => cells[row * 6]!;
    expect([1, 2, 3, 4].map(first)).toEqual([
      'Portsmouth Channel panel (below the guidance timetable)\nHampshire and Isle of Wight Constabulary',
      'Southampton Channel panel (invited)\nDevon and Cornwall Police',
      'Southampton Channel panel\nHampshire and Isle of Wight Constabulary',
      'Isles of Scilly Channel panel (when necessary)\nDevon and Cornwall Police',
    ]);
    expect(cells.slice(6, 12)).toEqual([first(1), '12', '10', '4', '8 (25%)', '6']);
    // One force: no force names.
    const one = small({ panels: small().panels.filter((p) => p.forceId === 'hampshire') });
    expect(JSON.stringify(reviewCard(smallModel(one)))).not.toContain('Hampshire and Isle of Wight Constabulary');
  });

  it('names flags in plain words with their panels and forces, counted per kind, never by code', () => {
    const text = words(reviewCard(smallModel()));
    expect(text).toContain('Flags (3)');
    expect(text).toContain('Meets only "when necessary": 1 | Isles of Scilly Channel panel: 1');
    expect(text).toContain('Police absent: 2 | Southampton Channel panel (Hampshire and Isle of Wight Constabulary): 2');
    const big = words(reviewCard(model));
    expect(big).toContain('Month lost: cancelled for no cases: 400 | Panel 0 Channel panel: 1; Panel 1 Channel panel: 1; Panel 10 Channel panel: 1; and 397 more');
    // Codes and ids stay out of everything a person reads (the filter's choice values are ids, and are not read).
    for (const card of [reviewCard(model), reviewCard(smallModel())]) {
      expect(words(card).join('\n')).not.toMatch(/[A-Z]+_[A-Z_]+|force-\d|hampshire|devon-cornwall/);
    }
    expect(words(reviewCard(smallModel(small({ flags: [] }))))).toContain('No flags in this period.');
  });
});

describe('the review card: marking and downloads (issue 19)', () => {
  type Action = { type: string; title: string; url?: string };
  const actionsOf = (c: Record<string, unknown>) => bodyOf(c).flatMap((e) => (e.actions as Action[] | undefined) ?? []);

  it('carries the protective marking as a label above everything else', () => {
    const card = reviewCard(model);
    expect(bodyOf(card)[0]).toMatchObject({ type: 'TextBlock', text: 'OFFICIAL-SENSITIVE', weight: 'Bolder' });
    expect(bodyOf(reviewCard({ ...model, marking: 'OFFICIAL' }))[0]).toMatchObject({ text: 'OFFICIAL' });
  });

  it('offers the report as PDF and as Word beside the CSV, each its own signed link, and says how long they work', () => {
    const card = reviewCard(model);
    const downloads = actionsOf(card).filter((a) => a.type === 'Action.OpenUrl');
    expect(downloads.map((a) => [a.title, a.url])).toEqual([
      ['Download report (PDF)', model.reportUrls!.pdf],
      ['Download report (Word)', model.reportUrls!.docx],
      ['Download CSV', model.exportUrl],
    ]);
    // In a row of their own: the paging row keeps its three buttons whatever is offered.
    const rows = bodyOf(card).filter((e) => e.type === 'ActionSet').map((e) => (e.actions as Action[]).map((a) => a.title));
    expect(rows).toContainEqual(['Update', 'Previous panels', 'Next panels']);
    expect(words(card)).toContain('The report and CSV links work for 15 minutes and only for you. They hold panel, meeting and attendee facts only: never anything about a referred person.');
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
  });

  it('offers no download outside a personal chat, and says where to ask', () => {
    const card = reviewCard({ ...smallModel(), exportUrl: null, reportUrls: null, chartUrl: null });
    expect(actionsOf(card).filter((a) => a.type === 'Action.OpenUrl')).toEqual([]);
    expect(words(card)).toContain('The CSV export and report links are personal, so I give them only in our personal chat: type `review` there.');
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
