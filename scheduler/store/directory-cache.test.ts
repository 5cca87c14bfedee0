import { describe, expect, it } from 'vitest';
import type { Force, Person } from '../domain/types.js';
import { DirectoryCache } from './directory-cache.js';
import type { DirectoryRepo } from './store.js';

const lead: Person = { aadObjectId: 'a1', name: 'Ann' };
const force = (name: string): Force => ({ id: 'f', name, teamsChannelId: null, retired: false, preventLeads: [lead], deputies: [] });

/** A directory that counts its reads and can be told to fail. */
function counting() {
  let current = force('Hampshire');
  const reads: string[] = [];
  let failNext = false;
  const inner: DirectoryRepo = {
    listForces: async () => (reads.push('listForces'), [structuredClone(current)]),
    listPanels: async () => (reads.push('listPanels'), []),
    getForce: async (id) => {
      reads.push(`getForce ${id}`);
      if (failNext) {
        failNext = false;
        throw new Error('database down');
      }
      return id === current.id ? structuredClone(current) : null;
    },
    getPanel: async () => (reads.push('getPanel'), null),
    listNationalLeads: async () => (reads.push('listNationalLeads'), []),
    rolesOf: async (aad) => (reads.push(`rolesOf ${aad}`), []),
    listReaders: async () => (reads.push('listReaders'), []),
    saveForce: async (f) => void (current = structuredClone(f)),
    savePanel: async () => undefined,
    setNationalLeads: async () => undefined,
    setReaders: async () => undefined,
  };
  return { inner, reads, failNextRead: () => void (failNext = true) };
}

describe('the directory cache', () => {
  it('answers a repeated read from memory until its time is up', async () => {
    let now = 0;
    const d = counting();
    const dir = new DirectoryCache(5_000, () => now).over(d.inner, false);
    expect((await dir.getForce('f'))?.name).toBe('Hampshire');
    await dir.getForce('f');
    await dir.getForce('g');
    expect(d.reads).toEqual(['getForce f', 'getForce g']);
    now = 4_999;
    await dir.getForce('f');
    expect(d.reads).toHaveLength(2);
    now = 5_000;
    await dir.getForce('f');
    expect(d.reads).toEqual(['getForce f', 'getForce g', 'getForce f']);
  });

  it('shares one read between callers that ask at once, and hands out answers nobody can change', async () => {
    const d = counting();
    const dir = new DirectoryCache().over(d.inner, false);
    const [a, b] = await Promise.all([dir.getForce('f'), dir.getForce('f')]);
    expect(d.reads).toEqual(['getForce f']);
    expect(a).toBe(b);
    expect(() => a!.preventLeads.push(lead)).toThrow(TypeError);
    expect(() => ((a!.preventLeads[0] as { name: string }).name = 'Mallory')).toThrow(TypeError);
  });

  it('does not keep a failed read', async () => {
    const d = counting();
    const dir = new DirectoryCache().over(d.inner, false);
    d.failNextRead();
    await expect(dir.getForce('f')).rejects.toThrow('database down');
    expect((await dir.getForce('f'))?.name).toBe('Hampshire');
    expect(d.reads).toEqual(['getForce f', 'getForce f']);
  });

  it('forgets everything when this process writes the directory', async () => {
    const d = counting();
    const dir = new DirectoryCache().over(d.inner, false);
    await dir.getForce('f');
    await dir.saveForce(force('Hampshire and Isle of Wight'), 'now');
    expect((await dir.getForce('f'))?.name).toBe('Hampshire and Isle of Wight');
  });

  it('inside a transaction reads every answer through it, even one the cache holds, and keeps none (issue 13: decisions read through)', async () => {
    const cache = new DirectoryCache();
    const outside = counting();
    const store = cache.over(outside.inner, false);
    await store.rolesOf('a1');
    await store.getForce('f');
    const inTx = counting();
    const tx = cache.over(inTx.inner, true);
    await tx.rolesOf('a1');
    await tx.getForce('f');
    await tx.getForce('f');
    expect(inTx.reads).toEqual(['rolesOf a1', 'getForce f', 'getForce f']);
    expect(tx.wrote).toBe(false);
    // Reads that only render still come from memory, and nothing the transaction read was put there.
    await store.rolesOf('a1');
    await store.getForce('f');
    expect(outside.reads).toEqual(['rolesOf a1', 'getForce f']);
  });

  it('empties the cache when a transaction writes, and its uncommitted answers are never kept', async () => {
    const cache = new DirectoryCache();
    const outside = counting();
    const store = cache.over(outside.inner, false);
    await store.getForce('f');
    const inTx = counting();
    const tx = cache.over(inTx.inner, true);
    await tx.saveForce(force('Uncommitted'), 'now');
    expect(tx.wrote).toBe(true);
    expect((await tx.getForce('f'))?.name).toBe('Uncommitted');
    // Outside, the committed answer is read afresh, and the transaction's own answer was never kept.
    expect((await store.getForce('f'))?.name).toBe('Hampshire');
    expect(outside.reads).toEqual(['getForce f', 'getForce f']);
  });
});
