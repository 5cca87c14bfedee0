import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DateTime } from 'luxon';
import type { RunningBot } from '../bot/compose.js';
import { openFlags } from '../scheduler/review/open-flags.js';
import { startLinkedBot, type LinkedBot } from './support/chair-harness.js';
import { byId } from './support/config-variant.js';
import type { FakeConnector } from './support/fake-connector.js';
import { DAWN, GARETH, KIERAN, STRANGER, type Speaker } from './support/teams-activities.js';
import { cardProblems } from './support/validate-card.js';

// Issue 18, point 2: the `panels` card is shaped by role, and nothing on it replaces the list: a chair's cancel and
// move open in place and ask before they change anything; a lead's "Name attendee" sends its form as a new message;
// a national lead sees every force collapsed, with counts. Each press answers with the list and one line.

const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 local
const JUNE = 'southampton.2027-06-07';
const HAMPSHIRE = 'Hampshire and Isle of Wight Constabulary';
const ALEX: Speaker = { aadObjectId: '6513270e-269e-4d37-b2a7-4de452e6b438', name: 'Alex Morgan' }; // a national lead
const CHANGE_REFUSAL = "Only a Channel panel's chairs or a national lead can change its meetings.";

type Node = Record<string, any>;
const all = (node: unknown): Node[] => (Array.isArray(node) ? node.flatMap(all) : node && typeof node === 'object' ? [node as Node, ...Object.values(node).flatMap(all)] : []);
const ofType = (card: unknown, type: string) => all(card).filter((n) => n.type === type);
const texts = (card: unknown) => ofType(card, 'TextBlock').map((t) => t.text as string);

describe('the panels card, shaped by role, over real HTTP', () => {
  let h: LinkedBot;
  let bot: RunningBot;
  let connector: FakeConnector;
  const press = (who: Speaker, verb: string, data: Record<string, unknown>) => h.press(who, verb, data);
  const panels = (who: Speaker) => h.reply(who, 'panels');
  /** The ShowCard `title` of the meeting row `n` (0 first), and the Execute inside it. */
  const form = (card: unknown, title: string, n = 0) => {
    const show = ofType(card, 'Action.ShowCard').filter((s) => s.title === title)[n]!;
    return { show, ask: ofType(show.card, 'Action.Execute')[0]! };
  };
  const button = (card: unknown, title: string) => ofType(card, 'Action.Execute').find((a) => a.title === title)!;

  beforeEach(async () => {
    h = await startLinkedBot();
    ({ bot, connector } = h);
  });
  afterEach(() => h.stop());

  it("shows a chair their panels' next meetings, forces by name, each with Cancel and Move opening in place", async () => {
    const card = await panels(DAWN);
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('Panels you chair');
    expect(json).toContain('**Southampton Channel panel**, Tue 4 May 2027, 10:00–12:00');
    expect(json).toContain(`${HAMPSHIRE}: nobody named yet`);
    expect(json).not.toContain('Portsmouth');
    expect(json).not.toContain('You chair this panel');
    expect(json).not.toContain('Name attendee');
    // May, June and July: a Cancel and a Move each; then the panel's add form; the longer jobs as buttons.
    expect(ofType(card, 'Action.ShowCard').map((s) => s.title)).toEqual(['Cancel', 'Move', 'Cancel', 'Move', 'Cancel', 'Move', 'Add a meeting']);
    expect(['Invite a force', 'Record a past meeting'].map((t) => button(card, t).data)).toEqual([{ view: 'invite', from: 'panels' }, { view: 'record', from: 'panels' }]);
  });

  it('cancels from the list: the form asks under its meeting, Keep it and Confirm answer with the list and one line', async () => {
    const list = await panels(DAWN);
    const { show, ask } = form(list, 'Cancel');
    expect(ofType(show.card, 'Input.ChoiceSet')[0]!.id).toBe('reason_0');
    // What Teams sends: the button's data and the inputs of its ShowCard.
    const asked = await press(DAWN, 'cancelMeeting', { ...ask.data, reason_0: 'not quorate', note_0: 'Room unavailable' });
    expect(cardProblems(asked)).toEqual([]);
    expect(texts(asked)).toContain('Your Channel panel meetings');
    expect(JSON.stringify(asked)).toContain("Cancel the Southampton Channel panel meeting on Tue 4 May 2027, 10:00–12:00? Each force's card will say so.");
    // The question stands where May's buttons were; June and July keep theirs.
    expect(ofType(asked, 'Action.ShowCard').map((s) => s.title)).toEqual(['Cancel', 'Move', 'Cancel', 'Move', 'Add a meeting']);
    expect((await bot.store.meetings.get(MAY))?.status).toBe('scheduled');

    const kept = await press(DAWN, 'cancelMeeting', button(asked, 'Keep it').data);
    expect(kept.body[0].items[0].text).toBe('Nothing changed: the meeting stays as it is.');
    expect((await bot.store.meetings.get(MAY))?.status).toBe('scheduled');

    const done = await press(DAWN, 'cancelMeeting', button(asked, 'Confirm').data);
    expect(cardProblems(done)).toEqual([]);
    expect(done.body[0]).toMatchObject({ type: 'Container', style: 'good', items: [{ text: 'Saved: Southampton Channel panel, Tue 4 May 2027, 10:00–12:00 is cancelled. Reason: not quorate.' }] });
    expect(JSON.stringify(done)).toContain('**Southampton Channel panel**, Tue 4 May 2027, 10:00–12:00 · moved · cancelled');
    expect(ofType(done, 'Action.ShowCard').map((s) => s.title)).toEqual(['Cancel', 'Move', 'Cancel', 'Move', 'Add a meeting']);
    expect(await bot.store.chairs.cancellations([MAY])).toEqual([expect.objectContaining({ reason: 'not quorate', note: 'Room unavailable', cancelledBy: DAWN.aadObjectId })]);
    // Another chair's press on Dawn's list is refused, as everywhere.
    expect(await press(KIERAN, 'cancelMeeting', { ...form(list, 'Cancel', 1).ask.data, reason_1: 'other', step: 'confirm' })).toBe(CHANGE_REFUSAL);
  });

  it('moves and adds from the list, each after its question', async () => {
    const list = await panels(DAWN);
    const asked = await press(DAWN, 'rescheduleMeeting', { ...form(list, 'Move', 1).ask.data, newDate_1: '2027-06-09', newTime_1: '14:00' });
    expect(JSON.stringify(asked)).toContain('Move the Southampton Channel panel meeting from Mon 7 Jun 2027, 10:00–12:00 to Wed 9 Jun 2027, 14:00–16:00?');
    const moved = await press(DAWN, 'rescheduleMeeting', button(asked, 'Confirm').data);
    expect(moved.body[0].items[0].text).toBe('Saved: Southampton Channel panel is moved to Wed 9 Jun 2027, 14:00–16:00.');
    expect(await bot.store.meetings.get(JUNE)).toMatchObject({ start: '2027-06-09T13:00:00.000Z', version: 2 });

    const { show, ask } = form(moved, 'Add a meeting');
    expect(ofType(show.card, 'Input.Date').map((i) => i.id)).toEqual(['extraDate_southampton']);
    expect(ask.data).toMatchObject({ panelId: 'southampton', from: 'panels' });
    const question = await press(DAWN, 'addMeeting', { ...ask.data, extraDate_southampton: '2027-05-20', extraTime_southampton: '10:00' });
    expect(JSON.stringify(question)).toContain('Add an extra Southampton Channel panel meeting on Thu 20 May 2027, 10:00–12:00?');
    expect(texts(question)).toContain('Panels you chair');
    const added = await press(DAWN, 'addMeeting', button(question, 'Confirm').data);
    expect(added.body[0].items[0].text).toBe('Saved: extra Southampton Channel panel meeting added, Thu 20 May 2027, 10:00–12:00.');
    expect(JSON.stringify(added)).toContain('**Southampton Channel panel**, Thu 20 May 2027, 10:00–12:00 · extra meeting');
  });

  it('offers a chair a meeting that ended unrecorded, and sends its attendance card as a new message, keeping the list', async () => {
    h.now = '2027-05-04T11:05:00.000Z';
    const list = await panels(DAWN);
    expect(JSON.stringify(list)).toContain('Ended, attendance not recorded');
    const record = button(list, 'Record attendance');
    expect(record.data).toEqual({ meetingId: MAY, from: 'panels' });
    const before = connector.posts().length;
    const answer = await press(DAWN, 'openAttendance', record.data);
    expect(answer.body[0].items[0].text).toBe('The attendance card is in a new message below.');
    expect(texts(answer)).toContain('Your Channel panel meetings');
    const sent = connector.posts().slice(before).map((p) => JSON.stringify(p.body));
    expect(sent).toHaveLength(1);
    expect(sent[0]).toContain('Police attendance: Southampton');
    // The past-meeting card comes the same way.
    const past = await press(DAWN, 'openChairCard', button(list, 'Record a past meeting').data);
    expect(texts(past)).toContain('Your Channel panel meetings');
    expect(JSON.stringify(connector.posts().at(-1)!.body)).toContain('Record a past meeting');
  });

  it("shows a force lead their force's meetings by force name, and sends the nomination form as a new message", async () => {
    const card = await panels(GARETH);
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain("Your force's meetings");
    for (const panel of ['Southampton Channel panel', 'Portsmouth Channel panel', 'Hampshire Channel panel']) expect(json).toContain(`**${panel}**`);
    expect(json).toContain(`${HAMPSHIRE}: nobody named yet`);
    expect(json).not.toContain('(hampshire)');
    expect(ofType(card, 'Action.ShowCard')).toEqual([]);
    const names = ofType(card, 'Action.Execute');
    expect(new Set(names.map((a) => a.title))).toEqual(new Set(['Name attendee']));
    const may = names.find((a) => a.data.meetingId === MAY)!;
    expect(may).toMatchObject({ verb: 'openNomination', data: { meetingId: MAY, forceId: 'hampshire' } });

    const before = connector.posts().length;
    const answer = await press(GARETH, 'openNomination', may.data);
    expect(answer.body[0].items[0].text).toBe('The nomination form is in a new message below.');
    expect(texts(answer)).toContain("Your force's meetings");
    const sent = connector.posts().slice(before);
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]!.body)).toContain('Police attendee for Southampton Channel panel');
    expect(JSON.stringify(sent[0]!.body)).toContain('"verb":"nominate"');
    // Only those who may name the force's attendee get its form.
    for (const who of [DAWN, STRANGER]) expect(await press(who, 'openNomination', may.data)).toMatch(/^Only the force's Prevent leads/);
    expect(connector.posts()).toHaveLength(before + 1);
  });

  it('shows a national lead every force collapsed, with counts, and no row per meeting', async () => {
    const card = await panels(ALEX);
    expect(cardProblems(card)).toEqual([]);
    const json = JSON.stringify(card);
    expect(json).toContain('Every force');
    const to = DateTime.fromISO(h.now).plus({ months: 3 }).toUTC().toISO()!;
    const hampshire = await bot.store.meetings.list({ forceId: 'hampshire', from: h.now, to, statuses: ['scheduled'] });
    const open = (await openFlags(bot.store, ALEX.aadObjectId, h.now))!.flags;
    const facing = new Set(['southampton', 'portsmouth', 'hampshire']);
    const flags = open.filter((f) => (f.forceId ? f.forceId === 'hampshire' : facing.has(f.panelId))).length;
    expect(hampshire.length).toBeGreaterThan(3);
    expect(texts(card)).toContain(`**${HAMPSHIRE}**: ${hampshire.length} meetings · ${hampshire.length} with nobody named · ${flags} open flag${flags === 1 ? '' : 's'}`);
    for (const force of ['Cambridgeshire Constabulary', 'Nottinghamshire Police', 'Cumbria Constabulary', 'Leicestershire Police', 'Devon and Cornwall Police']) expect(json).toContain(`**${force}**: `);
    // Collapsed: each force's meetings hidden until tapped.
    const hidden = all(card).filter((n) => n.isVisible === false);
    expect(hidden.map((n) => n.id)).toContain('f-hampshire');
    expect(ofType(card, 'Action.ToggleVisibility').length).toBe(hidden.length);
    expect(json).not.toContain('You chair this panel');
    expect(ofType(card, 'Action.Execute')).toEqual([]);
  });

  it('tells someone with no role and no meetings so', async () => {
    expect(await panels(STRANGER)).toMatch(/No Channel panel meetings involve you/);
  });
});

// A chair of two panels has an add form for each on one card. Adaptive Cards input ids are card-wide, so each form's
// inputs carry its panel's id; a press sends the button's data with whatever inputs the client gathered.
describe("a chair of two panels adding from the panels card, over real HTTP", () => {
  let h: LinkedBot;
  const extras = async (panelId: string) => (await h.bot.store.meetings.list({ panelIds: [panelId] })).filter((m) => m.extra).map((m) => m.start);

  beforeEach(async () => {
    h = await startLinkedBot((file) => byId(file.panels, 'portsmouth').chairs.push({ aadObjectId: DAWN.aadObjectId, name: DAWN.name }));
  });
  afterEach(() => h.stop());

  it("adds to the panel whose button was pressed, with that panel's date and time, when both forms are filled in", async () => {
    const list = await h.reply(DAWN, 'panels');
    expect(cardProblems(list)).toEqual([]);
    const adds = ofType(list, 'Action.ShowCard').filter((s) => s.title.startsWith('Add a meeting'));
    expect(adds.map((s) => s.title).sort()).toEqual(['Add a meeting: Portsmouth Channel panel', 'Add a meeting: Southampton Channel panel']);
    const portsmouth = ofType(adds.find((s) => s.title.endsWith('Portsmouth Channel panel'))!.card, 'Action.Execute')[0]!;
    const both = { extraDate_southampton: '2027-05-20', extraTime_southampton: '10:00', extraDate_portsmouth: '2027-05-21', extraTime_portsmouth: '14:00' };

    const question = await h.press(DAWN, 'addMeeting', { ...portsmouth.data, ...both });
    expect(JSON.stringify(question)).toContain('Add an extra Portsmouth Channel panel meeting on Fri 21 May 2027, 14:00–16:00?');
    const confirm = ofType(question, 'Action.Execute').find((a) => a.title === 'Confirm')!;
    const added = await h.press(DAWN, 'addMeeting', confirm.data);
    expect(added.body[0].items[0].text).toBe('Saved: extra Portsmouth Channel panel meeting added, Fri 21 May 2027, 14:00–16:00.');
    expect(await extras('portsmouth')).toEqual(['2027-05-21T13:00:00.000Z']);
    expect(await extras('southampton')).toEqual([]);

    // Only the other panel's form filled in: nothing is taken from it.
    const empty = await h.press(DAWN, 'addMeeting', { ...portsmouth.data, extraDate_southampton: '2027-05-20', extraTime_southampton: '10:00' });
    expect(JSON.stringify(empty)).toContain('Not added: choose a date; choose a start time.');
    expect(await extras('southampton')).toEqual([]);
  });
});
