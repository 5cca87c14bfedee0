import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { CONFIRM_POLICY, NOMINATION_POLICY } from '../bot/routes/nomination-routes.js';
import type { MeetingAnswers } from '../scheduler/domain/attendance-rules.js';
import type { Person } from '../scheduler/domain/types.js';
import { inviteForce } from '../scheduler/meetings/invitations.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import type { FakeConnector } from './support/fake-connector.js';
import { botAddedToTeam, cardAction, CHANNEL, channelMessage, DAWN, GARETH, MARCUS, NADIA, personalMessage, STRANGER } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 local (09:00-11:00Z)
const ENDED = '2027-05-04T11:05:00.000Z';
const SAM: Person = { aadObjectId: '5a5a5a5a-1111-4222-8333-444455556666', name: 'Sam Price' }; // not the force's nominee
const PRIYA = { aadObjectId: 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450', name: 'Priya Shah' }; // Cambridgeshire Prevent lead

/** The chair's answers: the force attended, with the given people (each a neighbourhood PC the chair thinks could decide). */
const heldWith = (...people: Person[]): MeetingAnswers => ({
  outcome: 'held',
  agencies: { 'local-authority': 1 },
  forces: [{ forceId: 'hampshire', outcome: 'attended', attendees: people.map((person) => ({ person, roleCategory: 'neighbourhood-officer', role: 'PC', unit: 'local', mode: 'in-person', decisionMaker: 'yes' })) }],
});

describe("a force confirms or disputes the chair's record of its substitutes, over real HTTP", () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';

  const confirmCards = () => connector.cards().filter((c) => JSON.stringify(c.card).includes('Police attendance to confirm'));
  const button = (card: any, title: string) => card.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions).find((a: any) => a.title === title);
  const press = async (who: typeof GARETH, action: any) => (await post(cardAction(connector.url, who, action.verb, action.data))).body;
  const record = async () => (await bot.store.chairs.attendance([MAY]))[0]!;
  const chairRecords = async (...people: Person[]) => {
    const r = await recordAttendance(bot.store, MAY, heldWith(...people), DAWN.aadObjectId, now);
    expect(r.ok).toBe(true);
  };

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await startTestBot({ now: () => now }));
    await post(botAddedToTeam(connector.url, GARETH));
    await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await until(() => connector.posts().some((p) => /Linked/.test(p.body.text ?? '')), 'the link reply');
    const r = await nominate(bot.store, { meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, '2027-04-20T08:00:00.000Z');
    expect(r.ok).toBe(true);
    now = ENDED;
  });
  afterEach(() => stop());

  it("sends the force's Teams channel one valid card naming the meeting, the nominee and each attendee, with Confirm and Dispute", async () => {
    await chairRecords(SAM);
    expect(await record()).toMatchObject({ forceConfirmation: 'pending', version: 1 });
    await bot.pass();
    await bot.pass();
    expect(confirmCards()).toHaveLength(1);
    const { card, conversationId } = confirmCards()[0]!;
    expect(conversationId).toBe(CHANNEL);
    expect(cardProblems(card)).toEqual([]);
    const shown = JSON.stringify(card);
    for (const part of ['Southampton Channel panel', 'Tue 4 May 2027, 10:00–12:00', 'Nadia Rahman (confirmed as a decision maker)', 'Sam Price', 'not the person your force named', 'Neighbourhood officer, PC', 'Local force, in person', 'Could these people make decisions on behalf of Hampshire and Isle of Wight Constabulary?']) {
      expect(shown).toContain(part);
    }
    expect(button(card, 'Confirm')).toMatchObject({ type: 'Action.Execute', verb: 'confirmAttendance', data: { meetingId: MAY, forceId: 'hampshire', recordVersion: 1, answer: 'confirmed' } });
    expect(button(card, 'Dispute').data.answer).toBe('disputed');
  });

  it('records a confirmation with who gave it, shows it, and lets the force change it to a dispute', async () => {
    await chairRecords(SAM);
    await bot.pass();
    const card = confirmCards()[0]!.card;
    const confirmed = await press(GARETH, button(card, 'Confirm'));
    expect(confirmed.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(confirmed.value)).toEqual([]);
    expect(JSON.stringify(confirmed.value)).toContain('Confirmed by Gareth Owen on Tue 4 May 2027');
    // The force's word does not change the record's version, so every lead's copy of the card stays current.
    expect(await record()).toMatchObject({ forceConfirmation: 'confirmed', confirmedBy: GARETH.aadObjectId, confirmedAt: ENDED, version: 1 });
    const disputed = await press(NADIA, button(confirmed.value, 'Dispute instead'));
    expect(JSON.stringify(disputed.value)).toContain('Disputed by Nadia Rahman');
    expect(button(disputed.value, 'Confirm instead')).toBeDefined();
    expect(await record()).toMatchObject({ forceConfirmation: 'disputed', confirmedBy: NADIA.aadObjectId, version: 1 });
    // The deputy's copy of the original posted card still works: it answers the same version.
    const again = await press(NADIA, button(card, 'Confirm'));
    expect(JSON.stringify(again.value)).toContain('Confirmed by Nadia Rahman');
    const actions = (await bot.store.audit.page(0, 10_000)).map((e) => e.action).filter((a) => a.startsWith('attendance.'));
    expect(actions).toEqual(['attendance.recorded', 'attendance.confirmed', 'attendance.disputed', 'attendance.confirmed']);
  });

  it('records a dispute from the posted card', async () => {
    await chairRecords(SAM);
    await bot.pass();
    const disputed = await press(GARETH, button(confirmCards()[0]!.card, 'Dispute'));
    expect(JSON.stringify(disputed.value)).toContain('Disputed by Gareth Owen');
    expect(await record()).toMatchObject({ forceConfirmation: 'disputed', confirmedBy: GARETH.aadObjectId });
  });

  it("refuses a stranger and another force's lead alike, telling them nothing and changing nothing", async () => {
    await chairRecords(SAM);
    await bot.pass();
    const confirm = button(confirmCards()[0]!.card, 'Confirm');
    const nowhere = { ...confirm, data: { ...confirm.data, meetingId: 'southampton.2031-01-06' } };
    for (const who of [STRANGER, MARCUS]) {
      for (const action of [confirm, nowhere]) {
        const answer = await press(who, action);
        expect(answer.value).toBe(CONFIRM_POLICY.refusal);
        for (const secret of ['Southampton', 'Hampshire', 'Sam Price', 'Nadia', 'Gareth', 'Dawn']) expect(JSON.stringify(answer)).not.toContain(secret);
      }
    }
    expect(await record()).toMatchObject({ forceConfirmation: 'pending', confirmedBy: null, version: 1 });
  });

  it('answers a press on a card from before the chair changed the record as stale, changing nothing, and sends only the latest card', async () => {
    await chairRecords(SAM);
    await bot.pass();
    const old = confirmCards()[0]!.card;
    await chairRecords(SAM, GARETH);
    const stale = await press(GARETH, button(old, 'Confirm'));
    expect(JSON.stringify(stale.value)).toContain('This card was out of date');
    // The answer is the record as it stands, with the buttons for its version.
    expect(button(stale.value, 'Confirm').data.recordVersion).toBe(2);
    expect(await record()).toMatchObject({ forceConfirmation: 'pending', confirmedBy: null, version: 2 });
    // Two changes before anything was sent: only the latest record's card goes.
    await chairRecords(SAM);
    await chairRecords(SAM, NADIA);
    await bot.pass();
    expect(confirmCards().map((c) => button(c.card, 'Confirm').data.recordVersion)).toEqual([1, 4]);
  });

  it('shows names as text, not Markdown', async () => {
    await chairRecords({ aadObjectId: SAM.aadObjectId, name: '[Sam](https://evil.example) **Price**' });
    await bot.pass();
    const names = confirmCards()[0]!.card.body.filter((e: any) => e.type === 'Container').map((e: any) => e.items[0].text);
    expect(names).toEqual([String.raw`**\[Sam\]\(https\://evil\.example\) \*\*Price\*\*** (not the person your force named)`]);
  });

  it('sends nothing to confirm when the chair records only the nominee the force confirmed', async () => {
    await chairRecords(NADIA);
    await bot.pass();
    expect(await record()).toMatchObject({ forceConfirmation: 'not-needed' });
    expect(confirmCards()).toHaveLength(0);
  });
});

describe('a force invited to one meeting, over real HTTP', () => {
  const JUNE = 'southampton.2027-06-07'; // Mon 7 June 2027
  const JULY = 'southampton.2027-07-05';
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';
  const MARCUS_CHAT = `a:personal-${MARCUS.aadObjectId}`;
  const southamptonCards = (conversationId: string) => connector.cards().filter((c) => c.conversationId === conversationId && JSON.stringify(c.card).includes('"meetingId":"southampton.'));
  const meetingOf = (card: any): string => JSON.stringify(card).match(/"meetingId":"(southampton\.[^"]+)"/)![1]!;

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await startTestBot({ now: () => now }));
    await post(botAddedToTeam(connector.url, GARETH));
    await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await post(personalMessage(connector.url, MARCUS, 'link force leics'));
    await until(() => connector.posts().filter((p) => /Linked/.test(p.body.text ?? '')).length === 2, 'both link replies');
    const r = await inviteForce(bot.store, JUNE, 'leics', DAWN.aadObjectId, now);
    expect(r.ok).toBe(true);
  });
  afterEach(() => stop());

  it('gets a nomination card for that meeting only, its lead may nominate for it, and a lead of a force neither facing nor invited may not', async () => {
    now = '2027-05-24T08:00:00.000Z'; // within the lead time of 7 June
    await bot.pass();
    const invited = southamptonCards(MARCUS_CHAT);
    expect(invited.map((c) => meetingOf(c.card))).toEqual([JUNE]);
    expect(JSON.stringify(invited[0]!.card)).toContain('Invited to this meeting only');
    // Nor is it shown the panel's earlier meetings, which it was never asked to.
    expect(JSON.stringify(invited[0]!.card)).toContain('No earlier meetings of this panel are recorded.');
    expect(cardProblems(invited[0]!.card)).toEqual([]);
    // The lead opens the form and names an attendee.
    const form = (await post(cardAction(connector.url, MARCUS, 'refreshNomination', { meetingId: JUNE, forceId: 'leics' }))).body.value;
    const data = { ...form.body.find((e: any) => e.type === 'ActionSet').actions[0].data, attendee: MARCUS.aadObjectId, role: 'Prevent lead', decisionMaker: 'true' };
    const named = await post(cardAction(connector.url, MARCUS, 'nominate', data));
    expect(JSON.stringify(named.body.value)).toContain('Named: **Marcus Reid**, Prevent lead');
    expect(await bot.store.nominations.get(JUNE, 'leics')).toMatchObject({ aadObjectId: MARCUS.aadObjectId, nominatedBy: MARCUS.aadObjectId });
    // Cambridgeshire neither faces the panel nor was invited: its lead is refused for either force.
    for (const forceId of ['cambs', 'leics']) {
      const refused = await post(cardAction(connector.url, PRIYA, 'nominate', { ...data, forceId, attendee: PRIYA.aadObjectId }));
      expect(refused.body.value).toBe(NOMINATION_POLICY.refusal);
    }
    expect(await bot.store.nominations.get(JUNE, 'cambs')).toBeNull();
    // The invited force is not asked about the panel's other meetings, and may not name anyone for them.
    const other = await post(cardAction(connector.url, MARCUS, 'nominate', { ...data, meetingId: JULY }));
    expect(other.body.value).toBe(NOMINATION_POLICY.refusal);
    now = '2027-06-21T08:00:00.000Z'; // within the lead time of 5 July
    await bot.pass();
    // Hampshire's July card goes (a delivery the nomination started may be the one to send it, so wait for it).
    await until(() => southamptonCards(CHANNEL).some((c) => meetingOf(c.card) === JULY), "Hampshire's July card");
    expect(southamptonCards(MARCUS_CHAT).map((c) => meetingOf(c.card))).toEqual([JUNE]);
    expect(await bot.store.nominations.get(JULY, 'leics')).toBeNull();
  });
});
