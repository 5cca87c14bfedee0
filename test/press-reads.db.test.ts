import { describe, expect, it } from 'vitest';
import type { Conversation, OutboxMessage } from '../scheduler/domain/types.js';
import { pressReadsEach } from '../scheduler/store/press-reads.js';
import type { PressQuery } from '../scheduler/store/store.js';
import { sentStatements } from './support/pg-statements.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

// Issue 22: a press written as read decides and plans from five reads (the caller's roles, the force, the panel, the
// meeting's outbox, the people's chats). On PostgreSQL they are one statement (store.pressReads): these hold it to the
// repositories' own five reads over the same rows, and to what it must not answer (the cache, a removed chat).

const NOW = '2027-04-01T08:00:00.000Z';
const LATER = '2027-04-02T08:00:00.000Z';
const GARETH = '36f675cc-81e7-4ef5-a8e2-5d940ed90475';
const NADIA = '6b0d549b-6f03-475a-9600-a35a099950d8';
const MIXED = 'AB0D549B-6F03-475A-9600-A35A099950D9';

const chat = (id: string, user: string): Conversation => ({ id, tenantId: 't', serviceUrl: 'https://smba.example', kind: 'personal', teamId: null, userAadObjectId: user, botId: 'b' });
const message = (id: string, meetingId: string, createdAt: string, kind: OutboxMessage['kind'] = 'card'): OutboxMessage => ({
  id, kind, conversationId: '19:hampshire@thread.tacv2', meetingId, forceId: 'hampshire', cardId: null, personAadObjectId: null,
  status: 'sent', attempts: 1, nextAttemptAt: createdAt, activityId: `activity-${id}`, lastError: null, createdAt,
});

describe.each(STORE_KINDS)("a press's reads in one, on %s", (kind) => {
  const t = useFreshStore(kind, { syncedAt: NOW });

  async function seed(): Promise<string> {
    const { store } = t;
    const [may, june] = (await store.meetings.list({ panelIds: ['southampton'] })).map((m) => m.id);
    // Hampshire with an area and its team; Gareth a lead, an area deputy and a national lead as well; a reader role.
    const hampshire = (await store.freshDirectory.getForce('hampshire'))!;
    await store.directory.saveForce({
      ...hampshire, areas: [{ id: 'south', name: 'South', panels: ['southampton'], leads: [{ aadObjectId: NADIA, name: 'Nadia Rahman', tenantId: 'other-tenant' }], deputies: [{ aadObjectId: GARETH, name: 'Gareth Owen' }] }],
    }, NOW);
    await store.directory.setNationalLeads([{ aadObjectId: GARETH, name: 'Gareth Owen' }]);
    await store.directory.setReaders([{ role: 'inspector', scopeId: '', person: { aadObjectId: GARETH, name: 'Gareth Owen' } }]);
    // The meeting's outbox out of creation order, and another meeting's message (not the press's).
    await store.outbox.enqueue([message('second', may!, LATER, 'card-update'), message('first', may!, NOW), message('other', june!, NOW)]);
    // Nadia's older and newer chats, a removed one, and a chat under a mixed-case id (asked for in lower case).
    await store.teams.saveConversation(chat('a:old', NADIA), NOW);
    await store.teams.saveConversation(chat('a:new', NADIA), LATER);
    await store.teams.saveConversation(chat('a:gone', NADIA), LATER);
    await store.teams.removeConversation('a:gone', '2027-04-03T08:00:00.000Z');
    await store.teams.saveConversation(chat('a:mixed', MIXED.toLowerCase()), NOW);
    return may!;
  }

  it("answers what the repositories' five reads answer, for what is there and what is not", async () => {
    const may = await seed();
    const { store } = t;
    const each = { directory: store.freshDirectory, outbox: store.outbox, teams: store.teams };
    const queries: PressQuery[] = [
      { actor: GARETH, forceId: 'hampshire', panelId: 'southampton', meetingId: may, people: [NADIA, MIXED.toLowerCase()] },
      { actor: NADIA, forceId: 'hampshire', panelId: 'southampton', meetingId: may, people: [NADIA] },
      { actor: 'nobody', forceId: 'no-such-force', panelId: 'no-such-panel', meetingId: 'no-such-meeting', people: ['nobody'] },
      { actor: GARETH, forceId: 'leics', panelId: 'leicestershire', meetingId: may, people: [MIXED] },
    ];
    for (const q of queries) {
      const [one, five] = [await store.pressReads(q), await pressReadsEach(each, q)];
      expect(one, JSON.stringify(q)).toEqual(five);
    }
    const gareth = await store.pressReads(queries[0]!);
    // What the comparison rests on: every part was there to compare.
    expect(gareth.roles.map((r) => r.role).sort()).toEqual(['area-deputy', 'inspector', 'national-lead', 'prevent-lead']);
    expect(gareth.force?.areas?.[0]?.leads).toEqual([{ aadObjectId: NADIA, name: 'Nadia Rahman', tenantId: 'other-tenant' }]);
    expect(gareth.panel).toMatchObject({ id: 'southampton', forces: ['hampshire'] });
    expect(gareth.panel?.chairs.length).toBeGreaterThan(0);
    expect(gareth.outbox.map((m) => m.id)).toEqual(['first', 'second']);
    expect([...gareth.chats].map(([who, c]) => [who, c.id])).toEqual([[NADIA, 'a:new'], [MIXED.toLowerCase(), 'a:mixed']]);
    const nobody = await store.pressReads(queries[2]!);
    expect(nobody).toEqual({ roles: [], force: null, panel: null, outbox: [], chats: new Map() });
  });

  it('reads the directory afresh, not from the cache', async () => {
    const may = await seed();
    const { store } = t;
    const q = { actor: GARETH, forceId: 'hampshire', panelId: 'southampton', meetingId: may, people: [NADIA] };
    // The cache has read the panel; then another instance (plain SQL) takes Hampshire off it.
    expect((await store.directory.getPanel('southampton'))?.forces).toEqual(['hampshire']);
    await t.raw(`delete from panel_forces where panel_id = 'southampton' and force_id = 'hampshire'`);
    expect((await store.directory.getPanel('southampton'))?.forces, 'the cache still says so').toEqual(['hampshire']);
    expect((await store.pressReads(q)).panel?.forces).toEqual([]);
  });

  if (kind === 'postgres') {
    it('is one statement, kept prepared, whether it asks for one person\'s chats or two', async () => {
      const may = await seed();
      for (const people of [[NADIA], [NADIA, MIXED.toLowerCase()]]) {
        const sent = await sentStatements(() => t.store.pressReads({ actor: GARETH, forceId: 'hampshire', panelId: 'southampton', meetingId: may, people }));
        expect(sent.map((s) => s.name)).toEqual(['press_reads']);
      }
    });
  }
});
