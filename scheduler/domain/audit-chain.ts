import { createHash, createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import type { AuditEntry } from './types.js';

/** The hash before the first entry. */
export const GENESIS_HASH = '0'.repeat(64);

export type NewAuditEntry = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash' | 'detailsHash' | 'details'> & { details: Record<string, unknown> };

/**
 * The secret the chain is keyed with (AUDIT_KEY). It never reaches the database: whoever can write the tables but
 * does not hold it cannot make a changed entry, or a rebuilt chain, verify.
 */
export interface AuditKey {
  readonly secret: string;
}

/** A key from its text form; refuses one too short to resist guessing. */
export function auditKey(text: string): AuditKey {
  if (text.length < 32) throw new Error('AUDIT_KEY must be at least 32 characters');
  // Frozen: the process keeps a key object per AuditKey (by identity), so a key's text must never change under it.
  return Object.freeze({ secret: text });
}

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

// The key as a KeyObject, made once per key: verifying a log makes two HMACs per entry, and turning the text into key
// bytes each time was a measurable part of each.
const keyObjects = new WeakMap<AuditKey, KeyObject>();
function keyObject(key: AuditKey): KeyObject {
  let k = keyObjects.get(key);
  if (!k) keyObjects.set(key, (k = createSecretKey(Buffer.from(key.secret, 'utf8'))));
  return k;
}

const hmac = (key: AuditKey, purpose: string, text: string) => createHmac('sha256', keyObject(key)).update(purpose).update('\n').update(text).digest('hex');

/**
 * The keyed hash of an entry's details. The chain covers this, not the details themselves, so details can be erased
 * (retention, a subject request) and the chain still verifies; keyed, so an erased value cannot be guessed back.
 */
export function detailsHash(key: AuditKey, details: Record<string, unknown>): string {
  return hmac(key, 'audit-details', canonicalJson(details));
}

type Chained = Pick<AuditEntry, 'at' | 'actor' | 'action' | 'subject'> & { detailsHash: string };

/** The HMAC that links an entry to the one before it: it covers the sequence number, every field and the details' hash. */
export function entryHash(key: AuditKey, prevHash: string, seq: number, e: Chained): string {
  return hmac(key, 'audit-entry', `${prevHash}\n${canonicalJson({ seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detailsHash: e.detailsHash })}`);
}

/** A queued entry as stored (PostgreSQL's `audit_pending`): its nonce and its fields as text. */
export interface QueuedText {
  nonce: string;
  at: string;
  actor: string;
  action: string;
  subject_json: string;
  details_json: string;
}

/**
 * The HMAC an entry waiting to be chained carries: over its nonce and its fields exactly as stored, so the chainer
 * checks it before parsing anything a row holds. It accepts only rows whose MAC the key makes, so the table cannot be
 * used to slip an entry into the chain (or to feed the chainer text built to make it fail) without the key.
 */
export function pendingMac(key: AuditKey, q: QueuedText): string {
  return hmac(key, 'audit-pending', canonicalJson({ nonce: q.nonce, at: q.at, actor: q.actor, action: q.action, subject: q.subject_json, details: q.details_json }));
}

/** The entry the chainer writes in place of a waiting row whose MAC the key does not make: its row id, nothing of its text. */
export const REFUSED_ACTION = 'audit.refused';

/** How entries were chained before the chain was keyed (unkeyed SHA-256 over the details themselves). */
export function legacyEntryHash(prevHash: string, seq: number, e: Pick<AuditEntry, 'at' | 'actor' | 'action' | 'subject'> & { details: Record<string, unknown> }): string {
  const body = canonicalJson({ seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, details: e.details });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

/** Chains new entries onto the given tail (seq and hash of the last stored entry). */
export function chain(key: AuditKey, tail: { seq: number; hash: string }, entries: NewAuditEntry[]): AuditEntry[] {
  let { seq, hash } = tail;
  return entries.map((e) => {
    seq += 1;
    const prevHash = hash;
    const withHash = { ...e, detailsHash: detailsHash(key, e.details) };
    hash = entryHash(key, prevHash, seq, withHash);
    return { ...withHash, seq, prevHash, hash };
  });
}

/**
 * A running digest of the unkeyed entries' every field but their details, with their hashes. The seal records it
 * under the key, so once an unkeyed entry's details are erased (and its own hash can no longer be checked), its
 * time, actor, action and subject still cannot change unseen.
 */
export function legacyFieldsDigest(previous: string, e: AuditEntry): string {
  const body = canonicalJson({ seq: e.seq, at: e.at, actor: e.actor, action: e.action, subject: e.subject, prevHash: e.prevHash, hash: e.hash });
  return createHash('sha256').update(previous).update('\n').update(body).digest('hex');
}

/** What a seal records of the unkeyed entries before it. */
export interface SealDetails {
  legacyEntries: number;
  legacyHead: string;
  legacyFields: string;
}

/** A seal names how many unkeyed entries it seals, the last one's hash, and their fields' digest. */
function sealsLegacy(e: AuditEntry, last: ChainPosition): boolean {
  const d = e.details;
  return e.action === SEAL_ACTION && d !== null && d.legacyEntries === last.seq && d.legacyHead === last.hash && d.legacyFields === last.legacyFields;
}

/** True when the stored entry's hash is what the key makes of it (a legacy entry: what SHA-256 makes of it). */
export function entryMatches(key: AuditKey, e: AuditEntry): boolean {
  if (e.detailsHash === null) return e.details === null || legacyEntryHash(e.prevHash, e.seq, { ...e, details: e.details }) === e.hash;
  return entryHash(key, e.prevHash, e.seq, { ...e, detailsHash: e.detailsHash }) === e.hash;
}

/** The first keyed entry after entries chained without a key: written once, by `panel-bot audit seal`. */
export const SEAL_ACTION = 'audit.keyed';

export type ChainBreak = { seq: number; problem: string };

/** Where a walk of the chain has got to: the last entry checked, and whether a keyed entry has been seen yet. */
export interface ChainPosition {
  seq: number;
  hash: string;
  keyed: boolean;
  /** The digest of the unkeyed entries so far (see legacyFieldsDigest). */
  legacyFields: string;
}

export const CHAIN_START: ChainPosition = { seq: 0, hash: GENESIS_HASH, keyed: false, legacyFields: GENESIS_HASH };

/**
 * Walks entries in stored order and reports the first that was altered, removed or reordered, or whose details no
 * longer match their hash. Entries chained before the key was introduced are accepted only before the first keyed
 * one: a keyed entry's HMAC covers the last legacy hash, so the legacy prefix cannot change unseen after it.
 * `start` lets a caller verify in pages.
 */
export function verifyChain(key: AuditKey, entries: Iterable<AuditEntry>, start: ChainPosition = CHAIN_START): { broken: ChainBreak | null; last: ChainPosition } {
  let last = start;
  for (const e of entries) {
    const problem = entryProblem(key, e, last);
    if (problem) return { broken: { seq: e.seq, problem }, last };
    const legacy = e.detailsHash === null;
    last = { seq: e.seq, hash: e.hash, keyed: last.keyed || !legacy, legacyFields: legacy ? legacyFieldsDigest(last.legacyFields, e) : last.legacyFields };
  }
  return { broken: null, last };
}

function entryProblem(key: AuditKey, e: AuditEntry, last: ChainPosition): string | null {
  if (e.seq !== last.seq + 1) return `expected entry ${last.seq + 1} next, found ${e.seq}: an entry was removed or reordered`;
  if (e.prevHash !== last.hash) return 'its link to the previous entry does not match: an entry before it was removed, replaced or reordered';
  if (e.detailsHash === null && last.keyed) return 'it is unkeyed but follows keyed entries: it was written without the audit key';
  if (e.detailsHash !== null && !last.keyed && last.seq > 0 && !sealsLegacy(e, last)) {
    return `it is the first keyed entry after ${last.seq} unkeyed ones but does not seal them as they are now: entries before it were changed, removed or rewritten without the key`;
  }
  if (!entryMatches(key, e)) {
    return e.seq === 1 || !last.keyed
      ? 'its contents do not match its hash: the entry was altered, or AUDIT_KEY is not the key the log was written with'
      : 'its contents do not match its hash: the entry was altered';
  }
  if (e.details !== null && e.detailsHash !== null && detailsHash(key, e.details) !== e.detailsHash) return 'its details do not match the hash the chain holds for them: the details were altered';
  return null;
}

/**
 * Entries that erase other entries' details (retention, a redaction) say which, in `details.erased` (their seqs).
 * Their own details are never erased: verify needs them to tell an erasure from a deletion nobody recorded.
 */
export const ERASURE_ACTIONS = ['retention.purged', 'cancellation.note-redacted'] as const;

/** The entries an erasure entry says it erased; none for any other entry. */
export function erasedBy(e: Pick<AuditEntry, 'action' | 'details'>): number[] {
  if (!(ERASURE_ACTIONS as readonly string[]).includes(e.action)) return [];
  const erased = e.details?.erased;
  return Array.isArray(erased) ? erased.filter((n): n is number => Number.isInteger(n)) : [];
}
