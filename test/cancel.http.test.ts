import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { until } from './support/wait.js';
import { startLinkedBot, type LinkedBot } from './support/chair-harness.js';
import type { FakeConnector } from './support/fake-connector.js';
import { cardAction, CHANNEL, DAWN, GARETH, KIERAN, STRANGER, type Speaker } from './support/teams-activities.js';
import { cardProblems } from './support/validate-card.js';

const MAY = 'southampton.2027-05-03';
const TAMSIN = '3f98e277-4cbd-47ad-9c90-a9587403e430'; // chairs the Isles of Scilly (when necessary)
const REFUSAL = "Only a Channel panel's chairs or a national lead can change its meetings.";

/** Every Action.Execute on a card, wherever it is (ShowCards too), with its title and data. */
const executes = (node: unknown): Array<{ title: string; verb: string; data: Record<string, unknown> }> =>
  Array.isArray(node) ? node.flatMap(executes)
    : node && typeof node === 'object' ? [...((node as any).type === 'Action.Execute' ? [node as any] : []), ...Object.values(node).flatMap(executes)] : [];


describe('a chair cancels a meeting, over real HTTP', () => {
  let h: LinkedBot;
  let bot: RunningBot;
  let connector: FakeConnector;
  const CANCEL = { meetingId: MAY, reason: 'no cases to discuss', note: 'Nothing new this month', versions: { [MAY]: 1 } };
  /** The cancel question's Confirm: the press that cancels. */
  const cancel = (who = DAWN, data: Record<string, unknown> = CANCEL) => h.post(cardAction(connector.url, who, 'cancelMeeting', { ...data, step: 'confirm' }));
  const press = (who: Speaker, verb: string, data: Record<string, unknown>) => h.press(who, verb, data);
  const auditActions = async () => (await bot.store.audit.page(0, 100_000)).map((e) => e.action);
  /** The card `who` gets for a command now. */
  const reply = (who: Speaker, command: string) => h.reply(who, command);
  /** The button of `verb` on a card, wherever it is, with its data. */
  const button = (card: unknown, title: string) => executes(card).find((a) => a.title === title)!;
  /** The add card's button data, as `who` gets it now: from the `cancel` card's "Add a meeting". */
  const addCardData = async (who: Speaker = DAWN): Promise<Record<string, unknown>> => {
    const addCard = await press(who, 'openChairCard', button(await reply(who, 'cancel'), 'Add a meeting').data);
    return button(addCard, 'Add this meeting…').data;
  };
  /** Asks and confirms an add, as the add card then its question are pressed. */
  const add = async (who: Speaker, data: Record<string, unknown>) => {
    const question = await press(who, 'addMeeting', data);
    const confirm = executes(question).find((a) => a.title === 'Confirm');
    return confirm ? press(who, 'addMeeting', confirm.data) : question;
  };

  beforeEach(async () => {
    h = await startLinkedBot();
    ({ bot, connector } = h);
  });
  afterEach(() => h.stop());

  it('offers the chair a card for cancelling only: their upcoming meetings, reasons and the no-case-details warning', async () => {
    const card = await reply(DAWN, 'cancel');
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('Cancel a Channel panel meeting');
    const meetings = card.body.find((e: any) => e.id === 'meetingId').choices.map((c: any) => c.value);
    expect(meetings).toContain(MAY);
    expect(meetings.every((id: string) => id.startsWith('southampton.'))).toBe(true);
    expect(JSON.stringify(card)).toContain('Do not put case details here');
    // Moving, adding, inviting and recording are each their own card, a button away.
    expect(card.body.map((e: any) => e.id).filter(Boolean)).toEqual(['meetingId', 'reason', 'note']);
    expect(executes(card).map((a) => a.title)).toEqual(['Cancel this meeting…', 'Move a meeting', 'Add a meeting', 'Invite a force', 'Record a past meeting']);
    const move = await press(DAWN, 'openChairCard', button(card, 'Move a meeting').data);
    expect(cardProblems(move)).toEqual([]);
    expect(move.body.map((e: any) => e.id).filter(Boolean)).toEqual(['meetingId', 'newDate', 'newTime']);
    expect(await press(STRANGER, 'openChairCard', { view: 'move' })).toBe(REFUSAL);
  });

  it('asks before it cancels: the press on the form changes nothing, Keep it changes nothing, only Confirm cancels', async () => {
    const question = await press(DAWN, 'cancelMeeting', CANCEL);
    expect(cardProblems(question)).toEqual([]);
    expect(JSON.stringify(question)).toContain("Cancel the Southampton Channel panel meeting on Tue 4 May 2027, 10:00–12:00? Each force's card will say so.");
    expect(executes(question).map((a) => [a.title, a.data.step])).toEqual([['Confirm', 'confirm'], ['Keep it', 'keep']]);
    expect((await bot.store.meetings.get(MAY))?.status).toBe('scheduled');
    expect(await auditActions()).not.toContain('meeting.cancelled');
    // Keep it: the form again, as the chair left it, and nothing done.
    const kept = await press(DAWN, 'cancelMeeting', button(question, 'Keep it').data);
    expect(JSON.stringify(kept)).toContain('Nothing changed: the meeting stays as it is.');
    expect(kept.body.find((e: any) => e.id === 'meetingId').value).toBe(MAY);
    expect(kept.body.find((e: any) => e.id === 'note').value).toBe('Nothing new this month');
    expect((await bot.store.meetings.get(MAY))?.status).toBe('scheduled');
    // Confirm: cancelled, and one line says what was saved.
    const done = await press(DAWN, 'cancelMeeting', button(question, 'Confirm').data);
    expect(cardProblems(done)).toEqual([]);
    expect(done.body[0].items[0].text).toBe('Saved: Southampton Channel panel, Tue 4 May 2027, 10:00–12:00 is cancelled. Reason: no cases to discuss.');
    expect(await bot.store.meetings.get(MAY)).toMatchObject({ status: 'cancelled', version: 2 });
  });

  it('cancels, records why, audits it, and changes the force card in place', async () => {
    const res = await cancel();
    expect(JSON.stringify(res.body.value)).toContain('Saved: Southampton Channel panel, Tue 4 May 2027, 10:00–12:00 is cancelled.');
    expect(await bot.store.meetings.get(MAY)).toMatchObject({ status: 'cancelled', version: 2 });
    expect(await bot.store.chairs.cancellations([MAY])).toEqual([
      { meetingId: MAY, reason: 'no cases to discuss', note: 'Nothing new this month', cancelledBy: DAWN.aadObjectId, cancelledAt: h.now, noteRedactedAt: null },
    ]);
    expect(await auditActions()).toContain('meeting.cancelled');
    const cardActivity = (await bot.store.outbox.get(`card:${MAY}:hampshire`))!.activityId!;
    await until(() => connector.calls.some((c) => c.method === 'PUT' && c.activityId === cardActivity), 'the card update');
    const update = connector.calls.find((c) => c.method === 'PUT' && c.activityId === cardActivity)!;
    expect(update.conversationId).toBe(CHANNEL);
    expect(JSON.stringify(update.body)).toContain('This meeting was cancelled');
    // The force's leads read why, and the chair's note (the calendar feed and the review never show it).
    expect(JSON.stringify(update.body)).toContain('Cancelled: no cases to discuss.');
    expect(JSON.stringify(update.body)).toContain('Note from the chair: Nothing new this month');
    // Pressing again changes nothing more.
    await cancel();
    expect((await bot.store.meetings.get(MAY))?.version).toBe(2);
  });

  it('refuses a stranger and the chair of another panel, asking or confirming, changing nothing', async () => {
    // One neutral refusal: it names no panel, so it reads the same for a meeting that does not exist.
    for (const who of [STRANGER, KIERAN]) {
      expect(await press(who, 'cancelMeeting', CANCEL)).toBe(REFUSAL);
      expect((await cancel(who)).body.value).toBe(REFUSAL);
      expect((await cancel(who, { meetingId: 'southampton.2031-01-06', reason: 'other', note: 'x y z' })).body.value).toBe(REFUSAL);
    }
    expect((await bot.store.meetings.get(MAY))?.status).toBe('scheduled');
    expect(await auditActions()).not.toContain('meeting.cancelled');
  });

  it('answers `flags` for each role with what that role may see', async () => {
    await cancel();
    h.now = '2027-06-02T08:00:00.000Z'; // May has ended: its cancellation for want of cases is judged

    const flagsFor = async (who: Speaker) => JSON.stringify(await reply(who, 'flags'));
    const dawn = await flagsFor(DAWN);
    expect(cardProblems(JSON.parse(dawn))).toEqual([]);
    // Plain words, never codes: the title people read for CANCELLED_NO_CASES.
    expect(dawn).toContain('Month lost: cancelled for no cases');
    expect(dawn).not.toContain('CANCELLED_NO_CASES');
    expect(dawn).toContain('Southampton Channel panel');
    expect(dawn).not.toContain('Portsmouth');
    expect(await flagsFor(GARETH)).toContain('Month lost: cancelled for no cases');
    expect(await flagsFor(KIERAN)).not.toContain('Southampton');
    expect(await flagsFor({ aadObjectId: '8d116ece-1738-47d9-bd9c-172411e20b8f', name: 'Helen Carter' })).not.toContain('Southampton');
    expect(await flagsFor(STRANGER)).toContain('Flags are for panel chairs');
  });

  it('moves a meeting once confirmed: the nomination carries over and the force card shows the new time', async () => {
    const MOVE = { meetingId: MAY, newDate: '2027-05-06', newTime: '14:00', versions: { [MAY]: 1 } };
    const question = await press(DAWN, 'rescheduleMeeting', MOVE);
    expect(cardProblems(question)).toEqual([]);
    expect(JSON.stringify(question)).toContain('Move the Southampton Channel panel meeting from Tue 4 May 2027, 10:00–12:00 to Thu 6 May 2027, 14:00–16:00?');
    expect((await bot.store.meetings.get(MAY))?.version).toBe(1);
    expect(JSON.stringify(await press(DAWN, 'rescheduleMeeting', button(question, 'Keep it').data))).toContain('Nothing changed');
    expect((await bot.store.meetings.get(MAY))?.version).toBe(1);
    const res = await press(DAWN, 'rescheduleMeeting', button(question, 'Confirm').data);
    expect(JSON.stringify(res)).toContain('Saved: Southampton Channel panel is moved to Thu 6 May 2027, 14:00–16:00.');
    expect(await bot.store.meetings.get(MAY)).toMatchObject({ status: 'scheduled', start: '2027-05-06T13:00:00.000Z', version: 2, moved: { reason: 'rescheduled by the chair' } });
    expect(await auditActions()).toContain('meeting.rescheduled');
    const cardActivity = (await bot.store.outbox.get(`card:${MAY}:hampshire`))!.activityId!;
    await until(() => connector.calls.some((c) => c.method === 'PUT' && c.activityId === cardActivity), 'the card update');
    expect(JSON.stringify(connector.calls.find((c) => c.method === 'PUT' && c.activityId === cardActivity)!.body)).toContain('Thu 6 May 2027, 14:00–16:00');
    // Refused at the question already: the form comes back with what was entered.
    const past = await press(DAWN, 'rescheduleMeeting', { meetingId: MAY, newDate: '2027-01-06', newTime: '14:00', versions: { [MAY]: 2 } });
    expect(JSON.stringify(past)).toContain('Not moved: A meeting can only be moved to a time in the future.');
    expect(past.body.find((e: any) => e.id === 'newDate').value).toBe('2027-01-06');
    expect(await press(STRANGER, 'rescheduleMeeting', { meetingId: MAY, newDate: '2027-05-07', newTime: '14:00', versions: { [MAY]: 2 }, step: 'confirm' })).toBe(REFUSAL);
  });

  it('adds an extra meeting once confirmed, including on a when-necessary panel, for chairs only', async () => {
    const question = await press(DAWN, 'addMeeting', { ...(await addCardData()), panelId: 'southampton', extraDate: '2027-05-20', extraTime: '10:00' });
    expect(JSON.stringify(question)).toContain('Add an extra Southampton Channel panel meeting on Thu 20 May 2027, 10:00–12:00? Each force facing the panel will be asked to name its attendee.');
    expect(await bot.store.meetings.get('southampton.2027-05-20.extra-1000')).toBeNull();
    const res = await press(DAWN, 'addMeeting', button(question, 'Confirm').data);
    expect(JSON.stringify(res)).toContain('Saved: extra Southampton Channel panel meeting added, Thu 20 May 2027, 10:00–12:00.');
    expect(await bot.store.meetings.get('southampton.2027-05-20.extra-1000')).toMatchObject({ extra: true, occurrence: null, start: '2027-05-20T09:00:00.000Z' });
    const tamsin = { aadObjectId: TAMSIN, name: 'Tamsin Hicks' };
    await add(tamsin, { ...(await addCardData(tamsin)), panelId: 'isles-of-scilly', extraDate: '2027-06-02', extraTime: '11:00' });
    expect((await bot.store.meetings.list({ panelIds: ['isles-of-scilly'] })).map((m) => m.extra)).toEqual([true]);
    expect(await press(DAWN, 'addMeeting', { panelId: 'isles-of-scilly', extraDate: '2027-06-03', extraTime: '11:00', step: 'confirm' })).toBe(REFUSAL);
    const bad = await press(DAWN, 'addMeeting', { panelId: 'southampton', extraDate: 'soon', extraTime: '10:00' });
    expect(JSON.stringify(bad)).toContain('Not added: choose a date');
  });

  it('posts a Monday digest of the week\'s new flags to the force, once', async () => {
    await cancel();
    // The month is judged once it ends: the first Monday after May is 7 June.
    h.now = '2027-06-06T09:00:00.000Z'; // Sunday
    await bot.pass();
    // Monday 19 April (in beforeEach) had its own digest; this looks for the one about the cancellation.
    const digests = () => connector.cards().filter((c) => JSON.stringify(c.card).includes('New compliance flags this week') && JSON.stringify(c.card).includes('Month lost: cancelled'));
    expect(digests()).toHaveLength(0);
    h.now = '2027-06-07T08:00:00.000Z'; // Monday, 09:00 in London
    await bot.pass();
    await bot.pass();
    expect(digests()).toHaveLength(1);
    expect(digests()[0]!.conversationId).toBe(CHANNEL);
    expect(JSON.stringify(digests()[0]!.card)).toContain('Month lost: cancelled for no cases');
    expect(cardProblems(digests()[0]!.card)).toEqual([]);
  });

  it('refuses to cancel a meeting that has started, asked or confirmed', async () => {
    h.now = '2027-05-04T09:30:00.000Z';
    expect(JSON.stringify(await press(DAWN, 'cancelMeeting', CANCEL))).toContain('already started');
    expect(JSON.stringify((await cancel()).body.value)).toContain('already started');
    expect((await bot.store.meetings.get(MAY))?.status).toBe('scheduled');
  });

  it('answers a stale card with the current card and what changed, and does nothing (regression: cancel and move carried no version)', async () => {
    const move = (date: string, versions: Record<string, number>, step = 'confirm') => press(DAWN, 'rescheduleMeeting', { meetingId: MAY, newDate: date, newTime: '14:00', versions, step });
    expect(JSON.stringify(await move('2027-05-06', { [MAY]: 1 }))).toContain('Saved: Southampton Channel panel is moved');
    // Another copy of the first card, made before the move: its cancel and its move are both out of date, asked or confirmed.
    for (const staleCancel of [JSON.stringify(await press(DAWN, 'cancelMeeting', CANCEL)), JSON.stringify((await cancel()).body.value)]) {
      expect(staleCancel).toContain('This card was out of date');
      expect(staleCancel).toContain('it has since been moved to Thu 6 May 2027, 14:00');
      expect(staleCancel).toContain('Cancel a Channel panel meeting');
    }
    for (const step of ['ask', 'confirm']) expect(JSON.stringify(await move('2027-05-07', { [MAY]: 1 }, step))).toContain('This card was out of date');
    expect(await bot.store.meetings.get(MAY)).toMatchObject({ status: 'scheduled', start: '2027-05-06T13:00:00.000Z', version: 2 });
    // A card without versions (from before this release) does nothing either, and says why.
    expect(JSON.stringify((await cancel(DAWN, { meetingId: MAY, reason: 'other', note: 'x y z' })).body.value)).toContain('from an earlier version of the bot');
    expect(JSON.stringify(await press(DAWN, 'cancelMeeting', { meetingId: MAY, reason: 'other', note: 'x y z' }))).toContain('from an earlier version of the bot');
    // Pressing the same Confirm again (Teams retries an invoke) is not stale: the meeting is already there.
    expect(JSON.stringify(await move('2027-05-06', { [MAY]: 1 }))).toContain('Saved: Southampton Channel panel is moved');
    expect((await bot.store.meetings.get(MAY))?.version).toBe(2);
    expect((await auditActions()).filter((a) => a === 'meeting.rescheduled')).toHaveLength(1);
  });

  it('tells a second cancel of a cancelled meeting what happened, and shows the reason recorded, not the one pressed', async () => {
    expect(JSON.stringify((await cancel()).body.value)).toContain('Reason: no cases to discuss');
    // The same Confirm again (a retry) is answered as done, with what was recorded.
    expect(JSON.stringify((await cancel()).body.value)).toContain('Reason: no cases to discuss');
    // Another copy of the card, pressed with another reason: told it changed, and the record keeps the first reason.
    for (const other of [JSON.stringify((await cancel(DAWN, { meetingId: MAY, reason: 'other', note: 'room unavailable', versions: { [MAY]: 1 } })).body.value),
      JSON.stringify(await press(DAWN, 'cancelMeeting', { meetingId: MAY, reason: 'other', note: 'room unavailable', versions: { [MAY]: 1 } }))]) {
      expect(other).toContain('it has since been cancelled');
      expect(other).not.toContain('Reason: other');
    }
    expect((await bot.store.chairs.cancellations([MAY])).map((c) => [c.reason, c.note])).toEqual([['no cases to discuss', 'Nothing new this month']]);
  });

  it('adds once on a repeated press, and refuses an add from a card made before the panel changed (regression: add carried no version)', async () => {
    const data = await addCardData();
    const confirm = (date: string, time: string, d: Record<string, unknown> = data) =>
      press(DAWN, 'addMeeting', { ...d, panelId: 'southampton', extraDate: date, extraTime: time, step: 'confirm' });
    expect(JSON.stringify(await confirm('2027-05-20', '10:00'))).toContain('Saved: extra Southampton Channel panel meeting added');
    // Teams retries the invoke: the same add is found done, not refused.
    expect(JSON.stringify(await confirm('2027-05-20', '10:00'))).toContain('Saved: extra Southampton Channel panel meeting added');
    // Another chair's copy of the same card, adding a second meeting: the panel changed since, so nothing is added, asked or confirmed.
    for (const stale of [JSON.stringify(await confirm('2027-05-21', '14:00')), JSON.stringify(await press(DAWN, 'addMeeting', { ...data, panelId: 'southampton', extraDate: '2027-05-21', extraTime: '14:00' }))]) {
      expect(stale).toContain('This card was out of date');
    }
    expect((await bot.store.meetings.list({ panelIds: ['southampton'] })).filter((m) => m.extra).map((m) => m.id)).toEqual(['southampton.2027-05-20.extra-1000']);
    // A fresh card adds it; a card from before cards carried snapshots adds nothing.
    expect(JSON.stringify(await add(DAWN, { ...(await addCardData()), panelId: 'southampton', extraDate: '2027-05-21', extraTime: '14:00' }))).toContain('Saved: extra Southampton Channel panel meeting added');
    expect(JSON.stringify(await confirm('2027-05-24', '14:00', {}))).toContain('from an earlier version of the bot');
    expect((await bot.store.meetings.list({ panelIds: ['southampton'] })).filter((m) => m.extra)).toHaveLength(2);
  });

  it('cancels with no note: the reason category is enough, and a note of only invisible characters is none', async () => {
    for (const [data, meetingId] of [[{}, MAY], [{ note: '\u200b\u200b\u200b' }, 'southampton.2027-06-07']] as const) {
      const res = await cancel(DAWN, { meetingId, reason: 'chair unavailable', ...data, versions: { [meetingId]: 1 } });
      expect(JSON.stringify(res.body.value)).toContain('Reason: chair unavailable');
      expect(JSON.stringify(res.body.value)).not.toContain('Your note');
      expect((await bot.store.chairs.cancellations([meetingId]))[0]).toMatchObject({ reason: 'chair unavailable', note: '' });
    }
    const entries = (await bot.store.audit.page(0, 100_000)).filter((e) => e.action === 'meeting.cancelled');
    expect(entries.map((e) => e.details)).toEqual([{ reason: 'chair unavailable', note: '', version: 2 }, { reason: 'chair unavailable', note: '', version: 2 }]);
  });

  it('takes a repeated press with the same note, however differently spaced, as the same cancellation', async () => {
    await cancel(DAWN, { meetingId: MAY, reason: 'other', note: 'room  double-booked', versions: { [MAY]: 1 } });
    const again = JSON.stringify((await cancel(DAWN, { meetingId: MAY, reason: 'other', note: ' room double-booked\u200b', versions: { [MAY]: 1 } })).body.value);
    expect(again).toContain('Reason: other');
    expect(again).toContain('Your note, shown on the force cards only: room double-booked');
    expect((await auditActions()).filter((a) => a === 'meeting.cancelled')).toHaveLength(1);
  });

  it.each([
    ['no reason', { meetingId: MAY, note: 'x y z' }, 'choose a reason'],
    ['an unknown reason', { meetingId: MAY, reason: 'bored', note: 'x y z' }, 'choose a reason'],
    ['a note over 140 characters', { meetingId: MAY, reason: 'other', note: 'x'.repeat(141) }, 'keep the note to 140 characters or fewer: this one has 141'],
    ['a note far too long', { meetingId: MAY, reason: 'other', note: 'x'.repeat(5000) }, 'keep the note to 140 characters or fewer'],
    ['an unknown meeting', { meetingId: 'atlantis.2027-01-01', reason: 'other', note: 'x y z' }, REFUSAL],
    ['a wrong type (refused at the gate: not shaped like an id)', { meetingId: 7, reason: 'other', note: 'x y z' }, REFUSAL],
    ['no meeting chosen', { reason: 'other', note: 'x y z' }, 'Not cancelled: Required'],
  ])('refuses bad card data (%s) with a clear line, asked or confirmed', async (_name, data, message) => {
    for (const step of [undefined, 'confirm']) {
      const res = await press(DAWN, 'cancelMeeting', { ...data, ...(step ? { step } : {}) });
      expect(JSON.stringify(res)).toContain(message);
    }
    expect((await bot.store.meetings.get(MAY))?.status).toBe('scheduled');
    expect(await auditActions()).not.toContain('meeting.cancelled');
  });
});
