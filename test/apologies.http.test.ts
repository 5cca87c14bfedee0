import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { APOLOGIES_POLICY } from '../bot/routes/nomination-routes.js';
import type { Person } from '../scheduler/domain/types.js';
import { sendApologies } from '../scheduler/meetings/apologies.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import type { FakeConnector } from './support/fake-connector.js';
import { botAddedToTeam, cardAction, CHANNEL, channelMessage, DAWN, GARETH, MARCUS, NADIA, personalMessage, STRANGER, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

const JUNE = 'southampton.2027-06-07'; // Mon 7 June 2027, 10:00-12:00 local (09:00-11:00Z)
const CARD_DAY = '2027-05-24T08:00:00.000Z'; // within the lead time
const SAM: Person = { aadObjectId: '5a5a5a5a-1111-4222-8333-444455556666', name: 'Sam Price' }; // named to attend; holds no role
const DAWN_CHAT = `a:personal-${DAWN.aadObjectId}`;

describe('apologies in advance from the nomination card, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';

  /** The posted nomination card's "Send apologies" button, as the nominee (who may not nominate) sees it. */
  const apologiesButton = () => {
    const card = connector.cards().find((c) => c.conversationId === CHANNEL && JSON.stringify(c.card).includes(`"meetingId":"${JUNE}"`))!.card;
    const show = card.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions).find((a: any) => a.type === 'Action.ShowCard');
    return show.card.body.find((e: any) => e.type === 'ActionSet').actions[0];
  };
  const send = async (who: Speaker, substitute = '', data: Record<string, unknown> = apologiesButton().data) =>
    (await post(cardAction(connector.url, who, apologiesButton().verb, { ...data, substitute }))).body;
  const notes = () => connector.posts().filter((p) => /^Apologies from/.test(p.body.text ?? ''));
  const apologies = () => bot.store.chairs.apologies([JUNE]);

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await startTestBot({ now: () => now }));
    await post(personalMessage(connector.url, DAWN, 'link panel southampton'));
    await post(botAddedToTeam(connector.url, GARETH));
    await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await until(() => connector.posts().filter((p) => /Linked/.test(p.body.text ?? '')).length === 2, 'both link replies');
    const r = await nominate(bot.store, { meetingId: JUNE, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: SAM, role: 'PC', decisionMaker: false }, GARETH.aadObjectId, now);
    expect(r.ok).toBe(true);
    now = CARD_DAY;
    await bot.pass();
  });
  afterEach(() => stop());

  it("lets the nominee send apologies offering a substitute: stored, audited, told to the chair, shown on the chair's attendance card", async () => {
    const answer = await send(SAM, NADIA.aadObjectId);
    expect(answer.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(cardProblems(answer.value)).toEqual([]);
    const shown = JSON.stringify(answer.value);
    expect(shown).toContain("Apologies sent: the panel's chair will see them.");
    expect(shown).toContain('Apologies sent by Sam Price on Mon 24 May 2027; substitute offered: Nadia Rahman.');
    // The nominee may not nominate: the answer carries no nomination form.
    expect(shown).not.toContain('"verb":"nominate"');
    expect(await apologies()).toEqual([{ meetingId: JUNE, forceId: 'hampshire', sentBy: SAM, substitute: NADIA, sentAt: CARD_DAY }]);
    const audit = (await bot.store.audit.page(0, 10_000)).filter((e) => e.action === 'apologies.sent');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: SAM.aadObjectId, subject: { meetingId: JUNE, forceId: 'hampshire', panelId: 'southampton' } });
    await bot.pass();
    await until(() => notes().length === 1, 'the note to the chair');
    expect(notes().map((p) => [p.conversationId, p.body.text])).toEqual([
      [DAWN_CHAT, 'Apologies from Hampshire and Isle of Wight Constabulary for Southampton Channel panel on Mon 7 Jun 2027, 10:00–12:00: Sam Price sent apologies; substitute offered: Nadia Rahman.'],
    ]);
    const model = (await attendanceCardModel(bot.store, JUNE))!;
    expect(model.forces.find((f) => f.id === 'hampshire')!.apology).toMatchObject({ sentBy: SAM, substitute: NADIA });
  });

  it('lets a lead send them too, without a substitute, and the latest apologies stand', async () => {
    await send(SAM, NADIA.aadObjectId);
    await bot.pass();
    await until(() => notes().length === 1, "the nominee's note");
    now = '2027-05-25T08:00:00.000Z';
    const answer = await send(GARETH);
    expect(JSON.stringify(answer.value)).toContain('Apologies sent by Gareth Owen on Tue 25 May 2027; no substitute offered.');
    // A lead gets the form back as well.
    expect(JSON.stringify(answer.value)).toContain('"verb":"nominate"');
    expect(await apologies()).toEqual([expect.objectContaining({ sentBy: GARETH, substitute: null })]);
    await bot.pass();
    await until(() => notes().length === 2, "the lead's note");
    expect(notes()[1]!.body.text).toContain('Gareth Owen sent apologies; no substitute offered.');
  });

  it('tells the chair only the apologies that stand when they were sent again before the note went', async () => {
    expect((await sendApologies(bot.store, JUNE, 'hampshire', NADIA, SAM, '2027-05-24T09:00:00.000Z')).ok).toBe(true);
    expect((await sendApologies(bot.store, JUNE, 'hampshire', null, GARETH, '2027-05-24T10:00:00.000Z')).ok).toBe(true);
    now = '2027-05-24T10:00:00.000Z';
    await bot.pass();
    expect((await bot.store.outbox.list()).filter((m) => m.kind === 'apologies').map((m) => m.status)).toEqual(['skipped', 'sent']);
    expect(notes().map((p) => p.body.text)).toEqual([expect.stringContaining('Gareth Owen sent apologies; no substitute offered.')]);
  });

  it("refuses a stranger and another force's lead alike, telling them nothing and storing nothing", async () => {
    const nowhere = { ...apologiesButton().data, meetingId: 'southampton.2031-01-06' };
    for (const who of [STRANGER, MARCUS]) {
      for (const data of [apologiesButton().data, nowhere]) {
        const answer = await send(who, NADIA.aadObjectId, data);
        expect(answer.value).toBe(APOLOGIES_POLICY.refusal);
        for (const secret of ['Southampton', 'Hampshire', 'Sam Price', 'Nadia', 'Gareth', 'Dawn']) expect(JSON.stringify(answer)).not.toContain(secret);
      }
    }
    expect(connector.memberLookups).toEqual([]);
    expect(await apologies()).toEqual([]);
  });

  it('refuses apologies once the meeting has started, and a substitute Teams does not know', async () => {
    const unknown = await send(SAM, '29:1nobody-here');
    expect(JSON.stringify(unknown.value)).toContain('Apologies not sent: I could not find that person in this team');
    now = '2027-06-07T09:01:00.000Z';
    const late = await send(SAM, NADIA.aadObjectId);
    expect(JSON.stringify(late.value)).toContain('Apologies not sent: Apologies are sent before a meeting');
    expect(await apologies()).toEqual([]);
    await bot.pass();
    expect(notes()).toEqual([]);
  });
});
