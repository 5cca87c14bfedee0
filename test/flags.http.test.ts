import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startLinkedBot, type LinkedBot } from './support/chair-harness.js';
import { cardAction, DAWN, GARETH, personalMessage, type Speaker } from './support/teams-activities.js';
import { cardProblems } from './support/validate-card.js';

// Issue 18, point 2: "a button that opens a form does not destroy the list it came from". A button on the `flags`
// card opens its form as a new message, and the press is answered with the list, one line on top saying where the
// form went.

const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 local
const JUNE = 'southampton.2027-06-07';

type Node = Record<string, any>;
const all = (node: unknown): Node[] => (Array.isArray(node) ? node.flatMap(all) : node && typeof node === 'object' ? [node as Node, ...Object.values(node).flatMap(all)] : []);
const button = (card: unknown, title: string) => all(card).find((n) => n.type === 'Action.Execute' && n.title === title)!;

describe('the flags card keeps its list when a button opens a form, over real HTTP', () => {
  let h: LinkedBot;

  /**
   * A press on the card in `who`'s personal chat, where `flags` answers: what it is answered with, and what the bot
   * posted to that chat meanwhile (reminders falling due go to the force's Teams channel).
   */
  const pressFrom = async (who: Speaker, b: Node) => {
    const chat = personalMessage(h.connector.url, who, '');
    const before = h.connector.posts().length;
    const res = await h.post({ ...cardAction(h.connector.url, who, b.verb, b.data), conversation: chat.conversation, channelData: chat.channelData });
    return { answer: res.body.value, sent: h.connector.posts().slice(before).filter((p) => p.conversationId === chat.conversation.id) };
  };

  beforeEach(async () => {
    h = await startLinkedBot();
  });
  afterEach(() => h.stop());

  it("answers a lead's Name attendee with the same list, and sends the nomination form to them as a new message", async () => {
    h.now = '2027-04-30T08:00:00.000Z'; // past May's escalation point, nobody named
    const list = await h.reply(GARETH, 'flags');
    const name = button(list, 'Name attendee for Tue 4 May 2027');
    expect(name).toMatchObject({ verb: 'openNomination', data: { meetingId: MAY, forceId: 'hampshire', from: 'flags' } });

    const { answer, sent } = await pressFrom(GARETH, name);
    expect(cardProblems(answer)).toEqual([]);
    expect(answer.body[0].items[0].text).toBe('The nomination form is in a new message below.');
    expect(answer.body.slice(1)).toEqual(list.body);
    expect(sent).toHaveLength(1);
    const form = JSON.stringify(sent[0]!.body.attachments[0].content);
    expect(form).toContain('Police attendee for Southampton Channel panel');
    expect(form).toContain('"verb":"nominate"');
    // Only those who may name the force's attendee get its form.
    expect(await h.press(DAWN, name.verb, name.data)).toMatch(/^Only the force's Prevent leads/);
  });

  it("answers a chair's Record attendance with the same list, and sends the attendance card as a new message", async () => {
    h.now = '2027-06-02T08:00:00.000Z'; // May has ended and nothing was recorded
    const list = await h.reply(DAWN, 'flags');
    const record = button(list, 'Record attendance for May 2027');
    expect(record).toMatchObject({ verb: 'openAttendance', data: { meetingId: MAY, from: 'flags' } });

    const { answer, sent } = await pressFrom(DAWN, record);
    expect(cardProblems(answer)).toEqual([]);
    expect(answer.body[0].items[0].text).toBe('The attendance card is in a new message below.');
    expect(answer.body.slice(1)).toEqual(list.body);
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0]!.body)).toContain('Police attendance: Southampton');
  });

  it('answers a press it cannot open with the list and why, sending nothing', async () => {
    const list = await h.reply(DAWN, 'flags');
    const { answer, sent } = await pressFrom(DAWN, { verb: 'openAttendance', data: { meetingId: JUNE, from: 'flags' } });
    expect(answer.body[0]).toMatchObject({ style: 'attention', items: [{ text: 'Attendance can be recorded once the meeting has ended.' }] });
    expect(answer.body.slice(1)).toEqual(list.body);
    expect(sent).toEqual([]);
  });
});
