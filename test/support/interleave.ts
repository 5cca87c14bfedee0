import pg from 'pg';
import type { Repos, Store } from '../../scheduler/store/store.js';
import { TEST_DATABASE_URL, type TestStore } from './stores.js';
import { until } from './wait.js';

type Method = (...args: unknown[]) => Promise<unknown>;

/**
 * Forces the interleaving a race test is about instead of hoping the machine produces it. The first transaction run
 * through `store` stops just before it calls `repo.method` (its reads done, holding whatever it locked) until
 * release(); `untilBlocked` then waits until a second writer is provably waiting for it, or has finished without
 * waiting, which is the bug the race test exists to catch (its outcome then shows it).
 */
export function pauseFirstTransaction(t: TestStore, repo: keyof Repos, method: string) {
  let reached!: () => void;
  const paused = new Promise<void>((r) => (reached = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let begun = 0;
  let entered = 0;
  const store: Store = {
    ...t.store,
    transaction: (fn) => {
      const n = ++begun;
      return t.store.transaction((tx) => {
        entered += 1;
        if (n !== 1) return fn(tx);
        const target = tx[repo] as unknown as Record<string, Method>;
        const stop: Method = async (...args) => {
          reached();
          await released;
          return target[method]!.apply(target, args);
        };
        const stopped = new Proxy(target, { get: (o, k) => (k === method ? stop : Reflect.get(o, k)) });
        return fn({ ...tx, [repo]: stopped });
      });
    },
  };

  /** Waits until `other` (a second writer through `store`) waits for the paused transaction, or has settled. */
  async function untilBlocked(other: Promise<unknown>): Promise<void> {
    let settled = false;
    void other.then(
      () => (settled = true),
      () => (settled = true),
    );
    if (t.options.kind === 'sqlite') {
      // One connection, one transaction at a time: a second one waits to begin. SQLite does no I/O of its own, so after
      // a turn of the event loop a second transaction that could begin has begun.
      await new Promise((r) => setImmediate(r));
      return until(() => settled || (begun >= 2 && entered === 1), 'the second transaction to wait for the first, or to finish');
    }
    return untilWaitingOrSettled(t.options.schema!, () => settled);
  }

  return { store, paused, release, untilBlocked };
}

/**
 * Waits until a session is waiting on a lock while holding a lock on one of `schema`'s tables (a writer provably
 * blocked by another), or `settled()` says the writer finished without waiting (which the test's outcome then shows).
 */
export async function untilWaitingOrSettled(schema: string, settled: () => boolean): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const waiting = async () =>
      (
        await admin.query(
          `select count(*)::int as n from pg_stat_activity a
            where a.wait_event_type = 'Lock'
              and exists (select 1 from pg_locks l join pg_class c on c.oid = l.relation
                           where l.pid = a.pid and c.relnamespace = $1::regnamespace)`,
          [schema],
        )
      ).rows[0].n > 0;
    await until(async () => settled() || (await waiting()), 'the second transaction to wait for the first, or to finish');
  } finally {
    await admin.end();
  }
}
