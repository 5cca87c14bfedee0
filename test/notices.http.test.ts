import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { sendApologies } from '../scheduler/meetings/apologies.js';
import { addExtraMeeting, cancelMeeting, rescheduleMeeting } from '../scheduler/meetings/cancellations.js';
import { nominate as nominateDirectly } from '../scheduler/nominations/nominations.js';
import { byId, editedSample, type ConfigFile } from './support/config-variant.js';
import type { FakeConnector, Recorded } from './support/fake-connector.js';
import { botAddedToTeam, cardAction, CHANNEL, channelMessage, DAWN, GARETH, MARCUS, NADIA, personalMessage, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { until } from './support/wait.js';

// Issue 18, point 3: the people a change affects are each told personally, once, in one short message, and the
// card's thread never shows two people named. Everyone here has spoken to the bot (so it has a personal chat with
// them) unless a test says otherwise.

const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 (moved by the bank holiday)
const CARD_DAY = '2027-04-19T08:00:00.000Z'; // Mon 19 Apr: the card goes out
const HAMPSHIRE = 'Hampshire and Isle of Wight Constabulary';
const SAM: Speaker = { aadObjectId: '5a5a5a5a-1111-4222-8333-444455556666', name: 'Sam Price' }; // holds no role
const SAM_TEAMS_ID = 'user-id-sam'; // how the person picker gives him
const ADELE: Speaker = { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' }; // never speaks to the bot
const ADELE_TEAMS_ID = 'user-id-adele';
const CHAIRS_CHANNEL = '19:southampton-chairs@thread.tacv2';

const chat = (who: Speaker) => `a:personal-${who.aadObjectId}`;

describe('telling the people a change affects, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';
  let seen = 0;

  /** Text messages (not cards: a command's answer) that reached someone's personal chat since the test's setup. */
  const told = (who: Speaker) => connector.posts().slice(seen).filter((p) => p.conversationId === chat(who) && !p.body.attachments?.length).map((p) => p.body.text as string);
  const everyone = [GARETH, NADIA, SAM, ADELE, DAWN, MARCUS];
  const tellings = () => Object.fromEntries(everyone.map((p) => [p.name, told(p)]));
  const mayCard = () => connector.cards().find((c) => c.conversationId === CHANNEL && JSON.stringify(c.card).includes(`"meetingId":"${MAY}"`))!.card;
  const cardActivity = async () => (await bot.store.outbox.get(`card:${MAY}:hampshire`))!.activityId!;

  /** Gareth names someone on the card (the one given, else the posted card as his Teams client refreshes it). */
  async function nominate(attendee: string, card?: any): Promise<any> {
    const form = card ?? (await post(cardAction(connector.url, GARETH, mayCard().refresh.action.verb, mayCard().refresh.action.data))).body.value;
    const action = form.body.find((e: any) => e.type === 'ActionSet').actions[0];
    const res = await post(cardAction(connector.url, GARETH, 'nominate', { ...action.data, attendee, role: 'Detective Inspector', decisionMaker: 'true' }));
    await bot.pass();
    return res.body.value;
  }

  const version = async () => (await bot.store.meetings.get(MAY))!.version;
  /** A use case's result, once everything it queued has been sent. */
  const settled = async <T>(result: Promise<T>): Promise<T> => {
    const r = await result;
    await bot.pass();
    return r;
  };
  const nobody = () => Object.fromEntries(everyone.map((p) => [p.name, [] as string[]]));

  /**
   * Who the card's thread shows as named: each @mention reply the bot posted there, less those reworded since.
   * Every reply carrying an @mention must be one the outbox knows, so none is missed.
   */
  async function namedInThread(): Promise<string[]> {
    const thread = `${CHANNEL};messageid=${await cardActivity()}`;
    const mentions = (await bot.store.outbox.list({ meetingId: MAY })).filter((m) => m.kind === 'mention' && m.status === 'sent');
    expect(connector.posts().filter((p) => p.conversationId === thread && /<at>/.test(p.body.text ?? ''))).toHaveLength(mentions.length);
    const rewordings = (m: (typeof mentions)[number]) => connector.calls.filter((c: Recorded) => c.method === 'PUT' && !c.failed && c.activityId === m.activityId);
    for (const m of mentions) for (const put of rewordings(m)) expect(put.body).not.toHaveProperty('entities');
    return mentions.filter((m) => rewordings(m).length === 0).map((m) => everyone.find((p) => p.aadObjectId === m.personAadObjectId)!.name);
  }

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await startTestBot({ now: () => now }));
    connector.members.set(SAM_TEAMS_ID, SAM);
    connector.members.set(ADELE_TEAMS_ID, ADELE);
    for (const who of [NADIA, SAM, DAWN, MARCUS]) await post(personalMessage(connector.url, who, 'help'));
    await post(botAddedToTeam(connector.url, GARETH));
    await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await post(personalMessage(connector.url, GARETH, 'help'));
    await until(() => connector.posts().some((p) => /Linked/.test(p.body.text ?? '')), 'the link reply');
    now = CARD_DAY;
    await bot.pass();
    seen = connector.posts().length;
  });
  afterEach(() => stop());

  it('tells a replaced nominee once, names the new one, and rewords the old @mention so the thread names one person', async () => {
    await nominate(NADIA.aadObjectId);
    expect(await namedInThread()).toEqual(['Nadia Rahman']);
    expect(told(NADIA)).toEqual([expect.stringContaining('You have been named to represent Hampshire and Isle of Wight Constabulary')]);

    now = '2027-04-20T08:00:00.000Z';
    const current = await post(cardAction(connector.url, GARETH, mayCard().refresh.action.verb, mayCard().refresh.action.data));
    const answer = await nominate(SAM_TEAMS_ID, current.body.value);
    expect(JSON.stringify(answer)).toContain('Named: **Sam Price**');
    expect(told(NADIA).slice(1)).toEqual([`You are no longer named to attend **Southampton Channel panel** on Tue 4 May 2027, 10:00–12:00 for ${HAMPSHIRE}: Gareth Owen named Sam Price instead.`]);
    expect(told(SAM)).toEqual([expect.stringContaining('You have been named to represent')]);
    expect(await namedInThread()).toEqual(['Sam Price']);
    const nadiaReply = (await bot.store.outbox.get(`mention:${MAY}:hampshire:v1`))!.activityId;
    const reworded = connector.calls.filter((c) => c.method === 'PUT' && c.activityId === nadiaReply);
    expect(reworded.map((c) => [c.conversationId, c.body.text])).toEqual([[CHANNEL, 'No longer named: replaced on Tue 20 Apr 2027. The card shows who is named now.']]);

    // The same press again (a retry), and another pass: nothing more to anyone, and nothing more in the thread.
    const before = { tellings: tellings(), calls: connector.calls.length };
    await nominate(SAM_TEAMS_ID, answer);
    await nominate(SAM_TEAMS_ID, current.body.value);
    expect(tellings()).toEqual(before.tellings);
    expect(connector.calls.filter((c) => c.method === 'PUT' || c.conversationId.includes(';messageid='))).toEqual(
      connector.calls.slice(0, before.calls).filter((c) => c.method === 'PUT' || c.conversationId.includes(';messageid=')),
    );
    expect({ ...tellings(), 'Nadia Rahman': [], 'Sam Price': [] }).toEqual(nobody());
  });

  it('keeps one reply naming the nominee when only their role changes, and rewords it when they are replaced after being named again', async () => {
    const first = await nominate(NADIA.aadObjectId);
    const action = first.body.find((e: any) => e.type === 'ActionSet').actions[0];
    await post(cardAction(connector.url, GARETH, 'nominate', { ...action.data, attendee: NADIA.aadObjectId, role: 'Prevent lead', decisionMaker: 'true' }));
    await bot.pass();
    expect(await namedInThread()).toEqual(['Nadia Rahman']);
    const toSam = await nominate(SAM_TEAMS_ID, (await post(cardAction(connector.url, GARETH, mayCard().refresh.action.verb, mayCard().refresh.action.data))).body.value);
    const back = await nominate(NADIA.aadObjectId, toSam);
    await nominate(SAM_TEAMS_ID, back);
    expect(await namedInThread()).toEqual(['Sam Price']);
    // Each time someone was replaced they heard it once: Nadia twice (versions 3 and 5), Sam once (version 4).
    expect(told(NADIA).filter((t) => t.startsWith('You are no longer named'))).toHaveLength(2);
    expect(told(SAM).filter((t) => t.startsWith('You are no longer named'))).toHaveLength(1);
  });

  it('tells nobody who never spoke to the bot, and nothing fails', async () => {
    await nominate(ADELE_TEAMS_ID);
    await nominate(NADIA.aadObjectId, (await post(cardAction(connector.url, GARETH, mayCard().refresh.action.verb, mayCard().refresh.action.data))).body.value);
    expect(await namedInThread()).toEqual(['Nadia Rahman']);
    expect(connector.posts().some((p) => p.conversationId === chat(ADELE))).toBe(false);
    const outbox = await bot.store.outbox.list({ meetingId: MAY });
    expect(outbox.filter((m) => m.personAadObjectId === ADELE.aadObjectId && m.kind !== 'mention' && m.kind !== 'mention-update')).toEqual([]);
    expect(outbox.filter((m) => m.status === 'failed' || m.status === 'pending')).toEqual([]);
  });

  it("tells each nominee of a cancelled meeting once, with the reason and without the chair's note", async () => {
    await nominate(NADIA.aadObjectId);
    const before = told(NADIA).length;
    const input = { meetingId: MAY, reason: 'no cases to discuss' as const, note: 'Nothing new this month', version: await version() };
    expect(await settled(cancelMeeting(bot.store, input, DAWN.aadObjectId, now))).toMatchObject({ ok: true, value: { changed: true } });
    expect(told(NADIA).slice(before)).toEqual([
      `**Southampton Channel panel** on Tue 4 May 2027, 10:00–12:00 has been cancelled (no cases to discuss). You were named to attend it for ${HAMPSHIRE}: there is nothing to attend.`,
    ]);
    expect(await settled(cancelMeeting(bot.store, input, DAWN.aadObjectId, now))).toMatchObject({ ok: true, value: { changed: false } });
    expect(told(NADIA).slice(before)).toHaveLength(1);
    expect({ ...tellings(), 'Nadia Rahman': [] }).toEqual(nobody());
  });

  it('tells nobody personally of a cancelled meeting where nobody is named', async () => {
    expect((await settled(cancelMeeting(bot.store, { meetingId: MAY, reason: 'not quorate', version: await version() }, DAWN.aadObjectId, now))).ok).toBe(true);
    expect(tellings()).toEqual(nobody());
  });

  it('tells each nominee of a moved meeting once, with where it was and where it is now', async () => {
    await nominate(NADIA.aadObjectId);
    const before = told(NADIA).length;
    const move = (date: string, v: number) => settled(rescheduleMeeting(bot.store, MAY, { date, time: '14:00' }, v, DAWN.aadObjectId, now));
    const v = await version();
    expect((await move('2027-05-06', v)).ok).toBe(true);
    expect(told(NADIA).slice(before)).toEqual([
      `**Southampton Channel panel** has moved to Thu 6 May 2027, 14:00–16:00 (it was on Tue 4 May 2027, 10:00–12:00). You are still named to attend it for ${HAMPSHIRE}.`,
    ]);
    expect((await move('2027-05-06', v)).ok).toBe(true); // the same press again
    expect(told(NADIA).slice(before)).toHaveLength(1);
    expect((await move('2027-05-07', v + 1)).ok).toBe(true);
    expect(told(NADIA).slice(before + 1)).toEqual([expect.stringContaining('has moved to Fri 7 May 2027, 14:00–16:00 (it was on Thu 6 May 2027, 14:00–16:00)')]);
    expect({ ...tellings(), 'Nadia Rahman': [] }).toEqual(nobody());
  });

  it("tells the panel's forces' leads and deputies once of an added meeting still to come, and nobody of a past one", async () => {
    const add = (date: string) => settled(addExtraMeeting(bot.store, 'southampton', { date, time: '10:00' }, undefined, DAWN.aadObjectId, now));
    expect((await add('2027-05-20')).ok).toBe(true);
    expect((await add('2027-05-20')).ok).toBe(true); // the same press again
    const words = `An extra meeting of **Southampton Channel panel** (Southampton City Council) has been added on Thu 20 May 2027, 10:00–12:00. ${HAMPSHIRE} will be asked to name its attendee on the usual card in your force's Teams channel.`;
    expect(tellings()).toEqual({ ...nobody(), 'Gareth Owen': [words], 'Nadia Rahman': [words] });
    expect((await add('2027-03-10')).ok).toBe(true);
    expect(tellings()).toEqual({ ...nobody(), 'Gareth Owen': [words], 'Nadia Rahman': [words] });
  });

  describe('apologies', () => {
    const apologise = () => settled(sendApologies(bot.store, MAY, 'hampshire', NADIA, SAM, now));
    const words = `${HAMPSHIRE} sent apologies for **Southampton Channel panel** on Tue 4 May 2027, 10:00–12:00 (sent by Sam Price); substitute offered: Nadia Rahman.`;

    it('tells the chair personally once, besides the note in the panel\'s Teams channel', async () => {
      const inChairs = { ...channelMessage(connector.url, DAWN, 'link panel southampton'), conversation: { id: `${CHAIRS_CHANNEL};messageid=1`, conversationType: 'channel', tenantId: 'tenant-a', isGroup: true } };
      await post({ ...inChairs, channelData: { ...inChairs.channelData, channel: { id: CHAIRS_CHANNEL } } });
      await until(() => connector.posts().some((p) => p.conversationId.startsWith(CHAIRS_CHANNEL) && /Linked/.test(p.body.text ?? '')), 'the link reply');
      await nominate(SAM_TEAMS_ID);
      seen = connector.posts().length;
      await apologise();
      await apologise(); // the same press again
      expect(tellings()).toEqual({ ...nobody(), 'Dawn Fisher': [words] });
      expect(connector.posts().filter((p) => p.conversationId === CHAIRS_CHANNEL && /^Apologies from/.test(p.body.text ?? ''))).toHaveLength(1);
    });

    it("tells a chair once when the panel's conversation is their own chat", async () => {
      await post(personalMessage(connector.url, DAWN, 'link panel southampton'));
      await nominate(SAM_TEAMS_ID);
      seen = connector.posts().length;
      await apologise();
      expect(told(DAWN)).toEqual([expect.stringMatching(/^Apologies from Hampshire and Isle of Wight Constabulary for Southampton Channel panel/)]);
    });
  });
});

// One person may lead, deputise or be named for several forces a meeting faces (s.37(3)): each change tells them
// once, in one message naming all their forces. Here Marcus leads Leicestershire and is also a Cambridgeshire
// deputy (his id written in capitals there), and the Peterborough and Rutland panel faces both forces.
describe('telling a person of several forces once, over real HTTP', () => {
  const JOINT = 'peterborough-rutland.2027-05-11'; // Tue 11 May 2027, 10:00-12:00
  const JOANNE = '8e81973e-0bec-47b0-b898-d190f9ebdacc'; // chairs the joint panel
  const PRIYA: Speaker = { aadObjectId: 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450', name: 'Priya Shah' }; // Cambridgeshire Prevent lead
  const TOM: Speaker = { aadObjectId: '9531985d-5d9d-49f8-9818-e811892f902b', name: 'Tom Whitfield' }; // Cambridgeshire deputy
  const BOTH = 'Cambridgeshire Constabulary and Leicestershire Police';
  let t: TestBot;
  let file: ConfigFile;
  let now = CARD_DAY;
  let seen = 0;
  const told = (who: Speaker) => t.connector.posts().slice(seen).filter((p) => p.conversationId === chat(who) && !p.body.attachments?.length).map((p) => p.body.text as string);
  const tellings = () => Object.fromEntries([MARCUS, PRIYA, TOM].map((p) => [p.name, told(p)]));
  const settled = async <T>(result: Promise<T>): Promise<T> => {
    const r = await result;
    await t.bot.pass();
    return r;
  };

  beforeEach(async () => {
    file = editedSample((f) => (byId(f.forces, 'cambs').deputies ??= []).push({ aadObjectId: MARCUS.aadObjectId.toUpperCase(), name: MARCUS.name }));
    now = CARD_DAY;
    t = await startTestBot({ now: () => now, env: { PANELS_CONFIG: file.path } });
    for (const who of [MARCUS, PRIYA, TOM]) await t.post(personalMessage(t.connector.url, who, 'help'));
    await t.bot.pass();
    seen = t.connector.posts().length;
  });
  afterEach(async () => {
    await t.stop();
    file.remove();
  });

  it('tells a lead of two of the panel\'s forces of an added meeting once, naming both, and the others once each', async () => {
    const add = () => settled(addExtraMeeting(t.bot.store, 'peterborough-rutland', { date: '2027-05-20', time: '10:00' }, undefined, JOANNE, now));
    expect((await add()).ok).toBe(true);
    expect((await add()).ok).toBe(true); // the same press again
    const added = 'An extra meeting of **Peterborough and Rutland Channel panel** (Peterborough City Council and Rutland County Council) has been added on Thu 20 May 2027, 10:00–12:00.';
    expect(tellings()).toEqual({
      'Marcus Reid': [`${added} ${BOTH} will each be asked to name an attendee on the usual card in each force's Teams channel.`],
      'Priya Shah': [`${added} Cambridgeshire Constabulary will be asked to name its attendee on the usual card in your force's Teams channel.`],
      'Tom Whitfield': [`${added} Cambridgeshire Constabulary will be asked to name its attendee on the usual card in your force's Teams channel.`],
    });
  });

  it('tells a nominee named for both forces once of a move and once of a cancellation, naming both', async () => {
    for (const [forceId, attendee, by] of [['cambs', { ...MARCUS, aadObjectId: MARCUS.aadObjectId.toUpperCase() }, PRIYA], ['leics', MARCUS, MARCUS]] as const) {
      const r = await nominateDirectly(t.bot.store, { meetingId: JOINT, forceId, meetingVersion: 1, nominationVersion: 0, attendee, role: 'DI', decisionMaker: true }, by.aadObjectId, now);
      expect(r.ok).toBe(true);
    }
    await t.bot.pass();
    seen = t.connector.posts().length;
    const version = async () => (await t.bot.store.meetings.get(JOINT))!.version;

    expect((await settled(rescheduleMeeting(t.bot.store, JOINT, { date: '2027-05-13', time: '14:00' }, await version(), JOANNE, now))).ok).toBe(true);
    expect(tellings()).toEqual({
      'Marcus Reid': [`**Peterborough and Rutland Channel panel** has moved to Thu 13 May 2027, 14:00–16:00 (it was on Tue 11 May 2027, 10:00–12:00). You are still named to attend it for ${BOTH}.`],
      'Priya Shah': [], 'Tom Whitfield': [],
    });

    seen = t.connector.posts().length;
    const input = { meetingId: JOINT, reason: 'not quorate' as const, version: await version() };
    expect((await settled(cancelMeeting(t.bot.store, input, JOANNE, now))).ok).toBe(true);
    expect((await settled(cancelMeeting(t.bot.store, input, JOANNE, now))).ok).toBe(true); // the same press again
    expect(tellings()).toEqual({
      'Marcus Reid': [`**Peterborough and Rutland Channel panel** on Thu 13 May 2027, 14:00–16:00 has been cancelled (not quorate). You were named to attend it for ${BOTH}: there is nothing to attend.`],
      'Priya Shah': [], 'Tom Whitfield': [],
    });
  });
});
