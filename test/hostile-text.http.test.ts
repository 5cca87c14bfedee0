import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import type { FakeConnector } from './support/fake-connector.js';
import { cardAction, DAWN, GARETH } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardProblems } from './support/validate-card.js';

// Text people type (a role, a cancellation note) and names Teams gives (a picked member) reach the store cleaned and
// the bot's own cards as text, never as Markdown: a role of `[Confirm here](https://evil.example/phish)` must not
// become a link in a card the bot signs, and control and direction-override characters must not be stored or shown.

const MAY = 'southampton.2027-05-03';
const JUNE = 'southampton.2027-06-07';
const LINK = '[Confirm here](https://evil.example/phish)';
const CONTROLS = 'DI\u0000 Smith\u001b[31m \u202eredro\u202c';
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const HOSTILE_MEMBER = { aadObjectId: '5e1f2a3b-4c5d-4e6f-8a9b-0c1d2e3f4a5b', name: `**Boss** ${LINK} \u202eEve` };

/** Every TextBlock text and FactSet value of a card: what Teams renders as Markdown. */
function markdownOf(card: unknown): string[] {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (o.type === 'FactSet' && Array.isArray(o.facts)) for (const f of o.facts as Array<{ value: string }>) out.push(f.value);
    Object.values(o).forEach(walk);
  };
  walk(card);
  return out;
}

/** A Markdown link or bare address that would render live, or an invisible character, in any rendered text. */
function live(card: unknown): string[] {
  return markdownOf(card).filter((t) => /(?<!\\)\]\(/.test(t) || /(?<!\\)https?:\/\//.test(t) || /evil\.example/.test(t) || INVISIBLE.test(t) || /(?<!\\)\*\*Boss/.test(t));
}

describe('hostile text through nominate, attendance and cancel, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let send: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2027-04-01T08:00:00.000Z';
  const post = async (activity: object) => (await send(activity)).body;
  const nominate = (role: string, attendee = 'user-id-9') =>
    post(cardAction(connector.url, GARETH, 'nominate', { meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee, role, decisionMaker: 'true' }));

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    ({ bot, connector, post: send, stop } = await startTestBot({ now: () => now }));
    connector.members.set('user-id-9', HOSTILE_MEMBER);
  });
  afterEach(() => stop());

  it('nominate: a Markdown link as the role and a hostile member name are stored clean and shown as text', async () => {
    const answer = await nominate(`${LINK} ${CONTROLS}`);
    const card = answer.value;
    expect(cardProblems(card)).toEqual([]);
    expect(live(card), JSON.stringify(markdownOf(card))).toEqual([]);
    // Shown, escaped, not dropped: the reader sees what was typed.
    expect(markdownOf(card).join('\n')).toContain('Confirm here');
    const stored = (await bot.store.nominations.get(MAY, 'hampshire'))!;
    expect(stored.role).toBe('[Confirm here](https://evil.example/phish) DI Smith[31m redro');
    expect(stored.name).toBe('**Boss** [Confirm here](https://evil.example/phish) Eve');
    expect(INVISIBLE.test(JSON.stringify(stored))).toBe(false);
  });

  it('nominate: a role of only invisible characters is no role at all, and nothing is recorded', async () => {
    const card = (await nominate('\u200b\u200b\u200b\u202e\u0000')).value;
    expect(JSON.stringify(card)).toContain('give their role');
    expect(await bot.store.nominations.get(MAY, 'hampshire')).toBeNull();
  });

  it('attendance: a hostile attendee name is stored clean and the chair sees it as text', async () => {
    now = '2027-05-04T11:05:00.000Z';
    const cardVersion = (await attendanceCardModel(bot.store, MAY))!.version;
    const answer = await post(cardAction(connector.url, DAWN, 'recordAttendance', {
      meetingId: MAY, cardVersion, held: 'held', outcome_hampshire: 'attended', person_hampshire_1: 'user-id-9', category_hampshire_1: 'prevent-officer',
      role_hampshire_1: `${LINK} DS\u202e`, unit_hampshire_1: 'local', mode_hampshire_1: 'online', decision_hampshire_1: 'yes',
    }));
    expect(cardProblems(answer.value)).toEqual([]);
    expect(live(answer.value), JSON.stringify(markdownOf(answer.value))).toEqual([]);
    const [record] = await bot.store.chairs.attendance([MAY]);
    expect(record!.attendees[0]).toMatchObject({ aadObjectId: HOSTILE_MEMBER.aadObjectId, name: '**Boss** [Confirm here](https://evil.example/phish) Eve', role: '[Confirm here](https://evil.example/phish) DS' });
    expect(INVISIBLE.test(JSON.stringify(record))).toBe(false);
    // The next nomination card lists who attended last time: as text, too.
    const next = (await post(cardAction(connector.url, GARETH, 'refreshNomination', { meetingId: JUNE, forceId: 'hampshire' }))).value;
    expect(markdownOf(next).join('\n')).toContain('Boss');
    expect(live(next), JSON.stringify(markdownOf(next))).toEqual([]);
  });

  it('cancel: the note is stored clean, three zero-width spaces are no note, and the card shows no link', async () => {
    const cancel = (note: string, meetingId = MAY) => post(cardAction(connector.url, DAWN, 'cancelMeeting', { meetingId, reason: 'other', note, versions: { [meetingId]: 1 }, step: 'confirm' }));
    // The note is optional: one made only of invisible characters is no note, not a short one (issue 17).
    const empty = await cancel('\u200b\u200b\u200b', JUNE);
    expect(JSON.stringify(empty.value)).toContain('is cancelled');
    expect((await bot.store.chairs.cancellations([JUNE]))[0]?.note).toBe('');
    const done = await cancel(`${LINK}\u0000\u202e room double-booked`);
    expect(live(done.value), JSON.stringify(markdownOf(done.value))).toEqual([]);
    const [c] = await bot.store.chairs.cancellations([MAY]);
    expect(c?.note).toBe('[Confirm here](https://evil.example/phish) room double-booked');
  });

  it('replies that repeat typed text back carry no link (regression: `review [x](https://…)` posted a live link)', async () => {
    const replies: string[] = [];
    for (const text of [`review ${LINK}`, `attendance last ${LINK}`, `link force ${LINK}`, `link panel ${LINK}`]) {
      const before = connector.calls.length;
      await post({ ...cardAction(connector.url, GARETH, 'x', {}), type: 'message', name: undefined, value: undefined, text });
      replies.push(...connector.calls.slice(before).map((c) => String(c.body?.text ?? '')));
    }
    expect(replies).toHaveLength(4);
    for (const r of replies) expect(r).not.toMatch(/\]\(|https?:|evil\.example/);
  });
});
