import type { Storage, StoreItems } from 'botbuilder';
import type { Store } from '../scheduler/store/store.js';

/** A write whose eTag no longer matches what is stored: another turn changed the item since it was read. */
export class ETagConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'ETagConflictError';
  }
}

/** `*` and a missing eTag mean "write whatever is there", as in every botbuilder storage. */
const ifMatchOf = (eTag: unknown): string | null => (typeof eTag === 'string' && eTag !== '' && eTag !== '*' ? eTag : null);

/**
 * botbuilder's Storage over the store, so teams-ai's conversation and user state survive restarts and are
 * shared by every instance. A write of several items is one transaction: a conflict on any leaves all unchanged.
 */
export function dbStorage(store: Pick<Store, 'botState' | 'transaction'>, clock: () => string): Storage {
  return {
    async read(keys: string[]): Promise<StoreItems> {
      if (!keys) throw new ReferenceError('Keys are required when reading.');
      const found = await store.botState.read(keys);
      const items: StoreItems = {};
      for (const [key, { value, eTag }] of found) items[key] = { ...value, eTag };
      return items;
    },
    async write(changes: StoreItems): Promise<void> {
      if (!changes) throw new ReferenceError('Changes are required when writing.');
      const entries = Object.entries(changes);
      if (!entries.length) return;
      const at = clock();
      await store.transaction(async (tx) => {
        for (const [key, item] of entries) {
          const { eTag, ...value } = (item ?? {}) as Record<string, unknown>;
          if ((await tx.botState.write(key, value, ifMatchOf(eTag), at)) === null) throw new ETagConflictError(key);
        }
      });
    },
    async delete(keys: string[]): Promise<void> {
      if (keys.length) await store.botState.delete(keys);
    },
  };
}
