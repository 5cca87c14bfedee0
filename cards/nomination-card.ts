import { cleanText } from '../scheduler/domain/text.js';
import type { TimetableClass } from '../scheduler/domain/timetable-class.js';
import { callout, card, facts, md, meetingWhen, shortDate, text, type CardElement } from './format.js';
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
  panel: { id: string; name: string; localAuthority: string; timetable: TimetableClass };
  force: { id: string; name: string };
  nomination: { aadObjectId: string; name: string; role: string; decisionMaker: boolean } | null;
  recent: Array<{ start: string; status: string; name: string | null; decisionMaker: boolean | null; attended: boolean | null }>;
  choices: Array<{ aadObjectId: string; name: string }>;
  /** The force was invited to this meeting alone (it does not face the panel). */
  invited?: boolean;
  /** Apologies already sent for this meeting: who sent them, when (local ISO) and the substitute offered. */
  apology?: { sentBy: string; sentAt: string; substitute: string | null } | null;
  /** A cancelled meeting's reason and the chair's note ('' for none); `noteRemoved` once it was erased. */
  cancellation?: { reason: string; note: string; noteRemoved: boolean } | null;
}

/** The card's timetable line for each kind of timetable: plain words for the two the inspection criticises. */
export const TIMETABLE_LINES: Record<TimetableClass, string> = {
  guidance: 'Monthly, to the guidance timetable',
  'below-guidance': 'Fixed, but below the guidance timetable (monthly): some months have no meeting',
  'when-necessary': 'When necessary: not on the guidance timetable',
};

const NO_CASE_DETAILS = 'This bot holds no case details. Please keep them out of every field.';

function header(v: NominationView): CardElement[] {
  return [
    text(`Police attendee for ${md(v.panel.name)}`, { weight: 'Bolder', size: 'Medium' }),
    facts([
      ['Local authority', md(v.panel.localAuthority)],
      ['When', meetingWhen(v.start, v.end)],
      ['Force', md(v.force.name)],
      ...(v.invited ? [['Asked', 'Invited to this meeting only: your force does not face this panel'] as [string, string]] : []),
      ['Timetable', TIMETABLE_LINES[v.panel.timetable]],
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

/**
 * A cancelled meeting: why, in the chair's category, and the chair's note. The note is for the force's leads,
 * who see this card; it goes nowhere else (no calendar, no export), and once erased the card says so.
 */
function cancelled(v: NominationView): CardElement[] {
  const c = v.cancellation;
  const note = !c ? [] : c.noteRemoved ? [text('Note from the chair: (note removed)', { isSubtle: true })] : c.note ? [text(`Note from the chair: ${md(c.note)}`)] : [];
  return [
    callout('attention', 'This meeting was cancelled. Nothing more is needed.', { weight: 'Bolder', spacing: 'Medium' }),
    ...(c ? [text(`Cancelled: ${md(c.reason)}.`)] : []),
    ...note,
  ];
}

function state(v: NominationView): CardElement[] {
  if (v.status === 'cancelled') return cancelled(v);
  const n = v.nomination;
  const named = n
    ? [
        text(`Named: **${md(n.name)}**, ${md(n.role)}`, { spacing: 'Medium' }),
        n.decisionMaker
          ? callout('good', 'Confirmed able to make decisions on behalf of the force.')
          : callout('warning', 'Not confirmed as able to make decisions on behalf of the force.'),
      ]
    : [callout('warning', 'No police attendee has been named yet.', { weight: 'Bolder', spacing: 'Medium' })];
  return [...named, ...apologySent(v)];
}

function apologySent(v: NominationView): CardElement[] {
  const a = v.apology;
  if (!a) return [];
  const offered = a.substitute ? `substitute offered: ${md(a.substitute)}` : 'no substitute offered';
  return [callout('warning', `Apologies sent by ${md(a.sentBy)} on ${shortDate(a.sentAt)}; ${offered}.`)];
}

function form(v: NominationView): CardElement[] {
  const n = v.nomination;
  return [
    // Not marked isRequired: Teams would then hold back the apologies button below until these were filled in.
    // The server refuses a nomination with any of them missing, saying which, and shows the card again.
    { ...personPicker('attendee', 'Attendee (search your organisation, or pick a recent attendee)', v), ...(n ? { value: n.aadObjectId } : {}) },
    { type: 'Input.Text', id: 'role', label: 'Their role', maxLength: 80, ...(n ? { value: cleanText(n.role) } : {}) },
    // An explicit answer either way, never preselected: the review counts only what someone answered.
    {
      type: 'Input.ChoiceSet',
      id: 'decisionMaker',
      label: 'Can they make decisions on behalf of the force to manage risk?',
      style: 'expanded',
      choices: [
        { title: 'Confirmed: they can make decisions on behalf of the force', value: 'true' },
        { title: 'Not confirmed', value: 'false' },
      ],
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

const personPicker = (id: string, label: string, v: NominationView): CardElement => ({
  type: 'Input.ChoiceSet',
  id,
  label,
  style: 'filtered',
  choices: v.choices.map((p) => ({ title: cleanText(p.name), value: p.aadObjectId })), // plain text, not Markdown
  'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
});

/**
 * Apologies in advance, from the person named or the force's leads (the server decides who), perhaps offering a
 * substitute. Behind a button, so the card stays short for everyone who has nothing to send.
 */
function apologies(v: NominationView): CardElement[] {
  const send = {
    type: 'Action.Execute',
    title: 'Send apologies',
    verb: VERBS.sendApologies,
    data: { meetingId: v.meetingId, forceId: v.force.id },
  };
  const sheet = {
    type: 'AdaptiveCard',
    body: [
      text("The panel's chair is told that your force sends its apologies for this meeting."),
      personPicker('substitute', 'Substitute who could attend instead (optional)', v),
      { type: 'ActionSet', actions: [send] },
    ],
  };
  return [{ type: 'ActionSet', spacing: 'Medium', actions: [{ type: 'Action.ShowCard', title: v.apology ? 'Send apologies again' : 'Send apologies', card: sheet }] }];
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
    ...(opts.notice ? [callout('attention', md(opts.notice), { weight: 'Bolder' })] : []),
    ...header(v),
    ...recent(v),
    ...state(v),
    ...(open ? [...(opts.editable ? form(v) : editButton(v)), ...apologies(v)] : []),
    text(NO_CASE_DETAILS, { isSubtle: true, size: 'Small', spacing: 'Medium' }),
  ];
  const refresh = opts.refreshUserIds?.length
    ? { refresh: { action: { type: 'Action.Execute', verb: VERBS.refreshNomination, data: { meetingId: v.meetingId, forceId: v.force.id } }, userIds: opts.refreshUserIds.slice(0, 60) } }
    : {};
  return card(body, refresh);
}
