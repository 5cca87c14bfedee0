import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { readPanelsFile } from '../bot/panels-file.js';
import { APOLOGIES_POLICY, CONFIRM_POLICY, LINK_POLICY, NOMINATION_POLICY } from '../bot/routes/nomination-routes.js';
import { VIEW_POLICIES } from '../bot/routes/review-routes.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { queueNominationWork } from '../scheduler/nominations/nomination-jobs.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { byId, editedSample, type ConfigFile, type SampleFile } from './support/config-variant.js';
import type { FakeConnector } from './support/fake-connector.js';
import { dumpStore } from './support/store-dump.js';
import { botAddedToTeam, cardAction, CHANNEL, channelMessage, DAWN, GARETH, KIERAN, personalMessage, type Speaker } from './support/teams-activities.js';
import { heldWith, present } from './support/answers.js';
import { storeOptions } from '../scheduler/store/open-store.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { until } from './support/wait.js';

// Issue 24: a big force hands each area's panels to its own team. Hampshire's three panels: Southampton in the
// "South" area, Portsmouth in the "East" area, and the Hampshire panel in none (its cards stay in the force's channel).

const SOUTH_LEAD: Speaker = { aadObjectId: '5d1a0c1e-0001-4a00-8a00-000000000001', name: 'Sian Lloyd' };
const SOUTH_DEPUTY: Speaker = { aadObjectId: '5d1a0c1e-0002-4a00-8a00-000000000002', name: 'Ravi Patel' };
const EAST_LEAD: Speaker = { aadObjectId: '5d1a0c1e-0003-4a00-8a00-000000000003', name: 'Erin Doyle' };
const EAST_DEPUTY: Speaker = { aadObjectId: '5d1a0c1e-0004-4a00-8a00-000000000004', name: 'Owen Blake' };
const SOUTH_CHANNEL = '19:hants-south@thread.tacv2';
const EAST_CHANNEL = '19:hants-east@thread.tacv2';
const SOUTHAMPTON_MAY = 'southampton.2027-05-03'; // Tue 4 May 2027 (moved by the bank holiday)
const PORTSMOUTH_APRIL = 'portsmouth.2027-04-29'; // Thu 29 Apr 2027
const CARD_DAY = '2027-04-19T08:00:00.000Z'; // both cards are due

const areas = (south: string[], east: string[]) => (file: SampleFile) => {
  const hampshire = byId(file.forces, 'hampshire') as SampleFile['forces'][number] & { areas?: unknown[] };
  hampshire.areas = [
    { id: 'hants-south', name: 'South Hampshire', panels: south, leads: [SOUTH_LEAD], deputies: [SOUTH_DEPUTY] },
    { id: 'hants-east', name: 'East Hampshire and Portsmouth', panels: east, leads: [EAST_LEAD], deputies: [EAST_DEPUTY] },
  ];
};

/** What any activity records (the conversation, who spoke): not a decision, and not what a refusal must leave alone. */
const PRESENCE = ['conversations', 'people_seen'];

/** An activity as Teams sends it from another channel of the same team. */
const inChannel = <T extends { conversation: { id: string }; channelData: Record<string, unknown> }>(a: T, channel: string): T => ({
  ...a,
  conversation: { ...a.conversation, id: `${channel};messageid=1` },
  channelData: { ...a.channelData, channel: { id: channel } },
});

describe('a big force by area, over real HTTP', () => {
  let t: TestBot;
  let bot: RunningBot;
  let connector: FakeConnector;
  let config: ConfigFile;
  let now: string;

  const post = (a: object) => t.post(a);
  const cardsIn = (channel: string, meetingId: string) =>
    connector.cards().filter((c) => c.conversationId === channel && JSON.stringify(c.card).includes(`"meetingId":"${meetingId}"`));
  const linkIn = async (channel: string, who: Speaker, text: string) => {
    const before = connector.posts().length;
    await post(inChannel(channelMessage(connector.url, who, text), channel));
    await until(() => connector.posts().length > before, `the answer to ${text}`);
    return connector.posts().at(-1)!.body.text as string;
  };

  /** The file changed: Southampton joins the East area, and the South area goes; synced at `now`. */
  async function southamptonToEast(): Promise<void> {
    const next = editedSample((f) => {
      const hampshire = byId(f.forces, 'hampshire') as SampleFile['forces'][number] & { areas?: unknown[] };
      hampshire.areas = [{ id: 'hants-east', name: 'East Hampshire and Portsmouth', panels: ['portsmouth', 'southampton'], leads: [EAST_LEAD], deputies: [EAST_DEPUTY] }];
    });
    try {
      const parsed = await readPanelsFile(next.path);
      if (!parsed.ok) throw new Error(parsed.error.message);
      await syncPanels(bot.store, parsed.value, now);
    } finally {
      next.remove();
    }
  }

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    config = editedSample(areas(['southampton'], ['portsmouth']));
    t = await startTestBot({ now: () => now, env: { PANELS_CONFIG: config.path } });
    ({ bot, connector } = t);
    await post(botAddedToTeam(connector.url, GARETH));
    expect(await linkIn(CHANNEL, GARETH, 'link force hampshire')).toMatch(/^Linked/);
    expect(await linkIn(SOUTH_CHANNEL, SOUTH_LEAD, 'link area hants-south')).toBe(
      "Linked: nomination cards, reminders and the weekly digest of the area's panels for South Hampshire (Hampshire and Isle of Wight Constabulary) will come to this conversation.",
    );
    expect(await linkIn(EAST_CHANNEL, EAST_DEPUTY, 'link area hants-east')).toMatch(/^Linked/);
  });
  afterEach(async () => {
    await t.stop();
    config.remove();
  });

  it('lets only the area team, the force leads or a national lead link an area, and names nothing else to anyone else', async () => {
    // The South lead cannot take East's cards, and is told only of what they may link.
    const answer = await linkIn('19:elsewhere@thread.tacv2', SOUTH_LEAD, 'link area hants-east');
    expect(answer).toBe('There is no area "hants-east" that you can link. Areas you can link: South Hampshire (`link area hants-south`).');
    expect(await bot.store.teams.linkedConversation('area', 'hants-east')).toBe(EAST_CHANNEL);
    // A chair has no area to link: the route's refusal, which names no area.
    const refused = await linkIn('19:elsewhere@thread.tacv2', DAWN, 'link area hants-south');
    expect(refused).toBe(LINK_POLICY.refusal);
    expect(refused).not.toMatch(/South Hampshire|hants/);
    // An area team cannot link its whole force.
    expect(await linkIn('19:elsewhere@thread.tacv2', SOUTH_LEAD, 'link force hampshire')).toMatch(/^There is no force "hampshire" that you can link\./);
    expect(await bot.store.teams.linkedConversation('force', 'hampshire')).toBe(CHANNEL);
  });

  it("posts each panel's card in its area's channel, and a panel in no area in the force's", async () => {
    now = CARD_DAY;
    await bot.pass();
    expect(cardsIn(SOUTH_CHANNEL, SOUTHAMPTON_MAY)).toHaveLength(1);
    expect(cardsIn(EAST_CHANNEL, PORTSMOUTH_APRIL)).toHaveLength(1);
    expect([...cardsIn(CHANNEL, SOUTHAMPTON_MAY), ...cardsIn(CHANNEL, PORTSMOUTH_APRIL), ...cardsIn(EAST_CHANNEL, SOUTHAMPTON_MAY), ...cardsIn(SOUTH_CHANNEL, PORTSMOUTH_APRIL)]).toEqual([]);
    // The Hampshire panel (15 May) is in no area: its card goes to the force's channel.
    const [hampshireMay] = await bot.store.meetings.list({ panelIds: ['hampshire'], from: '2027-05-01T00:00:00Z', to: '2027-06-01T00:00:00Z' });
    now = '2027-05-03T08:00:00.000Z';
    await bot.pass();
    expect(cardsIn(CHANNEL, hampshireMay!.id)).toHaveLength(1);
    expect([...cardsIn(SOUTH_CHANNEL, hampshireMay!.id), ...cardsIn(EAST_CHANNEL, hampshireMay!.id)]).toEqual([]);
    // The area's people may edit its card (Teams refreshes it for them once it knows them).
    const card = cardsIn(SOUTH_CHANNEL, SOUTHAMPTON_MAY)[0]!.card;
    expect(card.refresh.userIds).toContain(`29:${SOUTH_LEAD.aadObjectId}`);
  });

  it('lets an area deputy act only for their own panels: every verb on another area\'s panel is refused and changes nothing', async () => {
    now = CARD_DAY;
    await bot.pass();
    const southCard = cardsIn(SOUTH_CHANNEL, SOUTHAMPTON_MAY)[0]!.card;
    const eastCard = cardsIn(EAST_CHANNEL, PORTSMOUTH_APRIL)[0]!.card;
    const data = (card: any) => card.refresh.action.data as Record<string, unknown>;
    const nominateData = (card: any) => ({ ...data(card), meetingVersion: 1, nominationVersion: 0, attendee: EAST_DEPUTY.aadObjectId, role: 'Detective Inspector', decisionMaker: 'true' });

    const before = await dumpStore(storeOptions(null, t.dir), PRESENCE);
    const press = async (verb: string, d: Record<string, unknown>) => (await post(cardAction(connector.url, EAST_DEPUTY, verb, d))).body;
    expect(JSON.stringify(await press('nominate', nominateData(southCard)))).toContain(NOMINATION_POLICY.refusal);
    expect(JSON.stringify(await press('refreshNomination', data(southCard)))).toContain(NOMINATION_POLICY.refusal);
    expect(JSON.stringify(await press('sendApologies', { ...data(southCard), substitute: '' }))).toContain(APOLOGIES_POLICY.refusal);
    expect(JSON.stringify(await press('openNomination', { meetingId: SOUTHAMPTON_MAY, forceId: 'hampshire' }))).toContain(NOMINATION_POLICY.refusal);
    const refusals = JSON.stringify(await press('nominate', nominateData(southCard)));
    expect(refusals).not.toMatch(/Southampton|South Hampshire/);
    expect(await dumpStore(storeOptions(null, t.dir), PRESENCE)).toEqual(before);

    // Their own panel: the deputy names someone, and the force's lead may too (the whole force is theirs).
    const own = await press('nominate', nominateData(eastCard));
    expect(JSON.stringify(own)).toContain('Named: **Owen Blake**');
    expect(await bot.store.nominations.get(PORTSMOUTH_APRIL, 'hampshire')).toMatchObject({ aadObjectId: EAST_DEPUTY.aadObjectId, nominatedBy: EAST_DEPUTY.aadObjectId });
    const lead = await post(cardAction(connector.url, GARETH, 'nominate', { ...nominateData(southCard), attendee: GARETH.aadObjectId }));
    expect(JSON.stringify(lead.body)).toContain('Named: **Gareth Owen**');
  });

  it("asks the area's team, not another's, to confirm the chair's record, and refuses the other area's deputy", async () => {
    now = CARD_DAY;
    await bot.pass();
    now = '2027-04-29T12:00:00.000Z'; // Portsmouth's meeting has ended
    const recorded = await recordAttendance(bot.store, PORTSMOUTH_APRIL, heldWith({ hampshire: [present(EAST_DEPUTY)] }), KIERAN.aadObjectId, now);
    expect(recorded.ok).toBe(true);
    await bot.pass();
    const confirm = connector.cards().filter((c) => JSON.stringify(c.card).includes('confirmAttendance') && JSON.stringify(c.card).includes(PORTSMOUTH_APRIL));
    expect(confirm.map((c) => c.conversationId)).toEqual([EAST_CHANNEL]);
    const action = (confirm[0]!.card.body as any[]).flatMap((e) => e.actions ?? []).find((a: any) => a.verb === 'confirmAttendance');
    const before = await dumpStore(storeOptions(null, t.dir), PRESENCE);
    const southDeputy = await post(cardAction(connector.url, SOUTH_DEPUTY, 'confirmAttendance', { ...action.data, answer: 'confirmed' }));
    expect(JSON.stringify(southDeputy.body)).toContain(CONFIRM_POLICY.refusal);
    expect(await dumpStore(storeOptions(null, t.dir), PRESENCE)).toEqual(before);
    const eastLead = await post(cardAction(connector.url, EAST_LEAD, 'confirmAttendance', { ...action.data, answer: 'confirmed' }));
    expect(JSON.stringify(eastLead.body)).toContain('Recorded: confirmed');
  });

  it("keeps a force's cards where they were posted when the force re-links its own channel (no area involved)", async () => {
    const [hampshireMay] = await bot.store.meetings.list({ panelIds: ['hampshire'], from: '2027-05-01T00:00:00Z', to: '2027-06-01T00:00:00Z' });
    now = '2027-05-03T08:00:00.000Z';
    await bot.pass();
    expect(cardsIn(CHANNEL, hampshireMay!.id)).toHaveLength(1);
    expect(await linkIn('19:hants-new@thread.tacv2', GARETH, 'link force hampshire')).toMatch(/^Linked/);
    now = '2027-05-04T08:00:00.000Z';
    await bot.pass();
    expect(cardsIn('19:hants-new@thread.tacv2', hampshireMay!.id)).toEqual([]);
    expect((await bot.store.outbox.list({ meetingId: hampshireMay!.id })).filter((m) => m.kind === 'card-moved' || m.id.includes(':g2'))).toEqual([]);
  });

  it('filters the review card by area only for whoever reads that area, and says the same for an area that does not exist', async () => {
    const press = async (who: Speaker, filterScope: string) => JSON.stringify((await post(cardAction(connector.url, who, 'reviewView', { filterScope, filterMonths: '12', page: '0' }))).body);
    const refusal = VIEW_POLICIES.card.refusal;
    expect(await press(SOUTH_DEPUTY, 'area:hants-east')).toContain(refusal);
    expect(await press(SOUTH_DEPUTY, 'area:no-such-area')).toContain(refusal);
    expect(await press(SOUTH_DEPUTY, 'area:hants-east')).not.toMatch(/East Hampshire|Portsmouth/);
    const own = await press(SOUTH_DEPUTY, 'area:hants-south');
    expect(own).not.toContain(refusal);
    expect(own).toContain('South Hampshire (Hampshire and Isle of Wight Constabulary)');
  });

  it("moves a panel's future card when the file moves it to another area, and says where on the old one", async () => {
    now = CARD_DAY;
    await bot.pass();
    const old = (await bot.store.outbox.get(`card:${SOUTHAMPTON_MAY}:hampshire`))!;
    expect(old.conversationId).toBe(SOUTH_CHANNEL);

    now = '2027-04-20T08:00:00.000Z';
    await southamptonToEast();
    await bot.pass();
    expect(cardsIn(EAST_CHANNEL, SOUTHAMPTON_MAY)).toHaveLength(1);
    const update = connector.calls.filter((c) => c.method === 'PUT' && c.activityId === old.activityId);
    expect(update).toHaveLength(1);
    expect(JSON.stringify(update[0]!.body)).toContain('This panel is now handled by East Hampshire and Portsmouth');
    expect(JSON.stringify(update[0]!.body)).not.toContain('"verb"');
    // A later change to the meeting updates the new card only; the old one keeps pointing to it.
    await bot.pass();
    expect(connector.calls.filter((c) => c.method === 'PUT' && c.activityId === old.activityId)).toHaveLength(1);
    // The South lead no longer acts for Southampton.
    const press = await post(cardAction(connector.url, SOUTH_LEAD, 'nominate', { ...(cardsIn(EAST_CHANNEL, SOUTHAMPTON_MAY)[0]!.card.refresh.action.data), meetingVersion: 1, nominationVersion: 0, attendee: SOUTH_LEAD.aadObjectId, role: 'Inspector', decisionMaker: 'true' }));
    expect(JSON.stringify(press.body)).toContain(NOMINATION_POLICY.refusal);
  });

  it('never posts a card that moved with its panel before it went out', async () => {
    now = CARD_DAY;
    await queueNominationWork(bot.store, now);
    expect((await bot.store.outbox.get(`card:${SOUTHAMPTON_MAY}:hampshire`))).toMatchObject({ status: 'pending', conversationId: SOUTH_CHANNEL });
    await southamptonToEast();
    await bot.pass();
    expect(cardsIn(SOUTH_CHANNEL, SOUTHAMPTON_MAY)).toEqual([]);
    expect(cardsIn(EAST_CHANNEL, SOUTHAMPTON_MAY)).toHaveLength(1);
    expect((await bot.store.outbox.get(`card:${SOUTHAMPTON_MAY}:hampshire`))!.status).toBe('skipped');
  });

  it('escalates two working days out to the area\'s leads first, and to the force\'s leads as well', async () => {
    for (const who of [GARETH, SOUTH_LEAD, EAST_LEAD]) await post(personalMessage(connector.url, who, 'help'));
    now = CARD_DAY;
    await bot.pass();
    now = '2027-04-30T08:00:00.000Z'; // two working days before Tue 4 May
    await bot.pass();
    const escalations = (await bot.store.outbox.list({ meetingId: SOUTHAMPTON_MAY })).filter((m) => m.kind === 'escalation');
    expect(escalations.map((m) => m.personAadObjectId).sort()).toEqual([SOUTH_LEAD.aadObjectId, GARETH.aadObjectId].sort());
    const told = (who: Speaker) => connector.posts().filter((p) => p.conversationId === `a:personal-${who.aadObjectId}` && /Southampton/.test(p.body.text ?? ''));
    expect(told(SOUTH_LEAD).map((p) => p.body.text)).toEqual([expect.stringContaining("Please name a decision maker on the card in South Hampshire's Teams channel.")]);
    expect(told(GARETH).map((p) => p.body.text)).toEqual([expect.stringContaining("Southampton Channel panel is South Hampshire's: its leads have been told too.")]);
    expect(told(EAST_LEAD)).toHaveLength(0);
  });

  it("sends each linked area its own Monday digest of its panels' flags, and the force's channel the rest", async () => {
    now = CARD_DAY;
    await bot.pass();
    now = '2027-05-03T08:30:00.000Z'; // a Monday: Portsmouth (29 Apr) passed unrecorded, nobody named for Southampton (4 May)
    await bot.pass();
    const digests = (await bot.store.outbox.list()).filter((m) => m.kind === 'digest' && m.forceId === 'hampshire' && m.id.includes('2027-05-03'));
    expect(digests.map((d) => [d.id, d.conversationId]).sort()).toEqual([
      ['digest:hampshire:2027-05-03', CHANNEL],
      ['digest:hampshire:2027-05-03:area:hants-east', EAST_CHANNEL],
      ['digest:hampshire:2027-05-03:area:hants-south', SOUTH_CHANNEL],
    ]);
    const digestIn = (channel: string) => JSON.stringify(connector.cards().filter((c) => c.conversationId === channel && JSON.stringify(c.card).includes('New compliance flags')).map((c) => c.card).at(-1));
    expect(digestIn(SOUTH_CHANNEL)).toContain('Southampton');
    expect(digestIn(SOUTH_CHANNEL)).not.toContain('Portsmouth');
    expect(digestIn(EAST_CHANNEL)).toContain('Portsmouth');
    expect(digestIn(EAST_CHANNEL)).not.toContain('Southampton');
    expect(digestIn(CHANNEL)).not.toMatch(/Southampton|Portsmouth/);
  });
});
