import { describe, expect, it } from 'vitest';
import { reviewCard } from '../cards/review-card.js';
import { loadReview, OPERATOR } from '../scheduler/review/review-query.js';
import { reviewJson, summaryCsv, SUMMARY_COLUMNS } from '../scheduler/review/review-outputs.js';
import { NOW, PERIOD, seedReviewFixture } from './support/review-fixture.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

/** The summary CSV back as objects (its cells hold no quotes or commas in this fixture). */
function parseSummary(csv: string): Array<Record<string, string>> {
  const [header, ...rows] = csv.trimEnd().split('\r\n').map((l) => l.split(','));
  expect(header).toEqual([...SUMMARY_COLUMNS]);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

/** Every piece of visible text in a card (text blocks, fact titles and values), in order. */
const texts = (card: unknown): string => JSON.stringify(card).match(/"(text|title|value)":"[^"]*"/g)?.join(' | ') ?? '';

describe.each(STORE_KINDS)('the review JSON, the summary CSV and the Teams card agree, on %s', (kind) => {
  const t = useFreshStore(kind);

  it('gives the same figures for every panel and force and in total, from one store', async () => {
    await seedReviewFixture(t.store);
    const r = await loadReview(t.store, OPERATOR, PERIOD, NOW);
    if (!r.ok) throw new Error(r.error.message);
    const json = JSON.parse(JSON.stringify(reviewJson(r.value.review))) as { panels: Array<Record<string, unknown>>; total: Record<string, number | null> };
    const summary = parseSummary(summaryCsv(r.value.review));
    expect(summary.map((s) => `${s.panel_id}/${s.force_id}`)).toEqual([...json.panels.map((p) => `${p.panelId}/${p.forceId}`), 'TOTAL/']);
    for (const [i, p] of [...json.panels, { panelId: 'TOTAL', forceId: '', ...json.total }].entries()) {
      const s = summary[i]!;
      for (const [csv, key] of [['due', 'due'], ['held', 'held'], ['months_due', 'monthsDue'], ['months_met', 'monthsMet'], ['decision_maker_present', 'decisionMakerPresent'], ['police_absent', 'policeAbsent'], ['not_held', 'notHeld'], ['unrecorded', 'unrecorded'], ['cancelled', 'cancelled']] as const) {
        expect(Number(s[csv]), `${s.panel_id}/${s.force_id} ${csv}`).toBe(p[key]);
      }
      const share = p.decisionMakerShareOfDue as number | null;
      expect(s.decision_maker_share_of_due).toBe(share === null ? '' : share.toFixed(3));
    }
    // The card's headline reads the same total: decision maker present of meetings due, and of held beside it.
    const t0 = json.total;
    const shown = texts(reviewCard({ review: r.value.review, forceNames: { a: 'Force A', b: 'Force B' }, exportUrl: null, scopeChoices: [], filterScope: 'all', months: 3, page: 0 }));
    expect(shown).toContain(`Decision maker present at ${t0.decisionMakerPresent} of ${t0.due} meetings due (${Math.round(t0.decisionMakerShareOfDue! * 100)}%)`);
    expect(shown).toContain(`${t0.decisionMakerPresent} of ${t0.held} (${Math.round(t0.decisionMakerShareOfHeld! * 100)}%)`);
    expect(shown).toContain(`${t0.monthsMet} of ${t0.monthsDue} months met`);
    // The hand-checked totals (see scheduler/review/review.test.ts), so agreement is not agreement on nothing.
    expect(t0).toMatchObject({ due: 12, held: 6, decisionMakerPresent: 4, monthsDue: 12, monthsMet: 6 });
  });
});
