import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import type { FakeConnector } from './support/fake-connector.js';
import { botAddedToTeam, cardAction, CHANNEL, channelMessage, DAWN, GARETH, personalMessage, STRANGER, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

// Issue 18, point 5: `link force` or `link panel` with no id offers a card of what the person may link, by name;
// its button links this conversation through the same gate, with the same audit, as the typed command.

const ALEX: Speaker = { aadObjectId: '6513270e-269e-4d37-b2a7-4de452e6b438', name: 'Alex Morgan' }; // a national lead
const REFUSAL = "Only a force's Prevent leads and their deputies (for the force or one of its areas), an area's leads and deputies (for the area), a panel's chairs (for the panel) or a national lead can link it to a conversation.";
const HAMPSHIRE = 'Hampshire and Isle of Wight Constabulary';

describe('the link choice card, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  const now = '2027-04-01T08:00:00.000Z';
  const say = async (who: Speaker, text: string, inChannel = false) => {
    const before = connector.posts().length;
    await post((inChannel ? channelMessage : personalMessage)(connector.url, who, text));
    await until(() => connector.posts().length > before, `the reply to ${text}`);
    const body = connector.posts().at(-1)!.body;
    return body.attachments?.[0]?.content ?? body.text;
  };
  const choices = (card: any) => card.body.find((e: any) => e.type === 'Input.ChoiceSet');
  const links = async () => (await bot.store.audit.page(0, 100_000)).filter((e) => e.action.endsWith('.linked')).map((e) => ({ actor: e.actor, action: e.action, subject: e.subject }));

  beforeEach(async () => {
    ({ bot, connector, post, stop } = await startTestBot({ now: () => now }));
    await post(botAddedToTeam(connector.url, GARETH));
  });
  afterEach(() => stop());

  it('offers a lead their own force by name, and links this conversation as the typed command does, audited the same', async () => {
    const card = await say(GARETH, 'link force', true);
    expect(cardProblems(card)).toEqual([]);
    expect(choices(card)).toMatchObject({ id: 'forceId', choices: [{ title: HAMPSHIRE, value: 'hampshire' }], value: 'hampshire' });
    const button = card.body.find((e: any) => e.type === 'ActionSet').actions[0];
    expect(button).toMatchObject({ type: 'Action.Execute', title: 'Link this conversation', verb: 'linkConversation', data: { scope: 'force' } });
    // What Teams sends: the button's data with the chosen force.
    const answer = (await post(cardAction(connector.url, GARETH, button.verb, { ...button.data, forceId: 'hampshire' }))).body.value;
    expect(cardProblems(answer)).toEqual([]);
    expect(answer.body[0].items[0].text).toBe(`Linked: nomination cards for ${HAMPSHIRE} will come to this conversation.`);
    expect(await bot.store.teams.linkedConversation('force', 'hampshire')).toBe(CHANNEL);
    // The typed command, in Gareth's personal chat: the same audit entry but for the conversation.
    expect(await say(GARETH, 'link force hampshire')).toBe(`Linked: nomination cards for ${HAMPSHIRE} will come to this conversation.`);
    expect(await links()).toEqual([
      { actor: GARETH.aadObjectId, action: 'force.linked', subject: { forceId: 'hampshire', conversationId: CHANNEL } },
      { actor: GARETH.aadObjectId, action: 'force.linked', subject: { forceId: 'hampshire', conversationId: `a:personal-${GARETH.aadObjectId}` } },
    ]);
  });

  it('offers only what the person may link: a chair their panel, a national lead everything, others nothing', async () => {
    expect(choices(await say(DAWN, 'link panel')).choices).toEqual([{ title: 'Southampton Channel panel', value: 'southampton' }]);
    expect(await say(DAWN, 'link force')).toBe(REFUSAL);
    expect(await say(STRANGER, 'link panel')).toBe(REFUSAL);
    expect(await say(GARETH, 'link panel')).toBe(REFUSAL);
    const forces = choices(await say(ALEX, 'link force'));
    expect(forces.choices.map((c: any) => c.title)).toEqual(['Cambridgeshire Constabulary', 'Cumbria Constabulary', 'Devon and Cornwall Police', HAMPSHIRE, 'Leicestershire Police', 'Nottinghamshire Police']);
    expect(forces.value).toBeUndefined();
    expect(choices(await say(ALEX, 'link panel')).choices).toHaveLength(10);
  });

  it('refuses a forged press for a force the person may not link, and asks again when nothing is chosen', async () => {
    const press = async (who: Speaker, data: Record<string, unknown>) => (await post(cardAction(connector.url, who, 'linkConversation', data))).body.value;
    expect(await press(GARETH, { scope: 'force', forceId: 'cambs' })).toBe(REFUSAL);
    expect(await press(DAWN, { scope: 'panel', panelId: 'portsmouth' })).toBe(REFUSAL);
    expect(await press(STRANGER, { scope: 'force', forceId: 'hampshire' })).toBe(REFUSAL);
    expect(await press(STRANGER, { scope: 'force' })).toBe(REFUSAL);
    const again = await press(GARETH, { scope: 'force' });
    expect(again.body[0].items[0].text).toBe('Not linked: choose a force.');
    expect(choices(again).choices).toEqual([{ title: HAMPSHIRE, value: 'hampshire' }]);
    expect(await links()).toEqual([]);
    expect(await bot.store.teams.linkedConversation('force', 'cambs')).toBeNull();
  });
});
