import { describe, expect, it } from 'vitest';
import { dbStorage, ETagConflictError } from '../bot/db-storage.js';
import { openStore } from '../scheduler/store/open-store.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

const AT = '2027-04-20T08:00:00.000Z';
const KEY = 'msteams/28:bot-id/conversations/19:c@thread.tacv2';
const USER = 'msteams/28:bot-id/users/29:user';

describe.each(STORE_KINDS)('bot state on %s', (kind) => {
  const t = useFreshStore(kind);

  describe('the repository', () => {
    it('reads back what an unconditional write stored, with its eTag, and nothing for unknown keys', async () => {
      const eTag = await t.store.botState.write(KEY, { step: 1, nested: { a: [1, 2] } }, null, AT);
      const read = await t.store.botState.read([KEY, 'unknown']);
      expect([...read.keys()]).toEqual([KEY]);
      expect(read.get(KEY)).toEqual({ value: { step: 1, nested: { a: [1, 2] } }, eTag });
    });

    it('writes with the current eTag, gives a new eTag each time, and refuses the stale one', async () => {
      const first = (await t.store.botState.write(KEY, { step: 1 }, null, AT))!;
      const second = await t.store.botState.write(KEY, { step: 2 }, first, AT);
      expect(second).toEqual(expect.any(String));
      expect(second).not.toBe(first);
      expect(await t.store.botState.write(KEY, { step: 3 }, first, AT)).toBeNull();
      expect((await t.store.botState.read([KEY])).get(KEY)).toEqual({ value: { step: 2 }, eTag: second });
    });

    it('lets a conditional write create a key that has no row, as MemoryStorage does', async () => {
      expect(await t.store.botState.write(KEY, { step: 1 }, 'gone', AT)).toEqual(expect.any(String));
      expect((await t.store.botState.read([KEY])).get(KEY)?.value).toEqual({ step: 1 });
    });

    it('deletes only the keys named', async () => {
      await t.store.botState.write(KEY, { a: 1 }, null, AT);
      await t.store.botState.write(USER, { b: 2 }, null, AT);
      await t.store.botState.delete([KEY, 'unknown']);
      expect([...(await t.store.botState.read([KEY, USER])).keys()]).toEqual([USER]);
    });

    it('lets exactly one of many writers holding the same eTag win', async () => {
      const eTag = (await t.store.botState.write(KEY, { n: 0 }, null, AT))!;
      const results = await Promise.all(Array.from({ length: 8 }, (_, n) => t.store.botState.write(KEY, { n: n + 1 }, eTag, AT)));
      const winners = results.flatMap((r, i) => (r ? [{ eTag: r, n: i + 1 }] : []));
      expect(winners).toHaveLength(1);
      expect((await t.store.botState.read([KEY])).get(KEY)).toEqual({ value: { n: winners[0]!.n }, eTag: winners[0]!.eTag });
    });
  });

  describe("botbuilder's Storage over it", () => {
    it('round-trips items with their eTag and deletes them', async () => {
      const storage = dbStorage(t.store, () => AT);
      await storage.write({ [KEY]: { count: 1 }, [USER]: { name: 'x' } });
      const items = await storage.read([KEY, USER, 'unknown']);
      expect(Object.keys(items).sort()).toEqual([KEY, USER].sort());
      expect(items[KEY]).toEqual({ count: 1, eTag: expect.any(String) });
      await storage.delete([KEY]);
      expect(Object.keys(await storage.read([KEY, USER]))).toEqual([USER]);
    });

    it('rejects a write with a stale eTag and accepts `*` and a missing eTag unconditionally', async () => {
      const storage = dbStorage(t.store, () => AT);
      await storage.write({ [KEY]: { count: 1 } });
      const stale = (await storage.read([KEY]))[KEY]!;
      await storage.write({ [KEY]: { ...stale, count: 2 } });
      await expect(storage.write({ [KEY]: { ...stale, count: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
      expect((await storage.read([KEY]))[KEY]).toMatchObject({ count: 2 });
      await storage.write({ [KEY]: { count: 4, eTag: '*' } });
      expect((await storage.read([KEY]))[KEY]).toMatchObject({ count: 4 });
      await storage.write({ [KEY]: { count: 5 } });
      expect((await storage.read([KEY]))[KEY]).toMatchObject({ count: 5 });
    });

    it('writes several items all or nothing: a conflict on one leaves the others unchanged', async () => {
      const storage = dbStorage(t.store, () => AT);
      await storage.write({ [KEY]: { count: 1 }, [USER]: { seen: 1 } });
      const before = await storage.read([KEY, USER]);
      await storage.write({ [KEY]: { ...before[KEY], count: 2 } });
      await expect(storage.write({ [USER]: { ...before[USER], seen: 2 }, [KEY]: { ...before[KEY], count: 3 } })).rejects.toBeInstanceOf(ETagConflictError);
      expect(await storage.read([KEY, USER])).toMatchObject({ [KEY]: { count: 2 }, [USER]: { seen: 1, eTag: before[USER]!.eTag } });
    });

    it('lets exactly one of several turns racing on the same eTag save, and the others fail as botbuilder expects', async () => {
      const storage = dbStorage(t.store, () => AT);
      await storage.write({ [KEY]: { step: 'asked' } });
      const read = (await storage.read([KEY]))[KEY]!;
      const outcomes = await Promise.allSettled(['a', 'b', 'c', 'd'].map((step) => storage.write({ [KEY]: { ...read, step } })));
      const won = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? ['abcd'[i]] : []));
      expect(won).toHaveLength(1);
      for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toBeInstanceOf(ETagConflictError);
      expect((await storage.read([KEY]))[KEY]).toMatchObject({ step: won[0] });
    });

    it('shares state between two instances on one database: what one saves the other reads, and its stale save fails', async () => {
      // Two stores on one database stand for two processes. (Two SQLite connections cannot race inside one
      // process: better-sqlite3 waits for the write lock synchronously. The race above covers that.)
      const other = await openStore(t.options);
      try {
        const a = dbStorage(t.store, () => AT);
        const b = dbStorage(other, () => AT);
        await a.write({ [KEY]: { step: 'asked' } });
        const readA = (await a.read([KEY]))[KEY]!;
        const readB = (await b.read([KEY]))[KEY]!;
        expect(readB).toEqual(readA);
        await a.write({ [KEY]: { ...readA, step: 'a' } });
        await expect(b.write({ [KEY]: { ...readB, step: 'b' } })).rejects.toBeInstanceOf(ETagConflictError);
        expect((await b.read([KEY]))[KEY]).toMatchObject({ step: 'a' });
      } finally {
        await other.close();
      }
    });
  });
});
