import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';

/**
 * How long a transaction waits for one of the bot's advisory locks (PostgreSQL) before it gives up; a constant (tests
 * shorten it through the store's `lockWaitMs`). The audit chain's and the outbox's locks are held for a few statements,
 * the planner's for a sync (about a second for 400 panels) or an attendance import, the chain's for `audit seal`'s walk
 * of an old log (seconds): a wait this long means a session is stuck holding one (a transaction a killed client never
 * ended, say) or is far slower than it should be. Giving up rolls the waiter's transaction back with a clear error,
 * instead of hanging a Teams request, the chainer, start-up or `audit verify` for good.
 */
export const LOCK_WAIT_MS = 30_000;

/** The most PostgreSQL's lock_timeout takes, in ms. */
const MAX_WAIT_MS = 2_147_483_647;

/** The lock a waiter gave up on, named for the operator; the transaction it was in is rolled back. */
export class LockWaitExpired extends Error {
  constructor(what: string, waitMs: number, cause: unknown) {
    super(
      `database: waited ${waitMs / 1000} s for the ${what} lock, which another session holds (busy, or left in a transaction); ` +
        'this transaction was rolled back. If it repeats, look in pg_stat_activity for the session holding it.',
      { cause },
    );
    this.name = 'LockWaitExpired';
  }
}

/**
 * Takes a transaction-scoped advisory lock, waiting at most `waitMs`. Only this wait is bounded: lock_timeout goes
 * back to the session's starting value (its connection options, role or database setting; the bot never SETs it) for
 * the rest of the transaction. One round trip: with no parameters node-postgres sends the three statements as one
 * simple query, so the numbers are checked to be integers before they are written into its text.
 */
export async function advisoryLock(db: Kysely<Database>, lock: number, what: string, waitMs: number = LOCK_WAIT_MS): Promise<void> {
  if (!Number.isSafeInteger(lock) || !Number.isSafeInteger(waitMs) || waitMs < 1 || waitMs > MAX_WAIT_MS) {
    throw new RangeError(`advisory lock ${lock}: the id must be an integer and the wait 1 to ${MAX_WAIT_MS} ms, not ${waitMs}`);
  }
  try {
    await sql.raw(`set local lock_timeout = ${waitMs}; select pg_advisory_xact_lock(${lock}); set local lock_timeout to default`).execute(db);
  } catch (err) {
    // 55P03: lock_not_available, what lock_timeout raises.
    if ((err as { code?: unknown }).code === '55P03') throw new LockWaitExpired(what, waitMs, err);
    throw err;
  }
}
