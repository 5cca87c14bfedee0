import { describe, expect, it } from 'vitest';
import { nominationCard } from '../cards/nomination-card.js';
import { redactNote } from '../scheduler/audit/redact-note.js';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import type { AuditEntry } from '../scheduler/domain/types.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { cardMessageId } from '../scheduler/nominations/card-messages.js';
import { nominationCardModel } from '../scheduler/nominations/nominations.js';
import type { Store } from '../scheduler/store/store.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore } from './support/stores.js';

const MAY = 'southampton.2027-05-03';
const JUNE = 'southampton.2027-06-07';
const DAWN = '92276658-1e27-41c0-8a6a-63ec24ede6a4'; // chair of Southampton in the sample
const OPERATOR = 'cli:ops';
const CANCELLED_AT = '2027-04-20T08:00:00.000Z';
const REDACTED_AT = '2027-04-22T15:00:00.000Z';
const NOTE = 'NOTE-7f3a room double-booked';
const OTHER_NOTE = 'NOTE-b2c9 chair on leave';

/** Every entry of the log, page by page, as verify reads it. */
async function everyEntry(store: Store): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  for (let page = await store.audit.page(0, 7); page.length; page = await store.audit.page(all.at(-1)!.seq, 7)) all.push(...page);
  return all;
}

// Issue 17, point 6: a cancellation note was stored in the cancellations row and in the append-only audit log, and
// nothing could remove it. `redact note` erases it from both; the chain still verifies.
describe.each(STORE_KINDS)('redact note on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });

  /** May and June cancelled with notes; Hampshire's card for May posted, so erasing the note updates it. */
  async function cancelBoth(): Promise<void> {
    await t.store.outbox.enqueue([{
      id: cardMessageId(MAY, 'hampshire'), kind: 'card', conversationId: '19:hampshire@thread.tacv2', meetingId: MAY, forceId: 'hampshire', cardId: null,
      personAadObjectId: null, status: 'sent', attempts: 1, nextAttemptAt: CANCELLED_AT, activityId: 'activity-1', lastError: null, createdAt: CANCELLED_AT,
    }]);
    expect((await cancelMeeting(t.store, { meetingId: MAY, reason: 'other', note: NOTE }, DAWN, CANCELLED_AT)).ok).toBe(true);
    expect((await cancelMeeting(t.store, { meetingId: JUNE, reason: 'chair unavailable', note: OTHER_NOTE }, DAWN, CANCELLED_AT)).ok).toBe(true);
  }

  it('erases the note from the row and from every audit entry, records which entries, and verify still passes', async () => {
    await cancelBoth();
    const cancelledSeq = (await everyEntry(t.store)).find((e) => e.action === 'meeting.cancelled' && e.subject.meetingId === MAY)!.seq;
    const r = await redactNote(t.store, { meetingId: MAY, why: '  subject\u200b request  ' }, OPERATOR, REDACTED_AT);
    expect(r).toEqual({ ok: true, value: { meetingId: MAY, panelName: 'Southampton Channel panel', erased: [cancelledSeq], entry: expect.any(Number) } });
    if (!r.ok) return;

    const [row] = await t.store.chairs.cancellations([MAY]);
    expect(row).toMatchObject({ reason: 'other', note: '', noteRedactedAt: REDACTED_AT });
    const entries = await everyEntry(t.store);
    expect(JSON.stringify(entries)).not.toContain('NOTE-7f3a');
    // Another meeting's note is not touched.
    expect(JSON.stringify(entries)).toContain(OTHER_NOTE);
    expect((await t.store.chairs.cancellations([JUNE]))[0]?.note).toBe(OTHER_NOTE);
    const redaction = entries.find((e) => e.seq === r.value.entry)!;
    expect(redaction).toMatchObject({
      at: REDACTED_AT, actor: OPERATOR, action: 'cancellation.note-redacted', subject: { meetingId: MAY, panelId: 'southampton' },
      details: { reason: 'other', why: 'subject request', erased: [cancelledSeq] },
    });
    expect(entries.find((e) => e.seq === cancelledSeq)!.details).toBeNull();

    const report = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
    expect(report.state).toEqual([]);
    expect(reportOk(report)).toBe(true);
    expect(report.erased).toBe(1);
  });

  it('queues the force card update, which then says the note was removed', async () => {
    await cancelBoth();
    expect((await redactNote(t.store, { meetingId: MAY, why: 'subject request' }, OPERATOR, REDACTED_AT)).ok).toBe(true);
    const update = await t.store.outbox.get(`card-update:${MAY}:hampshire:note-redacted`);
    expect(update).toMatchObject({ kind: 'card-update', status: 'pending', cardId: cardMessageId(MAY, 'hampshire') });
    const card = JSON.stringify(nominationCard((await nominationCardModel(t.store, MAY, 'hampshire', REDACTED_AT))!, { editable: false }));
    expect(card).toContain('Cancelled: other.');
    expect(card).toContain('Note from the chair: (note removed)');
    expect(card).not.toContain('NOTE-7f3a');
  });

  it('refuses a second redaction, saying when the note was removed, and writes nothing', async () => {
    await cancelBoth();
    expect((await redactNote(t.store, { meetingId: MAY, why: 'subject request' }, OPERATOR, REDACTED_AT)).ok).toBe(true);
    const head = await t.store.audit.head();
    const again = await redactNote(t.store, { meetingId: MAY, why: 'subject request' }, OPERATOR, '2027-04-23T09:00:00.000Z');
    expect(again).toEqual({ ok: false, error: { code: 'ALREADY_REMOVED', message: expect.stringContaining(`was already removed, at ${REDACTED_AT}`) } });
    expect(await t.store.audit.head()).toEqual(head);
  });

  it.each([
    ['an unknown meeting', 'atlantis.2027-05-03', 'why not', 'NOT_FOUND', 'no meeting "atlantis.2027-05-03" is known'],
    ['a meeting not cancelled', 'southampton.2027-07-05', 'why not', 'NOT_CANCELLED', 'was not cancelled'],
    ['a reason of invisible characters', MAY, '\u200b\u200b\u200b', 'INVALID', 'in 3 to 200 characters'],
    ['a reason too long', MAY, 'x'.repeat(201), 'INVALID', 'in 3 to 200 characters'],
  ])('refuses %s, changing nothing', async (_name, meetingId, why, code, message) => {
    await cancelBoth();
    const head = await t.store.audit.head();
    const r = await redactNote(t.store, { meetingId, why }, OPERATOR, REDACTED_AT);
    expect(r).toEqual({ ok: false, error: { code, message: expect.stringContaining(message) } });
    expect(await t.store.audit.head()).toEqual(head);
    expect((await t.store.chairs.cancellations([MAY]))[0]?.note).toBe(NOTE);
  });

  it('refuses a cancellation made without a note (only invisible characters): there is nothing to erase', async () => {
    expect((await cancelMeeting(t.store, { meetingId: MAY, reason: 'no cases to discuss', note: '\u200b\u200b\u200b' }, DAWN, CANCELLED_AT)).ok).toBe(true);
    const r = await redactNote(t.store, { meetingId: MAY, why: 'subject request' }, OPERATOR, REDACTED_AT);
    expect(r).toEqual({ ok: false, error: { code: 'NO_NOTE', message: expect.stringContaining('cancelled without a note') } });
    expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))).toBe(true);
  });
});
