import { describe, expect, it } from 'vitest';
import { cardProblems } from '../test/support/validate-card.js';
import { addConfirmCard, addedLine } from './add-card.js';
import { cancelCard, cancelConfirmCard, cancelledCard } from './cancel-card.js';
import { moveConfirmCard } from './move-card.js';

const start = '2027-05-04T10:00:00+01:00';
const end = '2027-05-04T12:00:00+01:00';
const MAY = { meetingId: 'southampton.2027-05-03', version: 1, panelName: 'Southampton Channel panel', start, end, extra: false };

/** Every Action.Execute on a card, wherever it is. */
const executes = (node: unknown): Array<{ title: string; verb: string; data: Record<string, unknown> }> =>
  Array.isArray(node) ? node.flatMap(executes)
    : node && typeof node === 'object' ? [...((node as any).type === 'Action.Execute' ? [node as any] : []), ...Object.values(node).flatMap(executes)] : [];

describe("the chair's cancel card", () => {
  it('offers the note as optional, short, and not for case details', () => {
    const c: any = cancelCard({ meetings: [MAY] });
    const note = c.body.find((e: any) => e.id === 'note');
    expect(note).toMatchObject({ type: 'Input.Text', maxLength: 140, label: 'Note for the forces (optional)' });
    expect(note.isRequired ?? false).toBe(false);
    expect(note.placeholder).toContain('No case details');
    expect(c.body.find((e: any) => e.id === 'reason').label).toBe('Reason for cancelling');
    expect(JSON.stringify(c)).toContain('Do not put case details here');
    expect(cardProblems(c)).toEqual([]);
  });

  it('is for cancelling only: its one button asks, and the other jobs are a button each', () => {
    const c: any = cancelCard({ meetings: [MAY], selected: MAY.meetingId, values: { reason: 'other', note: 'Room unavailable' } });
    expect(c.body.find((e: any) => e.id === 'meetingId').value).toBe(MAY.meetingId);
    expect(c.body.find((e: any) => e.id === 'reason').value).toBe('other');
    expect(c.body.find((e: any) => e.id === 'note').value).toBe('Room unavailable');
    expect(c.body.some((e: any) => ['newDate', 'extraDate', 'forceId', 'pastMeetingId'].includes(e.id))).toBe(false);
    const [ask, ...others] = executes(c);
    expect(ask).toMatchObject({ title: 'Cancel this meeting…', verb: 'cancelMeeting', data: { versions: { [MAY.meetingId]: 1 } } });
    expect(ask!.data.step).toBeUndefined();
    expect(others.map((a) => [a.title, a.data.view])).toEqual([['Move a meeting', 'move'], ['Add a meeting', 'add'], ['Invite a force', 'invite'], ['Record a past meeting', 'record']]);
  });

  it('asks before it cancels, naming the meeting, and only Confirm cancels', () => {
    const c = cancelConfirmCard({ meetingId: MAY.meetingId, panelName: 'Hampshire Channel panel', start, end, reason: 'not quorate', note: 'Chair on leave', versions: { [MAY.meetingId]: 1 } });
    expect(cardProblems(c)).toEqual([]);
    expect(JSON.stringify(c)).toContain("Cancel the Hampshire Channel panel meeting on Tue 4 May 2027, 10:00–12:00? Each force's card will say so.");
    const [confirm, keep] = executes(c);
    const data = { meetingId: MAY.meetingId, reason: 'not quorate', note: 'Chair on leave', versions: { [MAY.meetingId]: 1 } };
    expect(confirm).toMatchObject({ title: 'Confirm', verb: 'cancelMeeting', style: 'destructive', data: { ...data, step: 'confirm' } });
    expect(keep).toMatchObject({ title: 'Keep it', verb: 'cancelMeeting', data: { ...data, step: 'keep' } });
  });

  it("repeats the chair's note, as text, only when there is one", () => {
    const withNote = JSON.stringify(cancelledCard('Southampton Channel panel', start, end, 'other', 'Room double-booked [x](https://evil.example)'));
    expect(withNote).toContain('Saved: Southampton Channel panel, Tue 4 May 2027, 10:00–12:00 is cancelled. Reason: other.');
    expect(withNote).toContain('Your note, shown on the force cards only: Room double-booked');
    expect(withNote).not.toContain('](https');
    expect(JSON.stringify(cancelledCard('Southampton Channel panel', start, end, 'other'))).not.toContain('Your note');
    expect(cardProblems(cancelledCard('Southampton Channel panel', start, end, 'other', 'x'.repeat(140)))).toEqual([]);
  });
});

describe('the move and add questions', () => {
  it('says from when to when, and carries the new date and time', () => {
    const to = { start: '2027-05-06T14:00:00+01:00', end: '2027-05-06T16:00:00+01:00' };
    const c = moveConfirmCard({ meetingId: MAY.meetingId, panelName: 'Southampton Channel panel', start, end, to, newDate: '2027-05-06', newTime: '14:00', versions: { [MAY.meetingId]: 1 }, from: 'panels' });
    expect(cardProblems(c)).toEqual([]);
    expect(JSON.stringify(c)).toContain('Move the Southampton Channel panel meeting from Tue 4 May 2027, 10:00–12:00 to Thu 6 May 2027, 14:00–16:00?');
    expect(executes(c).map((a) => [a.title, a.data.step, a.data.from, a.data.newTime])).toEqual([['Confirm', 'confirm', 'panels', '14:00'], ['Keep it', 'keep', 'panels', '14:00']]);
  });

  it('says when a meeting to add has already taken place', () => {
    const c = addConfirmCard({ panelId: 'southampton', panelName: 'Southampton Channel panel', start, end, ended: true, extraDate: '2027-05-04', extraTime: '10:00', snapshots: { southampton: 'AbCd' }, asOf: '2027-04-01T08:00:00.000Z' });
    expect(cardProblems(c)).toEqual([]);
    expect(JSON.stringify(c)).toContain('Add an extra Southampton Channel panel meeting on Tue 4 May 2027, 10:00–12:00? It has already ended: you record who attended next.');
    expect(executes(c)[0]!.data).toEqual({ panelId: 'southampton', extraDate: '2027-05-04', extraTime: '10:00', snapshots: { southampton: 'AbCd' }, asOf: '2027-04-01T08:00:00.000Z', step: 'confirm' });
    expect(addedLine('Southampton Channel panel', start, end)).toBe('Saved: extra Southampton Channel panel meeting added, Tue 4 May 2027, 10:00–12:00.');
  });
});
