// Profiles the national review over the review bench's data (issue 22 item 4): SQL load against JS compute, in
// median CPU ms of this process (steadier than wall time on a shared machine); PROFILE=1 writes a CPU profile.
// `npx tsx bench/review-profile.ts <file.db>` keeps a seeded SQLite file and reuses it on later runs.
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { loadReview, OPERATOR } from '../scheduler/review/review-query.js';
import { computeReview } from '../scheduler/review/review.js';
import { openStore } from '../scheduler/store/open-store.js';
import { freshStore, TEST_AUDIT_KEY } from '../test/support/stores.js';
import { medians, NOW, seed } from './review.js';

const median = async (runs: number, fn: () => Promise<unknown>) => (await medians(runs, fn)).cpu;

const file = process.argv[2] ?? '/tmp/review-profile.db';
if (!existsSync(file)) {
  const t = await freshStore('sqlite');
  await seed(t);
  await t.store.close();
  const seeded = (t.options as { file: string }).file;
  copyFileSync(seeded, file);
  rmSync(dirname(seeded), { recursive: true, force: true });
}
const store = await openStore({ kind: 'sqlite', file, auditKey: TEST_AUDIT_KEY });
const first = await loadReview(store, OPERATOR, {}, NOW);
if (!first.ok) throw new Error(first.error.message);
const input = first.value.input;
const slice = { panelIds: null, from: input.meetings[0]!.start, to: NOW };
const sql = await median(9, () => store.review.meetingFacts(slice));
const whole = await median(9, () => store.review.meetingsWithRecords(slice));
const js = await median(9, async () => computeReview(input));
const all = await median(9, () => loadReview(store, OPERATOR, {}, NOW));
const force = await median(9, () => loadReview(store, OPERATOR, { forceId: 'force-3' }, NOW));
console.log(`CPU ms: ${input.meetings.length} loaded; load ${sql.toFixed(1)} ms (records whole, as the CSV export loads them: ${whole.toFixed(1)} ms), compute ${js.toFixed(1)} ms, whole ${all.toFixed(1)} ms, force ${force.toFixed(1)} ms`);
if (process.env.PROFILE) {
  const { Session } = await import('node:inspector/promises');
  const s = new Session();
  s.connect();
  await s.post('Profiler.enable');
  await s.post('Profiler.start');
  for (let i = 0; i < 5; i++) await loadReview(store, OPERATOR, {}, NOW);
  const { profile } = await s.post('Profiler.stop');
  writeFileSync('/tmp/review-profile.cpuprofile', JSON.stringify(profile));
}
if (process.env.DUMP) writeFileSync(process.env.DUMP, JSON.stringify(first.value.review));
await store.close();
