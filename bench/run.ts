// `npm run bench`: prints figures; never a pass/fail test. Targets are in the README.
import { performance } from 'node:perf_hooks';
import { freshStore, type StoreKind } from '../test/support/stores.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { forgetRuleDates } from '../scheduler/domain/timetable.js';
import { fanoutBench } from './fanout.js';
import { reviewBench } from './review.js';
import { documentBench } from './review-document.js';
import { calendarBench } from './calendar.js';
import { cliBench } from './cli.js';
import { startBench } from './start.js';
import { loadBench } from './load.js';
import { nominationsBench } from './nominations.js';
import { withLoadAverage } from './machine.js';
import { syntheticConfig } from './synthetic.js';

const NOW = '2026-11-22T12:00:00.000Z';

async function timeIt<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const r = await fn();
  return [performance.now() - t0, r];
}

/** Planning 400 panels x 12 months from empty, then a re-sync with nothing changed. */
async function planningBench(kind: StoreKind): Promise<{ first: number; resync: number; meetings: number }> {
  const config = syntheticConfig(45, 400);
  const t = await freshStore(kind);
  try {
    // Cold, as in a new process; the re-syncs after it find each panel's rule expanded, as any sync on the same day does.
    forgetRuleDates();
    const [first, report] = await timeIt(() => syncPanels(t.store, config, NOW));
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const [ms, again] = await timeIt(() => syncPanels(t.store, config, NOW));
      if (again.changes !== 0) throw new Error('re-sync changed something');
      runs.push(ms);
    }
    runs.sort((a, b) => a - b);
    return { first, resync: runs[Math.floor(runs.length / 2)]!, meetings: report.meetings.planned };
  } finally {
    await t.dispose();
  }
}

/** Planning on SQLite, then on PostgreSQL, beside the targets. */
async function planningBenches(): Promise<void> {
  const sqlite = await planningBench('sqlite');
  const postgres = await planningBench('postgres');
  const row = (name: string, r: typeof sqlite) =>
    `${name.padEnd(10)} first sync ${r.first.toFixed(0).padStart(5)} ms (target < 1000)   no-change re-sync (median of 5) ${r.resync.toFixed(0).padStart(4)} ms (target < 100)   ${r.meetings} meetings`;
  console.log('planning: 400 panels x 12 months, 45 forces');
  console.log(row('sqlite', sqlite));
  console.log(row('postgres', postgres));
  console.log(`ratio postgres/sqlite: first ${(postgres.first / sqlite.first).toFixed(2)}x, re-sync ${(postgres.resync / sqlite.resync).toFixed(2)}x`);
}

const BENCHES: Record<string, () => Promise<void>> = {
  planning: planningBenches,
  fanout: fanoutBench,
  review: reviewBench,
  document: documentBench,
  calendar: calendarBench,
  load: loadBench,
  nominations: nominationsBench,
  cli: cliBench,
  start: startBench,
};

/** `npm run bench [name]`: that bench, or every one; each between lines giving the machine's load average. */
async function main(): Promise<void> {
  const only = process.argv[2]?.startsWith('--') ? undefined : process.argv[2];
  if (only && !BENCHES[only]) throw new Error(`no bench called ${only}: ${Object.keys(BENCHES).join(', ')}`);
  for (const [name, bench] of Object.entries(BENCHES)) if (!only || only === name) await withLoadAverage(name, bench);
}

await main();
