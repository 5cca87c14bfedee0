import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { auditKey, canonicalJson, detailsHash, entryHash } from './audit-chain.js';

// Every log already chained was keyed with AUDIT_KEY's text as UTF-8 bytes: however the key is held in the process,
// the hashes must stay exactly the HMAC-SHA256 of `purpose \n text` under those bytes, or old logs stop verifying.
const plain = (secret: string, purpose: string, text: string) => createHmac('sha256', secret).update(`${purpose}\n${text}`).digest('hex');

describe('the keyed audit chain', () => {
  it.each(['k'.repeat(40), `clé-secrète-ünïcödé-${'é'.repeat(40)}`, 'x'.repeat(200)])('hashes with the key text as UTF-8 bytes (%#)', (secret) => {
    const key = auditKey(secret);
    const details = { attendee: { name: 'Nadia', aadObjectId: 'n1' }, version: 2 };
    expect(detailsHash(key, details)).toBe(plain(secret, 'audit-details', canonicalJson(details)));
    const e = { at: '2027-04-20T08:00:00.000Z', actor: 'a1', action: 'nomination.changed', subject: { meetingId: 'm' }, detailsHash: 'd'.repeat(64) };
    const body = canonicalJson({ seq: 7, at: e.at, actor: e.actor, action: e.action, subject: e.subject, detailsHash: e.detailsHash });
    expect(entryHash(key, '0'.repeat(64), 7, e)).toBe(plain(secret, 'audit-entry', `${'0'.repeat(64)}\n${body}`));
    // Two keys never share a remembered key object.
    expect(detailsHash(auditKey(`${secret}!`), details)).not.toBe(detailsHash(key, details));
  });
});
