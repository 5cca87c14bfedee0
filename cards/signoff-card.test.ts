import { describe, expect, it } from 'vitest';
import { MAX_ROWS } from '../scheduler/review/signoff-flags.js';
import { form, previous, SIGNOFF_ID, TODAY } from '../test/support/signoff-samples.js';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { previousActions, signedOffCard, signoffActionsCard, signoffCard } from './signoff-card.js';
import { signOffData } from './verbs.js';

/** Every text a person reads, roughly: what the card shows, without the data its buttons carry. */
const shown = (c: unknown) => JSON.stringify(c, (k, v) => (['data', 'id', 'value', 'min'].includes(k) ? undefined : v));
/** The same, without the commands a person types (where an id belongs). */
const outsideHints = (c: unknown) => shown(c).replace(/`review signoff[^`]*`/g, '`…`');
const executes = (node: unknown): Array<{ title: string; verb: string; data: Record<string, unknown> }> =>
  Array.isArray(node) ? node.flatMap(executes)
    : node && typeof node === 'object' ? [...((node as any).type === 'Action.Execute' ? [node as any] : []), ...Object.values(node).flatMap(executes)] : [];
const inputs = (node: unknown): any[] =>
  Array.isArray(node) ? node.flatMap(inputs) : node && typeof node === 'object' ? [...(String((node as any).type).startsWith('Input.') ? [node] : []), ...Object.values(node).flatMap(inputs)] : [];

describe('the review sign-off card', () => {
  it('holds a full form and the previous sign-off under 28 KB, parsing cleanly, in words and dates people write', () => {
    const c = signoffCard({ form: form(), today: TODAY, submissionId: 'c0ffee00-0000-4000-8000-000000000001' });
    expect(cardProblems(c)).toEqual([]);
    expect(cardBytes(c)).toBeLessThan(28 * 1024);
    const words = outsideHints(c);
    expect(words).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(words).not.toMatch(/\b(southampton|portsmouth|hampshire)\b/);
    expect(words).not.toMatch(/POLICE_ABSENT|[A-Z]+_[A-Z]+/);
    expect(words).toContain('1 Jan 2027 to 31 Mar 2027');
    expect(words).toContain('Actions agreed at the last review (1 Oct 2026 to 31 Dec 2026)');
    expect(words).toContain('Overdue: it was due 31 Mar 2027');
    expect(words).toContain('Done, marked by Nadia Rahman on 20 Mar 2027');
    expect(words).toContain('Do not put case details here');
  });

  it('asks for one answer per row, with what, owner and a due date from today, and signs off with the rows it was made from', () => {
    const c = signoffCard({ form: form(), today: TODAY, submissionId: 'c0ffee00-0000-4000-8000-000000000001' });
    const fields = inputs(c);
    expect(fields.map((f) => f.id)).toEqual(['conclusion', ...Array.from({ length: MAX_ROWS }, (_, n) => [`decision_${n}`, `what_${n}`, `owner_${n}`, `due_${n}`]).flat()]);
    expect(fields.find((f) => f.id === 'decision_0')).toMatchObject({ type: 'Input.ChoiceSet', choices: [{ title: 'Action', value: 'action' }, { title: 'Accepted, no action', value: 'accepted' }] });
    expect(fields.find((f) => f.id === 'decision_0').value).toBeUndefined();
    expect(fields.find((f) => f.id === 'due_3')).toMatchObject({ type: 'Input.Date', min: TODAY });
    const sign = executes(c).find((a) => a.verb === 'signOffReview')!;
    expect(sign.data).toEqual({ forceId: 'hampshire', from: '2027-01-01', to: '2027-03-31', fingerprint: 'B03kf8UIUpOjQpBb1nJvz0', rows: MAX_ROWS, submissionId: 'c0ffee00-0000-4000-8000-000000000001' });
    // What Teams sends back (the data with the inputs merged) reads as one answer per row.
    const pressed = signOffData.parse({ ...sign.data, conclusion: 'Fine', decision_0: 'action', what_0: 'Chase', owner_0: 'DS', due_0: '2027-05-01', decision_1: 'accepted' });
    expect(pressed.answers.slice(0, 3)).toEqual([{ decision: 'action', what: 'Chase', owner: 'DS', due: '2027-05-01' }, { decision: 'accepted' }, {}].map((a) => ({ decision: undefined, what: undefined, owner: undefined, due: undefined, ...a })));
  });

  it('offers "Mark done" for each open or overdue action only, naming the force for the gate', () => {
    const c = signoffCard({ form: form(), today: TODAY, submissionId: 'c0ffee00-0000-4000-8000-000000000001' });
    const marks = executes(c).filter((a) => a.verb === 'markActionDone');
    const open = new Set(previous.actions.filter((a) => a.state === 'open' || a.state === 'overdue').map((a) => a.answer));
    expect(marks).toHaveLength(open.size);
    expect(marks[0]).toMatchObject({ title: 'Mark done', data: { actionId: `${SIGNOFF_ID}.0`, forceId: 'hampshire' } });
    // Shown to someone who only reads (the review card for a chair or the PCC's office): the same actions, no buttons.
    expect(executes(previousActions(previous, false))).toEqual([]);
    expect(JSON.stringify(previousActions(previous, false))).toContain('Overdue: it was due 31 Mar 2027');
  });

  it('shows again what was typed, with the refusal on top', () => {
    const c = signoffCard({
      form: form({ previous: null }), today: TODAY, submissionId: 'c0ffee00-0000-4000-8000-000000000001',
      values: { conclusion: 'Fine', answers: [{ decision: 'action', what: 'Chase', owner: 'DS', due: '2027-05-01' }] },
      notice: { text: 'Not signed off: Police absent: give the action’s owner.', tone: 'attention' },
    });
    const fields = inputs(c);
    expect(fields.filter((f) => f.value !== undefined).map((f) => [f.id, f.value])).toEqual([['conclusion', 'Fine'], ['decision_0', 'action'], ['what_0', 'Chase'], ['owner_0', 'DS'], ['due_0', '2027-05-01']]);
    expect(shown(c)).toContain('Not signed off');
    expect(shown(c)).not.toContain('Actions agreed at the last review');
  });

  it('says when there is nothing to answer, and that the period was signed off already', () => {
    const c = signoffCard({ form: form({ rows: [], previous: null, signedAlready: previous.signoff }), today: TODAY, submissionId: 'c0ffee00-0000-4000-8000-000000000001' });
    expect(cardProblems(c)).toEqual([]);
    expect(shown(c)).toContain('There are no open flags in this period');
    expect(shown(c)).toContain('This period was signed off by Gareth Owen on 8 Jan 2027');
  });

  it('confirms a sign-off in one line, and shows a sign-off’s actions on their own card', () => {
    const done = signedOffCard('Hampshire and Isle of Wight Constabulary', previous.signoff);
    expect(cardProblems(done)).toEqual([]);
    expect(shown(done)).toContain('Signed off: the review of Hampshire and Isle of Wight Constabulary, 1 Oct 2026 to 31 Dec 2026.');
    expect(shown(done)).toContain('15 actions agreed; 9 flags accepted with no action');
    const actions = signoffActionsCard({ previous, scopeName: 'Hampshire and Isle of Wight Constabulary', notice: { text: 'Marked done: Police absent.', tone: 'good' } });
    expect(cardProblems(actions)).toEqual([]);
    expect(shown(actions)).toContain('Marked done: Police absent.');
  });
});
