import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHAIR_POLICIES } from '../bot/routes/chair-routes.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import { storeOptions } from '../scheduler/store/open-store.js';
import { byId, editedSample, type ConfigFile, type SampleFile } from './support/config-variant.js';
import type { FakeConnector } from './support/fake-connector.js';
import { dumpStore } from './support/store-dump.js';
import { DAWN, GARETH, NADIA, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { until } from './support/wait.js';

// Issue 20: a Channel panel is chaired by the council, in the council's Microsoft 365 tenant; the force runs the bot
// in its own. Identity is tenant and object id. A council chair reaches the bot from a shared channel of the force's
// team (Teams Connect: their home tenant in `from`, the host's in the conversation), or as a guest in the force's
// tenant; a council person the file does not name can do nothing.

const HOME = '11111111-aaaa-4aaa-8aaa-111111111111'; // the force deployment's tenant
const COUNCIL = '22222222-bbbb-4bbb-8bbb-222222222222'; // Southampton City Council's tenant
const ELSEWHERE = '33333333-cccc-4ccc-8ccc-333333333333'; // a council tenant that chairs nothing here
const SHARED = '19:southampton-panel-shared@thread.tacv2';
const TEAM = '19:hampshire-team@thread.tacv2';
const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 local

const COUNCIL_CHAIR: Speaker = { aadObjectId: 'c0c0c0c0-0001-4c00-8c00-000000000001', name: 'Priya Nair' }; // in the council's tenant
const COUNCIL_CHAIR_GUEST: Speaker = { aadObjectId: 'c0c0c0c0-0002-4c00-8c00-000000000002', name: 'Priya Nair (guest)' }; // her guest account in the force's
const COUNCIL_OFFICER: Speaker = { aadObjectId: 'c0c0c0c0-0003-4c00-8c00-000000000003', name: 'Tom Hale' }; // same council, no role

/** Southampton's chairs: Dawn (force tenant, as before), and the council's chair under both of her identities. */
const withCouncilChair = (file: SampleFile) => {
  const southampton = byId(file.panels, 'southampton');
  southampton.chairs = [
    ...southampton.chairs,
    { aadObjectId: COUNCIL_CHAIR.aadObjectId, name: 'Priya Nair', tenantId: COUNCIL } as SampleFile['panels'][number]['chairs'][number],
    { aadObjectId: COUNCIL_CHAIR_GUEST.aadObjectId, name: 'Priya Nair' },
  ];
};

/** An activity as Teams sends it: `from` with its home tenant when given, the conversation in the host's tenant. */
function activity(serviceUrl: string, who: Speaker, where: 'shared' | 'personal', body: Record<string, unknown>, fromTenant: string | null, hostTenant = HOME) {
  return {
    channelId: 'msteams', serviceUrl, id: `act-${Math.random().toString(16).slice(2)}`, timestamp: new Date().toISOString(),
    from: { id: `29:${who.aadObjectId}`, name: who.name, aadObjectId: who.aadObjectId, ...(fromTenant ? { tenantId: fromTenant } : {}) },
    recipient: { id: '28:bot-id', name: 'Channel panel bot' },
    conversation: where === 'shared'
      ? { id: `${SHARED};messageid=1`, conversationType: 'channel', tenantId: hostTenant, isGroup: true }
      : { id: `a:personal-${who.aadObjectId}`, conversationType: 'personal', tenantId: hostTenant },
    channelData: where === 'shared' ? { tenant: { id: hostTenant }, team: { id: TEAM }, channel: { id: SHARED, type: 'shared' } } : { tenant: { id: hostTenant } },
    ...body,
  };
}

describe('a council chair in the council\'s tenant, over real HTTP', () => {
  let t: TestBot;
  let connector: FakeConnector;
  let config: ConfigFile;
  let now: string;
  const dump = () => dumpStore(storeOptions(null, t.dir), ['conversations', 'people_seen']);

  /** What `who` gets for typing `text` in the shared channel (their home tenant in `from` unless told otherwise; null: none). */
  async function say(who: Speaker, text: string, fromTenant: string | null = COUNCIL, where: 'shared' | 'personal' = 'shared', host = HOME): Promise<any> {
    const before = connector.posts().length;
    await t.post(activity(connector.url, who, where, { type: 'message', text }, fromTenant, host));
    await until(() => connector.posts().length > before, `the answer to ${text}`);
    const body = connector.posts().at(-1)!.body;
    return body.attachments?.[0]?.content ?? body.text;
  }
  const press = async (who: Speaker, verb: string, data: Record<string, unknown>, fromTenant: string | null = COUNCIL) =>
    (await t.post(activity(connector.url, who, 'shared', { type: 'invoke', name: 'adaptiveCard/action', value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } }, fromTenant))).body;
  const cancelPress = { meetingId: MAY, reason: 'no cases to discuss', note: '', versions: { [MAY]: 1 }, step: 'confirm' };
  const answered = {
    held: 'held', outcome_hampshire: 'attended', person_hampshire_1: NADIA.aadObjectId, category_hampshire_1: 'prevent-officer', role_hampshire_1: 'Detective Inspector',
    unit_hampshire_1: 'local', mode_hampshire_1: 'in-person', decision_hampshire_1: 'yes',
  };

  beforeEach(async () => {
    now = '2027-04-19T08:00:00.000Z';
    config = editedSample(withCouncilChair);
    t = await startTestBot({ now: () => now, env: { PANELS_CONFIG: config.path, HOME_TENANT_ID: HOME, PARTNER_TENANT_IDS: COUNCIL } });
    connector = t.connector;
  });
  afterEach(async () => {
    await t.stop();
    config.remove();
  });

  it('lets the council chair link the shared channel to the panel and cancel a meeting', async () => {
    expect(await say(COUNCIL_CHAIR, 'link panel southampton')).toMatch(/^Linked: chair cards for Southampton Channel panel/);
    expect(await t.bot.store.teams.linkedConversation('panel', 'southampton')).toBe(SHARED);
    const card = await say(COUNCIL_CHAIR, 'cancel');
    expect(JSON.stringify(card)).toContain('Cancel a Channel panel meeting');
    const answer = await press(COUNCIL_CHAIR, 'cancelMeeting', cancelPress);
    expect(JSON.stringify(answer)).not.toContain(CHAIR_POLICIES.changeMeeting.refusal);
    expect((await t.bot.store.meetings.get(MAY))!.status).toBe('cancelled');
    const [entry] = (await t.bot.store.audit.page(0, 100_000)).filter((e) => e.action === 'meeting.cancelled');
    expect(entry!.actor).toBe(COUNCIL_CHAIR.aadObjectId);
  });

  it('lets the council chair record attendance once the meeting has ended', async () => {
    now = '2027-05-04T12:00:00.000Z';
    const cardVersion = (await attendanceCardModel(t.bot.store, MAY))!.version;
    const answer = await press(COUNCIL_CHAIR, 'recordAttendance', { meetingId: MAY, cardVersion, ...answered });
    expect(JSON.stringify(answer)).not.toContain(CHAIR_POLICIES.recordAttendance.refusal);
    expect((await t.bot.store.chairs.attendance([MAY]))).toEqual([expect.objectContaining({ forceId: 'hampshire', recordedBy: COUNCIL_CHAIR.aadObjectId })]);
  });

  it('refuses everyone else from the council, and the chair\'s object id claimed from another tenant, changing nothing', async () => {
    await say(DAWN, 'help', null); // the bot meets the shared channel (and audits that) first
    const before = await dump();
    // Someone of the council the file does not name: a stranger, whatever they try.
    expect(await say(COUNCIL_OFFICER, 'cancel')).toBe(CHAIR_POLICIES.cancelCommand.refusal);
    expect(JSON.stringify(await press(COUNCIL_OFFICER, 'cancelMeeting', cancelPress))).toContain(CHAIR_POLICIES.changeMeeting.refusal);
    expect(await say(COUNCIL_OFFICER, 'link panel southampton')).not.toMatch(/^Linked/);
    // The chair's object id with another tenant in `from` is not the chair (identity is the pair).
    expect(JSON.stringify(await press(COUNCIL_CHAIR, 'cancelMeeting', cancelPress, ELSEWHERE))).toContain(CHAIR_POLICIES.changeMeeting.refusal);
    expect(JSON.stringify(await press(COUNCIL_CHAIR, 'cancelMeeting', cancelPress, HOME))).toContain(CHAIR_POLICIES.changeMeeting.refusal);
    expect(await dump()).toEqual(before);
    expect((await t.bot.store.meetings.get(MAY))!.status).toBe('scheduled');
  });

  it('asks Teams nothing for someone the host tenant already lets in', async () => {
    expect(JSON.stringify(await say(DAWN, 'cancel', null))).toContain('Cancel a Channel panel meeting');
    expect(connector.memberLookups).toEqual([]);
  });

  it("keeps the force's own people working, matched in the home tenant", async () => {
    const card = await say(DAWN, 'cancel', null);
    expect(JSON.stringify(card)).toContain('Cancel a Channel panel meeting');
    // A force lead from the council's tenant (same object id, other tenant) is nobody.
    expect(await say(GARETH, 'link force hampshire', COUNCIL)).not.toMatch(/^Linked/);
    expect(await say(GARETH, 'link force hampshire', null)).toMatch(/^Linked/);
  });

  it('matches the chair by her guest account in the force\'s tenant, as the file lists it', async () => {
    // A guest signs in to the host tenant: no home tenant in `from`, the conversation's is the force's.
    const answer = await press(COUNCIL_CHAIR_GUEST, 'cancelMeeting', cancelPress, null);
    expect(JSON.stringify(answer)).not.toContain(CHAIR_POLICIES.changeMeeting.refusal);
    expect((await t.bot.store.meetings.get(MAY))!.status).toBe('cancelled');
  });

  it("asks Teams for a shared channel member's home tenant when `from` does not carry it", async () => {
    connector.members.set(`29:${COUNCIL_CHAIR.aadObjectId}`, { aadObjectId: COUNCIL_CHAIR.aadObjectId, name: COUNCIL_CHAIR.name, tenantId: COUNCIL });
    const answer = await press(COUNCIL_CHAIR, 'cancelMeeting', cancelPress, null);
    // Asked of the shared channel's own members (a council member is not on the host team's roster), once refused as the host's.
    expect(connector.memberLookups[0]).toBe(`29:${COUNCIL_CHAIR.aadObjectId}`);
    expect(connector.memberLookupConversations[0]).toBe(SHARED);
    expect(JSON.stringify(answer)).not.toContain(CHAIR_POLICIES.changeMeeting.refusal);
    expect((await t.bot.store.meetings.get(MAY))!.status).toBe('cancelled');
  });
});
