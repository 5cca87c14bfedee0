// `npm run bench nominations`: nominations pressed in process on PostgreSQL, 16 at a time, through one store and
// through two stores over one schema (two instances' worth of connections), with the audit entries queued and
// chained after each commit (the bot) and, as the baseline in the same run, chained inside each transaction under
// the lock every instance shares (how it was before the queue). Each press first reads its card's context, as the
// bot's does; then it is written by the locking transaction, or as read (one statement, store.writeNomination).
// The database path alone: no HTTP, no Teams.
import { performance } from 'node:perf_hooks';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { loadCardContext, nominate } from '../scheduler/nominations/nominations.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { openStore } from '../scheduler/store/open-store.js';
import type { Store } from '../scheduler/store/store.js';
import { sampleConfig } from '../test/support/sample.js';
import { freshStore, TEST_AUDIT_KEY } from '../test/support/stores.js';
import { GARETH, NADIA } from '../test/support/teams-activities.js';
import { numberOption } from './machine.js';

const SYNCED = '2027-04-01T08:00:00.000Z';
const NOW = '2027-04-20T08:00:00.000Z';
const SAM = { aadObjectId: '5a1b2c3d-0000-4000-8000-000000000001', name: 'Sam Cole' };
const IN_FLIGHT = 16;

interface Result {
  perSecond: number;
  p50: number;
  p99: number;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

/** How a press is written: chained in its transaction (before the queue), queued by the locking path, or as read. */
type Mode = 'chained' | 'locking' | 'as read';

/** `rounds` nominations on each of 16 meetings (one worker each, taking turns over the stores), alternating two people. */
async function run(stores: 1 | 2, mode: Mode, rounds: number): Promise<Result> {
  const chainInTransaction = mode === 'chained';
  const t = await freshStore('postgres');
  const opened: Store[] = [];
  try {
    await syncPanels(t.store, sampleConfig(), SYNCED);
    await t.store.audit.settle();
    for (let i = 0; i < stores; i++) opened.push(await openStore({ ...t.options, chainInTransaction }));
    const meetings = (await t.store.meetings.list({ panelIds: ['southampton', 'portsmouth', 'hampshire'], from: NOW })).slice(0, IN_FLIGHT);
    if (meetings.length < IN_FLIGHT) throw new Error(`only ${meetings.length} meetings to press`);
    const latencies: number[] = [];
    // Presses written as read that fell back to the locking path (the check below keeps the 'as read' rows honest).
    let fellBack = 0;
    const pressing = opened.map((s): Store => ({ ...s, writeNomination: async (w, decide) => { const r = await s.writeNomination(w, decide); if (!r) fellBack += 1; return r; } }));
    const started = performance.now();
    await Promise.all(
      meetings.map(async (m, w) => {
        const store = pressing[w % pressing.length]!;
        for (let v = 0; v < rounds; v++) {
          const t0 = performance.now();
          const context = await loadCardContext(store, m.id, 'hampshire');
          if (!context) throw new Error(`no card context for ${m.id}`);
          const input = { meetingId: m.id, forceId: 'hampshire', meetingVersion: m.version, nominationVersion: v, attendee: v % 2 ? SAM : NADIA, role: 'DI', decisionMaker: true };
          const r = await nominate(store, input, GARETH.aadObjectId, NOW, mode === 'as read' ? { context } : undefined);
          latencies.push(performance.now() - t0);
          if (!r.ok) throw new Error(`nomination refused: ${r.error.message}`);
        }
      }),
    );
    const elapsed = performance.now() - started;
    // The presses that start before a store has checked its key against the chain (its first locking press does) take
    // the locking path: at most the first round's, one per meeting. No later one may.
    if (fellBack > IN_FLIGHT) throw new Error(`${fellBack} presses meant to be written as read took the locking path`);
    for (const s of opened) await s.audit.settle();
    if (!reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))) throw new Error('the audit log does not verify after the run');
    latencies.sort((a, b) => a - b);
    return { perSecond: (latencies.length / elapsed) * 1000, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  } finally {
    for (const s of opened) await s.close();
    await t.dispose();
  }
}

export async function nominationsBench(): Promise<void> {
  const rounds = numberOption('rounds', 'BENCH_NOMINATION_ROUNDS', 40);
  console.log(`nominations on PostgreSQL, in process: ${IN_FLIGHT} meetings pressed at once, ${rounds} nominations each, through 1 store or 2 stores over one schema`);
  const rows: Array<[string, Result]> = [];
  const label: Record<Mode, string> = {
    chained: 'locking, chained in the transaction (before)',
    locking: 'locking, queued and chained after the commit',
    'as read': 'written as read, one statement, queued',
  };
  for (const mode of ['chained', 'locking', 'as read'] as const) {
    for (const stores of [1, 2] as const) {
      // Warm once (connections, prepared JIT paths), then measure.
      await run(stores, mode, 4);
      rows.push([`${stores} store${stores === 2 ? 's' : ' '}, ${label[mode]}`, await run(stores, mode, rounds)]);
    }
  }
  for (const [name, r] of rows) console.log(`  ${name.padEnd(58)} ${r.perSecond.toFixed(0).padStart(5)} nominations/s   p50 ${r.p50.toFixed(1).padStart(6)} ms   p99 ${r.p99.toFixed(1).padStart(6)} ms`);
  const [b1, b2, q1, q2, r1, r2] = rows.map(([, r]) => r.perSecond);
  console.log(`  two stores against one: before ${(b2! / b1!).toFixed(2)}x, queued ${(q2! / q1!).toFixed(2)}x, as read ${(r2! / r1!).toFixed(2)}x (the load bench's target for two instances: >= 1.6x)`);
  console.log(`  queued against before: one store ${(q1! / b1!).toFixed(2)}x, two stores ${(q2! / b2!).toFixed(2)}x`);
  console.log(`  as read against queued: one store ${(r1! / q1!).toFixed(2)}x, two stores ${(r2! / q2!).toFixed(2)}x`);
}
