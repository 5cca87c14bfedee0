import { describe, expect, it } from 'vitest';
import { reviewCard, FORCES_SHOWN } from '../cards/review-card.js';
import { scopeChoices } from '../cards/table.js';
import { areasOf } from '../scheduler/domain/areas.js';
import type { FlagMeeting } from '../scheduler/domain/flags.js';
import type { Attendance, Force, Panel } from '../scheduler/domain/types.js';
import { areaLabel, computeReview } from '../scheduler/review/review.js';
import { nationalSample } from './support/national-sample.js';
import { cardProblems } from './support/validate-card.js';

// Issue 24: the national review card at national scale (43 forces, about 175 panels, the Met in four areas) stays
// under Teams' 28 KB: the weakest forces shown, the rest a line each behind a button, a page of panels at a time.

const NOW = '2026-07-01T09:00:00.000Z';
const LINK = (ext: string) => `https://panel-bot.example.police.uk/reports/${'x'.repeat(330)}.${ext}`;

/**
 * A year of monthly meetings for every panel, as the review loads them, with a spread of outcomes that differs by
 * panel (so forces' shares differ): held with a decision maker, held without, police absent, cancelled, unrecorded.
 */
function yearOfMeetings(panels: Panel[]): FlagMeeting[] {
  return panels.flatMap((p, n) =>
    Array.from({ length: 12 }, (_, k): FlagMeeting => {
      const start = new Date(Date.UTC(2025, 6 + k, 8 + (n % 20), 10)).toISOString();
      const kind = (n * 7 + k * 3) % 10;
      const status = kind === 8 ? 'cancelled' : kind === 9 ? 'scheduled' : 'held';
      const attendance = (forceId: string): Attendance => ({
        meetingId: `${p.id}.${k}`, forceId, outcome: kind === 7 ? 'absent' : 'attended', source: 'chair', forceConfirmation: 'not-needed', confirmedBy: null, confirmedAt: null,
        attendees: kind === 7 ? [] : [{ aadObjectId: null, tenantId: null, name: `Officer ${n}`, roleCategory: 'prevent-officer', role: 'DI', unit: 'local', mode: 'in-person', decisionMaker: kind < 5 ? 'yes' : 'no', substitute: false }],
        recordedBy: 'chair', recordedAt: NOW, version: 1,
      });
      return {
        id: `${p.id}.${k}`, panelId: p.id, occurrence: start.slice(0, 10), start, end: start.replace('T10:', 'T12:'), status, moved: null, extra: false, version: 1, locked: true,
        createdAt: '2025-01-01T00:00:00.000Z', cancelReason: status === 'cancelled' ? 'no cases to discuss' : null, nominations: [],
        attendance: status === 'held' ? p.forces.map(attendance) : [], invited: [], meetingRecord: null,
      };
    }),
  );
}

describe('the national review card for a national-scale sample', () => {
  const sample = nationalSample();
  const forces: Force[] = sample.forces.map((f) => ({ ...f, retired: false }));
  const panels: Panel[] = sample.panels.map((p) => ({ ...p, retired: false }));
  const review = computeReview({
    scope: { forces: null, panels: null, label: 'all forces' }, panels, meetings: yearOfMeetings(panels),
    from: '2025-06-30T23:00:00.000Z', to: NOW, now: NOW, areas: areasOf(forces),
  });
  // The filter as the route builds it: every force, then every area, then no panels (too many for a card).
  const choices = scopeChoices(forces, panels);
  const areaChoices = areasOf(forces).map((a) => ({ title: areaLabel(a.name, a.forceName), value: `area:${a.id}` }));
  const card = reviewCard({
    review, forceNames: Object.fromEntries(forces.map((f) => [f.id, f.name])), exportUrl: LINK('csv'), chartUrl: LINK('png'), reportUrls: { pdf: LINK('pdf'), docx: LINK('docx') },
    marking: 'OFFICIAL-SENSITIVE', scopeChoices: [...choices.slice(0, 1 + forces.length), ...areaChoices, ...choices.slice(1 + forces.length)], filterScope: 'all', months: 12, page: 0,
  });
  const json = JSON.stringify(card);

  it('is the size of England and Wales', () => {
    expect(forces).toHaveLength(43);
    expect(panels.length).toBeGreaterThanOrEqual(170);
    expect(review.forces).toHaveLength(43);
    expect(review.byArea!.filter((a) => a.areaId)).toHaveLength(areasOf(forces).length);
    expect(areasOf(forces).length).toBeGreaterThan(3);
  });

  it('stays valid and under 28 KB (the activity card as JSON)', () => {
    expect(cardProblems(card)).toEqual([]);
    expect(json.length).toBeLessThan(28 * 1024);
  });

  it('shows the weakest forces, the rest behind a button, and every force by name', () => {
    expect(json).toContain('Per force (43), weakest share of due first');
    expect(json).toContain(`"title":"Show the other ${43 - FORCES_SHOWN} forces"`);
    for (const f of forces) expect(json).toContain(`"title":"${f.name}"`);
    // The hidden list holds the rest, so the table and it together name each force once.
    const facts = [...json.matchAll(/"title":"([^"]+)","value":"\d+ of \d+ due/g)].map((m) => m[1]);
    expect(new Set(facts).size).toBe(43);
    expect(facts).toHaveLength(43);
  });
});
