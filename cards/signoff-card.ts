import { DateTime } from 'luxon';
import type { PreviousSignoff, SignoffAnswer, SignoffForm } from '../scheduler/review/signoff.js';
import type { ActionWithState, Signoff, SignoffScope } from '../scheduler/review/signoff-types.js';
import { execute, noticeBlock, savedCard, type Notice } from './chair-steps.js';
import { callout, card, md, text, type CardElement } from './format.js';
import { VERBS } from './verbs.js';

/** What the sign-off card shows: the form the use case made, the press's own id, and what was typed before a refusal. */
export interface SignoffCardView {
  form: SignoffForm;
  /** YYYY-MM-DD (Europe/London): no due date before it. */
  today: string;
  /** This card's press id: pressing twice (Teams retries) signs once. */
  submissionId: string;
  values?: { conclusion?: string; answers?: SignoffAnswer[] };
  notice?: Notice;
}

/** A previous sign-off's actions on their own card (the answer to "Mark done"). */
export interface SignoffActionsView {
  previous: PreviousSignoff;
  scopeName: string;
  notice?: Notice;
}

const NO_CASE_DETAILS = 'Do not put case details here: no names, no numbers of cases, nothing about any referred person.';
const DECISIONS = [{ title: 'Action', value: 'action' }, { title: 'Accepted, no action', value: 'accepted' }];

/** "4 May 2027" from a Europe/London date. */
const date = (ymd: string) => DateTime.fromISO(ymd, { zone: 'Europe/London' }).toFormat('d LLL yyyy');
const instantDate = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone('Europe/London').toFormat('d LLL yyyy');
const period = (from: string, to: string) => `${date(from)} to ${date(to)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** The force a button's data names, so the gate can decide; none for the national view. */
const forceOf = (scope: SignoffScope): Record<string, string> => (scope.kind === 'force' ? { forceId: scope.forceId } : {});

/** An action's state in words, with the day it was due or done. */
function stateWords(a: ActionWithState): string {
  if (a.state === 'done') return `Done${a.doneBy ? `, marked by ${md(a.doneBy)}` : ''}${a.doneAt ? ` on ${instantDate(a.doneAt)}` : ''}`;
  if (a.state === 'overdue') return `Overdue: it was due ${date(a.due!)}`;
  if (a.state === 'accepted') return 'Accepted, no action';
  return `Open: due ${date(a.due!)}`;
}

/** The actions of one answer (flags answered together share one): one row, one "Mark done". */
function actionRow(group: ActionWithState[], scope: SignoffScope, canMark: boolean): CardElement {
  const a = group[0]!;
  const more = group.length > 1 ? ` and ${plural(group.length - 1, 'more flag')} like it` : '';
  const doable = canMark && (a.state === 'open' || a.state === 'overdue');
  return {
    type: 'Container', separator: true, spacing: 'Small',
    items: [
      text(`${md(a.flagTitle)}${more}`, { weight: 'Bolder', size: 'Small' }),
      text(`${md(a.what ?? '')}. Owner: ${md(a.owner ?? '')}. ${stateWords(a)}.`, { size: 'Small', spacing: 'None' }),
      ...(doable ? [{ type: 'ActionSet', actions: [execute('Mark done', VERBS.markActionDone, { actionId: a.id, ...forceOf(scope) })] }] : []),
    ],
  };
}

/**
 * The actions agreed at a sign-off with their state today, each with "Mark done" while it is open (for whoever may
 * mark it: `canMark`); flags accepted with no action are counted, and listed behind a button. For the sign-off card,
 * the review card and their own card.
 */
export function previousActions(p: PreviousSignoff, canMark = true): CardElement[] {
  const s = p.signoff;
  const answers = new Map<number, ActionWithState[]>();
  for (const a of p.actions) answers.set(a.answer, [...(answers.get(a.answer) ?? []), a]);
  const groups = [...answers.values()];
  const acted = groups.filter((g) => !g[0]!.accepted);
  const accepted = groups.filter((g) => g[0]!.accepted).flat();
  const listId = `accepted-${s.id}`;
  return [
    text(`Actions agreed at the last review (${period(s.from, s.to)})`, { weight: 'Bolder', spacing: 'Large' }),
    text(`Signed off by ${md(s.signedBy.name)} on ${instantDate(s.signedAt)}: ${md(s.conclusion)}`, { isSubtle: true, spacing: 'None' }),
    ...(acted.length ? acted.map((g) => actionRow(g, s.scope, canMark)) : [text('No actions were agreed at that review.')]),
    ...(accepted.length
      ? [
        text(`Accepted with no action at that review: ${plural(accepted.length, 'flag')}.`, { spacing: 'Small' }),
        { type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title: 'Show the flags accepted', targetElements: [listId] }] },
        { type: 'Container', id: listId, isVisible: false, items: accepted.map((a) => text(md(a.flagTitle), { size: 'Small', spacing: 'None' })) },
      ]
      : []),
  ];
}

/** One open flag (or flags of one kind answered together): action or accepted, and what, who and by when. */
function answerInputs(title: string, count: number, n: number, today: string, a: SignoffAnswer = {}): CardElement {
  const value = (v: string | undefined) => (v ? { value: v } : {});
  return {
    type: 'Container', separator: true, spacing: 'Medium',
    items: [
      text(`${md(title)}${count > 1 ? ` (${plural(count, 'flag')}, one answer)` : ''}`, { weight: 'Bolder' }),
      { type: 'Input.ChoiceSet', id: `decision_${n}`, label: 'Answer', style: 'expanded', choices: DECISIONS, ...value(a.decision) },
      { type: 'Input.Text', id: `what_${n}`, label: 'Action: what will be done', maxLength: 300, ...value(a.what) },
      {
        type: 'ColumnSet', spacing: 'None',
        columns: [
          { type: 'Column', width: 'stretch', items: [{ type: 'Input.Text', id: `owner_${n}`, label: 'Owner (a role or a name)', maxLength: 120, ...value(a.owner) }] },
          { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: `due_${n}`, label: 'Due by', min: today, ...value(a.due) }] },
        ],
      },
    ],
  };
}

/**
 * The review sign-off card: the scope and period, the actions agreed at the last review with their state, then the
 * conclusion and one answer per open flag (action, with what, owner and due date; or accepted, no action).
 */
export function signoffCard(v: SignoffCardView): Record<string, unknown> {
  const f = v.form;
  const answers = v.values?.answers ?? [];
  const data = { ...forceOf(f.scope), from: f.from, to: f.to, fingerprint: f.fingerprint, rows: f.rows.length, submissionId: v.submissionId };
  return card([
    ...noticeBlock(v.notice),
    text(`Sign off the recommendation 7 review: ${md(f.scopeName)}`, { weight: 'Bolder', size: 'Medium' }),
    text(`Meetings from ${period(f.from, f.to)}. For another period, type for example \`review signoff ${f.scope.kind === 'force' ? `${f.scope.forceId} ` : ''}last 6 months\`.`, { isSubtle: true, spacing: 'None' }),
    ...(f.signedAlready ? [callout('emphasis', `This period was signed off by ${md(f.signedAlready.signedBy.name)} on ${instantDate(f.signedAlready.signedAt)}. Signing it off again records another sign-off beside it.`)] : []),
    ...(f.previous ? previousActions(f.previous) : []),
    text('Your sign-off', { weight: 'Bolder', spacing: 'Large' }),
    callout('attention', NO_CASE_DETAILS, { size: 'Small' }),
    { type: 'Input.Text', id: 'conclusion', label: 'Conclusion, in a few words', maxLength: 500, isMultiline: true, ...(v.values?.conclusion ? { value: v.values.conclusion } : {}) },
    f.rows.length
      ? text(`Each open flag of the period needs an answer: an action (what, its owner and a due date), or accepted with no action. ${plural(f.rows.reduce((n, r) => n + r.flags.length, 0), 'open flag')}.`, { wrap: true })
      : text('There are no open flags in this period: there is nothing to answer.'),
    ...f.rows.map((r, n) => answerInputs(r.title, r.flags.length, n, v.today, answers[n])),
    { type: 'ActionSet', spacing: 'Large', actions: [execute('Sign off the review', VERBS.signOffReview, data, 'positive')] },
  ]);
}

/** A sign-off's actions with their state, on a card of their own: the answer to "Mark done". */
export function signoffActionsCard(v: SignoffActionsView): Record<string, unknown> {
  return card([
    ...noticeBlock(v.notice),
    text(`Review sign-off: ${md(v.scopeName)}`, { weight: 'Bolder', size: 'Medium' }),
    ...previousActions(v.previous),
  ]);
}

/** The one line saying what was recorded. */
export const signedOffLine = (scopeName: string, s: Signoff): string => `Signed off: the review of ${scopeName}, ${period(s.from, s.to)}.`;

/** What the lead sees once the sign-off is recorded: the line, what was agreed, and where it shows next. */
export function signedOffCard(scopeName: string, s: Signoff): Record<string, unknown> {
  const answers = new Map(s.actions.map((a) => [a.answer, a]));
  const acted = [...answers.values()].filter((a) => !a.accepted).length;
  const accepted = s.actions.filter((a) => a.accepted).length;
  return savedCard(signedOffLine(scopeName, s), [
    `Conclusion: ${md(s.conclusion)}`,
    `${plural(acted, 'action')} agreed; ${plural(accepted, 'flag')} accepted with no action. The sign-off is recorded in the audit log.`,
    'The next review shows these actions and whether they were done; mark each done from there, or from `review signoff`.',
  ]);
}
