import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditCheckpointCommand } from '../bot/cli/cli-checkpoint.js';
import type { RunningBot } from '../bot/compose.js';
import { loadConfig } from '../bot/config.js';
import { NATIONAL_LINK_POLICY } from '../bot/routes/nomination-routes.js';
import type { FakeConnector } from './support/fake-connector.js';
import { CHANNEL, channelMessage, GARETH, personalMessage, STRANGER, TENANT, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

// Issue 17, point 2: the audit log's head posted to the national leads in Teams, once a week and on demand.

const ALEX: Speaker = { aadObjectId: '6513270e-269e-4d37-b2a7-4de452e6b438', name: 'Alex Morgan' }; // national lead
const GROUP = '19:national-leads-chat@thread.v2';
const THURSDAY = '2027-04-15T09:00:00.000Z';

/** A message in a group chat, as Teams posts it. */
const groupMessage = (serviceUrl: string, who: Speaker, text: string) => ({
  type: 'message', text, channelId: 'msteams', serviceUrl, id: `act-${Math.random().toString(16).slice(2)}`, timestamp: new Date().toISOString(),
  from: { id: `29:${who.aadObjectId}`, name: who.name, aadObjectId: who.aadObjectId }, recipient: { id: '28:bot-id', name: 'Channel panel bot' },
  conversation: { id: GROUP, conversationType: 'groupChat', tenantId: TENANT, isGroup: true }, channelData: { tenant: { id: TENANT } },
});

describe('the audit checkpoint in Teams, over real HTTP', () => {
  let t: TestBot;
  let bot: RunningBot;
  let connector: FakeConnector;
  let now = THURSDAY;

  const checkpointCards = () => connector.cards().filter((c) => JSON.stringify(c.card).includes('Audit log checkpoint'));
  /** Says something and returns the bot's reply. */
  const say = async (activity: object) => {
    const before = connector.posts().length;
    await t.post(activity);
    await until(() => connector.posts().length > before, 'the reply');
    return connector.posts()[before]!.body.text as string;
  };
  /** The head a posted card names, as `audit verify --head` takes it. */
  const headOf = (card: unknown) => {
    const m = /--head (\d+):([0-9a-f]{64})/.exec(JSON.stringify(card));
    return m ? { seq: Number(m[1]), hash: m[2]! } : null;
  };

  beforeEach(async () => {
    now = THURSDAY;
    t = await startTestBot({ now: () => now });
    ({ bot, connector } = t);
  });
  afterEach(() => t.stop());

  it('posts the checkpoint card to the Teams channel linked with `link national`, once a week', async () => {
    expect(await say(channelMessage(connector.url, ALEX, 'link national'))).toBe('Linked: the audit log checkpoint will come to this conversation every week.');
    expect(await bot.store.teams.linkedConversation('national', '')).toBe(CHANNEL);

    await bot.pass();
    const [first] = checkpointCards();
    expect(checkpointCards()).toHaveLength(1);
    expect(first!.conversationId).toBe(CHANNEL);
    expect(cardProblems(first!.card)).toEqual([]);
    const head = headOf(first!.card)!;
    expect((await bot.store.audit.page(head.seq - 1, 1))[0]?.hash).toBe(head.hash);
    expect(JSON.stringify(first!.card)).toContain('Thursday 15 April 2027, 10:00');

    for (const later of ['2027-04-16T09:00:00.000Z', '2027-04-19T06:59:00.000Z']) {
      now = later;
      await bot.pass();
    }
    expect(checkpointCards()).toHaveLength(1);
    now = '2027-04-19T07:00:00.000Z'; // Monday 08:00 BST: a new week
    await bot.pass();
    await bot.pass();
    expect(checkpointCards()).toHaveLength(2);
    expect(headOf(checkpointCards()[1]!.card)!.seq).toBeGreaterThan(head.seq);
  });

  it('takes `link national` in a group chat too, and posts the checkpoint there', async () => {
    expect(await say(groupMessage(connector.url, ALEX, 'link national'))).toMatch(/^Linked/);
    await bot.pass();
    expect(checkpointCards().map((c) => c.conversationId)).toEqual([GROUP]);
  });

  it('refuses `link national` to anyone but a national lead, with one sentence that says nothing of what exists', async () => {
    const refusals = [await say(channelMessage(connector.url, STRANGER, 'link national')), await say(channelMessage(connector.url, GARETH, 'link national'))];
    expect(await bot.store.teams.linkedConversation('national', '')).toBeNull();
    await say(groupMessage(connector.url, ALEX, 'link national'));
    refusals.push(await say(channelMessage(connector.url, STRANGER, 'link national')), await say(groupMessage(connector.url, GARETH, 'link national')));
    expect(refusals).toEqual(Array(4).fill(NATIONAL_LINK_POLICY.refusal));
    expect(refusals[0]).not.toMatch(/checkpoint|19:|linked/i);
    expect(await bot.store.teams.linkedConversation('national', '')).toBe(GROUP);
  });

  it('asks a national lead to link a Teams channel or group chat, not a personal chat; the checkpoint then goes to that personal chat', async () => {
    expect(await say(personalMessage(connector.url, ALEX, 'link national'))).toMatch(/Teams channel or group chat/);
    expect(await bot.store.teams.linkedConversation('national', '')).toBeNull();
    await bot.pass();
    expect(checkpointCards().map((c) => c.conversationId)).toEqual([`a:personal-${ALEX.aadObjectId}`]);
  });

  it('`panel-bot audit checkpoint` posts at once and says where; with nowhere to post, it names `link national`', async () => {
    const run = async () => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await auditCheckpointCommand({ now: '2027-04-15T11:00:00Z' }, loadConfig(t.env), { out: (s) => out.push(s), err: (s) => err.push(s) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const nowhere = await run();
    expect(nowhere).toMatchObject({ code: 1, out: '' });
    expect(nowhere.err).toContain('`link national`');
    expect(checkpointCards()).toEqual([]);

    await say(channelMessage(connector.url, ALEX, 'link national'));
    const posted = await run();
    expect(posted.code).toBe(0);
    const [card] = checkpointCards();
    const head = headOf(card!.card)!;
    expect(posted.out).toBe(`checkpoint posted: head ${head.seq} ${head.hash} to the national leads' linked conversation (${CHANNEL})`);
    expect(card!.conversationId).toBe(CHANNEL);
    // On demand is apart from the weekly one: this week's still goes out.
    await bot.pass();
    expect(checkpointCards()).toHaveLength(2);
  });
});
