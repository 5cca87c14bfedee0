import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { heldWith, present } from './support/answers.js';
import { answeredInputs, cardInputs } from './support/card-inputs.js';
import type { FakeConnector } from './support/fake-connector.js';
import { cardAction, DAWN, GARETH, NADIA } from './support/teams-activities.js';
import { type TestBot } from './support/test-bot.js';
import { chairWithNominee } from './support/chair-bot.js';
import { cardProblems } from './support/validate-card.js';

// Review M2: correcting a record on the chair's card must not drop attendees it does not show as a picked person:
// those past the card's usual three slots, and an import's people known by name alone (no Teams account).

const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 local (09:00-11:00Z)
const HAMPSHIRE = 'Hampshire and Isle of Wight Constabulary';
const PRIYA = { aadObjectId: '0f6c1a52-8d3e-4b7a-9c21-6e5d4f3a2b10', name: 'Priya Shah' };
const TOM = { aadObjectId: '7a2e9c14-3b5d-4f6e-8a17-2c9d0e1f4b63', name: 'Tom Reid' };
const SAM_COLE = { aadObjectId: null, name: 'Sam Cole' };
const SAM_LINE = "Sam Cole (imported, no Teams account): regional counter terrorism unit officer, DC, regional unit, online; decision maker: don't know";

/** The card's Action.Execute data (meeting, card version and anything else the card says of itself). */
const actionData = (card: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(card).match(/"verb":"recordAttendance","data":(\{[^}]*(\{[^}]*\})?[^}]*\})/)![1]!);

describe('correcting attendance on the chair\'s card keeps every attendee it does not change, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';
  const press = async (verb: string, data: Record<string, unknown>) => (await post(cardAction(connector.url, DAWN, verb, data))).body.value;
  const open = () => press('openAttendance', { meetingId: MAY });
  /** What Teams sends from `card` left as it shows, with `changes` made by the chair. */
  const submit = async (card: unknown, changes: Record<string, unknown>) => press('recordAttendance', { ...answeredInputs(card), ...actionData(card), ...changes });
  const state = async () => ({
    attendance: await bot.store.chairs.attendance([MAY]),
    records: await bot.store.chairs.meetingRecords([MAY]),
    audit: (await bot.store.audit.page(0, 100_000)).filter((e) => !e.action.startsWith('conversation.')).length,
  });

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await chairWithNominee(() => now));
    now = '2027-05-04T11:05:00.000Z';
    // An imported past: five people for Hampshire, the last known by name alone.
    const imported = heldWith({
      hampshire: [
        present(NADIA), present(GARETH, 'no'), present(PRIYA, 'unknown', { mode: 'online' }), present(TOM, 'no', { unit: 'regional' }),
        present(NADIA, 'unknown', { person: SAM_COLE, roleCategory: 'regional-ctu-officer', role: 'DC', unit: 'regional', mode: 'online' }),
      ],
    }, { health: 1 });
    expect((await recordAttendance(bot.store, MAY, imported, 'system', now, { source: 'import' })).ok).toBe(true);
  });
  afterEach(() => stop());

  it('shows every attendee: one slot each for those with a Teams account, a kept line for the name-only one', async () => {
    const card = await open();
    expect(cardProblems(card)).toEqual([]);
    expect(answeredInputs(card)).toMatchObject({
      outcome_hampshire: 'attended', person_hampshire_1: NADIA.aadObjectId, person_hampshire_2: GARETH.aadObjectId, person_hampshire_3: PRIYA.aadObjectId,
      person_hampshire_4: TOM.aadObjectId, unit_hampshire_4: 'regional', mode_hampshire_3: 'online',
    });
    const json = JSON.stringify(card);
    expect(json).toContain('"id":"slot_hampshire_4","isVisible":true');
    expect(json).toContain(SAM_LINE);
    expect(json).toContain('kept as they are while the police are recorded as attended; recording apologies or an absence removes them. Someone without a Teams account can be changed only by a new import.');
    // Nothing about Sam Cole is an input: there is nothing for the chair to lose by leaving it alone.
    expect([...cardInputs(card).values()].map((i) => i.value)).not.toContain('DC');
  });

  it('changing only an agency count keeps all five attendees as they were', async () => {
    const before = await bot.store.chairs.attendance([MAY]);
    expect(before[0]!.attendees).toHaveLength(5);
    const answer = await submit(await open(), { agency_health: '3' });
    expect(JSON.stringify(answer)).toContain('Recorded.');
    expect(await bot.store.chairs.attendance([MAY])).toEqual(before);
    expect(await bot.store.chairs.meetingRecords([MAY])).toEqual([expect.objectContaining({ agencies: { health: 3 }, source: 'chair' })]);
    // The card it answers with still shows them all.
    expect(JSON.stringify(answer)).toContain(SAM_LINE);
    expect(answeredInputs(answer)).toMatchObject({ person_hampshire_4: TOM.aadObjectId, agency_health: 3 });
  });

  it('a correction to one attendee keeps the name-only one unchanged', async () => {
    await submit(await open(), { decision_hampshire_3: 'yes' });
    const [after] = await bot.store.chairs.attendance([MAY]);
    expect(after).toMatchObject({ source: 'chair', version: 2 });
    expect(after!.attendees).toHaveLength(5);
    expect(after!.attendees.find((a) => a.aadObjectId === PRIYA.aadObjectId)).toMatchObject({ decisionMaker: 'yes' });
    expect(after!.attendees.find((a) => a.aadObjectId === null)).toMatchObject({
      name: 'Sam Cole', roleCategory: 'regional-ctu-officer', role: 'DC', unit: 'regional', mode: 'online', decisionMaker: 'unknown',
    });
  });

  it('refuses a slot with answers but nobody picked, naming the force and the slot, and stores nothing', async () => {
    const before = await state();
    const card = await open();
    // The picker cleared, the slot's other answers left (a category cannot be unchosen in Teams).
    const answer = JSON.stringify(await submit(card, { person_hampshire_2: '' }));
    expect(answer).toContain(`Nothing was recorded: ${HAMPSHIRE}, attendee 2: pick who attended, or clear that attendee's answers.`);
    // A rank or role alone describes someone too.
    expect(JSON.stringify(await submit(card, { person_hampshire_5: '', role_hampshire_5: 'PC' }))).toContain(`${HAMPSHIRE}, attendee 5: pick who attended`);
    expect(await state()).toEqual(before);
  });

  it('takes a slot whose only answers are radio buttons as unused: Teams cannot unchoose them', async () => {
    const card = await open();
    const answer = await submit(card, { agency_health: '2', unit_hampshire_5: 'local', mode_hampshire_5: 'online', decision_hampshire_5: 'no' });
    expect(JSON.stringify(answer)).toContain('Recorded.');
    expect((await bot.store.chairs.attendance([MAY]))[0]!.attendees).toHaveLength(5);
  });

  it('recording apologies instead removes them all, the name-only one too', async () => {
    const card = await open();
    // The chair clears the pickers; the other answers cannot all be cleared and are not refused, as nobody attended.
    const cleared = Object.fromEntries([1, 2, 3, 4].map((n) => [`person_hampshire_${n}`, '']));
    const answer = await submit(card, { outcome_hampshire: 'apologies', ...cleared });
    expect(JSON.stringify(answer)).toContain('Recorded.');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ outcome: 'apologies', attendees: [], version: 2 })]);
    expect(JSON.stringify(answer)).not.toContain('Sam Cole');
  });

  it('keeps the attendees a card too large for them all showed as lines (its data says how many were in slots)', async () => {
    const card = await open();
    const withoutSlots34 = Object.fromEntries(Object.entries(answeredInputs(card)).filter(([k]) => !/_hampshire_[34]$/.test(k)));
    const before = await bot.store.chairs.attendance([MAY]);
    const version = (await attendanceCardModel(bot.store, MAY))!.version;
    const base = { ...withoutSlots34, meetingId: MAY, cardVersion: version, inSlots: { hampshire: 2 } };
    expect(JSON.stringify(await press('recordAttendance', { ...base, agency_health: '4' }))).toContain('Recorded.');
    expect(await bot.store.chairs.attendance([MAY])).toEqual(before);
    // One of them picked in a free slot is answered there, not kept twice.
    const version2 = (await attendanceCardModel(bot.store, MAY))!.version;
    const tom = { person_hampshire_3: TOM.aadObjectId, category_hampshire_3: 'prevent-officer', role_hampshire_3: 'DS', unit_hampshire_3: 'local', mode_hampshire_3: 'online', decision_hampshire_3: 'yes' };
    expect(JSON.stringify(await press('recordAttendance', { ...base, cardVersion: version2, agency_health: '4', ...tom }))).toContain('Recorded.');
    const [after] = await bot.store.chairs.attendance([MAY]);
    expect(after!.attendees.map((a) => a.name).sort()).toEqual([GARETH.name, NADIA.name, PRIYA.name, 'Sam Cole', TOM.name]);
    expect(after!.attendees.find((a) => a.aadObjectId === TOM.aadObjectId)).toMatchObject({ unit: 'local', decisionMaker: 'yes' });
  });
});
