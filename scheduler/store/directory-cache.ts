import type { DirectoryReads, DirectoryRepo } from './store.js';

/** How long a directory answer is served from memory. Another instance's config sync is seen within this time. */
export const DIRECTORY_TTL_MS = 5_000;
const MAX_ENTRIES = 10_000;

type Reads = DirectoryReads;
const READS: Array<keyof Reads> = ['listForces', 'listPanels', 'getForce', 'getPanel', 'listNationalLeads', 'rolesOf', 'listReaders'];

/** Freezes an answer all the way down: it is shared by every caller, so none may change it. */
function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * The directory (forces, panels, their people and roles) is written only by the config sync and read by nearly every
 * turn: a card action used to spend a dozen round trips on it. Answers are kept for DIRECTORY_TTL_MS, frozen.
 *
 * - Only reads outside a transaction use the cache: they render (cards, lists, the review). A transaction is where a
 *   decision is made and written (may this person nominate, cancel, record?), so every directory read in one goes to
 *   the database through that transaction: a lead removed by another instance's sync is refused on their next write.
 *   A write made outside a transaction (a press written as read) decides from `store.pressReads` and
 *   `store.freshDirectory`, both uncached.
 * - A sync in this process empties the cache when it writes and again when its transaction ends, so nothing read before
 *   its commit outlives it, and nothing read inside a transaction (uncommitted, or about to be) is ever kept.
 * - Another instance's sync is seen by reads that render within DIRECTORY_TTL_MS (config changes arrive by redeploy,
 *   so this only matters during a rolling one).
 */
export class DirectoryCache {
  private readonly entries = new Map<string, { at: number; value: Promise<unknown> }>();

  constructor(
    private readonly ttlMs = DIRECTORY_TTL_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Forgets every answer (a directory write happened or committed). */
  invalidate(): void {
    this.entries.clear();
  }

  /**
   * The directory over `inner` (the store's, or one transaction's). Outside a transaction reads are answered from the
   * cache; inside one they all read through it. `wrote` tells the store to empty the cache again when the transaction ends.
   */
  over(inner: DirectoryRepo, inTransaction: boolean): DirectoryRepo & { readonly wrote: boolean } {
    let wrote = false;
    const through = <K extends keyof Reads>(name: K) => ((...args: unknown[]) => (inner[name] as (...a: unknown[]) => Promise<unknown>)(...args)) as Reads[K];
    const writing = <A extends unknown[]>(write: (...a: A) => Promise<void>) =>
      async (...args: A) => {
        if (inTransaction) wrote = true;
        this.invalidate();
        await write(...args);
        // Outside a transaction the write has landed: what was read while it ran is gone too.
        if (!inTransaction) this.invalidate();
      };
    const reads = Object.fromEntries(READS.map((name) => [name, inTransaction ? through(name) : this.cached(through(name), name)])) as Reads;
    return {
      ...reads,
      saveForce: writing(inner.saveForce),
      savePanel: writing(inner.savePanel),
      setNationalLeads: writing(inner.setNationalLeads),
      setReaders: writing(inner.setReaders),
      get wrote() {
        return wrote;
      },
    };
  }

  /** `read`, answered from memory while an answer to the same arguments is younger than the TTL. */
  private cached<K extends keyof Reads>(read: Reads[K], name: K): Reads[K] {
    return ((...args: unknown[]) => {
      const key = `${name}:${JSON.stringify(args)}`;
      const hit = this.entries.get(key);
      if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
      const value = (read as (...a: unknown[]) => Promise<unknown>)(...args).then(deepFreeze);
      if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
      this.entries.set(key, { at: this.now(), value });
      // A failed read is not kept. (One under way when the cache is emptied is gone with it.)
      value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
      return value;
    }) as Reads[K];
  }
}
