import { describe, expect, it } from 'vitest';
import { cardProblems } from '../test/support/validate-card.js';
import { cancelCard, cancelledCard } from './cancel-card.js';

const start = '2027-05-04T10:00:00+01:00';
const end = '2027-05-04T12:00:00+01:00';

describe("the chair's cancel card", () => {
  it('offers the note as optional, short, and not for case details', () => {
    const c: any = cancelCard([{ meetingId: 'southampton.2027-05-03', version: 1, panelName: 'Southampton Channel panel', start, end, extra: false }]);
    const note = c.body.find((e: any) => e.id === 'note');
    expect(note).toMatchObject({ type: 'Input.Text', maxLength: 140, label: 'Note for the forces (optional)' });
    expect(note.isRequired ?? false).toBe(false);
    expect(note.placeholder).toContain('No case details');
    expect(c.body.find((e: any) => e.id === 'reason').label).toBe('Reason for cancelling');
    expect(cardProblems(c)).toEqual([]);
  });

  it("repeats the chair's note, as text, only when there is one", () => {
    const withNote = JSON.stringify(cancelledCard('Southampton Channel panel', start, end, 'other', 'Room double-booked [x](https://evil.example)'));
    expect(withNote).toContain('Your note, shown on the force cards only: Room double-booked');
    expect(withNote).not.toContain('](https');
    expect(JSON.stringify(cancelledCard('Southampton Channel panel', start, end, 'other'))).not.toContain('Your note');
    expect(cardProblems(cancelledCard('Southampton Channel panel', start, end, 'other', 'x'.repeat(140)))).toEqual([]);
  });
});
