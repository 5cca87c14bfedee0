import { cleanText } from '../scheduler/domain/text.js';
import { card, facts, md, meetingWhen, shortDate, text, type CardElement } from './format.js';
import { VERBS } from './verbs.js';

/** The view model the nomination card needs (scheduler's NominationCardModel has this shape). */
export interface NominationView {
  meetingId: string;
  meetingVersion: number;
  nominationVersion: number;
  start: string;
  end: string;
  status: 'scheduled' | 'cancelled' | 'held' | 'not-held';
  started: boolean;
  moved: { from: string; reason: string } | null;
  panel: { id: string; name: string; localAuthority: string; onGuidanceTimetable: boolean };
  force: { id: string; name: string };
  nomination: { aadObjectId: string; name: string; role: string; decisionMaker: boolean } | null;
  recent: Array<{ start: string; status: string; name: string | null; decisionMaker: boolean | null; attended: boolean | null }>;
  choices: Array<{ aadObjectId: string; name: string }>;
}

const NO_CASE_DETAILS = 'This bot holds no case details. Please keep them out of every field.';

function header(v: NominationView): CardElement[] {
  return [
    text(`Police attendee for ${md(v.panel.name)}`, { weight: 'Bolder', size: 'Medium' }),
    facts([
      ['Local authority', md(v.panel.localAuthority)],
      ['When', meetingWhen(v.start, v.end)],
      ['Force', md(v.force.name)],
      ['Timetable', v.panel.onGuidanceTimetable ? 'Monthly, to the guidance timetable' : 'When necessary: not on the guidance timetable'],
    ]),
    ...(v.moved ? [text(`Moved from ${shortDate(v.moved.from)} (${md(v.moved.reason)}).`, { isSubtle: true })] : []),
  ];
}

function recent(v: NominationView): CardElement[] {
  if (!v.recent.length) return [text('No earlier meetings of this panel are recorded.', { isSubtle: true })];
  const who = (r: NominationView['recent'][number]) => {
    if (r.status === 'cancelled') return 'cancelled';
    if (r.attended === false) return 'no police representative attended';
    const dm = r.decisionMaker ? ' (decision maker)' : ' (not a confirmed decision maker)';
    if (r.attended) return `${r.name === null ? 'someone' : md(r.name)} attended${dm}`;
    return r.name ? `${md(r.name)} was named${dm}; attendance not recorded` : 'nobody named';
  };
  return [text('The last three meetings', { weight: 'Bolder', spacing: 'Medium' }), facts(v.recent.map((r) => [shortDate(r.start), who(r)]))];
}

function state(v: NominationView): CardElement[] {
  if (v.status === 'cancelled') return [text('This meeting was cancelled. Nothing more is needed.', { color: 'Attention', weight: 'Bolder' })];
  if (!v.nomination) return [text('No police attendee has been named yet.', { color: 'Warning', weight: 'Bolder', spacing: 'Medium' })];
  const n = v.nomination;
  return [
    text(`Named: **${md(n.name)}**, ${md(n.role)}`, { spacing: 'Medium' }),
    text(n.decisionMaker ? 'Confirmed able to make decisions on behalf of the force.' : 'Not confirmed as able to make decisions on behalf of the force.', { color: n.decisionMaker ? 'Good' : 'Warning' }),
  ];
}

function form(v: NominationView): CardElement[] {
  const n = v.nomination;
  return [
    {
      type: 'Input.ChoiceSet',
      id: 'attendee',
      label: 'Attendee (search your organisation, or pick a recent attendee)',
      isRequired: true,
      errorMessage: 'Choose who will attend.',
      style: 'filtered',
      choices: v.choices.map((p) => ({ title: cleanText(p.name), value: p.aadObjectId })), // plain text, not Markdown
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
      ...(n ? { value: n.aadObjectId } : {}),
    },
    { type: 'Input.Text', id: 'role', label: 'Their role', isRequired: true, maxLength: 80, errorMessage: 'Give their role.', ...(n ? { value: cleanText(n.role) } : {}) },
    {
      type: 'Input.Toggle',
      id: 'decisionMaker',
      title: 'I confirm they can make decisions on behalf of the force to manage risk',
      valueOn: 'true',
      valueOff: 'false',
      value: n?.decisionMaker ? 'true' : 'false',
    },
    {
      type: 'ActionSet',
      actions: [
        {
          type: 'Action.Execute',
          title: n ? 'Change attendee' : 'Name attendee',
          verb: VERBS.nominate,
          style: 'positive',
          data: { meetingId: v.meetingId, forceId: v.force.id, meetingVersion: v.meetingVersion, nominationVersion: v.nominationVersion },
        },
      ],
    },
  ];
}

/** On the shared read-only card: opens the form for whoever may nominate (the server decides who). */
function editButton(v: NominationView): CardElement[] {
  const data = { meetingId: v.meetingId, forceId: v.force.id };
  return [{ type: 'ActionSet', actions: [{ type: 'Action.Execute', title: v.nomination ? 'Change attendee' : 'Name attendee', verb: VERBS.refreshNomination, data }] }];
}

/**
 * The card posted to a force's Teams channel. `editable` shows the form (for those who may nominate);
 * a notice line (why an action was refused) goes first when given.
 */
export function nominationCard(v: NominationView, opts: { editable: boolean; notice?: string; refreshUserIds?: string[] } = { editable: true }): Record<string, unknown> {
  const open = v.status === 'scheduled' && !v.started;
  const body = [
    ...(opts.notice ? [text(md(opts.notice), { color: 'Attention', weight: 'Bolder' })] : []),
    ...header(v),
    ...recent(v),
    ...state(v),
    ...(open ? (opts.editable ? form(v) : editButton(v)) : []),
    text(NO_CASE_DETAILS, { isSubtle: true, size: 'Small', spacing: 'Medium' }),
  ];
  const refresh = opts.refreshUserIds?.length
    ? { refresh: { action: { type: 'Action.Execute', verb: VERBS.refreshNomination, data: { meetingId: v.meetingId, forceId: v.force.id } }, userIds: opts.refreshUserIds.slice(0, 60) } }
    : {};
  return card(body, refresh);
}
