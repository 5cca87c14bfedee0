import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startBot } from '../bot/compose.js';
import { loadConfig } from '../bot/config.js';
import { demoConfig, prepareDemoStore } from '../bot/demo/demo-store.js';
import { seedDemo } from '../demo/seed.js';
import { reportLines, reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { FLAG_CODES } from '../scheduler/domain/flags.js';
import { CANCEL_REASONS } from '../scheduler/domain/types.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { reviewJson } from '../scheduler/review/review-outputs.js';
import { loadReview } from '../scheduler/review/review-query.js';
import { silentLog } from '../scheduler/log.js';
import type { Store } from '../scheduler/store/store.js';
import { FakeConnector } from './support/fake-connector.js';
import { sampleConfig } from './support/sample.js';
import { freshStore, type StoreKind, TEST_AUDIT_KEY } from './support/stores.js';
import { cardAction, personalMessage } from './support/teams-activities.js';
import { cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

// `npm run demo`'s invented year: the same instant always gives the same history (the same review, the same audit
// head, on SQLite and PostgreSQL alike), another day gives the same shape, and the year shows a newcomer every part
// of the product: held, cancelled (for every reason), not held and unrecorded meetings, substitutes, apologies,
// flags, and a meeting that has just ended and waits for its attendance.

/** A Wednesday late morning: the meeting that just ended is this morning's. */
const NOW = '2026-12-02T11:00:00.000Z';
/** A Monday before eight, in summer time: it is yesterday afternoon's. */
const LATER = '2027-06-14T06:40:00.000Z';
/** The Microsoft 365 Agents Playground's default user, a national lead in the sample file: the review is theirs. */
const PLAYGROUND_USER = '00000000-0000-0000-0000-0000000000020';
const WILBER = { aadObjectId: PLAYGROUND_USER, name: 'Alex Wilber' };
const DAY = 86_400_000;

/** What a seeded year shows, read back through the use cases and repositories (the store is gone afterwards). */
async function seeded(kind: StoreKind, now: string) {
  const t = await freshStore(kind);
  try {
    const summary = await seedDemo(t.store, now);
    return { summary, ...(await facts(t.store, now, summary.from)) };
  } finally {
    await t.dispose();
  }
}

async function facts(store: Store, now: string, from: string) {
  const loaded = await loadReview(store, PLAYGROUND_USER, {}, now);
  if (!loaded.ok) throw new Error(loaded.error.message);
  const audit = await verifyAuditLog(store, TEST_AUDIT_KEY);
  const year = await store.review.meetingsWithRecords({ panelIds: null, from, to: now });
  const coming = await store.meetings.list({ from: now });
  const ids = [...year, ...coming].map((m) => m.id);
  const [cancellations, apologies] = await Promise.all([store.chairs.cancellations(ids), store.chairs.apologies(ids)]);
  return {
    review: reviewJson(loaded.value.review) as ReviewJson,
    flags: loaded.value.review.flags.map((f) => f.code),
    audit: { ok: reportOk(audit), lines: reportLines(audit), head: audit.head },
    year,
    notes: cancellations.map((c) => c.note),
    apologies: apologies.length,
    coming,
  };
}

type Seeded = Awaited<ReturnType<typeof seeded>>;
/** The parts of `review --format json` these tests read. */
type ReviewJson = { total: Record<string, any>; panels: Array<{ invited: boolean }>; absences: Array<{ apologies: boolean }>; months: unknown[] };

/** Everything the demo promises a newcomer, whatever the day. */
function expectTheWholeProduct(s: Seeded, now: string): void {
  expect(s.audit.ok).toBe(true);
  expect(s.audit.lines).toEqual([expect.stringMatching(/^audit log intact: \d+ entries verified; the state tables agree with it$/)]);
  const total = s.review.total;
  expect(total.held).toBeGreaterThan(100);
  for (const figure of ['cancelled', 'notHeld', 'unrecorded', 'extra', 'moved', 'policeAbsent']) expect(total[figure], figure).toBeGreaterThan(0);
  expect(Object.keys(total.cancelledByReason).sort()).toEqual([...CANCEL_REASONS].sort());
  expect(total.decisionMakerShareOfDue).toBeGreaterThan(0.5);
  expect(total.decisionMakerShareOfDue).toBeLessThan(1);
  expect(s.review.months.length).toBeGreaterThanOrEqual(12);
  expect(s.review.absences.map((a) => a.apologies).sort()).toEqual(expect.arrayContaining([false, true]));
  expect(s.review.panels.some((p) => p.invited)).toBe(true);
  expect(s.apologies).toBeGreaterThan(0);
  // Every flag the product raises, but the one no sample timetable can (a fixed timetable below the guidance's).
  const missing = FLAG_CODES.filter((c) => !s.flags.includes(c));
  expect(missing.sort()).toEqual(['BELOW_GUIDANCE_TIMETABLE']);
  const records = s.year.flatMap((m) => m.attendance);
  expect(records.some((a) => a.attendees.some((p) => p.substitute))).toBe(true);
  expect(new Set(records.map((a) => a.forceConfirmation))).toEqual(new Set(['not-needed', 'confirmed', 'disputed', 'pending']));
  expect(new Set(records.map((a) => a.source))).toEqual(new Set(['chair', 'import']));
  // Free text the demo wrote says it is invented.
  expect(s.notes.filter((n) => n !== '').every((n) => n.startsWith('Invented demo data'))).toBe(true);
  // A meeting that ended within the last day, with nothing recorded: the chair's card is waiting for it.
  const waiting = s.year.filter((m) => m.status === 'scheduled' && m.end <= now && Date.parse(now) - Date.parse(m.end) < DAY && !m.meetingRecord && !m.attendance.length);
  expect(waiting.map((m) => m.id)).toContain(s.summary.justEnded.meetingId);
  // What is still to come: one meeting cancelled, one moved by its chair, some named and some for the newcomer to name.
  expect(s.coming.some((m) => m.status === 'cancelled')).toBe(true);
  expect(s.coming.some((m) => m.moved?.reason === 'rescheduled by the chair')).toBe(true);
}

describe('the demo year', () => {
  it('is the same year every time it is seeded at the same instant, on SQLite and PostgreSQL alike', async () => {
    const [a, b, c] = await Promise.all([seeded('sqlite', NOW), seeded('sqlite', NOW), seeded('postgres', NOW)]);
    for (const other of [b, c]) {
      expect(other.review).toEqual(a.review);
      expect(other.audit.head).toEqual(a.audit.head);
      expect(other.summary).toEqual(a.summary);
    }
    expectTheWholeProduct(a, NOW);
    expectTheWholeProduct(c, NOW);
  });

  it('keeps its shape on another day', async () => {
    const s = await seeded('sqlite', LATER);
    expect(s.summary.from).toBe('2026-05-31T23:00:00.000Z');
    expectTheWholeProduct(s, LATER);
  });

  it('is seeded into an empty store only', async () => {
    const t = await freshStore('sqlite');
    try {
      await syncPanels(t.store, sampleConfig(), NOW);
      await expect(seedDemo(t.store, NOW)).rejects.toThrow(/already has meetings/);
    } finally {
      await t.dispose();
    }
  });

  it("is what `npm run demo` serves: the Playground's user gets its review and can open the meeting that just ended; a restart the same day keeps it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panel-bot-demo-'));
    const config = { ...demoConfig(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', SCHEDULER_TICK_SECONDS: '3600' })), dataDir: dir };
    const connector = new FakeConnector();
    try {
      const first = await prepareDemoStore(config, silentLog, NOW);
      expect(first.fresh).toBe(true);
      await connector.start();
      const bot = await startBot(config, silentLog, () => NOW);
      try {
        const post = (activity: object) => fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
        await post(personalMessage(connector.url, WILBER, 'review'));
        await until(() => connector.posts().length > 0, 'the review');
        const review = connector.posts()[0]!.body.attachments[0].content;
        expect(cardProblems(review)).toEqual([]);
        expect(JSON.stringify(review)).toContain('Recommendation 7 review: all forces');
        const opened = await post(cardAction(connector.url, WILBER, 'openAttendance', { meetingId: first.marker.justEnded.meetingId }));
        const card = JSON.stringify(await opened.json());
        expect(card).toContain('Peterborough and Rutland Channel panel');
        expect(card).toContain('Tom Whitfield');
      } finally {
        await bot.stop();
      }
      const again = await prepareDemoStore(config, silentLog, '2026-12-02T15:00:00.000Z');
      expect(again).toEqual({ marker: first.marker, fresh: false });
    } finally {
      await connector.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
