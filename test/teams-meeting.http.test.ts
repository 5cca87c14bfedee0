import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import { answeredInputs } from './support/card-inputs.js';
import type { FakeConnector } from './support/fake-connector.js';
import { meetingChatMessage, meetingEnd, meetingStart, MEETING_CHAT, participantsJoin, participantsLeave, TEAMS_MEETING_ID } from './support/meeting-activities.js';
import { cardAction, DAWN, GARETH, MARCUS, NADIA, personalMessage, STRANGER, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

// Issue 20, item 4: a panel meeting held in Teams. The chair links the Teams meeting from its chat; its events say
// who the bot knows joined and for how long; at its end the chair's attendance card shows that as a suggestion with
// nothing answered; recording attendance deletes the join times.

const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 local (09:00-11:00Z)
const PANEL = 'Southampton Channel panel';
// Someone in the Teams meeting whom the bot does not know (a council officer, say): never stored, never shown.
const VISITOR: Speaker = { aadObjectId: 'c0ffee00-1234-4abc-8def-0123456789ab', name: 'Vera Visitor' };
const at = (hhmm: string) => `2027-05-04T${hhmm}:00.000Z`;

describe('a panel meeting held in Teams, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';
  /** What the bot answered in the meeting's chat to the last thing typed there. */
  const sayInMeeting = async (who: Speaker, text: string) => {
    const before = connector.posts().length;
    await post(meetingChatMessage(connector.url, who, text));
    await until(() => connector.posts().length > before, `the answer to ${text}`);
    return String(connector.posts().at(-1)!.body.text ?? '');
  };
  const state = async () => ({
    audit: (await bot.store.audit.page(0, 100_000)).filter((e) => !e.action.startsWith('conversation.')).map((e) => e.action),
    link: await bot.store.meetingPresence!.linkOf(TEAMS_MEETING_ID),
  });
  const attendanceCards = () => connector.cards().filter((c) => JSON.stringify(c.card).includes(`Police attendance: ${PANEL}`));

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await startTestBot({ now: () => now }));
    await post(personalMessage(connector.url, DAWN, 'link panel southampton'));
    await until(() => connector.posts().some((p) => /Linked/.test(p.body.text ?? '')), 'the link reply');
  });
  afterEach(() => stop());

  it('links the Teams meeting for the panel\'s chair, audited, and says where to type it elsewhere', async () => {
    expect(await sayInMeeting(DAWN, 'link meeting')).toBe('Say which panel this Teams meeting is for. Panels you can link: Southampton Channel panel (`link meeting southampton`).');
    const answer = await sayInMeeting(DAWN, 'link meeting southampton');
    expect(answer).toMatch(/^Linked: this Teams meeting is now Southampton Channel panel's\./);
    expect(await bot.store.meetingPresence!.linkOf(TEAMS_MEETING_ID)).toMatchObject({ panelId: 'southampton', conversationId: MEETING_CHAT, meetingId: null, linkedBy: DAWN.aadObjectId });
    const entry = (await bot.store.audit.page(0, 1000)).find((e) => e.action === 'meeting.linked');
    expect(entry).toMatchObject({ actor: DAWN.aadObjectId, subject: { panelId: 'southampton', conversationId: MEETING_CHAT }, details: {} });

    const before = connector.posts().length;
    await post(personalMessage(connector.url, DAWN, 'link meeting southampton'));
    await until(() => connector.posts().length > before, 'the answer in a personal chat');
    expect(connector.posts().at(-1)!.body.text).toMatch(/^Type `link meeting` \*panel id\* in the chat of the panel's Teams meeting/);
  });

  it('refuses a stranger and a lead of another force, changing nothing and naming nothing they may not link', async () => {
    const before = await state();
    const stranger = await sayInMeeting(STRANGER, 'link meeting southampton');
    expect(stranger).toBe("Only a Channel panel's chairs, the Prevent leads and deputies of a force it faces (or of its area that handles the panel) and national leads can link a Teams meeting to it.");
    // Marcus leads Leicestershire, which Southampton does not face: a real panel reads as one that does not exist.
    const real = await sayInMeeting(MARCUS, 'link meeting southampton');
    const made = await sayInMeeting(MARCUS, 'link meeting nosuch');
    expect(real.replaceAll('southampton', 'nosuch')).toBe(made);
    expect(real).not.toContain(PANEL);
    expect(real).toContain('`link meeting peterborough-rutland`');
    expect(await state()).toEqual(before);
  });

  it('keeps the joins of the people it knows, and prefills the chair\'s card with them as a suggestion, answering nothing', async () => {
    await sayInMeeting(DAWN, 'link meeting southampton');
    now = at('08:58');
    await post(meetingStart(connector.url, DAWN, at('08:58')));
    expect((await bot.store.meetingPresence!.linkOf(TEAMS_MEETING_ID))?.meetingId).toBe(MAY);
    now = at('09:00');
    // The visitor is the join's sender, as Teams may send it: a meeting event's sender is not someone the bot has seen.
    await post(participantsJoin(connector.url, [VISITOR, NADIA]));
    await post(participantsJoin(connector.url, [GARETH]));
    now = at('09:30');
    await post(participantsLeave(connector.url, [NADIA]));
    now = at('09:40');
    await post(participantsJoin(connector.url, [NADIA]));
    now = at('10:15');
    await post(participantsLeave(connector.url, [VISITOR, GARETH]));
    now = at('11:00');
    await post(meetingEnd(connector.url, DAWN, at('11:00')));
    await until(() => attendanceCards().length === 1, "the chair's attendance card");

    // Only the two it knows (both joined at 09:00, so by id): the visitor is nowhere in the store, not even as someone seen.
    const rows = await bot.store.meetingPresence!.list(MAY);
    expect(rows.map((r) => [r.aadObjectId, r.presentSeconds / 60, r.openSince])).toEqual([[GARETH.aadObjectId, 75, null], [NADIA.aadObjectId, 110, null]]);
    expect((await bot.store.teams.teamsUserIds([VISITOR.aadObjectId])).size).toBe(0);

    const [sent] = attendanceCards();
    expect(sent!.conversationId).toBe(`a:personal-${DAWN.aadObjectId}`);
    expect(cardProblems(sent!.card)).toEqual([]);
    const json = JSON.stringify(sent!.card);
    expect(json).toContain('From the Teams meeting (a suggestion: answer each question yourself)');
    expect(json).toContain('Provenance: Teams meeting.');
    expect(json).toContain('Hampshire and Isle of Wight Constabulary: Gareth Owen, 75 minutes; Nadia Rahman, 110 minutes.');
    expect(json).not.toContain(VISITOR.name);
    expect(json).not.toContain(VISITOR.aadObjectId);
    // Nobody was named for May, so nothing at all is chosen for the chair.
    expect(answeredInputs(sent!.card)).toEqual({});

    // The end again, and the scheduler's own pass after the planned end: still the one card.
    await post(meetingEnd(connector.url, DAWN, at('11:00')));
    now = at('11:05');
    await bot.pass();
    expect((await bot.store.outbox.list({ meetingId: MAY })).filter((m) => m.kind === 'attendance')).toHaveLength(1);

    // The chair records attendance: the join times go with it.
    const cardVersion = (await attendanceCardModel(bot.store, MAY))!.version;
    const slot = { person_hampshire_1: NADIA.aadObjectId, category_hampshire_1: 'prevent-officer', role_hampshire_1: 'DI', unit_hampshire_1: 'local', mode_hampshire_1: 'online', decision_hampshire_1: 'yes' };
    const recorded = await post(cardAction(connector.url, DAWN, 'recordAttendance', { meetingId: MAY, cardVersion, held: 'held', outcome_hampshire: 'attended', ...slot }));
    expect(JSON.stringify(recorded.body)).toContain('Recorded.');
    expect(await bot.store.meetingPresence!.list(MAY)).toEqual([]);
    expect((await bot.store.chairs.attendance([MAY]))[0]).toMatchObject({ source: 'chair', outcome: 'attended' });
  });

  it("takes the panel meeting from Teams' StartTime, not from when the start arrived", async () => {
    await sayInMeeting(DAWN, 'link meeting southampton');
    now = at('08:58');
    await post(meetingStart(connector.url, DAWN, '2027-06-07T08:55:00.000Z'));
    expect((await bot.store.meetingPresence!.linkOf(TEAMS_MEETING_ID))?.meetingId).toBe('southampton.2027-06-07');
  });

  it("ignores a linked meeting's id in events from any other chat, and a start date nowhere near", async () => {
    await sayInMeeting(DAWN, 'link meeting southampton');
    const elsewhere = <T extends { conversation: { id: string } }>(a: T): T => ({ ...a, conversation: { ...a.conversation, id: '19:another-chat@thread.v2' } });
    now = at('08:58');
    await post(elsewhere(meetingStart(connector.url, DAWN, at('08:58'))));
    expect((await bot.store.meetingPresence!.linkOf(TEAMS_MEETING_ID))?.meetingId ?? null).toBeNull();
    await post(meetingStart(connector.url, DAWN, '+275760-09-13T00:00:00.000Z'));
    now = at('09:00');
    await post(elsewhere(participantsJoin(connector.url, [NADIA])));
    now = at('11:00');
    await post(elsewhere(meetingEnd(connector.url, DAWN, at('11:00'))));
    expect(await bot.store.meetingPresence!.list(MAY)).toEqual([]);
    expect((await bot.store.outbox.list({ meetingId: MAY })).filter((m) => m.kind === 'attendance')).toEqual([]);
    // Nothing was said into the meeting's chat about any of it.
    expect(connector.posts().filter((p) => p.conversationId.startsWith(MEETING_CHAT) && /Sorry/.test(p.body.text ?? ''))).toEqual([]);
  });

  it('ignores the events of a Teams meeting nobody linked', async () => {
    now = at('08:58');
    await post(meetingStart(connector.url, DAWN, at('08:58'), 'other-meeting'));
    now = at('09:00');
    await post(participantsJoin(connector.url, [NADIA], 'other-meeting'));
    now = at('11:00');
    await post(meetingEnd(connector.url, DAWN, at('11:00'), 'other-meeting'));
    expect(await bot.store.meetingPresence!.list(MAY)).toEqual([]);
    expect(await bot.store.outbox.list({ meetingId: MAY })).toEqual([]);
  });
});
