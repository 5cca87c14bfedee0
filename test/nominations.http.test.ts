import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { LINK_POLICY, NOMINATION_POLICY } from '../bot/routes/nomination-routes.js';
import { queueNominationWork } from '../scheduler/nominations/nomination-jobs.js';
import { openStore, storeOptions } from '../scheduler/store/open-store.js';
import { until } from './support/wait.js';
import { FakeConnector, type Recorded } from './support/fake-connector.js';
import { botAddedToTeam, cardAction, CHANNEL, channelMessage, GARETH, NADIA, personalMessage, STRANGER } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardProblems } from './support/validate-card.js';

const SOUTHAMPTON_MAY = 'southampton.2027-05-03'; // moved to Tue 4 May 2027 by the bank holiday
const CARD_DAY = '2027-04-19T08:00:00.000Z'; // 10 working days before 4 May


describe('nominating a decision maker in Teams, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';

  const cardFor = (meetingId: string) => connector.cards().filter((c) => c.card.body.some((e: any) => e.type === 'ActionSet' && JSON.stringify(e).includes(meetingId)) || JSON.stringify(c.card).includes(meetingId));
  /** What a lead's Teams client does with a posted card: refresh it into the editable version. */
  const editable = async (card: any, who = GARETH) => (await post(cardAction(connector.url, who, card.refresh.action.verb, card.refresh.action.data))).body.value;
  const nominateData = (card: any, who = NADIA) => {
    const action = card.body.find((e: any) => e.type === 'ActionSet').actions[0];
    return { ...action.data, attendee: who.aadObjectId, role: 'Detective Inspector', decisionMaker: 'true' };
  };

  async function linked(): Promise<void> {
    await post(botAddedToTeam(connector.url, GARETH));
    await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await until(() => connector.posts().some((p) => /Linked/.test(p.body.text ?? '')), 'the link reply');
  }

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await startTestBot({ now: () => now }));
  });
  afterEach(() => stop());

  it('lets only a lead link a force, and tells anyone else why not', async () => {
    await post(channelMessage(connector.url, STRANGER, 'link force hampshire'));
    await until(() => connector.posts().length === 1, 'the refusal');
    expect(connector.posts()[0]!.body.text).toBe(LINK_POLICY.refusal);
    expect(await bot.store.teams.linkedConversation('force', 'hampshire')).toBeNull();
    await linked();
    expect(await bot.store.teams.linkedConversation('force', 'hampshire')).toBe(CHANNEL);
  });

  it('posts one valid card per meeting and force at the lead time, and nothing twice', async () => {
    await linked();
    now = '2027-04-16T08:00:00.000Z';
    await bot.pass();
    expect(cardFor(SOUTHAMPTON_MAY)).toHaveLength(0);
    now = CARD_DAY;
    await bot.pass();
    const cards = cardFor(SOUTHAMPTON_MAY);
    expect(cards).toHaveLength(1);
    expect(cards[0]!.conversationId).toBe(CHANNEL);
    expect(cardProblems(cards[0]!.card)).toEqual([]);
    expect(JSON.stringify(cards[0]!.card)).toContain('Tue 4 May 2027, 10:00–12:00');
    const before = connector.calls.length;
    await bot.pass();
    expect(connector.calls.length).toBe(before);
    const outbox = await bot.store.outbox.get(`card:${SOUTHAMPTON_MAY}:hampshire`);
    expect(outbox).toMatchObject({ status: 'sent', activityId: cards[0]!.body ? expect.any(String) : null });
  });

  it('records a nomination from a lead, answers with the updated card and mentions the nominee', async () => {
    await linked();
    now = CARD_DAY;
    await bot.pass();
    const posted = cardFor(SOUTHAMPTON_MAY)[0]!.card;
    // Gareth has spoken to the bot, so the posted card is read-only with a refresh for the leads Teams knows.
    expect(posted.refresh.userIds).toEqual([`29:${GARETH.aadObjectId}`]);
    expect(JSON.stringify(posted)).not.toContain('"verb":"nominate"');
    const card = await editable(posted);
    expect(cardProblems(card)).toEqual([]);
    const stranger = await post(cardAction(connector.url, STRANGER, 'refreshNomination', posted.refresh.action.data));
    expect(stranger.body.value).toBe(NOMINATION_POLICY.refusal);
    const res = await post(cardAction(connector.url, GARETH, 'nominate', nominateData(card)));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(res.body.value)).toContain('Named: **Nadia Rahman**, Detective Inspector');
    expect(cardProblems(res.body.value)).toEqual([]);
    expect(await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toMatchObject({ aadObjectId: NADIA.aadObjectId, decisionMaker: true, nominatedBy: GARETH.aadObjectId, version: 1 });
    const audit = (await bot.store.audit.page(0, 10_000)).filter((e) => e.action === 'nomination.recorded');
    expect(audit).toHaveLength(1);
    expect(audit[0]!.subject).toMatchObject({ meetingId: SOUTHAMPTON_MAY, forceId: 'hampshire' });
    await until(() => connector.posts().some((p) => (p.body.text ?? '').includes('<at>Nadia Rahman</at>')), 'the mention');
    // Everyone's copy of the card changes in place.
    const cardActivity = (await bot.store.outbox.get(`card:${SOUTHAMPTON_MAY}:hampshire`))!.activityId!;
    await until(() => connector.calls.some((c) => c.method === 'PUT' && c.activityId === cardActivity), 'the card update');
    const update = connector.calls.find((c) => c.method === 'PUT' && c.activityId === cardActivity)!;
    expect(update.conversationId).toBe(CHANNEL);
    expect(JSON.stringify(update.body)).toContain('Named: **Nadia Rahman**, Detective Inspector');
    const mention = connector.posts().find((p) => (p.body.text ?? '').includes('<at>Nadia Rahman</at>'))!;
    const cardId = (await bot.store.outbox.get(`card:${SOUTHAMPTON_MAY}:hampshire`))!.activityId;
    expect(mention.conversationId).toBe(`${CHANNEL};messageid=${cardId}`);
    expect(mention.body.entities[0]).toMatchObject({ type: 'mention', mentioned: { id: NADIA.aadObjectId } });
    // A retry of the same press changes nothing.
    const again = await post(cardAction(connector.url, GARETH, 'nominate', nominateData(card)));
    expect(again.status).toBe(200);
    expect((await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire'))?.version).toBe(1);
    // The answer carries the versions now stored: a change made from it is recorded, audited, and shown.
    const changed = await post(cardAction(connector.url, GARETH, 'nominate', { ...nominateData(res.body.value), role: 'Prevent lead' }));
    expect(JSON.stringify(changed.body.value)).toContain('Named: **Nadia Rahman**, Prevent lead');
    expect(await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toMatchObject({ role: 'Prevent lead', version: 2 });
    expect((await bot.store.audit.page(0, 10_000)).filter((e) => e.action === 'nomination.changed')).toHaveLength(1);
  });

  it('forgets every Teams channel of a team it is removed from, and sends nothing there', async () => {
    await linked();
    const removed: any = { ...botAddedToTeam(connector.url, GARETH), membersAdded: undefined, membersRemoved: [{ id: '28:bot-id' }] };
    // Removed from the team: Teams says so in the General channel, not the linked one.
    removed.channelData = { ...removed.channelData, channel: { id: '19:general@thread.tacv2' } };
    await post(removed);
    expect(await bot.store.teams.getConversation(CHANNEL)).toBeNull();
    now = CARD_DAY;
    await bot.pass();
    expect(cardFor(SOUTHAMPTON_MAY)).toHaveLength(0);
  });

  it('refuses a stranger without changing anything', async () => {
    await linked();
    now = CARD_DAY;
    await bot.pass();
    const res = await post(cardAction(connector.url, STRANGER, 'nominate', nominateData(await editable(cardFor(SOUTHAMPTON_MAY)[0]!.card))));
    expect(res.status).toBe(200);
    expect(res.body.type).toBe('application/vnd.microsoft.activity.message');
    expect(res.body.value).toBe(NOMINATION_POLICY.refusal);
    expect(await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toBeNull();
  });

  it('records one of two presses at once, and shows the other the current card', async () => {
    await linked();
    now = CARD_DAY;
    await bot.pass();
    const card = await editable(cardFor(SOUTHAMPTON_MAY)[0]!.card);
    const [a, b] = await Promise.all([
      post(cardAction(connector.url, GARETH, 'nominate', nominateData(card, NADIA))),
      post(cardAction(connector.url, GARETH, 'nominate', nominateData(card, GARETH))),
    ]);
    const bodies = [JSON.stringify(a.body), JSON.stringify(b.body)];
    expect(bodies.filter((s) => s.includes('named a moment ago'))).toHaveLength(1);
    expect((await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire'))?.version).toBe(1);
  });

  it('answers a press on a cancelled meeting with the current card saying so', async () => {
    await linked();
    now = CARD_DAY;
    await bot.pass();
    const card = await editable(cardFor(SOUTHAMPTON_MAY)[0]!.card);
    const meeting = (await bot.store.meetings.get(SOUTHAMPTON_MAY))!;
    await bot.store.meetings.update({ ...meeting, status: 'cancelled', version: meeting.version + 1, locked: true }, now);
    const res = await post(cardAction(connector.url, GARETH, 'nominate', nominateData(card)));
    expect(JSON.stringify(res.body.value)).toContain('This meeting has been cancelled');
    expect(JSON.stringify(res.body.value)).not.toContain('Action.Execute');
    expect(await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toBeNull();
  });

  it('refuses bad card data with a clear line and changes nothing', async () => {
    await linked();
    now = CARD_DAY;
    await bot.pass();
    const data = nominateData(await editable(cardFor(SOUTHAMPTON_MAY)[0]!.card));
    const bad = await post(cardAction(connector.url, GARETH, 'nominate', { ...data, attendee: 'not a person <id>', role: '' }));
    expect(JSON.stringify(bad.body.value)).toContain('Not recorded: choose the attendee from the list');
    // A well-formed Teams user id that Teams does not know as a member of this team is refused, not recorded by name.
    const unknown = await post(cardAction(connector.url, GARETH, 'nominate', { ...data, attendee: '29:1nobody-here' }));
    expect(JSON.stringify(unknown.body.value)).toContain('I could not find that person in this team');
    // Data whose ids are not even shaped like ids goes no further than the gate, for anyone but a national lead.
    const junk = await post(cardAction(connector.url, GARETH, 'nominate', { meetingId: 42 }));
    expect(junk.body.value).toBe(NOMINATION_POLICY.refusal);
    const missing = await post(cardAction(connector.url, GARETH, 'nominate', { role: 'DI' }));
    expect(missing.body.value).toMatch(/could not be read/);
    expect(await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toBeNull();
  });

  it('refuses a press that does not answer the decision-maker question, records nothing, and takes "not confirmed" as an answer', async () => {
    await linked();
    now = CARD_DAY;
    await bot.pass();
    const card = await editable(cardFor(SOUTHAMPTON_MAY)[0]!.card);
    expect(card.body.find((e: any) => e.id === 'decisionMaker')).not.toHaveProperty('value');
    const data: Record<string, unknown> = nominateData(card);
    delete data.decisionMaker;
    for (const press of [data, { ...data, decisionMaker: '' }, { ...data, decisionMaker: 'maybe' }]) {
      const res = await post(cardAction(connector.url, GARETH, 'nominate', press));
      expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
      expect(JSON.stringify(res.body.value)).toContain('Not recorded: say whether they are confirmed as able to make decisions on behalf of the force, or not confirmed.');
      expect(cardProblems(res.body.value)).toEqual([]);
    }
    expect(await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toBeNull();
    expect((await bot.store.audit.page(0, 10_000)).filter((e) => e.action.startsWith('nomination.recorded'))).toEqual([]);
    const notConfirmed = await post(cardAction(connector.url, GARETH, 'nominate', { ...data, decisionMaker: 'false' }));
    expect(JSON.stringify(notConfirmed.body.value)).toContain('Not confirmed as able to make decisions on behalf of the force.');
    expect(await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toMatchObject({ aadObjectId: NADIA.aadObjectId, decisionMaker: false, version: 1 });
  });

  it('names a team member the picker gives by Teams user id, as the Agents Playground does', async () => {
    await linked();
    now = CARD_DAY;
    await bot.pass();
    connector.members.set('user-id-2', { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' });
    const data = nominateData(await editable(cardFor(SOUTHAMPTON_MAY)[0]!.card));
    const res = await post(cardAction(connector.url, GARETH, 'nominate', { ...data, attendee: 'user-id-2' }));
    expect(JSON.stringify(res.body.value)).toContain('Adele Vance');
    expect(await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toEqual(
      expect.objectContaining({ aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' }),
    );
  });

  it('reminds in the card thread at 5 working days and tells leads personally at 2', async () => {
    await post(personalMessage(connector.url, GARETH, 'help'));
    await linked();
    now = CARD_DAY;
    await bot.pass();
    const cardActivity = (await bot.store.outbox.get(`card:${SOUTHAMPTON_MAY}:hampshire`))!.activityId;
    now = '2027-04-27T08:00:00.000Z'; // 5 working days before 4 May
    await bot.pass();
    const reminders = connector.posts().filter((p) => /Reminder: no police attendee/.test(p.body.text ?? '') && p.body.text.includes('Southampton'));
    expect(reminders.map((r) => r.conversationId)).toEqual([`${CHANNEL};messageid=${cardActivity}`]);
    now = '2027-04-30T08:00:00.000Z'; // 2 working days before
    await bot.pass();
    const personal = connector.posts().filter((p) => p.conversationId === `a:personal-${GARETH.aadObjectId}` && /Southampton/.test(p.body.text ?? ''));
    expect(personal).toHaveLength(1);
    await bot.pass();
    expect(connector.posts().filter((p) => p.conversationId === `a:personal-${GARETH.aadObjectId}` && /Southampton/.test(p.body.text ?? ''))).toHaveLength(1);
  });

  it('gets a card through 429 (honouring Retry-After) and 5xx answers, delivered once', async () => {
    await linked();
    const faults = [{ status: 429, headers: { 'retry-after': '90' } }, { status: 500 }, { status: 503 }];
    const forCard = (c: Recorded) => JSON.stringify(c.body ?? {}).includes(`"meetingId":"${SOUTHAMPTON_MAY}"`);
    connector.faultFor = (c) => (forCard(c) ? faults.shift() : undefined);
    const tries = () => connector.calls.filter(forCard).length;
    now = '2027-04-19T08:00:00.000Z';
    await bot.pass();
    // The outbox, not botbuilder, retries: one post, then the card waits in the store for the Retry-After to pass.
    const card = async () => (await bot.store.outbox.list()).find((m) => m.kind === 'card' && m.meetingId === SOUTHAMPTON_MAY)!;
    expect(tries()).toBe(1);
    const throttled = await card();
    expect(throttled).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/^429/) });
    expect(Date.parse(throttled.nextAttemptAt) - Date.parse(now)).toBeGreaterThanOrEqual(90_000);
    now = new Date(Date.parse(now) + 60_000).toISOString();
    await bot.pass();
    expect(tries()).toBe(1);
    // The bot's clock is frozen in this test: move it past each backoff and run again until delivered.
    for (let i = 0; i < 10 && cardFor(SOUTHAMPTON_MAY).length === 0; i++) {
      now = new Date(Date.parse(now) + 60_000).toISOString();
      await bot.pass();
    }
    expect(cardFor(SOUTHAMPTON_MAY)).toHaveLength(1);
    expect(connector.calls.filter((c) => c.failed).map((c) => c.failed)).toEqual([429, 500, 503]);
    expect(tries()).toBe(4);
    expect(await card()).toMatchObject({ status: 'sent', attempts: 4 });
    expect((await bot.store.outbox.list()).filter((m) => m.kind === 'card').every((m) => m.status === 'sent')).toBe(true);
  });

  it('reads which panel a meeting is on once per store at the gate, and tells a lead, not a stranger, of a meeting gone since', async () => {
    const refresh = { meetingId: SOUTHAMPTON_MAY, forceId: 'hampshire' };
    const reads = vi.spyOn(bot.store.meetings, 'get');
    const first = await post(cardAction(connector.url, GARETH, 'refreshNomination', refresh));
    expect(JSON.stringify(first.body.value)).toContain('Southampton');
    expect(reads.mock.calls.map((c) => c[0])).toEqual([SOUTHAMPTON_MAY]);
    const second = await post(cardAction(connector.url, GARETH, 'refreshNomination', refresh));
    expect(second.body.value).toEqual(first.body.value);
    expect(reads, 'the second press reads no meeting at the gate').toHaveBeenCalledTimes(1);
    // A stranger is refused as before, remembered or not, and as for a meeting that never was.
    const nowhere = { meetingId: 'southampton.2031-01-06', forceId: 'hampshire' };
    expect((await post(cardAction(connector.url, STRANGER, 'refreshNomination', refresh))).body.value).toBe(NOMINATION_POLICY.refusal);
    expect((await post(cardAction(connector.url, STRANGER, 'refreshNomination', nowhere))).body.value).toBe(NOMINATION_POLICY.refusal);
    expect((await post(cardAction(connector.url, GARETH, 'refreshNomination', nowhere))).body.value).toBe(NOMINATION_POLICY.refusal);
    // Deleted since (re-planned away): the lead who could act on it is told it is gone; a stranger still learns nothing.
    await bot.store.meetings.deleteMany([SOUTHAMPTON_MAY]);
    expect((await post(cardAction(connector.url, GARETH, 'refreshNomination', refresh))).body.value).toBe('That meeting is no longer known to this bot.');
    expect((await post(cardAction(connector.url, STRANGER, 'refreshNomination', refresh))).body.value).toBe(NOMINATION_POLICY.refusal);
    expect(await bot.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toBeNull();
    reads.mockRestore();
  });
});

describe('a crash between queueing and sending', () => {
  it('delivers each queued card once after restart', async () => {
    let now = '2027-04-01T08:00:00.000Z';
    const testBot = await startTestBot({ now: () => now });
    const { connector, dir, post } = testBot;
    let bot = testBot.bot;
    await post(botAddedToTeam(connector.url, GARETH));
    await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await until(() => connector.posts().length === 1, 'the link reply');
    await bot.stop();

    // The outbox is written, then the process dies before its sender runs.
    const store = await openStore(storeOptions(null, dir));
    const queued = await queueNominationWork(store, CARD_DAY);
    await store.close();
    expect(queued.length).toBeGreaterThan(0);
    expect(connector.cards()).toHaveLength(0);

    now = CARD_DAY;
    bot = await testBot.restart();
    await bot.pass();
    await bot.pass();
    const nominationCards = () => connector.cards().filter((c) => JSON.stringify(c.card).includes('Police attendee for'));
    expect(nominationCards()).toHaveLength(queued.filter((id) => id.startsWith('card:')).length);
    expect(new Set(nominationCards().map((c) => JSON.stringify(c.card.body))).size).toBe(nominationCards().length);
    await testBot.stop();
  });
});

describe('panel-bot tick', () => {
  it('sends what is due at that instant once, and nothing on a second run', async () => {
    const { runCli } = await import('../bot/cli/cli.js');
    const dir = mkdtempSync(join(tmpdir(), 'panel-bot-tick-'));
    const connector = new FakeConnector();
    await connector.start();
    const env = { DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml', LOG_LEVEL: 'silent' };
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s) };
    expect(await runCli(['sync', '--now', '2027-04-01T08:00:00Z'], io, env)).toBe(0);
    const store = await openStore(storeOptions(null, dir));
    await store.teams.saveConversation({ id: CHANNEL, tenantId: 'tenant-a', serviceUrl: connector.url, kind: 'channel', teamId: 't', userAadObjectId: null, botId: '28:bot-id' }, '2027-04-01T08:00:00.000Z');
    await store.teams.link('force', 'hampshire', CHANNEL, GARETH.aadObjectId, '2027-04-01T08:00:00.000Z');
    await store.close();

    expect(await runCli(['tick', '--now', CARD_DAY], io, env)).toBe(0);
    const sent = connector.cards().length;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(out.at(-1)).toMatch(new RegExp(`sent ${connector.posts().length} now; outbox 0 pending, 0 failed`));
    expect(await runCli(['tick', '--now', CARD_DAY], io, env)).toBe(0);
    expect(connector.cards()).toHaveLength(sent);
    expect(out.at(-1)).toMatch(/sent 0 now; outbox 0 pending, 0 failed \(\d+ sent in all\)/);
    expect(await runCli(['tick', '--now', 'soon'], io, env)).toBe(2);
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  });
});
