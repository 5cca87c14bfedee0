import { describe, expect, it } from 'vitest';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { confirmView as view } from '../test/support/card-samples.js';
import { confirmCard, type ConfirmView } from './confirm-card.js';

const actions = (c: any): any[] => c.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions);
const texts = (c: unknown) => JSON.stringify(c);

describe("the force's confirm card", () => {
  it('shows the meeting, the nominee, each attendee in plain words and the question, with Confirm and Dispute', () => {
    const c = confirmCard(view());
    for (const part of ['Southampton Channel panel', 'Tue 4 May 2027, 10:00–12:00', 'Nadia Rahman (confirmed as a decision maker)', 'Sam Price** (not the person your force named)',
      'Neighbourhood officer, PC', 'Local force, online', 'Prevent supervisor, DI', 'Regional unit, in person', "Don't know", 'Could these people make decisions on behalf of Hampshire and Isle of Wight Constabulary?']) {
      expect(texts(c)).toContain(part);
    }
    expect(texts(c)).not.toMatch(/neighbourhood-officer|in-person|"unknown"/);
    expect(actions(c)).toEqual([
      { type: 'Action.Execute', title: 'Confirm', verb: 'confirmAttendance', style: 'positive', data: { meetingId: 'southampton.2027-05-03', forceId: 'hampshire', recordVersion: 3, answer: 'confirmed' } },
      { type: 'Action.Execute', title: 'Dispute', verb: 'confirmAttendance', style: 'destructive', data: { meetingId: 'southampton.2027-05-03', forceId: 'hampshire', recordVersion: 3, answer: 'disputed' } },
    ]);
  });

  it('shows who answered and offers the other answer', () => {
    const confirmed = confirmCard(view({ confirmation: 'confirmed', answeredBy: 'Gareth Owen', answeredAt: '2027-05-05T09:00:00+01:00' }));
    expect(texts(confirmed)).toContain('Confirmed by Gareth Owen on Wed 5 May 2027.');
    expect(actions(confirmed).map((a) => [a.title, a.data.answer])).toEqual([['Dispute instead', 'disputed']]);
    const disputed = confirmCard(view({ confirmation: 'disputed', answeredBy: 'Gareth Owen', answeredAt: '2027-05-05T09:00:00+01:00' }));
    expect(texts(disputed)).toContain('Disputed by Gareth Owen on Wed 5 May 2027');
    expect(actions(disputed).map((a) => [a.title, a.data.answer])).toEqual([['Confirm instead', 'confirmed']]);
  });

  it('shows the answer in a styled container, not in coloured text', () => {
    const answer = (v: ConfirmView) => (confirmCard(v) as any).body.filter((e: any) => e.type === 'Container' && e.style).map((e: any) => [e.style, e.items[0].text]);
    expect(answer(view({ confirmation: 'confirmed', answeredBy: 'Gareth Owen', answeredAt: '2027-05-05T09:00:00+01:00' }))).toEqual([['good', 'Confirmed by Gareth Owen on Wed 5 May 2027.']]);
    expect(answer(view({ confirmation: 'disputed', answeredBy: 'Gareth Owen', answeredAt: null }))).toEqual([['attention', 'Disputed by Gareth Owen: the review does not count a decision maker present for your force at this meeting.']]);
    expect(JSON.stringify(confirmCard(view(), 'Recorded.'))).not.toContain('"color"');
  });

  it('asks nothing when there is nothing to confirm, and says when the force named nobody', () => {
    expect(actions(confirmCard(view({ confirmation: 'not-needed' })))).toEqual([]);
    expect(texts(confirmCard(view({ nominee: null })))).toContain('"Your force named","value":"Nobody"');
  });

  it('shows names and roles as text, not Markdown', () => {
    const c: any = confirmCard(view({ attendees: [{ ...view().attendees[0]!, name: '[Sam](https://evil.example)', role: '**Chief**' }] }));
    expect(c.body.find((e: any) => e.type === 'Container').items[0].text).toBe(String.raw`**\[Sam\]\(https\://evil\.example\)** (not the person your force named)`);
    expect(texts(c)).toContain(String.raw`Neighbourhood officer, \\*\\*Chief\\*\\*`);
  });

  it.each([
    ['pending', view()],
    ['confirmed, with a notice', view({ confirmation: 'confirmed', answeredBy: 'Gareth Owen', answeredAt: '2027-05-05T09:00:00+01:00' })],
    ['not needed, absent', view({ confirmation: 'not-needed', outcome: 'absent', attendees: [] })],
    ['records made before categories were asked', view({ attendees: [{ name: 'Sam Price', roleCategory: null, role: 'PC', unit: null, mode: null, decisionMaker: 'no', substitute: true }] })],
  ])('parses cleanly with the Adaptive Cards SDK and stays small (%s)', (_name, v) => {
    const c = confirmCard(v, 'Recorded: confirmed.');
    expect(cardProblems(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(28 * 1024);
  });
});
