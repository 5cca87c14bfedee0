import { CHAIN_START, SEAL_ACTION, verifyChain, type AuditKey, type ChainPosition, type SealDetails } from '../domain/audit-chain.js';
import { fail, ok, type Result } from '../domain/types.js';
import type { AuditRepo, Store } from '../store/store.js';
import type { HeldHead } from './verify.js';

const PAGE = 2000;

/** The unkeyed entries at the end of the log, waiting to be sealed: their count and last hash; null when there are none. */
export async function unsealedLegacy(audit: Pick<AuditRepo, 'page' | 'head'>): Promise<HeldHead | null> {
  const head = await audit.head();
  if (head.seq === 0) return null;
  const [tail] = await audit.page(head.seq - 1, 1);
  return tail && tail.detailsHash === null ? head : null;
}

/** The operator's instruction for an unsealed log, with the head to check against their own record. */
export const sealAdvice = (h: HeldHead) =>
  `the audit log's ${h.seq} entries were chained before the chain was keyed and are not sealed yet. Check that the last one is the one you know ` +
  `(entry ${h.seq}, hash ${h.hash}), then seal them: \`panel-bot audit seal --legacy-head ${h.seq}:${h.hash}\``;

/**
 * Seals the entries chained before the key existed with one keyed entry: their count, last hash and a digest of
 * their fields, so none of them can change unseen from now on, even once their details are erased. Done once, by an
 * operator who has checked the head (never automatically: an automatic seal would seal a rewritten log as readily).
 */
export async function sealLegacyChain(store: Store, key: AuditKey, held: HeldHead, actor: string, now: string): Promise<Result<{ seq: number; sealed: number }>> {
  return store.transaction(async (tx) => {
    await tx.exclusive('audit');
    const tail = await unsealedLegacy(tx.audit);
    if (!tail) return fail('NOTHING_TO_SEAL', 'The audit log has no unsealed entries from before the chain was keyed: nothing was changed.');
    if (tail.seq !== held.seq || tail.hash !== held.hash) {
      return fail('HEAD_DIFFERS', `The log's unkeyed entries end at entry ${tail.seq} (hash ${tail.hash}), not at the head you gave: nothing was sealed. Find out why before sealing.`);
    }
    const walked = await walk(tx.audit, key);
    if ('problem' in walked) return fail('BROKEN', `${walked.problem}: nothing was sealed. Restore the log from a backup before sealing it.`);
    const details: SealDetails = { legacyEntries: walked.seq, legacyHead: walked.hash, legacyFields: walked.legacyFields };
    const [seal] = await tx.audit.appendNow([{ at: now, actor, action: SEAL_ACTION, subject: {}, details: { ...details } }]);
    return ok({ seq: seal!.seq, sealed: walked.seq });
  });
}

/** Checks the unkeyed chain end to end and returns where it ends, with its fields' digest. */
async function walk(audit: Pick<AuditRepo, 'page'>, key: AuditKey): Promise<ChainPosition | { problem: string }> {
  let at = CHAIN_START;
  for (;;) {
    const page = await audit.page(at.seq, PAGE);
    if (!page.length) return at;
    const { broken, last } = verifyChain(key, page, at);
    if (broken) return { problem: `entry ${broken.seq}: ${broken.problem}` };
    at = last;
  }
}
