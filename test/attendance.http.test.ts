import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import { computeFlags } from '../scheduler/domain/flags.js';
import { nominationCardModel } from '../scheduler/nominations/nominations.js';
import type { FakeConnector } from './support/fake-connector.js';
import { cardAction, DAWN, GARETH, NADIA, STRANGER } from './support/teams-activities.js';
import { type TestBot } from './support/test-bot.js';
import { chairWithNominee } from './support/chair-bot.js';
import { cardProblems } from './support/validate-card.js';
import { answeredInputs, cardInputs } from './support/card-inputs.js';

const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 local (09:00-11:00Z)
const HAMPSHIRE = 'Hampshire and Isle of Wight Constabulary';

/** Every question of the card answered for Hampshire's first attendee: the nominee, a decision maker. */
const answered = (person = NADIA.aadObjectId, decision = 'yes') => ({
  held: 'held', outcome_hampshire: 'attended', person_hampshire_1: person, category_hampshire_1: 'prevent-officer', role_hampshire_1: 'Detective Inspector',
  unit_hampshire_1: 'local', mode_hampshire_1: 'in-person', decision_hampshire_1: decision,
});

describe('a chair records police attendance, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';
  /** A press on the attendance card as it now stands (its version read from the store), with `data` as its inputs. */
  const record = async (who = DAWN, data: Record<string, unknown> = answered()) => {
    const cardVersion = (await attendanceCardModel(bot.store, MAY))!.version;
    return post(cardAction(connector.url, who, 'recordAttendance', { meetingId: MAY, cardVersion, ...data }));
  };
  const attendanceCards = () => connector.cards().filter((c) => JSON.stringify(c.card).includes('Police attendance: Southampton'));

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await chairWithNominee(() => now));
  });
  afterEach(() => stop());

  it('sends the chair an attendance card once the meeting has ended, once, suggesting only the nominee', async () => {
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
    // Nothing answered for the chair: the only value on the card is the nominee suggested in the first picker.
    expect(answeredInputs(card.card)).toEqual({ person_hampshire_1: NADIA.aadObjectId });
    expect([...cardInputs(card.card).keys()]).toEqual(expect.arrayContaining(['held', 'notHeldReason', 'outcome_hampshire', 'decision_hampshire_1', 'person_hampshire_3']));
  });

  it('reminds the chair once when the record is 3 working days overdue, in words and not a code', async () => {
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
    expect(reminders()[0]!.body.text).toContain('It shows as not recorded in the review until it is.');
    expect(reminders()[0]!.body.text).not.toMatch(/[A-Z]{3,}_[A-Z]{3,}/);
  });

  it('records the nominee, then a correction to a substitute who could not decide; every version audited, the latest counts', async () => {
    now = '2027-05-04T11:05:00.000Z';
    const first = await record();
    expect(JSON.stringify(first.body.value)).toContain('Recorded.');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([
      expect.objectContaining({ outcome: 'attended', attendees: [expect.objectContaining({ aadObjectId: NADIA.aadObjectId, substitute: false, decisionMaker: 'yes' })], source: 'chair', version: 1 }),
    ]);
    expect((await bot.store.meetings.get(MAY))?.status).toBe('held');
    await record(DAWN, answered(GARETH.aadObjectId, 'no'));
    const [latest] = await bot.store.chairs.attendance([MAY]);
    expect(latest).toMatchObject({ attendees: [expect.objectContaining({ aadObjectId: GARETH.aadObjectId, substitute: true, decisionMaker: 'no' })], version: 2 });
    const actions = (await bot.store.audit.page(0, 100_000)).map((e) => e.action);
    expect(actions.filter((a) => a.startsWith('attendance.'))).toEqual(['attendance.recorded', 'attendance.corrected']);
    const panel = (await bot.store.directory.getPanel('southampton'))!;
    const m = (await bot.store.meetings.get(MAY))!;
    const flags = computeFlags(panel, [{ ...m, cancelReason: null, nominations: await bot.store.nominations.listForMeetings([MAY]), attendance: [latest!], invited: [] }], now).map((f) => f.code);
    expect(flags).toEqual(['NOT_DECISION_MAKER']);
  });

  it('shows the next nomination card who actually attended', async () => {
    now = '2027-05-04T11:05:00.000Z';
    await record();
    const next = await nominationCardModel(bot.store, 'southampton.2027-06-07', 'hampshire', now);
    expect(next?.recent[0]).toMatchObject({ name: NADIA.name, attended: true, decisionMaker: true });
  });

  it('records that no police representative attended, the suggested nominee left in the picker', async () => {
    now = '2027-05-04T11:05:00.000Z';
    await record(DAWN, { held: 'held', outcome_hampshire: 'absent', person_hampshire_1: NADIA.aadObjectId });
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ outcome: 'absent', attendees: [] })]);
  });

  it('refuses a stranger, a meeting not yet ended, and bad card data, changing nothing', async () => {
    now = '2027-05-04T11:05:00.000Z';
    expect((await record(STRANGER)).body.value).toBe("Only a Channel panel's chairs or a national lead can record its attendance.");
    expect(JSON.stringify((await record(DAWN, { ...answered(), person_hampshire_1: 'bob smith' })).body.value)).toContain(`${HAMPSHIRE}, attendee 1: choose who attended from the list`);
    expect(JSON.stringify((await record(DAWN, { ...answered(), unit_hampshire_1: 'national' })).body.value)).toContain(`${HAMPSHIRE}, attendee 1: choose local force or regional unit`);
    expect(JSON.stringify((await record(DAWN, { ...answered(), outcome_hampshire: 'sort of' })).body.value)).toContain(`${HAMPSHIRE}: choose attended, sent apologies or absent without apologies`);
    expect(JSON.stringify((await record(DAWN, { ...answered(), role_hampshire_1: 'x'.repeat(81) })).body.value)).toContain('keep the rank or role under 80 characters');
    expect(JSON.stringify((await record(DAWN, { ...answered(), agency_health: 'lots' })).body.value)).toContain('give other agencies present as whole numbers from 0 to 99');
    expect(JSON.stringify((await record(DAWN, { ...answered(), held: 'maybe' })).body.value)).toContain('say whether the meeting was held or did not take place');
    expect(JSON.stringify((await record(DAWN, { ...answered(), person_hampshire_1: '29:1nobody-here' })).body.value)).toContain(`could not find attendee 1 for ${HAMPSHIRE}`);
    expect(JSON.stringify((await record(DAWN, { ...answered(), outcome_leics: 'absent' })).body.value)).toContain('leics is not asked to this meeting');
    now = '2027-05-04T10:00:00.000Z';
    expect(JSON.stringify((await record()).body.value)).toContain('once the meeting has ended');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([]);
    expect(await bot.store.chairs.meetingRecords([MAY])).toEqual([]);
    expect((await bot.store.meetings.get(MAY))?.status).toBe('scheduled');
  });

  it('tells the panel\'s chair, and no one else, that a meeting it read before is gone once it is deleted', async () => {
    const JUNE = 'southampton.2027-06-07'; // to come, nobody named: re-planning may delete it
    const press = (who = DAWN) => post(cardAction(connector.url, who, 'recordAttendance', { meetingId: JUNE, cardVersion: 1, ...answered() }));
    expect(JSON.stringify((await press()).body.value)).toContain('Police attendance: Southampton');
    await bot.store.meetings.deleteMany([JUNE]);
    expect((await press()).body.value).toBe('That meeting is not known to this bot.');
    expect((await press(STRANGER)).body.value).toBe("Only a Channel panel's chairs or a national lead can record its attendance.");
    expect((await press(GARETH)).body.value).toBe("Only a Channel panel's chairs or a national lead can record its attendance.");
    expect(await bot.store.chairs.meetingRecords([JUNE])).toEqual([]);
  });

  it('answers a press from an out-of-date card with the record as it stands, and changes nothing (regression: attendance carried no version)', async () => {
    now = '2027-05-04T11:05:00.000Z';
    const old = (await attendanceCardModel(bot.store, MAY))!.version;
    await record();
    const stale = JSON.stringify((await record(DAWN, { ...answered(GARETH.aadObjectId, 'no'), cardVersion: old })).body.value);
    expect(stale).toContain('This card was out of date');
    expect(stale).toContain('Police attendance: Southampton');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ attendees: [expect.objectContaining({ aadObjectId: NADIA.aadObjectId })], version: 1 })]);
    // The same press again from the old card (Teams retries invokes) changes nothing, so it is not refused.
    expect(JSON.stringify((await record(DAWN, { ...answered(), cardVersion: old })).body.value)).toContain('Recorded.');
    // A card from before cards carried versions may not overwrite a record.
    expect(JSON.stringify((await record(DAWN, { ...answered(GARETH.aadObjectId), cardVersion: undefined })).body.value)).toContain('from an earlier version of the bot');
    // With the current card, the correction is recorded.
    await record(DAWN, answered(GARETH.aadObjectId, 'no'));
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ attendees: [expect.objectContaining({ aadObjectId: GARETH.aadObjectId })], version: 2 })]);
  });

  it('records from a card made before cards carried versions when nothing is recorded yet', async () => {
    now = '2027-05-04T11:05:00.000Z';
    expect(JSON.stringify((await record(DAWN, { ...answered(), cardVersion: undefined })).body.value)).toContain('Recorded.');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ version: 1 })]);
  });
});
