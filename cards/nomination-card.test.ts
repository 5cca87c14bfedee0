import { describe, expect, it } from 'vitest';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { nominationCard, type NominationView } from './nomination-card.js';

const view = (extra: Partial<NominationView> = {}): NominationView => ({
  meetingId: 'southampton.2027-05-03', meetingVersion: 1, nominationVersion: 0,
  start: '2027-05-04T10:00:00+01:00', end: '2027-05-04T12:00:00+01:00', status: 'scheduled', started: false,
  moved: { from: '2027-05-03T10:00:00+01:00', reason: 'bank holiday: Early May bank holiday' },
  panel: { id: 'southampton', name: 'Southampton Channel panel', localAuthority: 'Southampton City Council', timetable: 'guidance' },
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
/** Every TextBlock, inside containers too. */
const blocks = (n: any): any[] => (Array.isArray(n) ? n.flatMap(blocks) : n && typeof n === 'object' ? [...(n.type === 'TextBlock' ? [n] : []), ...Object.values(n).flatMap(blocks)] : []);
const actions = (c: any): any[] => c.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions);

describe('the nomination card', () => {
  it('asks for the attendee with a person picker, static choices, role and decision-maker confirmation', () => {
    const c: any = nominationCard(view());
    const picker = c.body.find((e: any) => e.id === 'attendee');
    expect(picker['choices.data']).toEqual({ type: 'Data.Query', dataset: 'graph.microsoft.com/users' });
    expect(picker.choices).toEqual([{ title: 'Gareth Owen', value: '36f675cc-81e7-4ef5-a8e2-5d940ed90475' }]);
    expect(c.body.find((e: any) => e.id === 'role')).toMatchObject({ type: 'Input.Text' });
    expect(actions(c)[0]).toEqual(expect.objectContaining({ type: 'Action.Execute', verb: 'nominate', data: { meetingId: 'southampton.2027-05-03', forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0 } }));
  });

  it('asks the decision-maker question as an explicit choice, with nothing preselected, even when changing a nomination', () => {
    const named = view({ nomination: { aadObjectId: 'a', name: 'DI Sam Price', role: 'Detective Inspector', decisionMaker: true } });
    for (const v of [view(), named]) {
      const question = (nominationCard(v) as any).body.find((e: any) => e.id === 'decisionMaker');
      expect(question).toMatchObject({ type: 'Input.ChoiceSet', style: 'expanded' });
      expect(question.isMultiSelect ?? false).toBe(false);
      expect(question.choices).toEqual([
        { title: 'Confirmed: they can make decisions on behalf of the force', value: 'true' },
        { title: 'Not confirmed', value: 'false' },
      ]);
      expect(question).not.toHaveProperty('value');
    }
    // The record itself still says what was answered.
    expect(texts(nominationCard(named))).toContain('Confirmed able to make decisions on behalf of the force.');
  });

  it('offers apologies with an optional substitute picker, on the form and on the read-only card, for a meeting to come', () => {
    for (const editable of [true, false]) {
      const show = actions(nominationCard(view(), { editable })).find((a) => a.type === 'Action.ShowCard');
      expect(show.title).toBe('Send apologies');
      const picker = show.card.body.find((e: any) => e.id === 'substitute');
      expect(picker).toMatchObject({ type: 'Input.ChoiceSet', 'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' } });
      expect(picker.isRequired ?? false).toBe(false);
      const send = show.card.body.find((e: any) => e.type === 'ActionSet').actions[0];
      expect(send).toEqual({ type: 'Action.Execute', title: 'Send apologies', verb: 'sendApologies', data: { meetingId: 'southampton.2027-05-03', forceId: 'hampshire' } });
    }
    // Nothing on the form is required client-side: Teams would then hold the apologies button back until it was filled in.
    expect(JSON.stringify(nominationCard(view()))).not.toContain('isRequired');
    for (const closed of [view({ started: true }), view({ status: 'cancelled' })]) expect(actions(nominationCard(closed)).some((a) => a.type === 'Action.ShowCard')).toBe(false);
  });

  it('shows apologies already sent, and the substitute offered', () => {
    const sent = view({ apology: { sentBy: 'Nadia Rahman', sentAt: '2027-04-20T09:00:00+01:00', substitute: 'Gareth [Owen](https://evil.example)' } });
    const line = blocks(nominationCard(sent)).find((e) => e.text.startsWith('Apologies sent')).text;
    expect(line).toBe(String.raw`Apologies sent by Nadia Rahman on Tue 20 Apr 2027; substitute offered: Gareth \[Owen\]\(https\://evil\.example\).`);
    expect(actions(nominationCard(sent)).find((a) => a.type === 'Action.ShowCard').title).toBe('Send apologies again');
    expect(texts(nominationCard(view({ apology: { sentBy: 'Nadia Rahman', sentAt: '2027-04-20T09:00:00+01:00', substitute: null } })))).toContain('no substitute offered');
  });

  // Issue 18: Warning's pale yellow was unreadable; what must stand out sits in a styled container in the default colour.
  it('colours no sentence: the decision-maker answer, a missing nominee, apologies and a cancellation stand out in styled containers', () => {
    const styled = (c: any) => blocks(c).filter((b) => b.color).map((b) => b.text);
    const notConfirmed = nominationCard(view({ nomination: { aadObjectId: 'a', name: 'DI Sam Price', role: 'DI', decisionMaker: false }, apology: { sentBy: 'Nadia Rahman', sentAt: '2027-04-20T09:00:00+01:00', substitute: null } }), { editable: true, notice: 'This meeting changed since the card was sent.' });
    for (const c of [nominationCard(view()), notConfirmed, nominationCard(view({ status: 'cancelled' }))]) expect(styled(c)).toEqual([]);
    const containers = (c: any) => c.body.filter((e: any) => e.type === 'Container').map((e: any) => [e.style, e.items[0].text]);
    expect(containers(notConfirmed)).toEqual([
      ['attention', 'This meeting changed since the card was sent.'],
      ['warning', 'Not confirmed as able to make decisions on behalf of the force.'],
      ['warning', 'Apologies sent by Nadia Rahman on Tue 20 Apr 2027; no substitute offered.'],
    ]);
    expect(containers(nominationCard(view()))).toEqual([['warning', 'No police attendee has been named yet.']]);
  });

  it('tells an invited force that it is asked to this meeting only', () => {
    expect(texts(nominationCard(view({ invited: true })))).toContain('Invited to this meeting only');
    expect(texts(nominationCard(view()))).not.toContain('Invited to this meeting only');
  });

  it('shows the panel, date, local time, timetable, move and last three meetings', () => {
    const s = texts(nominationCard(view()));
    for (const part of ['Southampton Channel panel', 'Southampton City Council', 'Tue 4 May 2027, 10:00–12:00', 'Monthly, to the guidance timetable', 'Early May bank holiday', 'DI Sam Price attended (decision maker)', 'cancelled', 'nobody named']) {
      expect(s).toContain(part);
    }
  });

  it.each([
    ['guidance', 'Monthly, to the guidance timetable'],
    ['below-guidance', 'Fixed, but below the guidance timetable (monthly): some months have no meeting'],
    ['when-necessary', 'When necessary: not on the guidance timetable'],
  ] as const)('says what kind of timetable the panel has: %s', (kind, line) => {
    const c: any = nominationCard(view({ panel: { ...view().panel, timetable: kind } }));
    const facts = c.body.find((e: any) => e.type === 'FactSet').facts;
    expect(facts.find((f: any) => f.title === 'Timetable')).toEqual({ title: 'Timetable', value: line });
  });

  it('shows the named attendee and hides the form when the meeting is cancelled or started', () => {
    const named = view({ nomination: { aadObjectId: 'a', name: 'DI Sam Price', role: 'Detective Inspector', decisionMaker: true } });
    expect(texts(nominationCard(named))).toContain('Named: **DI Sam Price**, Detective Inspector');
    expect(actions(nominationCard(named))[0].title).toBe('Change attendee');
    expect(actions(nominationCard(view({ status: 'cancelled' })))).toEqual([]);
    expect(texts(nominationCard(view({ status: 'cancelled' })))).toContain('This meeting was cancelled');
    expect(actions(nominationCard(view({ started: true })))).toEqual([]);
  });

  it("shows a cancellation's reason and the chair's note as text, and says so once the note was removed", () => {
    const cancelled = (cancellation: NominationView['cancellation']) => texts(nominationCard(view({ status: 'cancelled', cancellation })));
    const shown = cancelled({ reason: 'chair unavailable', note: 'Chair on leave [see](https://evil.example) *now*', noteRemoved: false });
    expect(shown).toContain('Cancelled: chair unavailable.');
    expect(shown).toContain('Note from the chair: Chair on leave \\\\[see\\\\]');
    expect(shown).not.toMatch(/\]\(https/);
    const removed = cancelled({ reason: 'chair unavailable', note: '', noteRemoved: true });
    expect(removed).toContain('Note from the chair: (note removed)');
    const none = cancelled({ reason: 'no cases to discuss', note: '', noteRemoved: false });
    expect(none).toContain('Cancelled: no cases to discuss.');
    expect(none).not.toContain('Note from the chair');
  });

  it('carries a refresh for the people who may edit, and only an edit button for everyone else', () => {
    const c: any = nominationCard(view(), { editable: false, refreshUserIds: ['29:lead'] });
    expect(c.refresh).toEqual({ action: { type: 'Action.Execute', verb: 'refreshNomination', data: { meetingId: 'southampton.2027-05-03', forceId: 'hampshire' } }, userIds: ['29:lead'] });
    expect(actions(c)[0]).toEqual({ type: 'Action.Execute', title: 'Name attendee', verb: 'refreshNomination', data: { meetingId: 'southampton.2027-05-03', forceId: 'hampshire' } });
    expect(actions(c).map((a) => a.verb ?? a.type)).toEqual(['refreshNomination', 'Action.ShowCard']);
    expect(c.body.some((e: any) => e.type?.startsWith('Input.'))).toBe(false);
  });

  it.each([
    ['open', view()],
    ['named', view({ nomination: { aadObjectId: 'a', name: 'X', role: 'DI', decisionMaker: false } })],
    ['cancelled', view({ status: 'cancelled' })],
    ['cancelled with a note', view({ status: 'cancelled', cancellation: { reason: 'other', note: 'x'.repeat(140), noteRemoved: false } })],
    ['no history', view({ recent: [], moved: null })],
    ['apologies sent, invited', view({ invited: true, apology: { sentBy: 'Nadia Rahman', sentAt: '2027-04-20T09:00:00+01:00', substitute: 'Gareth Owen' } })],
  ])('parses cleanly with the Adaptive Cards SDK and stays small (%s)', (_name, v) => {
    const c = nominationCard(v, { editable: true, notice: 'This meeting changed.', refreshUserIds: ['29:x'] });
    expect(cardProblems(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(28 * 1024);
  });

  it('the validator catches a broken card', () => {
    expect(cardProblems({ type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Input.Text' }] }).length).toBeGreaterThan(0);
  });
});
