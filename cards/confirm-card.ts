import type { AttendanceOutcome, Attendee, DecisionAnswer, ForceConfirmation, Mode, RoleCategory, Unit } from '../scheduler/domain/types.js';
import { callout, card, facts, md, meetingWhen, shortDate, text, type CardElement } from './format.js';
import { VERBS } from './verbs.js';

/** One person the chair recorded for the force (who they are in Entra is not the card's business). */
export type ConfirmAttendee = Omit<Attendee, 'aadObjectId' | 'tenantId'>;

/** What the force's confirm card shows: the meeting, whom the force named, and the chair's record of who came. */
export interface ConfirmView {
  meetingId: string;
  forceId: string;
  forceName: string;
  panelName: string;
  /** Local ISO times with offsets. */
  start: string;
  end: string;
  recordVersion: number;
  nominee: { name: string; decisionMaker: boolean } | null;
  outcome: AttendanceOutcome;
  attendees: ConfirmAttendee[];
  confirmation: ForceConfirmation;
  /** Who in the force answered (a name), and when (local ISO). */
  answeredBy: string | null;
  answeredAt: string | null;
}

/** The inspection's categories in plain words. */
export const ROLE_CATEGORY_WORDS: Record<RoleCategory, string> = {
  'prevent-officer': 'Prevent officer',
  'prevent-supervisor': 'Prevent supervisor',
  'channel-practitioner': 'Channel practitioner',
  'neighbourhood-officer': 'Neighbourhood officer',
  'regional-ctu-officer': 'Regional counter terrorism unit officer',
  other: 'Other role',
};
const UNIT_WORDS: Record<Unit, string> = { local: 'Local force', regional: 'Regional unit' };
const MODE_WORDS: Record<Mode, string> = { 'in-person': 'in person', online: 'online' };
const DECISION_WORDS: Record<DecisionAnswer, string> = { yes: 'Yes', no: 'No', unknown: "Don't know" };

function header(v: ConfirmView): CardElement[] {
  const named = v.nominee
    ? `${md(v.nominee.name)} (${v.nominee.decisionMaker ? 'confirmed as a decision maker' : 'not confirmed as a decision maker'})`
    : 'Nobody';
  return [
    text(`Police attendance to confirm: ${md(v.panelName)}`, { weight: 'Bolder', size: 'Medium' }),
    facts([
      ['When', meetingWhen(v.start, v.end)],
      ['Force', md(v.forceName)],
      ['Your force named', named],
    ]),
  ];
}

function attendee(a: ConfirmAttendee): CardElement {
  const role = [a.roleCategory ? ROLE_CATEGORY_WORDS[a.roleCategory] : 'Category not recorded', md(a.role)].filter(Boolean).join(', ');
  const where = [a.unit ? UNIT_WORDS[a.unit] : 'Unit not recorded', a.mode ? MODE_WORDS[a.mode] : 'attendance mode not recorded'].join(', ');
  return {
    type: 'Container',
    spacing: 'Medium',
    items: [
      text(`**${md(a.name)}**${a.substitute ? ' (not the person your force named)' : ''}`),
      facts([
        ['Role', role],
        ['Attended as', where],
        ['Decision maker, in the chair\'s answer', DECISION_WORDS[a.decisionMaker]],
      ]),
    ],
  };
}

function record(v: ConfirmView): CardElement[] {
  if (v.outcome !== 'attended') return [text(v.outcome === 'apologies' ? 'The chair recorded apologies from your force.' : 'The chair recorded that nobody attended for your force.', { spacing: 'Medium' })];
  return [text('The chair recorded', { weight: 'Bolder', spacing: 'Medium' }), ...v.attendees.map(attendee)];
}

function answer(v: ConfirmView, answer: 'confirmed' | 'disputed', title: string, style: string): CardElement {
  return { type: 'Action.Execute', title, verb: VERBS.confirmAttendance, style, data: { meetingId: v.meetingId, forceId: v.forceId, recordVersion: v.recordVersion, answer } };
}

function outcome(v: ConfirmView): CardElement[] {
  if (v.confirmation === 'not-needed') return [text('Nothing to confirm: the record names only the person your force named.', { spacing: 'Medium' })];
  const question = text(`Could these people make decisions on behalf of ${md(v.forceName)}?`, { weight: 'Bolder', spacing: 'Medium' });
  const by = `${md(v.answeredBy ?? 'someone in your force')}${v.answeredAt ? ` on ${shortDate(v.answeredAt)}` : ''}`;
  if (v.confirmation === 'confirmed') {
    return [question, callout('good', `Confirmed by ${by}.`), { type: 'ActionSet', actions: [answer(v, 'disputed', 'Dispute instead', 'destructive')] }];
  }
  if (v.confirmation === 'disputed') {
    return [
      question,
      callout('attention', `Disputed by ${by}: the review does not count a decision maker present for your force at this meeting.`),
      { type: 'ActionSet', actions: [answer(v, 'confirmed', 'Confirm instead', 'positive')] },
    ];
  }
  return [question, { type: 'ActionSet', actions: [answer(v, 'confirmed', 'Confirm', 'positive'), answer(v, 'disputed', 'Dispute', 'destructive')] }];
}

/**
 * The card a force's Prevent leads get when a chair records someone the force did not name (or a decision
 * maker it had not confirmed): they confirm or dispute it, and may change their answer. A notice (why a
 * press was refused, or what it did) goes first when given.
 */
export function confirmCard(v: ConfirmView, notice?: string): Record<string, unknown> {
  return card([
    ...(notice ? [callout('attention', md(notice), { weight: 'Bolder' })] : []),
    ...header(v),
    ...record(v),
    ...outcome(v),
    text('This bot holds no case details.', { isSubtle: true, size: 'Small', spacing: 'Medium' }),
  ]);
}
