import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { sendApologies } from '../scheduler/meetings/apologies.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import { answeredInputs, cardInputs } from './support/card-inputs.js';
import type { FakeConnector } from './support/fake-connector.js';
import { botAddedToTeam, cardAction, channelMessage, DAWN, GARETH, KIERAN, NADIA, STRANGER, type Speaker } from './support/teams-activities.js';
import { type TestBot } from './support/test-bot.js';
import { chairWithNominee } from './support/chair-bot.js';
import { cardProblems } from './support/validate-card.js';

// Issue 15, the chair's side: the attendance card asks every question and answers none (the nominee is only
// suggested), refuses what is unanswered and says what; records several attendees, apologies, absences and
// meetings that did not take place; asks the force to confirm a substitute; records past meetings however old,
// added ones too; and invites a force to one meeting.

const MAY = 'southampton.2027-05-03'; // Mon 3 May 2027 is a bank holiday: Tue 4 May, 10:00-12:00 local (09:00-11:00Z)
const JUNE = 'southampton.2027-06-07'; // Mon 7 June, 10:00-12:00 local
const HAMPSHIRE = 'Hampshire and Isle of Wight Constabulary';
const RECORD_REFUSAL = "Only a Channel panel's chairs or a national lead can record its attendance.";
const CHANGE_REFUSAL = "Only a Channel panel's chairs or a national lead can change its meetings.";
const SAM = { aadObjectId: '5d1f6c3e-2b7a-4c8e-9f10-3a2b1c0d9e8f', name: 'Sam Okafor' }; // a regional officer, known to the team only

/** Every question for one attendee in slot `n` of Hampshire's part of the card. */
const slot = (n: number, person: string, answers: { category: string; role: string; unit: string; mode: string; decision: string }) => ({
  [`person_hampshire_${n}`]: person, [`category_hampshire_${n}`]: answers.category, [`role_hampshire_${n}`]: answers.role,
  [`unit_hampshire_${n}`]: answers.unit, [`mode_hampshire_${n}`]: answers.mode, [`decision_hampshire_${n}`]: answers.decision,
});
const nadiaAnswers = { category: 'prevent-officer', role: 'Detective Inspector', unit: 'local', mode: 'in-person', decision: 'yes' };

describe('attendance evidence: the chair records who attended, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';
  const press = async (who: Speaker, verb: string, data: Record<string, unknown>) => (await post(cardAction(connector.url, who, verb, data))).body.value;
  /** A press on the meeting's attendance card as it now stands, with `data` as its inputs. */
  const record = async (data: Record<string, unknown>, meetingId = MAY, who = DAWN) =>
    press(who, 'recordAttendance', { meetingId, cardVersion: (await attendanceCardModel(bot.store, meetingId))!.version, ...data });
  /** Everything a refused press must leave as it was. */
  const state = async (meetingId = MAY) => ({
    // Hearing from a Teams conversation for the first time is audited too; that is not the press's doing.
    audit: (await bot.store.audit.page(0, 100_000)).filter((e) => !e.action.startsWith('conversation.')).length,
    meeting: await bot.store.meetings.get(meetingId),
    attendance: await bot.store.chairs.attendance([meetingId]),
    records: await bot.store.chairs.meetingRecords([meetingId]),
    outbox: (await bot.store.outbox.list({ meetingId })).length,
  });
  /** One of the chair's cards (record a past meeting, add one, invite a force), as its button opens it. */
  const chairCard = async (view: 'record' | 'add' | 'invite', who: Speaker = DAWN) => press(who, 'openChairCard', { view });

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await chairWithNominee(() => now));
  });
  afterEach(() => stop());

  it('asks every question with nothing chosen for the chair: only the nominee is suggested, in the first slot', async () => {
    now = '2027-05-04T11:05:00.000Z';
    const card = await press(DAWN, 'openAttendance', { meetingId: MAY });
    expect(cardProblems(card)).toEqual([]);
    const inputs = cardInputs(card);
    for (const id of ['held', 'notHeldReason', 'outcome_hampshire', 'agency_health', ...[1, 2, 3].flatMap((n) => ['category', 'role', 'unit', 'mode', 'decision'].map((f) => `${f}_hampshire_${n}`))]) {
      expect(inputs.get(id), id).toMatchObject({ value: undefined });
    }
    expect(answeredInputs(card)).toEqual({ person_hampshire_1: NADIA.aadObjectId });
    const json = JSON.stringify(card);
    // Categories in plain titles, never the stored codes; agencies behind a toggle, as counts.
    expect(json).toContain('"title":"Regional counter terrorism unit officer","value":"regional-ctu-officer"');
    expect(json).toContain('"title":"Other agencies present","targetElements":["agencies"]');
    expect(json).toContain('"title":"Add another attendee","targetElements":["slot_hampshire_2"]');
    expect(inputs.get('agency_local-authority')).toMatchObject({ type: 'Input.Number' });
  });

  it('refuses a press with nothing answered, saying what is missing for the meeting and the force, and stores nothing', async () => {
    now = '2027-05-04T11:05:00.000Z';
    const before = await state();
    // What Teams sends from the untouched card: the suggested nominee, and nothing else.
    const answer = JSON.stringify(await record({ person_hampshire_1: NADIA.aadObjectId }));
    expect(answer).toContain('Nothing was recorded. Still to answer: say whether the meeting was held or did not take place');
    expect(answer).toContain(`${HAMPSHIRE}: say whether the police attended, sent apologies or were absent without apologies`);
    expect(answer).toContain('Police attendance: Southampton');
    // Held and attended, but the attendee's questions unanswered: each is named.
    const partly = JSON.stringify(await record({ held: 'held', outcome_hampshire: 'attended', person_hampshire_1: NADIA.aadObjectId, unit_hampshire_1: 'local' }));
    // (The line is Markdown-escaped on the card, so its parentheses carry backslashes.)
    expect(partly).toContain(`${HAMPSHIRE}, ${NADIA.name}: answer role category, rank or role, in person or online, decision maker`);
    const notHeld = JSON.stringify(await record({ held: 'not-held' }));
    expect(notHeld).toContain('say why the meeting did not take place');
    expect(await state()).toEqual(before);
  });

  it('keeps every answer given in a refused press, so the chair answers only what was missing', async () => {
    now = '2027-05-04T11:05:00.000Z';
    const given = { held: 'held', outcome_hampshire: 'attended', person_hampshire_1: NADIA.aadObjectId, unit_hampshire_1: 'local', role_hampshire_1: 'Detective Inspector', agency_health: 2 };
    const refused = await record(given);
    expect(JSON.stringify(refused)).toContain('answer role category');
    expect(answeredInputs(refused)).toEqual({ ...given, agency_health: 2 });
    // A card made before the record changed is shown as the record now stands, not with the old card's answers.
    const old = (await attendanceCardModel(bot.store, MAY))!.version;
    await record({ held: 'held', outcome_hampshire: 'attended', ...slot(1, NADIA.aadObjectId, nadiaAnswers) });
    const stale = await press(DAWN, 'recordAttendance', { meetingId: MAY, cardVersion: old, held: 'held', outcome_hampshire: 'absent' });
    expect(answeredInputs(stale)).toMatchObject({ outcome_hampshire: 'attended' });
  });

  it('stores several attendees for one force exactly as answered, and shows them back as the record', async () => {
    now = '2027-05-04T11:05:00.000Z';
    connector.members.set('user-id-7', SAM);
    const answer = await record({
      held: 'held', outcome_hampshire: 'attended', 'agency_local-authority': '2', agency_health: '0',
      ...slot(1, NADIA.aadObjectId, nadiaAnswers),
      ...slot(2, GARETH.aadObjectId, { category: 'prevent-supervisor', role: 'Detective Chief Inspector', unit: 'local', mode: 'online', decision: 'unknown' }),
      ...slot(3, 'user-id-7', { category: 'regional-ctu-officer', role: 'DS (CTU South East)', unit: 'regional', mode: 'online', decision: 'no' }),
    });
    const [stored] = await bot.store.chairs.attendance([MAY]);
    expect(stored).toMatchObject({ outcome: 'attended', source: 'chair', version: 1 });
    expect(stored!.attendees).toEqual([
      { aadObjectId: NADIA.aadObjectId, tenantId: null, name: NADIA.name, roleCategory: 'prevent-officer', role: 'Detective Inspector', unit: 'local', mode: 'in-person', decisionMaker: 'yes', substitute: false },
      { aadObjectId: GARETH.aadObjectId, tenantId: null, name: GARETH.name, roleCategory: 'prevent-supervisor', role: 'Detective Chief Inspector', unit: 'local', mode: 'online', decisionMaker: 'unknown', substitute: true },
      { aadObjectId: SAM.aadObjectId, tenantId: null, name: SAM.name, roleCategory: 'regional-ctu-officer', role: 'DS (CTU South East)', unit: 'regional', mode: 'online', decisionMaker: 'no', substitute: true },
    ]);
    expect(await bot.store.chairs.meetingRecords([MAY])).toEqual([expect.objectContaining({ outcome: 'held', agencies: { 'local-authority': 2, health: 0 }, source: 'chair' })]);
    expect((await bot.store.meetings.get(MAY))?.status).toBe('held');
    // The reply is the card again, showing the record (not defaults) and every slot it fills open.
    expect(cardProblems(answer)).toEqual([]);
    expect(answeredInputs(answer)).toMatchObject({ held: 'held', outcome_hampshire: 'attended', 'agency_local-authority': 2, agency_health: 0, person_hampshire_3: SAM.aadObjectId, category_hampshire_3: 'regional-ctu-officer', decision_hampshire_2: 'unknown' });
    expect(JSON.stringify(answer)).toContain('"id":"slot_hampshire_3","isVisible":true');
    expect(JSON.stringify(answer)).toContain(`Recorded by the chair; awaiting ${HAMPSHIRE}'s confirmation.`);
  });

  it('records apologies (showing those sent in advance and the substitute offered) and an absence without apologies', async () => {
    now = '2027-04-28T09:00:00.000Z';
    expect((await sendApologies(bot.store, MAY, 'hampshire', GARETH, NADIA, now)).ok).toBe(true);
    now = '2027-05-04T11:05:00.000Z';
    const card = JSON.stringify(await press(DAWN, 'openAttendance', { meetingId: MAY }));
    expect(card).toContain(`Apologies sent in advance by ${NADIA.name} on Wed 28 Apr 2027; substitute offered: ${GARETH.name}.`);
    expect(card).toContain(`"title":"${GARETH.name}","value":"${GARETH.aadObjectId}"`);
    await record({ held: 'held', outcome_hampshire: 'apologies', person_hampshire_1: NADIA.aadObjectId });
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ outcome: 'apologies', attendees: [], forceConfirmation: 'not-needed', version: 1 })]);
    await record({ held: 'held', outcome_hampshire: 'absent' });
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ outcome: 'absent', attendees: [], version: 2 })]);
    // Naming someone while saying the police did not attend is a contradiction, refused.
    expect(JSON.stringify(await record({ held: 'held', outcome_hampshire: 'absent', ...slot(1, GARETH.aadObjectId, nadiaAnswers) }))).toContain(`${HAMPSHIRE}: you named attendees but said the police did not attend`);
  });

  it('records a meeting that did not take place, with why and the agencies present, and clears the police records', async () => {
    now = '2027-05-04T11:05:00.000Z';
    await record({ held: 'held', outcome_hampshire: 'attended', ...slot(1, NADIA.aadObjectId, nadiaAnswers) });
    expect(await bot.store.chairs.attendance([MAY])).toHaveLength(1);
    const answer = await record({ held: 'not-held', notHeldReason: 'not quorate', 'agency_local-authority': '1', agency_education: '1', outcome_hampshire: 'attended', person_hampshire_1: NADIA.aadObjectId });
    expect((await bot.store.meetings.get(MAY))?.status).toBe('not-held');
    expect(await bot.store.chairs.attendance([MAY])).toEqual([]);
    expect(await bot.store.chairs.meetingRecords([MAY])).toEqual([expect.objectContaining({ outcome: 'not-held', notHeldReason: 'not quorate', agencies: { 'local-authority': 1, education: 1 } })]);
    expect(JSON.stringify(answer)).toContain('On record: the meeting did not take place (not quorate)');
    expect(answeredInputs(answer)).toMatchObject({ held: 'not-held', notHeldReason: 'not quorate' });
    // A reminder due after that is not sent: the meeting is recorded.
    now = '2027-05-10T08:00:00.000Z';
    await bot.pass();
    await bot.pass();
    expect(connector.posts().filter((p) => /has not been recorded yet/.test(p.body.text ?? ''))).toEqual([]);
  });

  it('asks the force to confirm a substitute: the record is pending and a confirm-attendance message is queued', async () => {
    await post(botAddedToTeam(connector.url, GARETH));
    await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    now = '2027-05-04T11:05:00.000Z';
    await record({ held: 'held', outcome_hampshire: 'attended', ...slot(1, GARETH.aadObjectId, { ...nadiaAnswers, decision: 'no' }) });
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ forceConfirmation: 'pending', attendees: [expect.objectContaining({ substitute: true })] })]);
    expect((await bot.store.outbox.list({ meetingId: MAY })).filter((m) => m.kind === 'confirm-attendance')).toEqual([expect.objectContaining({ forceId: 'hampshire', id: `confirm:${MAY}:hampshire:v1` })]);
    // The nominee recorded as a decision maker the force confirmed needs no confirmation.
    await record({ held: 'held', outcome_hampshire: 'attended', ...slot(1, NADIA.aadObjectId, nadiaAnswers) });
    expect(await bot.store.chairs.attendance([MAY])).toEqual([expect.objectContaining({ forceConfirmation: 'not-needed', version: 2 })]);
  });

  it('refuses a press from a card made before the record changed, and changes nothing', async () => {
    now = '2027-05-04T11:05:00.000Z';
    const old = (await attendanceCardModel(bot.store, MAY))!.version;
    await record({ held: 'held', outcome_hampshire: 'attended', ...slot(1, NADIA.aadObjectId, nadiaAnswers) });
    const before = await state();
    const stale = JSON.stringify(await press(DAWN, 'recordAttendance', { meetingId: MAY, cardVersion: old, held: 'held', outcome_hampshire: 'absent' }));
    expect(stale).toContain('This card was out of date');
    expect(await state()).toEqual(before);
  });

  it('records a planned meeting from months ago, opened from the chair card, for its chair only', async () => {
    now = '2027-11-15T10:00:00.000Z';
    const card = await chairCard('record');
    expect(cardProblems(card)).toEqual([]);
    const past = cardInputs(card);
    expect(past.has('pastMeetingId')).toBe(true);
    const choices = JSON.stringify(card.body.find((e: any) => e.id === 'pastMeetingId').choices);
    // Newest first, unrecorded ones marked.
    expect(choices.indexOf('Mon 1 Nov 2027')).toBeLessThan(choices.indexOf('Tue 4 May 2027'));
    expect(choices).toContain(`"title":"Southampton Channel panel: Tue 4 May 2027 (not recorded)","value":"${MAY}"`);
    expect(JSON.stringify(card)).toMatch(/"verb":"openAttendance","data":\{"pastMeetingId":""\}/);
    for (const who of [STRANGER, KIERAN]) expect(await press(who, 'openAttendance', { pastMeetingId: MAY })).toBe(RECORD_REFUSAL);
    // The cancel list's own meeting choice is sent too: the past-meeting list's choice is the one opened.
    const opened = JSON.stringify(await press(DAWN, 'openAttendance', { meetingId: 'southampton.2027-12-06', pastMeetingId: MAY }));
    expect(opened).toContain('Police attendance: Southampton');
    expect(opened).toContain('Tue 4 May 2027, 10:00');
    expect(JSON.stringify(await press(DAWN, 'openAttendance', { pastMeetingId: '' }))).toContain('Not opened: choose a meeting');
    expect(JSON.stringify(await press(DAWN, 'openAttendance', { meetingId: 'southampton.2027-12-06' }))).toContain('once the meeting has ended');
    await record({ held: 'held', outcome_hampshire: 'attended', ...slot(1, NADIA.aadObjectId, nadiaAnswers) });
    expect((await bot.store.meetings.get(MAY))?.status).toBe('held');
    expect(JSON.stringify((await chairCard('record')).body.find((e: any) => e.id === 'pastMeetingId').choices)).toContain(`"title":"Southampton Channel panel: Tue 4 May 2027","value":"${MAY}"`);
  });

  it('adds an extra meeting that already took place and answers with its attendance card; not more than 7 years back', async () => {
    now = '2027-11-15T10:00:00.000Z';
    const add = async (date: string, time: string) => {
      const card = JSON.stringify(await chairCard('add'));
      const data = JSON.parse(card.match(/"verb":"addMeeting","data":(\{[^}]*\}[^}]*\})/)![1]!);
      return press(DAWN, 'addMeeting', { ...data, panelId: 'southampton', extraDate: date, extraTime: time, step: 'confirm' });
    };
    const answer = await add('2027-07-14', '14:00');
    expect(cardProblems(answer)).toEqual([]);
    expect(JSON.stringify(answer)).toContain('Saved: extra Southampton Channel panel meeting added, Wed 14 Jul 2027, 14:00–16:00. It has already ended: record what happened below.');
    expect(JSON.stringify(answer)).toContain('Wed 14 Jul 2027, 14:00–16:00');
    const id = 'southampton.2027-07-14.extra-1400';
    expect(await bot.store.meetings.get(id)).toMatchObject({ extra: true, status: 'scheduled', start: '2027-07-14T13:00:00.000Z' });
    expect((await bot.store.audit.page(0, 100_000)).filter((e) => e.action === 'meeting.added')).toHaveLength(1);
    await record({ held: 'held', outcome_hampshire: 'absent' }, id);
    expect((await bot.store.meetings.get(id))?.status).toBe('held');
    expect(JSON.stringify(await add('2020-07-14', '14:00'))).toContain('Not added: An extra meeting can be at most 7 years back.');
    // One in progress is added as a meeting, to be recorded when it ends.
    expect(JSON.stringify(await add('2027-11-15', '09:30'))).toContain('Saved: extra Southampton Channel panel meeting added, Mon 15 Nov 2027, 09:30');
  });

  it('invites a force to one meeting: it appears on that meeting\'s attendance card only; a stranger is refused and learns nothing', async () => {
    now = '2027-05-20T08:00:00.000Z';
    const card = await chairCard('invite');
    expect(cardProblems(card)).toEqual([]);
    const forces = card.body.find((e: any) => e.id === 'forceId').choices.map((c: any) => c.value);
    expect(forces).toContain('leics');
    expect(forces).not.toContain('hampshire');
    const before = await state(JUNE);
    for (const who of [STRANGER, KIERAN]) {
      expect(await press(who, 'inviteForce', { meetingId: JUNE, forceId: 'leics' })).toBe(CHANGE_REFUSAL);
      expect(await press(who, 'inviteForce', { meetingId: 'southampton.2031-01-06', forceId: 'leics' })).toBe(CHANGE_REFUSAL);
    }
    expect(await state(JUNE)).toEqual(before);
    const answer = JSON.stringify(await press(DAWN, 'inviteForce', { meetingId: JUNE, forceId: 'leics', versions: { [JUNE]: 1 } }));
    expect(answer).toContain('Saved: Leicestershire Police invited to Southampton Channel panel, Mon 7 Jun 2027, 10:00–12:00.');
    expect(await bot.store.chairs.invitations([JUNE])).toEqual([expect.objectContaining({ forceId: 'leics', invitedBy: DAWN.aadObjectId })]);
    expect(JSON.stringify(await press(DAWN, 'inviteForce', { meetingId: JUNE, forceId: 'hampshire' }))).toContain(`Not invited: ${HAMPSHIRE} already faces Southampton Channel panel`);
    expect(JSON.stringify(await press(DAWN, 'inviteForce', { meetingId: JUNE }))).toContain('Not invited: choose a force');
    now = '2027-06-07T12:00:00.000Z';
    const june = JSON.stringify(await press(DAWN, 'openAttendance', { meetingId: JUNE }));
    expect(june).toContain('Leicestershire Police (invited to this meeting)');
    expect(june).toContain('"id":"outcome_leics"');
    const may = JSON.stringify(await press(DAWN, 'openAttendance', { meetingId: MAY }));
    expect(may).not.toContain('Leicestershire');
    expect(JSON.stringify(await record({ held: 'held', outcome_hampshire: 'absent' }, JUNE))).toContain('Leicestershire Police: say whether the police attended');
  });
});
