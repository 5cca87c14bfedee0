import { verifyChain, GENESIS_HASH, type ChainBreak } from './domain/audit-chain.js';
import type { Store } from './store/store.js';

const PAGE = 2000;

/** Walks the whole audit log in sequence order, page by page, and reports the first broken entry. */
export async function verifyAuditLog(store: Store): Promise<{ entries: number; broken: ChainBreak | null }> {
  let tail = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  for (;;) {
    const page = await store.audit.page(tail.seq, PAGE);
    if (page.length === 0) return { entries, broken: null };
    const { broken, last } = verifyChain(page, tail);
    if (broken) return { entries: entries + page.findIndex((e) => e.seq === broken.seq), broken };
    entries += page.length;
    tail = last;
  }
}
