import { describe, expect, it } from 'vitest';
import { computeFlags, DEFAULT_FLAG_SETTINGS, forcesOf, type FlagMeeting } from '../domain/flags.js';
import type { Attendance, Panel } from '../domain/types.js';
import { computeReview, figures, previousPeriod, slices, yearEarlier, type ReviewInput } from './review.js';

// The review's faster paths (issue 22, item 4) against the plain definitions they replaced, over random histories:
// a comparison is the review's total over the other period, and a force's meetings on a panel are those it was asked to.

/** A small deterministic generator (mulberry32), so a failure names its seed and can be replayed. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FORCES = ['a', 'b', 'c', 'd'];
const STATUSES: FlagMeeting['status'][] = ['held', 'held', 'held', 'cancelled', 'not-held', 'scheduled'];
const REASONS: Array<FlagMeeting['cancelReason']> = ['no cases to discuss', 'not quorate', null];

function history(seed: number): { panels: Panel[]; meetings: FlagMeeting[] } {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const panels: Panel[] = Array.from({ length: 4 }, (_, i) => ({
    id: `p${i}`, name: `Panel ${i}`, localAuthority: `Council ${i}`, forces: i === 0 ? ['a', 'b'] : [FORCES[i]!], chairs: [], teamsChannelId: null, retired: i === 3 && r() < 0.5,
    timetable: i === 2 ? { kind: 'when-necessary', start: '10:00', minutes: 120 } : { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' },
  }));
  const meetings = panels.flatMap((panel) => Array.from({ length: 30 }, (_, k): FlagMeeting => {
    const start = new Date(Date.UTC(2024, 10 + k, 1 + Math.floor(r() * 27), 10)).toISOString();
    const id = `${panel.id}.${k}`;
    const status = pick(STATUSES);
    const invited = r() < 0.2 ? [pick(FORCES)] : [];
    const asked = forcesOf(panel, { invited });
    const attendance: Attendance[] = status !== 'held' ? [] : asked.filter(() => r() < 0.8).map((forceId) => {
      const outcome = pick(['attended', 'attended', 'apologies', 'absent'] as const);
      const who = Math.floor(r() * 5);
      return {
        meetingId: id, forceId, outcome, source: 'chair', forceConfirmation: pick(['not-needed', 'pending', 'disputed'] as const), confirmedBy: null, confirmedAt: null, recordedBy: 'chair', recordedAt: start, version: 1,
        attendees: outcome !== 'attended' ? [] : [{ aadObjectId: r() < 0.9 ? `person-${who}` : null, tenantId: null, name: `P${who}`, roleCategory: 'prevent-officer', role: 'DS', unit: 'local', mode: 'online', decisionMaker: pick(['yes', 'no', 'unknown'] as const), substitute: false }],
      };
    });
    return {
      id, panelId: panel.id, occurrence: r() < 0.15 ? null : start.slice(0, 10), start, end: new Date(Date.parse(start) + 7_200_000).toISOString(), status, moved: r() < 0.1 ? { from: new Date(Date.parse(start) - 40 * 86_400_000).toISOString(), reason: 'room' } : null,
      extra: r() < 0.15, version: 1, locked: false, createdAt: '2024-01-01T00:00:00.000Z', cancelReason: status === 'cancelled' ? pick(REASONS) : null, invited, attendance, meetingRecord: null,
      nominations: asked.filter(() => r() < 0.7).map((forceId) => ({ meetingId: id, forceId, aadObjectId: 'n', name: 'N', role: 'DI', decisionMaker: r() < 0.5, nominatedBy: 'lead', nominatedAt: new Date(Date.parse(start) - Math.floor(r() * 20) * 86_400_000).toISOString(), version: 1 })),
    };
  }));
  return { panels, meetings };
}

const SCOPES: Array<ReviewInput['scope']> = [
  { forces: null, panels: null, label: 'all forces' },
  { forces: ['a'], panels: ['p0'], label: 'Force A' },
  { forces: ['b', 'c'], panels: ['p0', 'p2'], label: 'Forces B and C', forcePanels: { b: ['p0'] } },
];
const PERIODS = [
  { from: '2025-11-22T00:00:00.000Z', to: '2026-11-22T12:00:00.000Z', now: '2026-11-22T12:00:00.000Z' },
  { from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', now: '2026-06-03T09:00:00.000Z' },
  { from: '2026-03-15T00:00:00.000Z', to: '2026-05-02T00:00:00.000Z', now: '2026-05-01T09:00:00.000Z' },
  // A financial year in whole London months: its previous period is also the same period a year before.
  { from: '2025-03-31T23:00:00.000Z', to: '2026-03-31T23:00:00.000Z', now: '2026-06-03T09:00:00.000Z' },
];

describe('the review, against the plain definitions its faster paths replaced', () => {
  for (let seed = 1; seed <= 12; seed++) {
    it(`history ${seed}: each comparison is exactly the review of its own period, and each force sees the meetings it was asked to`, () => {
      const { panels, meetings } = history(seed);
      for (const scope of SCOPES) {
        for (const p of PERIODS) {
          const input: ReviewInput = { scope, panels, meetings, ...p };
          const review = computeReview(input);
          // What compare() computed before: the whole review of the other period, of which only the total was kept.
          for (const [period, got] of [[previousPeriod(p.from, p.to), review.previous], [yearEarlier(p.from, p.to), review.lastYear]] as const) {
            expect(got).toEqual({ ...period, total: computeReview({ ...input, ...period, areas: [] }, false).total });
          }
          for (const s of slices(input)) {
            const loaded = meetings.filter((m) => m.panelId === s.panel.id && m.start >= p.from && m.start < p.to && m.end <= p.now);
            expect(s.meetings).toEqual(loaded.filter((m) => forcesOf(s.panel, m).includes(s.forceId)));
          }
          // Each row summed from tallies made once per slice is what the plain sum over the same slices gives.
          const parts = slices(input);
          expect(JSON.stringify(review.total)).toBe(JSON.stringify(figures(parts)));
          expect(review.panels.map((p) => p.figures)).toEqual(parts.map((p) => figures([p])));
          expect(review.forces).toEqual([...new Set(parts.map((p) => p.forceId))].sort().map((forceId) => ({ forceId, figures: figures(parts.filter((p) => p.forceId === forceId)) })));
          if (review.lastYear!.from === review.previous!.from) expect(review.lastYear).not.toBe(review.previous);
        }
      }
    });
  }

  it('counts working days with the settings asked for, however often the same dates were asked with others', () => {
    const { panels, meetings } = history(3);
    const noms = meetings.map((m) => ({ ...m, nominations: [] }));
    const facts = (escalationWorkingDays: number) =>
      computeFlags(panels[1]!, noms, PERIODS[0]!.now, { ...DEFAULT_FLAG_SETTINGS, escalationWorkingDays }).filter((f) => f.code === 'NO_NOMINATION').map((f) => f.facts);
    const [two, five] = [facts(2), facts(5)];
    expect(two.length).toBeGreaterThan(0);
    expect(two).not.toEqual(five);
    expect(facts(2)).toEqual(two);
  });
});
