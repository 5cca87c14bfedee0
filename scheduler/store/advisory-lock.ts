import { sql, type Kysely } from 'kysely';
import type { Database } from './tables.js';

/**
 * How long a transaction waits for one of the bot's advisory locks (PostgreSQL) before it gives up: the audit chain's,
 * the planner's and the outbox's are each held for a few statements, so a wait this long means a session is stuck
 * holding one (an open transaction left behind by a killed client, say). Giving up rolls the waiter's transaction
 * back with a clear error, instead of hanging a Teams request, the chainer or `audit verify` for good.
 */
export const LOCK_WAIT_MS = 30_000;

/** The lock a waiter gave up on, named for the operator; the transaction it was in is rolled back. */
export class LockWaitExpired extends Error {
  constructor(what: string, waitMs: number) {
    super(`database: waited ${waitMs / 1000} s for the ${what} lock, which another session holds; nothing was written. If this repeats, look for a session left in a transaction (pg_stat_activity, state "idle in transaction").`);
    this.name = 'LockWaitExpired';
  }
}

/**
 * Takes a transaction-scoped advisory lock, waiting at most `waitMs`; only this wait is bounded (lock_timeout is put
 * back for the rest of the transaction). One round trip: with no parameters node-postgres sends the three statements
 * as one simple query, so the ids are checked to be integers before they are written into its text.
 */
export async function advisoryLock(db: Kysely<Database>, lock: number, what: string, waitMs: number = LOCK_WAIT_MS): Promise<void> {
  if (!Number.isSafeInteger(lock) || !Number.isSafeInteger(waitMs) || waitMs < 1) throw new RangeError(`advisory lock ${lock}: bad lock id or wait ${waitMs}`);
  try {
    await sql.raw(`set local lock_timeout = ${waitMs}; select pg_advisory_xact_lock(${lock}); set local lock_timeout to default`).execute(db);
  } catch (err) {
    // 55P03: lock_not_available, what lock_timeout raises.
    if ((err as { code?: unknown }).code === '55P03') throw new LockWaitExpired(what, waitMs);
    throw err;
  }
}
