import { SEAL_ACTION } from '../domain/audit-chain.js';
import type { Store } from '../store/store.js';

/** The migration that keyed the chain: entries before it were chained with unkeyed SHA-256. */
const KEYING_MIGRATION = '008_audit_keeping';

/**
 * Seals the entries chained before the key existed with one keyed entry naming how many there are, so none of them
 * can change unseen from now on. Only the start-up that applied the keying migration does this: an unkeyed tail
 * found at any other time was not written by the bot, and every append refuses it.
 */
export async function sealLegacyChain(store: Store, now: string): Promise<boolean> {
  if (!store.migratedNow.includes(KEYING_MIGRATION)) return false;
  const [tail] = await store.audit.page(Math.max(0, (await store.audit.head()).seq - 1), 1);
  if (!tail || tail.detailsHash !== null) return false;
  await store.audit.append([{ at: now, actor: 'system', action: SEAL_ACTION, subject: {}, details: { legacyEntries: tail.seq, legacyHead: tail.hash } }]);
  return true;
}
