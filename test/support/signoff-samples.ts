import { FLAG_CODES } from '../../scheduler/domain/flags.js';
import { MAX_ROWS, type AnswerRow } from '../../scheduler/review/signoff-flags.js';
import type { PreviousSignoff, SignoffForm } from '../../scheduler/review/signoff.js';
import type { ActionWithState, Signoff } from '../../scheduler/review/signoff-types.js';
import { signedOffCard, signoffActionsCard, signoffCard } from '../../cards/signoff-card.js';

// The review sign-off cards at their largest and in each state, for cards/every-card.test.ts (through SAMPLES in
// card-samples.ts) and cards/signoff-card.test.ts. Forces and panels are those of card-samples.ts, so its id check
// covers them.

const PANELS = ['Southampton Channel panel', 'Portsmouth Channel panel', 'Hampshire Channel panel'];
export const SIGNOFF_ID = '5b7e0a52-3c1d-4f7e-9a0b-2f4c6d8e1a3b';
export const TODAY = '2027-04-10';

/** A row as the use case makes it: a flag (or several of one kind) in words; the ids stay in `flags`, never shown. */
const row = (i: number, count = 1): AnswerRow => {
  const title = `${i % 2 ? 'Attendance not recorded' : 'Nobody named to attend'}: ${PANELS[i % 3]}, ${['January', 'February', 'March'][i % 3]} 2027`;
  const flag = { code: FLAG_CODES[i % FLAG_CODES.length]!, panelId: ['southampton', 'portsmouth', 'hampshire'][i % 3]!, forceId: 'hampshire', month: `2027-0${1 + (i % 3)}`, facts: '2027-01: no record' };
  return { title, flags: Array.from({ length: count }, () => ({ key: `k${i}`, flag, title, where: PANELS[i % 3]!, when: 'January 2027' })) };
};

/** An action of the previous sign-off in the given state. */
const action = (n: number, answer: number, state: ActionWithState['state']): ActionWithState => ({
  id: `${SIGNOFF_ID}.${n}`, answer, flagCode: 'POLICE_ABSENT', panelId: 'southampton', forceId: 'hampshire', meetingId: 'southampton.2027-01-04', month: null,
  flagTitle: `Police absent: ${PANELS[n % 3]}, Mon 4 Jan 2027`, accepted: state === 'accepted',
  what: state === 'accepted' ? null : 'Remind the Prevent team that a substitute must attend when the nominee cannot', owner: state === 'accepted' ? null : 'Detective Inspector, Prevent',
  due: state === 'accepted' ? null : '2027-03-31', doneAt: state === 'done' ? '2027-03-20T10:15:00.000Z' : null, doneBy: state === 'done' ? 'Nadia Rahman' : null, state,
});

const STATES: Array<ActionWithState['state']> = ['open', 'overdue', 'done', 'accepted'];
/** At its largest: every answer of a full card, some covering several flags, in every state. */
export const previous: PreviousSignoff = (() => {
  const actions = Array.from({ length: MAX_ROWS }, (_, answer) => Array.from({ length: 1 + (answer % 3) }, () => answer)).flat().map((answer, n) => action(n, answer, STATES[answer % 4]!));
  const signoff: Signoff = {
    id: SIGNOFF_ID, scope: { kind: 'force', forceId: 'hampshire' }, from: '2026-10-01', to: '2026-12-31', conclusion: 'Attendance is good; records are late at Portsmouth',
    signedBy: { aadObjectId: '36f675cc-81e7-4ef5-a8e2-5d940ed90475', name: 'Gareth Owen' }, signedAt: '2027-01-08T09:30:00.000Z', actions,
  };
  return { signoff, actions };
})();

export const form = (extra: Partial<SignoffForm> = {}): SignoffForm => ({
  scope: { kind: 'force', forceId: 'hampshire' }, scopeName: 'Hampshire and Isle of Wight Constabulary', from: '2027-01-01', to: '2027-03-31',
  rows: Array.from({ length: MAX_ROWS }, (_, i) => row(i, 1 + (i % 4))), fingerprint: 'B03kf8UIUpOjQpBb1nJvz0', previous, signedAlready: null, ...extra,
});

const SCOPE = 'Hampshire and Isle of Wight Constabulary';
const PRESS = 'c0ffee00-0000-4000-8000-000000000001';

/** Each sign-off card builder's samples, shaped as card-samples.ts's CardSample. */
export const SIGNOFF_SAMPLES: Array<{ builder: string; name: string; build: () => Record<string, unknown> }> = [
  { builder: 'signoffCard', name: 'a full form, each row several flags, and the last review\'s actions in every state', build: () => signoffCard({ form: form(), today: TODAY, submissionId: PRESS }) },
  {
    builder: 'signoffCard', name: 'refused, with what was typed, the period signed off already',
    build: () => signoffCard({
      form: form({ previous: null, signedAlready: previous.signoff }), today: TODAY, submissionId: PRESS,
      values: { conclusion: 'Records lag at Portsmouth', answers: [{ decision: 'action', what: 'Chase the chair', owner: 'DS Prevent', due: '2027-05-01' }] },
      notice: { text: 'Not signed off: Attendance not recorded: Portsmouth Channel panel, February 2027: give the action\'s owner.', tone: 'attention' },
    }),
  },
  { builder: 'signoffCard', name: 'the national view with nothing to answer', build: () => signoffCard({ form: form({ scope: { kind: 'national' }, scopeName: 'All forces (the national review)', rows: [], previous: null }), today: TODAY, submissionId: PRESS }) },
  { builder: 'signoffActionsCard', name: 'after "Mark done"', build: () => signoffActionsCard({ previous, scopeName: SCOPE, notice: { text: 'Marked done: Police absent: Southampton Channel panel, Mon 4 Jan 2027.', tone: 'good' } }) },
  { builder: 'signedOffCard', name: 'a sign-off recorded', build: () => signedOffCard(SCOPE, previous.signoff) },
];
