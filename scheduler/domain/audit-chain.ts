import { createHash } from 'node:crypto';
import type { AuditEntry } from './types.js';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

/** JSON with object keys sorted at every depth, so a hash never depends on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value as object).sort();
    return `{${keys
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** The SHA-256 that links an entry to the one before it: it covers the sequence number and every field. */
export function entryHash(prevHash: string, seq: number, e: NewAuditEntry): string {
  const body = canonicalJson({ seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, details: e.details });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Chains new entries onto the given tail (seq and hash of the last stored entry). */
export function chain(tail: { seq: number; hash: string }, entries: NewAuditEntry[]): AuditEntry[] {
  let { seq, hash } = tail;
  return entries.map((e) => {
    seq += 1;
    const prevHash = hash;
    hash = entryHash(prevHash, seq, e);
    return { ...e, seq, prevHash, hash };
  });
}

export type ChainBreak = { seq: number; problem: string };

/**
 * Walks entries in stored order and reports the first that was altered, removed or reordered.
 * Returns null when the chain is whole. `expectedPrev` lets a caller verify in pages.
 */
export function verifyChain(
  entries: Iterable<AuditEntry>,
  start: { seq: number; hash: string } = { seq: 0, hash: GENESIS_HASH },
): { broken: ChainBreak | null; last: { seq: number; hash: string } } {
  let last = start;
  for (const e of entries) {
    if (e.seq !== last.seq + 1) {
      return { broken: { seq: e.seq, problem: `expected entry ${last.seq + 1} next, found ${e.seq}: an entry was removed or reordered` }, last };
    }
    if (e.prevHash !== last.hash) {
      return { broken: { seq: e.seq, problem: 'its link to the previous entry does not match: an entry before it was removed, replaced or reordered' }, last };
    }
    if (entryHash(e.prevHash, e.seq, e) !== e.hash) {
      return { broken: { seq: e.seq, problem: 'its contents do not match its hash: the entry was altered' }, last };
    }
    last = { seq: e.seq, hash: e.hash };
  }
  return { broken: null, last };
}
