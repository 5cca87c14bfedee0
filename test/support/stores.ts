import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach } from 'vitest';
import { syncPanels } from '../../scheduler/planning/sync.js';
import { auditKey } from '../../scheduler/domain/audit-chain.js';
import { openStore, type StoreOptions } from '../../scheduler/store/open-store.js';
import type { Store } from '../../scheduler/store/store.js';
import { sampleConfig } from './sample.js';

/** The PostgreSQL that `.ci/run` makes sure is up; override with TEST_DATABASE_URL. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The key every test store's audit chain is written with. */
export const TEST_AUDIT_KEY = auditKey('test-audit-key-for-the-suite-only-0123456789');

export type StoreKind = 'sqlite' | 'postgres';
export const STORE_KINDS: StoreKind[] = ['sqlite', 'postgres'];

export interface TestStore {
  store: Store;
  options: StoreOptions;
  /** Runs raw SQL against the same database, bypassing the store (to simulate tampering). */
  raw(sql: string): Promise<void>;
  dispose(): Promise<void>;
}

/** A fresh, empty store: a SQLite file in a temp folder, or a PostgreSQL schema of its own. */
export async function freshStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'panel-bot-'));
    const options = { kind: 'sqlite' as const, file: join(dir, 'panels.db'), auditKey: TEST_AUDIT_KEY };
    const store = await openStore(options);
    return {
      store,
      options,
      raw: async (sql) => {
        const { default: SQLite } = await import('better-sqlite3');
        const db = new SQLite(options.file);
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      },
      dispose: async () => {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const options: StoreOptions = { kind: 'postgres', url: TEST_DATABASE_URL, schema, poolSize: 4, auditKey: TEST_AUDIT_KEY };
  const store = await openStore(options);
  return {
    store,
    options,
    raw: async (sql) => {
      await admin.query(`set search_path = ${schema}`);
      await admin.query(sql);
    },
    dispose: async () => {
      await store.close();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

/**
 * A fresh store for each test of the enclosing describe: registers a beforeEach that opens one (and, given `syncedAt`,
 * syncs the sample config into it at that instant) and an afterEach that disposes of it. Call it where you would have
 * written those hooks; a beforeEach registered after it sees the store, so file-specific seeding goes there.
 *
 * Returns a handle that always reads the current test's store; it is usable inside tests and hooks only.
 */
export function useFreshStore(kind: StoreKind, opts: { syncedAt?: string } = {}): TestStore {
  let current: TestStore | undefined;
  beforeEach(async () => {
    current = await freshStore(kind);
    if (opts.syncedAt) await syncPanels(current.store, sampleConfig(), opts.syncedAt);
    // The sync's audit entries are chained before the test starts (PostgreSQL queues them): no test races the chainer.
    await current.store.audit.settle();
  });
  const release = async () => {
    const done = current;
    current = undefined;
    await done?.dispose();
  };
  afterEach(release);
  const now = (): TestStore => {
    if (!current) throw new Error('useFreshStore: there is a store only while a test (or its hooks) runs');
    return current;
  };
  return {
    get store() {
      return now().store;
    },
    get options() {
      return now().options;
    },
    raw: (sql) => now().raw(sql),
    // Early disposal is allowed; the afterEach then has nothing left to do.
    dispose: release,
  };
}
