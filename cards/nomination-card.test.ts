import { describe, expect, it } from 'vitest';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { nominationCard, type NominationView } from './nomination-card.js';

const view = (extra: Partial<NominationView> = {}): NominationView => ({
  meetingId: 'southampton.2027-05-03', meetingVersion: 1, nominationVersion: 0,
  start: '2027-05-04T10:00:00+01:00', end: '2027-05-04T12:00:00+01:00', status: 'scheduled', started: false,
  moved: { from: '2027-05-03T10:00:00+01:00', reason: 'bank holiday: Early May bank holiday' },
  panel: { id: 'southampton', name: 'Southampton Channel panel', localAuthority: 'Southampton City Council', onGuidanceTimetable: true },
  force: { id: 'hampshire', name: 'Hampshire and Isle of Wight Constabulary' },
  nomination: null,
  recent: [
    { start: '2027-04-05T10:00:00+01:00', status: 'held', name: 'DI Sam Price', decisionMaker: true, attended: true },
    { start: '2027-03-01T10:00:00+00:00', status: 'cancelled', name: null, decisionMaker: null, attended: null },
    { start: '2027-02-01T10:00:00+00:00', status: 'scheduled', name: null, decisionMaker: null, attended: null },
  ],
  choices: [{ aadObjectId: '36f675cc-81e7-4ef5-a8e2-5d940ed90475', name: 'Gareth Owen' }],
  ...extra,
});
const texts = (c: unknown) => JSON.stringify(c);
const actions = (c: any): any[] => c.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions);

describe('the nomination card', () => {
  it('asks for the attendee with a person picker, static choices, role and decision-maker confirmation', () => {
    const c: any = nominationCard(view());
    const picker = c.body.find((e: any) => e.id === 'attendee');
    expect(picker['choices.data']).toEqual({ type: 'Data.Query', dataset: 'graph.microsoft.com/users' });
    expect(picker.choices).toEqual([{ title: 'Gareth Owen', value: '36f675cc-81e7-4ef5-a8e2-5d940ed90475' }]);
    expect(c.body.find((e: any) => e.id === 'role')).toMatchObject({ type: 'Input.Text', isRequired: true });
    expect(c.body.find((e: any) => e.id === 'decisionMaker')).toMatchObject({ type: 'Input.Toggle', valueOn: 'true' });
    expect(actions(c)).toEqual([expect.objectContaining({ type: 'Action.Execute', verb: 'nominate', data: { meetingId: 'southampton.2027-05-03', forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0 } })]);
  });

  it('shows the panel, date, local time, timetable, move and last three meetings', () => {
    const s = texts(nominationCard(view()));
    for (const part of ['Southampton Channel panel', 'Southampton City Council', 'Tue 4 May 2027, 10:00–12:00', 'Monthly, to the guidance timetable', 'Early May bank holiday', 'DI Sam Price attended (decision maker)', 'cancelled', 'nobody named']) {
      expect(s).toContain(part);
    }
  });

  it('shows the named attendee and hides the form when the meeting is cancelled or started', () => {
    const named = view({ nomination: { aadObjectId: 'a', name: 'DI Sam Price', role: 'Detective Inspector', decisionMaker: true } });
    expect(texts(nominationCard(named))).toContain('Named: **DI Sam Price**, Detective Inspector');
    expect(actions(nominationCard(named))[0].title).toBe('Change attendee');
    expect(actions(nominationCard(view({ status: 'cancelled' })))).toEqual([]);
    expect(texts(nominationCard(view({ status: 'cancelled' })))).toContain('This meeting was cancelled');
    expect(actions(nominationCard(view({ started: true })))).toEqual([]);
  });

  it('carries a refresh for the people who may edit, and only an edit button for everyone else', () => {
    const c: any = nominationCard(view(), { editable: false, refreshUserIds: ['29:lead'] });
    expect(c.refresh).toEqual({ action: { type: 'Action.Execute', verb: 'refreshNomination', data: { meetingId: 'southampton.2027-05-03', forceId: 'hampshire' } }, userIds: ['29:lead'] });
    expect(actions(c)).toEqual([{ type: 'Action.Execute', title: 'Name attendee', verb: 'refreshNomination', data: { meetingId: 'southampton.2027-05-03', forceId: 'hampshire' } }]);
    expect(c.body.some((e: any) => e.type?.startsWith('Input.'))).toBe(false);
  });

  it.each([
    ['open', view()],
    ['named', view({ nomination: { aadObjectId: 'a', name: 'X', role: 'DI', decisionMaker: false } })],
    ['cancelled', view({ status: 'cancelled' })],
    ['no history', view({ recent: [], moved: null })],
  ])('parses cleanly with the Adaptive Cards SDK and stays small (%s)', (_name, v) => {
    const c = nominationCard(v, { editable: true, notice: 'This meeting changed.', refreshUserIds: ['29:x'] });
    expect(cardProblems(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(28 * 1024);
  });

  it('the validator catches a broken card', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text' }] }).length).toBeGreaterThan(0);
  });
});
