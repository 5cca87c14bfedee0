import { cleanText } from '../scheduler/domain/text.js';
import type { AgencyCounts, AgencyType, Attendee, AttendanceOutcome, DecisionAnswer, Mode, Person, RoleCategory, Unit } from '../scheduler/domain/types.js';
import { AGENCY_TYPES } from '../scheduler/domain/types.js';
import { md, text, type CardElement } from './format.js';
import { ATTENDEE_SLOTS, CANCEL_REASON_CHOICES } from './verbs.js';

// The attendance card's questions. Nothing is preselected: an input has a value only when it shows what is on
// record (a correction), or, for the first attendee's person alone, the force's nominee as a suggestion.

type Choices<T extends string> = ReadonlyArray<readonly [T, string]>;

const ROLE_TITLES: Choices<RoleCategory> = [
  ['prevent-officer', 'Prevent officer'], ['prevent-supervisor', 'Prevent supervisor'], ['channel-practitioner', 'Channel practitioner'],
  ['neighbourhood-officer', 'Neighbourhood officer'], ['regional-ctu-officer', 'Regional counter terrorism unit officer'], ['other', 'Other'],
];
const UNIT_TITLES: Choices<Unit> = [['local', 'Local force'], ['regional', 'Regional unit']];
const MODE_TITLES: Choices<Mode> = [['in-person', 'In person'], ['online', 'Online']];
const DECISION_TITLES: Choices<DecisionAnswer> = [['yes', 'Yes'], ['no', 'No'], ['unknown', "Don't know"]];
const OUTCOME_TITLES: Choices<AttendanceOutcome> = [['attended', 'Attended'], ['apologies', 'Sent apologies'], ['absent', 'Absent without apologies']];
const AGENCY_TITLES: Record<AgencyType, string> = {
  'local-authority': 'Local authority', health: 'Health', education: 'Education', probation: 'Probation',
  'childrens-services': "Children's services", 'adult-services': 'Adult services', other: 'Other agencies',
};

const choices = <T extends string>(c: Choices<T>) => c.map(([value, title]) => ({ title, value }));

/** A single-choice question shown as radio buttons, with a value only when one is on record. */
const radio = <T extends string>(id: string, label: string, c: Choices<T>, value?: T | null): CardElement => ({
  type: 'Input.ChoiceSet', id, label, style: 'expanded', choices: choices(c), ...(value ? { value } : {}),
});

const dropdown = (id: string, label: string, c: Array<{ title: string; value: string }>, placeholder: string, value?: string | null): CardElement => ({
  type: 'Input.ChoiceSet', id, label, style: 'compact', placeholder, choices: c, ...(value ? { value } : {}),
});

const toggle = (title: string, target: string): CardElement => ({ type: 'ActionSet', actions: [{ type: 'Action.ToggleVisibility', title, targetElements: [target] }] });

/** Held or not (and why), and the other agencies present as counts, behind a toggle. */
export function meetingQuestions(record: { outcome: 'held' | 'not-held'; notHeldReason: string | null; agencies: AgencyCounts } | null): CardElement[] {
  const given = Object.values(record?.agencies ?? {}).some((n) => n !== undefined);
  return [
    radio('held', 'Did the meeting take place?', [['held', 'It was held'], ['not-held', 'It did not take place']] as Choices<'held' | 'not-held'>, record?.outcome),
    dropdown('notHeldReason', 'If it did not take place: why', CANCEL_REASON_CHOICES, 'Choose a reason', record?.notHeldReason),
    toggle('Other agencies present', 'agencies'),
    {
      type: 'Container', id: 'agencies', isVisible: given,
      items: [
        text('How many people came from each other agency: numbers only, never names. Leave a box empty when you do not know.', { isSubtle: true, size: 'Small' }),
        ...AGENCY_TYPES.map((t) => ({ type: 'Input.Number', id: `agency_${t}`, label: AGENCY_TITLES[t], min: 0, max: 99, ...(record?.agencies[t] !== undefined ? { value: record.agencies[t] } : {}) })),
      ],
    },
  ];
}

export const outcomeQuestion = (forceId: string, value: AttendanceOutcome | null | undefined): CardElement => radio(`outcome_${forceId}`, 'Police representation', OUTCOME_TITLES, value);

/** One attendee's questions; the picker offers the force's people and searches the directory for anyone else. */
function slotInputs(forceId: string, n: number, people: readonly Person[], attendee: Attendee | undefined, suggestion: Person | null): CardElement[] {
  const key = (field: string) => `${field}_${forceId}_${n}`;
  const chosen = attendee ? attendee.aadObjectId : suggestion?.aadObjectId;
  return [
    {
      type: 'Input.ChoiceSet', id: key('person'), label: n === 1 ? 'Who attended' : `Attendee ${n}`, style: 'filtered', placeholder: 'Pick the person',
      choices: people.map((p) => ({ title: cleanText(p.name), value: p.aadObjectId })),
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
      ...(chosen ? { value: chosen } : {}),
    },
    ...(attendee && !attendee.aadObjectId ? [text(`On record: ${md(attendee.name)}, who is not in the directory. Pick them to keep them.`, { isSubtle: true, size: 'Small' })] : []),
    dropdown(key('category'), 'Role category', choices(ROLE_TITLES), 'Choose a category', attendee?.roleCategory),
    { type: 'Input.Text', id: key('role'), label: 'Rank or role', maxLength: 80, placeholder: 'For example, Detective Sergeant', ...(attendee?.role ? { value: attendee.role } : {}) },
    radio(key('unit'), 'Local force or regional unit', UNIT_TITLES, attendee?.unit),
    radio(key('mode'), 'In person or online', MODE_TITLES, attendee?.mode),
    radio(key('decision'), 'Could they make decisions on behalf of the force?', DECISION_TITLES, attendee?.decisionMaker),
  ];
}

/** How many attendee slots a force gets, and how many people the later slots' pickers offer first. */
export interface SlotLayout {
  slots: number;
  laterChoices: number;
}

/**
 * A force's attendee slots: the first shown, the others behind "Add another attendee" (shown already when the
 * record has that many; there are always enough for the record). Hidden inputs are still sent; a slot with
 * nobody picked records nothing.
 */
export function attendeeSlots(forceId: string, people: readonly Person[], recorded: readonly Attendee[] | null, suggestion: Person | null, layout: SlotLayout): CardElement[] {
  const slot = (n: number) => `slot_${forceId}_${n}`;
  const count = Math.min(ATTENDEE_SLOTS, Math.max(layout.slots, recorded?.length ?? 0));
  const body = slotInputs(forceId, 1, people, recorded?.[0], recorded ? null : suggestion);
  if (count > 1) body.push(toggle('Add another attendee', slot(2)));
  for (let n = 2; n <= count; n++) {
    const attendee = recorded?.[n - 1];
    const offered = people.slice(0, layout.laterChoices);
    const shown = attendee?.aadObjectId && !offered.some((p) => p.aadObjectId === attendee.aadObjectId) ? [...offered, { aadObjectId: attendee.aadObjectId, name: attendee.name }] : offered;
    const more = n < count ? [toggle('Add another attendee', slot(n + 1))] : [];
    body.push({ type: 'Container', id: slot(n), isVisible: (recorded?.length ?? 0) >= n, items: [text(`Attendee ${n}`, { weight: 'Bolder' }), ...slotInputs(forceId, n, shown, attendee, null), ...more] });
  }
  return body;
}
