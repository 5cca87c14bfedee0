import { describe, expect, it } from 'vitest';
import type { NationalForce, PanelsMeeting, PanelsView } from '../scheduler/planning/my-panels.js';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { cancelQuestion } from './cancel-card.js';
import { panelsCard } from './panels-card.js';

const start = '2027-05-04T10:00:00+01:00';
const end = '2027-05-04T12:00:00+01:00';
const HAMPSHIRE = 'Hampshire and Isle of Wight Constabulary';

const meeting = (i: number, over: Partial<PanelsMeeting> = {}): PanelsMeeting => ({
  id: `southampton.2027-05-0${i}`, version: 3, panelId: 'southampton', panelName: 'Southampton Channel panel', start, end, status: 'scheduled', extra: false, moved: false,
  forces: [{ id: 'hampshire', name: HAMPSHIRE, invited: false, nominee: i % 2 ? { name: 'Nadia Rahman', decisionMaker: true } : null, canName: false }],
  flags: i % 2 ? [] : ['NO_NOMINATION'], ...over,
});
const empty: PanelsView = { months: 3, chair: null, lead: null, named: [], national: null };
const chairPanels = [{ id: 'southampton', name: 'Southampton Channel panel', whenNecessary: false, snapshot: { asOf: '2027-04-19T08:00:00.000Z', fingerprint: 'AbCdEfGhIjKlMnOp' } }];
const chair: PanelsView = { ...empty, chair: { meetings: [meeting(1), meeting(2), meeting(3, { status: 'cancelled' })], unrecorded: [{ id: 'southampton.2027-04-05', panelName: 'Southampton Channel panel', start, end }], panels: chairPanels } };

type Node = Record<string, any>;
const all = (node: unknown): Node[] => (Array.isArray(node) ? node.flatMap(all) : node && typeof node === 'object' ? [node as Node, ...Object.values(node).flatMap(all)] : []);
const actions = (c: unknown, type: string) => all(c).filter((n) => n.type === type);

describe('the panels card, shaped by role', () => {
  it("gives a chair Cancel and Move on each meeting to come, opening in place, and Record attendance for one that ended unrecorded", () => {
    const c = panelsCard(chair);
    expect(cardProblems(c)).toEqual([]);
    const shows = actions(c, 'Action.ShowCard');
    expect(shows.map((s) => s.title)).toEqual(['Cancel', 'Move', 'Cancel', 'Move', 'Add a meeting']);
    // Each meeting's form has its own input ids, and its button asks: it carries no step, so it cancels nothing.
    const [cancel0, , cancel1] = shows;
    expect(all(cancel0!.card).filter((n) => n.id).map((n) => n.id)).toEqual(['reason_0', 'note_0']);
    expect(all(cancel1!.card).find((n) => n.type === 'Action.Execute')).toMatchObject({ title: 'Cancel this meeting…', verb: 'cancelMeeting', data: { meetingId: 'southampton.2027-05-02', versions: { 'southampton.2027-05-02': 3 }, row: '1', from: 'panels' } });
    const execute = actions(c, 'Action.Execute').filter((a) => !shows.some((s) => all(s.card).includes(a)));
    expect(execute.map((a) => [a.title, a.verb, a.data])).toEqual([
      ['Record attendance', 'openAttendance', { meetingId: 'southampton.2027-04-05', from: 'panels' }],
      ['Invite a force', 'openChairCard', { view: 'invite', from: 'panels' }],
      ['Record a past meeting', 'openChairCard', { view: 'record', from: 'panels' }],
    ]);
    const json = JSON.stringify(c);
    expect(json).toContain(`${HAMPSHIRE}: Nadia Rahman, confirmed decision maker`);
    expect(json).toContain('Flags: Nobody named to attend');
    expect(json).not.toContain('NO_NOMINATION');
    expect(json).not.toContain('You chair this panel');
    expect(json).toContain('Tue 4 May 2027, 10:00–12:00 · cancelled');
  });

  // Adaptive Cards inputs are card-wide: two panels' add forms with the same ids would send each other's values.
  it("gives each of a chair's panels its own add form, named by panel, its inputs and button the panel's own", () => {
    const portsmouth = { ...chairPanels[0]!, id: 'portsmouth', name: 'Portsmouth Channel panel', whenNecessary: true };
    const c = panelsCard({ ...chair, chair: { ...chair.chair!, panels: [...chairPanels, portsmouth] } });
    expect(cardProblems(c)).toEqual([]);
    const adds = actions(c, 'Action.ShowCard').filter((s) => s.title.startsWith('Add a meeting'));
    expect(adds.map((s) => s.title)).toEqual(['Add a meeting: Southampton Channel panel', 'Add a meeting: Portsmouth Channel panel']);
    expect(adds.map((s) => all(s.card).filter((n) => n.id).map((n) => n.id))).toEqual([['extraDate_southampton', 'extraTime_southampton'], ['extraDate_portsmouth', 'extraTime_portsmouth']]);
    expect(adds.map((s) => all(s.card).find((n) => n.type === 'Action.Execute')!.data)).toEqual([
      { panelId: 'southampton', snapshots: { southampton: 'AbCdEfGhIjKlMnOp' }, asOf: '2027-04-19T08:00:00.000Z', from: 'panels' },
      { panelId: 'portsmouth', snapshots: { portsmouth: 'AbCdEfGhIjKlMnOp' }, asOf: '2027-04-19T08:00:00.000Z', from: 'panels' },
    ]);
    expect(JSON.stringify(adds[1]!.card)).toContain('meets \\"when necessary\\"');
    expect(JSON.stringify(adds[0]!.card)).not.toContain('when necessary');
  });

  it('shows the confirm question under the meeting it is about, in place of its buttons, with a line on top', () => {
    const question = cancelQuestion({ meetingId: 'southampton.2027-05-02', panelName: 'Southampton Channel panel', start, end, reason: 'other', note: '', versions: {}, from: 'panels' });
    const c = panelsCard(chair, { prompt: { at: 'southampton.2027-05-02', element: question }, notice: { text: 'Saved: something.', tone: 'good' } });
    expect(cardProblems(c)).toEqual([]);
    expect(actions(c, 'Action.ShowCard').map((s) => s.title)).toEqual(['Cancel', 'Move', 'Add a meeting']);
    expect((c.body as Node[])[0]).toMatchObject({ type: 'Container', style: 'good', items: [{ text: 'Saved: something.' }] });
    expect(JSON.stringify(c)).toContain('Cancel the Southampton Channel panel meeting on Tue 4 May 2027, 10:00–12:00?');
  });

  it('asks on top when the meeting is not on the list', () => {
    const question = cancelQuestion({ meetingId: 'elsewhere.2027-05-04', panelName: 'Portsmouth Channel panel', start, end, reason: 'other', note: '', versions: {}, from: 'panels' });
    const c = panelsCard({ ...empty, national: [] }, { prompt: { at: 'elsewhere.2027-05-04', element: question } });
    expect(cardProblems(c)).toEqual([]);
    expect((c.body as Node[])[0]).toBe(question);
  });

  it("gives a force lead their force's meetings, a Name attendee button each, by force name when there are several", () => {
    const named = { id: 'cambs', name: 'Cambridgeshire Constabulary', invited: false, nominee: null, canName: true };
    const lead: PanelsView = { ...empty, lead: [meeting(1, { forces: [{ ...meeting(1).forces[0]!, canName: true }] }), meeting(2, { forces: [{ ...meeting(2).forces[0]!, canName: true }, named] })] };
    const c = panelsCard(lead);
    expect(cardProblems(c)).toEqual([]);
    expect(actions(c, 'Action.Execute').map((a) => [a.title, a.verb, a.data.forceId])).toEqual([
      ['Change attendee', 'openNomination', 'hampshire'],
      [`Name attendee: ${HAMPSHIRE}`, 'openNomination', 'hampshire'],
      ['Name attendee: Cambridgeshire Constabulary', 'openNomination', 'cambs'],
    ]);
    expect(actions(c, 'Action.ShowCard')).toEqual([]);
  });

  it('gives a national lead every force collapsed, with counts, each opening on a tap', () => {
    const forces: NationalForce[] = [
      { id: 'cambs', name: 'Cambridgeshire Constabulary', meetings: 0, unnamed: 0, flags: 1, next: [] },
      { id: 'hampshire', name: HAMPSHIRE, meetings: 9, unnamed: 4, flags: 12, next: [meeting(1), meeting(2)] },
    ];
    const c = panelsCard({ ...empty, national: forces });
    expect(cardProblems(c)).toEqual([]);
    const json = JSON.stringify(c);
    expect(json).toContain(`**${HAMPSHIRE}**: 9 meetings · 4 with nobody named · 12 open flags`);
    expect(json).toContain('**Cambridgeshire Constabulary**: 0 meetings · 0 with nobody named · 1 open flag"');
    expect(json).toContain('Southampton Channel panel, Tue 4 May 2027, 10:00–12:00: Nadia Rahman, confirmed decision maker\\nSouthampton Channel panel, Tue 4 May 2027, 10:00–12:00: nobody named yet\\nand 7 more meetings');
    // Only a force with meetings to show opens.
    expect(all(c).filter((n) => n.isVisible === false).map((n) => n.id)).toEqual(['f-hampshire']);
    expect(actions(c, 'Action.ToggleVisibility').map((a) => a.targetElements)).toEqual([['f-hampshire']]);
    expect(json).not.toContain('You chair this panel');
  });

  it('stays well under 28 KB for a national lead of 43 forces and a chair of many panels, saying what it left out', () => {
    const many = Array.from({ length: 10 }, (_, i) => meeting(i % 9, { id: `panel-${i}.2027-05-04`, panelName: `Panel ${i} with a long local authority name Channel panel` }));
    const forces = Array.from({ length: 43 }, (_, i): NationalForce => ({ id: `force-${i}`, name: `Force number ${i} Constabulary of a long county name`, meetings: 30, unnamed: 12, flags: 40, next: many.slice(0, 5) }));
    for (const v of [{ ...empty, national: forces, chair: { ...chair.chair!, meetings: many } }, { ...empty, chair: { ...chair.chair!, meetings: many }, lead: many }]) {
      const c = panelsCard(v);
      expect(cardProblems(c)).toEqual([]);
      expect(cardBytes(c)).toBeLessThan(25 * 1024);
    }
    // A national lead's forces come fifteen to a page, each with its next meetings: nothing is cut to fit.
    expect(JSON.stringify(panelsCard({ ...empty, national: forces }))).not.toContain('Some meetings are left out');
  });

  it("pages a national lead's 43 forces, fifteen to a page, saying in words how to reach the others", () => {
    const forces = Array.from({ length: 43 }, (_, i): NationalForce => ({ id: `force-${i}`, name: `Force ${String(i).padStart(2, '0')}`, meetings: 9, unnamed: 4, flags: 2, next: [meeting(1)] }));
    const pages = [1, 2, 3].map((page) => panelsCard({ ...empty, national: forces, chair: chair.chair }, { page }));
    const toggled = pages.map((c) => actions(c, 'Action.ToggleVisibility').map((a) => a.targetElements[0]));
    expect(toggled.map((t) => t.length)).toEqual([15, 15, 13]);
    expect(new Set(toggled.flat()).size).toBe(43);
    for (const c of pages) expect(cardProblems(c)).toEqual([]);
    const [one, two, three] = pages.map((c) => JSON.stringify(c));
    expect(one).toContain('Every force (1 to 15 of 43, by name)');
    expect(one).toContain('Type `panels page 2` for the next forces, from Force 15.');
    expect(two).toContain('`panels page 1` shows the ones before.');
    expect(three).not.toContain('for the next forces');
    // The chair's own section is on the first page only; a page past the last is the last.
    expect([one, two].map((j) => j!.includes('Panels you chair'))).toEqual([true, false]);
    expect(JSON.stringify(panelsCard({ ...empty, national: forces }, { page: 9 }))).toBe(JSON.stringify(panelsCard({ ...empty, national: forces }, { page: 3 })));
  });

  it("shows a big force's areas, each with its counts, behind the force's tap", () => {
    const met: NationalForce = { id: 'met', name: 'Metropolitan Police Service', meetings: 30, unnamed: 20, flags: 3, next: [], areas: [{ name: 'North East London', meetings: 8, unnamed: 5 }, { name: 'South West London', meetings: 1, unnamed: 0 }] };
    const c = panelsCard({ ...empty, national: [met] });
    expect(cardProblems(c)).toEqual([]);
    expect(all(c).find((n) => n.id === 'f-met')?.isVisible).toBe(false);
    expect(JSON.stringify(c)).toContain('By area: North East London: 8 meetings · 5 with nobody named; South West London: 1 meeting · 0 with nobody named');
  });

  it('says so when nothing involves the person', () => {
    const c = panelsCard(empty);
    expect(cardProblems(c)).toEqual([]);
    expect(JSON.stringify(c)).toContain('No upcoming meetings involve you.');
  });
});
