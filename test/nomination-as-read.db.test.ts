import { beforeEach, describe, expect, it } from 'vitest';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import type { Meeting, Nomination, OutboxMessage } from '../scheduler/domain/types.js';
import { cardMessageId } from '../scheduler/nominations/card-messages.js';
import { loadCardContext, nominate, type PressReads } from '../scheduler/nominations/nominations.js';
import { openStore } from '../scheduler/store/open-store.js';
import type { NominationWrite, Repos, Store } from '../scheduler/store/store.js';
import pg from 'pg';
import { untilWaitingOrSettled } from './support/interleave.js';
import { sentStatements } from './support/pg-statements.js';
import { STORE_KINDS, TEST_AUDIT_KEY, TEST_DATABASE_URL, useFreshStore } from './support/stores.js';
import { GARETH, NADIA } from './support/teams-activities.js';

// Issue 22, item 2: a press that its reads show recorded is written in one statement on PostgreSQL (one short
// transaction on SQLite), only if the meeting and the nomination are still as read; otherwise nothing is written and
// the locking path answers. These tests hold the write to what the locking path writes, and to every check it makes.

const MAY = 'southampton.2027-05-03';
const NOW = '2027-04-20T08:00:00.000Z';
const SAM = { aadObjectId: '5a1b2c3d-0000-4000-8000-000000000001', name: 'Sam Cole' };

const press = (meetingId: string, attendee: { aadObjectId: string; name: string }, nominationVersion: number, meetingVersion = 1) =>
  ({ meetingId, forceId: 'hampshire', meetingVersion, nominationVersion, attendee, role: 'DI', decisionMaker: true });

const postedCard = (meetingId: string): OutboxMessage => ({
  id: cardMessageId(meetingId, 'hampshire'), kind: 'card', conversationId: '19:hampshire@thread.tacv2', meetingId, forceId: 'hampshire', cardId: null,
  personAadObjectId: null, status: 'sent', attempts: 1, nextAttemptAt: NOW, activityId: 'activity-1', lastError: null, createdAt: NOW,
});

const nominationOf = (aad: { aadObjectId: string; name: string }, version: number): Nomination => ({
  meetingId: MAY, forceId: 'hampshire', aadObjectId: aad.aadObjectId, name: aad.name, role: 'DI', decisionMaker: true, nominatedBy: GARETH.aadObjectId, nominatedAt: NOW, version,
});
const entry = { at: NOW, actor: GARETH.aadObjectId, action: 'nomination.recorded', subject: { meetingId: MAY, forceId: 'hampshire', panelId: 'southampton' }, details: { version: 1 } };
const message: OutboxMessage = { ...postedCard(MAY), id: `notice:${MAY}:hampshire:v1`, kind: 'notice', conversationId: 'a:Nadia', status: 'pending', activityId: null, attempts: 0 };
/** A plan as nominate makes one: Nadia named first for May, a notice to her, the audit entry. */
const plan = (over: Partial<NominationWrite> = {}): NominationWrite => ({ nomination: nominationOf(NADIA, 1), meetingVersion: 1, now: NOW, outbox: [message], audit: [entry], ...over });

/** Whatever a write leaves for May: the nomination, the meeting's lock, the outbox, and the log (what was queued, chained). */
async function state(store: Store) {
  await store.audit.settle();
  return {
    nomination: await store.nominations.get(MAY, 'hampshire'),
    locked: (await store.meetings.get(MAY))?.locked,
    outbox: (await store.outbox.list({ meetingId: MAY })).map((m) => m.id),
    audit: (await store.audit.page(0, 10_000)).length,
  };
}

/** The decision a write rests on (who may nominate), as nominate makes it: here, always yes. */
const allowed = async () => true;

/** The store's key is checked by its first queued append on PostgreSQL (the locking path's first press does that). */
const keyChecked = (store: Store) => store.transaction((tx) => tx.audit.append([{ ...entry, action: 'test.key-checked', details: {} }]));

/** The store, with every answer of writeNomination kept (true: written as read; false: the locking path answered). */
function watched(store: Store): { store: Store; writes: boolean[] } {
  const writes: boolean[] = [];
  return { store: { ...store, writeNomination: async (w, decide) => { const r = await store.writeNomination(w, decide); writes.push(r); return r; } }, writes };
}

/** What a stored meeting holds of a nomination, with its meeting's id taken out of every id (to compare two meetings). */
async function written(store: Store, meetingId: string) {
  const strip = (s: string) => s.split(meetingId).join('<meeting>');
  const outbox = (await store.outbox.list({ meetingId })).map((m) => ({ ...m, id: strip(m.id), cardId: m.cardId && strip(m.cardId), meetingId: '' }));
  const audit = (await store.audit.page(0, 10_000))
    .filter((e) => e.subject.meetingId === meetingId && e.action.startsWith('nomination.'))
    .map((e) => ({ at: e.at, actor: e.actor, action: e.action, subject: { ...e.subject, meetingId: strip(e.subject.meetingId!) }, details: e.details }));
  const nomination = await store.nominations.get(meetingId, 'hampshire');
  return { nomination: nomination && { ...nomination, meetingId: '' }, outbox: outbox.sort((a, b) => a.id.localeCompare(b.id)), audit, locked: (await store.meetings.get(meetingId))?.locked };
}

describe.each(STORE_KINDS)('a nomination written as its press read it, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });
  let june: string;

  beforeEach(async () => {
    june = (await t.store.meetings.list({ panelIds: ['southampton'], from: '2027-06-01T00:00:00.000Z' }))[0]!.id;
    await t.store.outbox.enqueue([postedCard(MAY), postedCard(june)]);
    for (const p of [NADIA, SAM]) {
      await t.store.teams.saveConversation({ id: `a:${p.name}`, tenantId: 't', serviceUrl: 'https://smba.example', kind: 'personal', teamId: null, userAadObjectId: p.aadObjectId, botId: 'b' }, NOW);
    }
  });

  const reads = async (meetingId: string): Promise<PressReads> => ({ context: (await loadCardContext(t.store, meetingId, 'hampshire'))! });

  it('writes what the locking path writes: the nomination, the meeting locked, the same messages and audit entries', async () => {
    const w = watched(t.store);
    // The locking path names Nadia for May, then Sam; the same two presses for June are written as read.
    for (const [attendee, version] of [[NADIA, 0], [SAM, 1]] as const) {
      expect((await nominate(w.store, press(MAY, attendee, version), GARETH.aadObjectId, NOW)).ok).toBe(true);
      const r = await nominate(w.store, press(june, attendee, version), GARETH.aadObjectId, NOW, await reads(june));
      expect(r).toMatchObject({ ok: true, value: { changed: true, nomination: { name: attendee.name, version: version + 1 }, meeting: { id: june, locked: true } } });
    }
    expect(w.writes).toEqual([true, true]);
    await t.store.audit.settle();
    const [may, jun] = [await written(t.store, MAY), await written(t.store, june)];
    expect(jun).toEqual(may);
    expect(jun.nomination).toMatchObject({ name: SAM.name, version: 2 });
    expect(jun.locked).toBe(true);
    expect(jun.outbox.map((m) => m.kind).sort()).toEqual(['card', 'card-update', 'card-update', 'mention', 'mention', 'mention-update', 'notice', 'notice', 'replaced-notice']);
    expect(jun.audit.map((e) => e.action)).toEqual(['nomination.recorded', 'nomination.changed']);
    expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))).toBe(true);
  });

  it('stores a name carrying a lone surrogate as the locking path does', async () => {
    const split = { aadObjectId: NADIA.aadObjectId, name: 'Nadia \ud83d Rahman' };
    const w = watched(t.store);
    expect((await nominate(w.store, press(MAY, split, 0), GARETH.aadObjectId, NOW)).ok).toBe(true);
    expect((await nominate(w.store, press(june, split, 0), GARETH.aadObjectId, NOW, await reads(june))).ok).toBe(true);
    expect(w.writes).toEqual([true]);
    const [may, jun] = [await t.store.nominations.get(MAY, 'hampshire'), await t.store.nominations.get(june, 'hampshire')];
    // Each driver replaces it its own way (on PostgreSQL with one U+FFFD); both paths store the same.
    expect(jun?.name).toBe(may?.name);
    expect(jun?.name).toMatch(/^Nadia \ufffd+ Rahman$/);
  });

  it('writes nothing from a card older than the meeting it read, and the locking path says so', async () => {
    const meeting = (await t.store.meetings.get(MAY))!;
    await t.store.meetings.update({ ...meeting, version: 2 }, NOW);
    const w = watched(t.store);
    // The card shows version 1; the press read the meeting at version 2.
    const r = await nominate(w.store, press(MAY, NADIA, 0, 1), GARETH.aadObjectId, NOW, await reads(MAY));
    expect(r).toEqual({ ok: false, error: { code: 'STALE', message: 'This meeting changed since the card was sent (it may have moved): here is the current card.' } });
    expect(w.writes).toEqual([]);
    expect(await t.store.nominations.get(MAY, 'hampshire')).toBeNull();
  });

  it('writes nothing when the panel stopped facing the force after the press read the card (the directory read afresh)', async () => {
    const before = await reads(MAY);
    const panel = (await t.store.directory.getPanel('southampton'))!;
    await t.store.directory.savePanel({ ...panel, forces: panel.forces.filter((f) => f !== 'hampshire') }, NOW);
    const w = watched(t.store);
    expect(await nominate(w.store, press(MAY, NADIA, 0), GARETH.aadObjectId, NOW, before)).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'That meeting or force is not known to this bot.' } });
    expect(w.writes).toEqual([]);
    expect(await t.store.nominations.get(MAY, 'hampshire')).toBeNull();
  });

  it('writes nothing, and the locking path says why, when the meeting moved after the press read it', async () => {
    const before = await reads(MAY);
    const meeting = (await t.store.meetings.get(MAY))!;
    await t.store.meetings.update({ ...meeting, version: meeting.version + 1 }, NOW);
    const w = watched(t.store);
    const r = await nominate(w.store, press(MAY, NADIA, 0), GARETH.aadObjectId, NOW, before);
    expect(w.writes).toEqual([false]);
    expect(r).toEqual({ ok: false, error: { code: 'STALE', message: 'This meeting changed since the card was sent (it may have moved): here is the current card.' } });
    expect(await t.store.nominations.get(MAY, 'hampshire')).toBeNull();
    expect((await t.store.outbox.list({ meetingId: MAY })).map((m) => m.kind)).toEqual(['card']);
    expect((await t.store.meetings.get(MAY))?.locked).toBe(false);
  });

  it('writes nothing when someone else named the attendee after the press read the card: one nomination stands', async () => {
    const before = await reads(MAY);
    expect((await nominate(t.store, press(MAY, SAM, 0), GARETH.aadObjectId, NOW)).ok).toBe(true);
    const w = watched(t.store);
    const r = await nominate(w.store, press(MAY, NADIA, 0), GARETH.aadObjectId, NOW, before);
    expect(w.writes).toEqual([false]);
    expect(r).toEqual({ ok: false, error: { code: 'STALE', message: 'Sam Cole was named a moment ago by someone else: here is the current card.' } });
    expect(await t.store.nominations.get(MAY, 'hampshire')).toMatchObject({ name: SAM.name, version: 1 });
    await t.store.audit.settle();
    expect((await t.store.audit.page(0, 10_000)).filter((e) => e.action.startsWith('nomination.')).map((e) => e.details?.attendee)).toEqual([{ aadObjectId: SAM.aadObjectId, name: SAM.name }]);
  });

  it('leaves refusals and unchanged answers to the locking path, without trying to write', async () => {
    const w = watched(t.store);
    expect(await nominate(w.store, press(MAY, NADIA, 0), 'no-one-at-all', NOW, await reads(MAY))).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect((await nominate(w.store, press(MAY, NADIA, 0), GARETH.aadObjectId, NOW, await reads(MAY))).ok).toBe(true);
    expect(await nominate(w.store, press(MAY, NADIA, 1), GARETH.aadObjectId, NOW, await reads(MAY))).toMatchObject({ ok: true, value: { changed: false } });
    expect(await nominate(w.store, press(MAY, SAM, 0), GARETH.aadObjectId, NOW, await reads(MAY))).toMatchObject({ ok: false, error: { code: 'STALE' } });
    expect(w.writes).toEqual([true]);
  });

  describe('checks what the plan was made on, and writes nothing when any has changed', () => {
    const setMeeting = async (change: Partial<Meeting>): Promise<void> => t.store.meetings.update({ ...(await t.store.meetings.get(MAY))!, ...change }, NOW);

    it.each([1, 2])('writes it all when everything holds (nomination %i)', async (version) => {
      await keyChecked(t.store);
      if (version === 2) await t.store.nominations.save(nominationOf(SAM, 1));
      const before = await state(t.store);
      expect(await t.store.writeNomination(plan({ nomination: nominationOf(NADIA, version) }), allowed)).toBe(true);
      expect(await state(t.store)).toEqual({ nomination: nominationOf(NADIA, version), locked: true, outbox: [cardMessageId(MAY, 'hampshire'), message.id], audit: before.audit + 1 });
    });

    // Each change to the meeting, against both ways a nomination is written: the first inserted, a later one updated.
    const meetingChanges: Array<[string, () => Promise<unknown>, (version: number) => Partial<NominationWrite>]> = [
      ['at another version', () => setMeeting({ version: 2 }), () => ({})],
      ['cancelled', () => setMeeting({ status: 'cancelled' }), () => ({})],
      ['held', () => setMeeting({ status: 'held' }), () => ({})],
      // May's meeting was moved off the bank holiday: it starts on the 4th at 10:00, London time.
      ['started', async () => undefined, () => ({ now: '2027-05-04T09:00:00.000Z' })],
      ['unknown', async () => undefined, (version) => ({ nomination: { ...nominationOf(NADIA, version), meetingId: 'southampton.1999-01-01' } })],
    ];
    const cases = [1, 2].flatMap((version) => meetingChanges.map(([what, change, over]) => [`the meeting ${what}, writing nomination ${version}`, version, change, over] as const));
    it.each(cases)('%s', async (_what, version, change, over) => {
      await keyChecked(t.store);
      if (version === 2) await t.store.nominations.save(nominationOf(SAM, 1));
      await change();
      const before = await state(t.store);
      expect(await t.store.writeNomination(plan({ nomination: nominationOf(NADIA, version), ...over(version) }), allowed)).toBe(false);
      expect(await state(t.store)).toEqual(before);
    });

    const nominationChanges: Array<[string, () => Promise<unknown>, number]> = [
      ['a first nomination when one exists', () => t.store.nominations.save(nominationOf(SAM, 1)), 1],
      ['a second nomination when there is none', async () => undefined, 2],
      ['a third nomination when the first is the latest', () => t.store.nominations.save(nominationOf(SAM, 1)), 3],
    ];
    it.each(nominationChanges)('%s', async (_what, change, version) => {
      await keyChecked(t.store);
      await change();
      const before = await state(t.store);
      expect(await t.store.writeNomination(plan({ nomination: nominationOf(NADIA, version) }), allowed)).toBe(false);
      expect(await state(t.store)).toEqual(before);
    });
  });
});

describe('a nomination written as read, on PostgreSQL', () => {
  const t = useFreshStore('postgres', { syncedAt: '2027-04-01T08:00:00.000Z' });

  beforeEach(async () => {
    await t.store.outbox.enqueue([postedCard(MAY)]);
    await t.store.teams.saveConversation({ id: 'a:Nadia', tenantId: 't', serviceUrl: 'https://smba.example', kind: 'personal', teamId: null, userAadObjectId: NADIA.aadObjectId, botId: 'b' }, NOW);
  });

  it('is one statement, in no transaction, after one read of all it plans and decides from; its entry is chained after it', async () => {
    const read = { context: (await loadCardContext(t.store, MAY, 'hampshire'))! };
    const sent = await sentStatements(async () => expect((await nominate(t.store, press(MAY, NADIA, 0), GARETH.aadObjectId, NOW, read)).ok).toBe(true));
    const writes = sent.filter((s) => /\b(insert into|update)\b/i.test(s.text) && !/audit_log/.test(s.text));
    expect(writes, 'every write in one statement').toHaveLength(1);
    const write = writes[0]!;
    expect(write.text).toMatch(/insert into nominations[\s\S]*update meetings[\s\S]*insert into outbox[\s\S]*insert into audit_pending/);
    // Kept prepared on each connection: a first nomination's statement and a later one's each have a name.
    expect(write.name).toBe('nomination_first');
    // Nothing on its connection before it opened a transaction, and the press sent one statement besides: the outbox
    // and the chats it plans from, and who may nominate (the caller's roles, the panel, the force), read uncached.
    const before = sent.slice(0, sent.indexOf(write));
    expect(before.filter((s) => s.client === write.client && /^(begin|start transaction)/i.test(s.text))).toEqual([]);
    expect(before, 'one read before the write').toHaveLength(1);
    const reads = before[0]!;
    for (const table of ['roles', 'forces', 'panels', 'outbox', 'conversations']) expect(reads.text, table).toContain(`from "${table}"`);
    expect(reads.name, 'kept prepared on the connection').toBe('press_reads');
    await t.store.audit.settle();
    expect((await t.store.audit.page(0, 10_000)).at(-1)).toMatchObject({ action: 'nomination.recorded', actor: GARETH.aadObjectId, details: { attendee: { name: NADIA.name }, version: 1 } });
    expect(await t.store.audit.waiting()).toEqual([]);
    expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))).toBe(true);
    const again = { context: (await loadCardContext(t.store, MAY, 'hampshire'))! };
    // A caller id in capitals (as an id may arrive) is read as accessFor reads it: still the one read, then the write.
    const next = await sentStatements(async () => expect((await nominate(t.store, press(MAY, SAM, 1), GARETH.aadObjectId.toUpperCase(), NOW, again)).ok).toBe(true));
    // (The chainer, kicked by the write, may have begun by the time the press answers: its statements are not the press's.)
    const chaining = (s: { name?: string; text: string }) => !s.name && /audit_|advisory|^(begin|commit|rollback)\b/i.test(s.text);
    expect(next.filter((s) => !chaining(s)).map((s) => s.name ?? s.text)).toEqual(['press_reads', 'nomination_next']);
    expect((await t.store.nominations.get(MAY, 'hampshire'))?.name).toBe(SAM.name);
  });

  it('takes the locking path on a store that has not yet checked its key against the chain, then writes as read', async () => {
    const fresh = await openStore(t.options);
    try {
      const w = watched(fresh);
      const read = async () => ({ context: (await loadCardContext(fresh, MAY, 'hampshire'))! });
      expect((await nominate(w.store, press(MAY, NADIA, 0), GARETH.aadObjectId, NOW, await read())).ok).toBe(true);
      expect((await nominate(w.store, press(MAY, SAM, 1), GARETH.aadObjectId, NOW, await read())).ok).toBe(true);
      expect(w.writes).toEqual([false, true]);
      await fresh.audit.settle();
      expect(reportOk(await verifyAuditLog(fresh, TEST_AUDIT_KEY))).toBe(true);
    } finally {
      await fresh.close();
    }
  });

  it('records exactly one of two presses from the same card on two instances, whichever writes first', async () => {
    const other = await openStore(t.options);
    try {
      await keyChecked(other);
      const read = async (s: Store) => ({ context: (await loadCardContext(s, MAY, 'hampshire'))! });
      const [a, b] = [watched(t.store), watched(other)];
      const reads = [await read(t.store), await read(other)];
      const results = await Promise.all([
        nominate(a.store, press(MAY, NADIA, 0), GARETH.aadObjectId, NOW, reads[0]),
        nominate(b.store, press(MAY, SAM, 0), GARETH.aadObjectId, NOW, reads[1]),
      ]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect([...a.writes, ...b.writes].sort()).toEqual([false, true]);
      const winner = results[0]!.ok ? NADIA : SAM;
      expect(results.find((r) => !r.ok)).toEqual({ ok: false, error: { code: 'STALE', message: `${winner.name} was named a moment ago by someone else: here is the current card.` } });
      expect(await t.store.nominations.get(MAY, 'hampshire')).toMatchObject({ name: winner.name, version: 1 });
      await t.store.audit.settle();
      await other.audit.settle();
      expect((await t.store.audit.page(0, 10_000)).filter((e) => e.action.startsWith('nomination.'))).toHaveLength(1);
      expect(reportOk(await verifyAuditLog(t.store, TEST_AUDIT_KEY))).toBe(true);
    } finally {
      await other.close();
    }
  });

  // A writer that holds May's meeting (or its nomination) and changes it: the write waits for it, and then finds its
  // plan no longer holds. Without FOR UPDATE on the meeting it would not wait, and would write over the change.
  const concurrent: Array<[string, string, boolean]> = [
    ['moves the meeting (a new version)', 'update meetings set version = version + 1 where id = $1', false],
    ['cancels the meeting', "update meetings set status = 'cancelled' where id = $1", false],
    ['names someone else (the nomination at version 2)', "update nominations set version = 2, name = 'Someone Else' where meeting_id = $1", true],
  ];
  it.each(concurrent)('waits for a writer that %s, then writes nothing', async (_what, change, seeded) => {
    const { options } = t;
    if (options.kind !== 'postgres') throw new Error('a PostgreSQL store was asked for');
    await keyChecked(t.store);
    if (seeded) await t.store.nominations.save(nominationOf(SAM, 1));
    const other = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${options.schema}` });
    await other.connect();
    let write: Promise<boolean> | undefined;
    try {
      await other.query('begin');
      await other.query(change, [MAY]);
      const before = await state(t.store);
      let settled = false;
      write = t.store.writeNomination(plan({ nomination: nominationOf(NADIA, seeded ? 2 : 1) }), allowed).finally(() => (settled = true));
      await untilWaitingOrSettled(options.schema!, () => settled);
      expect(settled, 'the write waited for the other writer').toBe(false);
      await other.query('commit');
      expect(await write).toBe(false);
      const after = await state(t.store);
      expect({ ...after, nomination: after.nomination?.aadObjectId }).toEqual({ ...before, nomination: before.nomination?.aadObjectId });
    } finally {
      await other.query('rollback').catch(() => undefined);
      // A failed step above leaves the write free to finish: it finishes here, not after the store is gone.
      await write?.catch(() => undefined);
      await other.end();
    }
  });
});

describe('a nomination written as read, on SQLite', () => {
  const t = useFreshStore('sqlite', { syncedAt: '2027-04-01T08:00:00.000Z' });

  it('asks who may nominate again inside its transaction, and writes nothing when the answer is no', async () => {
    let asked = 0;
    const decide = async (tx: Repos) => {
      asked += 1;
      // Inside the write's transaction: the directory is read through it, never from the store's cache.
      expect(tx.directory).not.toBe(t.store.directory);
      return false;
    };
    const before = await state(t.store);
    expect(await t.store.writeNomination(plan(), decide)).toBe(false);
    expect(asked).toBe(1);
    expect(await state(t.store)).toEqual(before);
  });
});
