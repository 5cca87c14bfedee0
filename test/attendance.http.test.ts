import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import { computeFlags } from '../scheduler/domain/flags.js';
import { nominate, nominationCardModel } from '../scheduler/nominations/nominations.js';
import { until } from './support/wait.js';
import type { FakeConnector } from './support/fake-connector.js';
import { cardAction, DAWN, GARETH, NADIA, personalMessage, STRANGER } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardProblems } from './support/validate-card.js';

const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 local (09:00-11:00Z)


describe('a chair records police attendance, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';
  /** A press on the attendance card as it now stands (its version read from the store), unless `extra` says otherwise. */
  const record = async (who = DAWN, extra: Record<string, unknown> = {}) => {
    const cardVersion = (await attendanceCardModel(bot.store, MAY))!.version;
    return post(cardAction(connector.url, who, 'recordAttendance', { meetingId: MAY, cardVersion, attended_hampshire: 'true', attendee_hampshire: NADIA.aadObjectId, decisionMaker_hampshire: 'true', ...extra }));
  };
  const attendanceCards = () => connector.cards().filter((c) => JSON.stringify(c.card).includes('Police attendance: Southampton'));

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await startTestBot({ now: () => now }));
    await post(personalMessage(connector.url, DAWN, 'link panel southampton'));
    await until(() => connector.posts().some((p) => /Linked/.test(p.body.text ?? '')), 'the link reply');
    const r = await nominate(bot.store, { meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, '2027-04-20T08:00:00.000Z');
    expect(r.ok).toBe(true);
  });
  afterEach(() => stop());

  it('sends the chair an attendance card once the meeting has ended, once', async () => {
    now = '2027-05-04T10:30:00.000Z';
    await bot.pass();
    expect(attendanceCards()).toHaveLength(0);
    now = '2027-05-04T11:05:00.000Z';
    await bot.pass();
    await bot.pass();
    expect(attendanceCards()).toHaveLength(1);
    const card = attendanceCards()[0]!;
    expect(card.conversationId).toBe(`a:personal-${DAWN.aadObjectId}`);
    expect(cardProblems(card.card)).toEqual([]);
    expect(card.card.body.find((e: any) => e.id === 'attendee_hampshire').value).toBe(NADIA.aadObjectId);
  });

  it('reminds the chair once when the record is 3 working days overdue', async () => {
    now = '2027-05-04T11:05:00.000Z';
    await bot.pass();
    const reminders = () => connector.posts().filter((p) => /police attendance at \*\*Southampton/.test(p.body.text ?? ''));
    now = '2027-05-06T12:00:00.000Z';
    await bot.pass();
    expect(reminders()).toHaveLength(0);
    now = '2027-05-07T08:00:00.000Z';
    await bot.pass();
    await bot.pass();
    expect(reminders()).toHaveLength(1);
    expect(reminders()[0]!.body.text).toContain('ATTENDANCE_UNRECORDED');
  });

  it('records the nominee, then a correction to a substitute who could not decide; every version audited, the latest counts', async () => {
    now = '2027-05-04T11:05:00.000Z';
    const first = await record();
    expect(JSON.stringify(first.body.value)).toContain('Recorded.');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ attended: true, aadObjectId: NADIA.aadObjectId, substitute: false, decisionMaker: true, version: 1 })]);
    expect((await bot.store.meetings.get(MAY))?.status).toBe('held');
    await record(DAWN, { attendee_hampshire: GARETH.aadObjectId, decisionMaker_hampshire: 'false' });
    const [latest] = await bot.store.chairs.attendance([MAY]);
    expect(latest).toMatchObject({ aadObjectId: GARETH.aadObjectId, substitute: true, decisionMaker: false, version: 2 });
    const actions = (await bot.store.audit.page(0, 100_000)).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith('attendance.'))).toEqual(['attendance.recorded', 'attendance.corrected']);
    const panel = (await bot.store.directory.getPanel('southampton'))!;
    const m = (await bot.store.meetings.get(MAY))!;
    const flags = computeFlags(panel, [{ ...m, cancelReason: null, nominations: await bot.store.nominations.listForMeetings([MAY]), attendance: [latest!] }], now).map((f) => f.code);
    expect(flags).toEqual(['NOT_DECISION_MAKER', 'SUBSTITUTE_ATTENDED']);
  });

  it('shows the next nomination card who actually attended', async () => {
    now = '2027-05-04T11:05:00.000Z';
    await record();
    const next = await nominationCardModel(bot.store, 'southampton.2027-06-07', 'hampshire', now);
    expect(next?.recent[0]).toMatchObject({ name: NADIA.name, attended: true, decisionMaker: true });
  });

  it('records that no police representative attended', async () => {
    now = '2027-05-04T11:05:00.000Z';
    await record(DAWN, { attended_hampshire: 'false', attendee_hampshire: '' });
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ attended: false, aadObjectId: null, name: null, decisionMaker: false })]);
  });

  it('refuses a stranger, a meeting not yet ended, and bad card data, changing nothing', async () => {
    now = '2027-05-04T11:05:00.000Z';
    expect((await record(STRANGER)).body.value).toBe("Only a Channel panel's chairs or a national lead can record its attendance.");
    expect(JSON.stringify((await record(DAWN, { attendee_hampshire: 'bob smith' })).body.value)).toContain('choose who attended for hampshire');
    expect(JSON.stringify((await record(DAWN, { attendee_hampshire: '29:1nobody-here' })).body.value)).toContain('could not find who attended for Hampshire and Isle of Wight Constabulary');
    expect(JSON.stringify((await record(DAWN, { attended_leics: 'true', attendee_leics: NADIA.aadObjectId })).body.value)).toContain('leics does not face');
    now = '2027-05-04T10:00:00.000Z';
    expect(JSON.stringify((await record()).body.value)).toContain('once the meeting has ended');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([]);
    expect((await bot.store.meetings.get(MAY))?.status).toBe('scheduled');
  });
  it('answers a press from an out-of-date card with the record as it stands, and changes nothing (regression: attendance carried no version)', async () => {
    now = '2027-05-04T11:05:00.000Z';
    const old = (await attendanceCardModel(bot.store, MAY))!.version;
    await record();
    const correction = { cardVersion: old, attendee_hampshire: GARETH.aadObjectId, decisionMaker_hampshire: 'false' };
    const stale = JSON.stringify((await record(DAWN, correction)).body.value);
    expect(stale).toContain('This card was out of date');
    expect(stale).toContain('Police attendance: Southampton');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ aadObjectId: NADIA.aadObjectId, version: 1 })]);
    // The same press again from the old card (Teams retries invokes) changes nothing, so it is not refused.
    expect(JSON.stringify((await record(DAWN, { cardVersion: old })).body.value)).toContain('Recorded.');
    // A card from before cards carried versions may not overwrite a record.
    expect(JSON.stringify((await record(DAWN, { cardVersion: undefined, attendee_hampshire: GARETH.aadObjectId })).body.value)).toContain('from an earlier version of the bot');
    // With the current card, the correction is recorded.
    await record(DAWN, { attendee_hampshire: GARETH.aadObjectId, decisionMaker_hampshire: 'false' });
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ aadObjectId: GARETH.aadObjectId, version: 2 })]);
  });

  it('records from a card made before cards carried versions when nothing is recorded yet', async () => {
    now = '2027-05-04T11:05:00.000Z';
    expect(JSON.stringify((await record(DAWN, { cardVersion: undefined })).body.value)).toContain('Recorded.');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ aadObjectId: NADIA.aadObjectId, version: 1 })]);
  });
});
