import { cleanText } from '../scheduler/domain/text.js';
import type { AgencyCounts, AgencyType, Attendee, AttendanceOutcome, DecisionAnswer, Mode, Person, RoleCategory, Unit } from '../scheduler/domain/types.js';
import { AGENCY_TYPES } from '../scheduler/domain/types.js';
import { md, text, type CardElement } from './format.js';
import { CANCEL_REASON_CHOICES, MAX_ATTENDEE_SLOTS } from './verbs.js';

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
function slotInputs(forceId: string, n: number, people: readonly Person[], attendee: Attendee | undefined, suggestion: Person | null, label: string): CardElement[] {
  const key = (field: string) => `${field}_${forceId}_${n}`;
  const chosen = attendee ? attendee.aadObjectId : suggestion?.aadObjectId;
  return [
    {
      type: 'Input.ChoiceSet', id: key('person'), label, style: 'filtered', placeholder: 'Pick the person',
      choices: people.map((p) => ({ title: cleanText(p.name), value: p.aadObjectId })),
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
      ...(chosen ? { value: chosen } : {}),
    },
    dropdown(key('category'), 'Role category', choices(ROLE_TITLES), 'Choose a category', attendee?.roleCategory),
    { type: 'Input.Text', id: key('role'), label: 'Rank or role', maxLength: 80, placeholder: 'For example, Detective Sergeant', ...(attendee?.role ? { value: attendee.role } : {}) },
    radio(key('unit'), 'Local force or regional unit', UNIT_TITLES, attendee?.unit),
    radio(key('mode'), 'In person or online', MODE_TITLES, attendee?.mode),
    radio(key('decision'), 'Could they make decisions on behalf of the force?', DECISION_TITLES, attendee?.decisionMaker),
  ];
}

/** Every question the card asks answered (a record from before the card asked them all may lack some). */
const complete = (a: Attendee) => !!a.roleCategory && !!a.role && !!a.unit && !!a.mode;

/** A force's record as its part of the card shows it. */
export interface RecordPlaces {
  /** Attendees with a Teams account, each in a slot of their own (as many as `slots` allows). */
  inSlots: Attendee[];
  /**
   * Attendees no slot carries, shown as fixed lines: an import's people known by name alone (no picker can
   * offer them), and anyone past the slots the card had room for. A correction keeps them as they are while
   * the force is still answered as attended (the route adds them back to its answers): a name-only person
   * changes only by a new import.
   */
  kept: Attendee[];
  /**
   * Such attendees without every answer (only a record from before the card asked them all): the rules could
   * not record them as they are, so a correction replaces them with whoever the chair picks, and the card says so.
   */
  replaced: Attendee[];
}

/**
 * How a force's recorded attendees show on the card, with at most `slots` of them in slots (the most a card
 * may send back unless its size budget asks for fewer, which the card then sends back as `inSlots`). The
 * route reads the same, to know whom the card kept.
 */
export function placeRecorded(attendees: readonly Attendee[], slots: number = MAX_ATTENDEE_SLOTS): RecordPlaces {
  const inSlots = attendees.filter((a) => a.aadObjectId).slice(0, Math.min(slots, MAX_ATTENDEE_SLOTS));
  const rest = attendees.filter((a) => !inSlots.includes(a));
  return { inSlots, kept: rest.filter(complete), replaced: rest.filter((a) => !complete(a)) };
}

/** An answer's title as it reads mid-sentence: "regional unit", "don't know", but "Prevent officer", "Channel practitioner". */
const inSentence = <T extends string>(c: Choices<T>, value: T | null): string | null => {
  const title = value ? (c.find(([v]) => v === value)?.[1] ?? value) : null;
  return title && !/^(Prevent|Channel)\b/.test(title) ? title.charAt(0).toLowerCase() + title.slice(1) : title;
};

/** "Sam Cole (imported, no Teams account): regional counter terrorism unit officer, DC, regional unit, online; decision maker: don't know". */
function keptLine(a: Attendee): string {
  const why = a.aadObjectId ? 'no room on this card to change them' : 'imported, no Teams account';
  const answers = [inSentence(ROLE_TITLES, a.roleCategory), a.role ? md(a.role) : null, inSentence(UNIT_TITLES, a.unit), inSentence(MODE_TITLES, a.mode)].filter((x) => x).join(', ');
  return `${md(a.name)} (${why}): ${answers}; decision maker: ${inSentence(DECISION_TITLES, a.decisionMaker)}`;
}

/** The attendees the card shows as fixed lines, and what a correction does with them. */
function fixedLines(shown: RecordPlaces): CardElement[] {
  const small = { size: 'Small', spacing: 'Small' } as const;
  const nameOnly = shown.kept.some((a) => !a.aadObjectId);
  return [
    ...(shown.kept.length
      ? [
        text('Also on record:', { weight: 'Bolder', ...small }),
        ...shown.kept.map((a) => text(`• ${keptLine(a)}`, small)),
        text(`${shown.kept.length === 1 ? 'They are' : 'These are'} kept as they are while the police are recorded as attended; recording apologies or an absence removes them.${nameOnly ? ' Someone without a Teams account can be changed only by a new import.' : ''}`, { isSubtle: true, ...small }),
      ]
      : []),
    ...shown.replaced.map((a) => text(
      `On record: ${a.name ? md(a.name) : 'someone unnamed'}${a.aadObjectId ? '' : ', who has no Teams account,'} without every answer. A correction replaces them with whoever you pick below.`,
      { isSubtle: true, ...small },
    )),
  ];
}

/** How many attendee slots a force gets, and how many people the pickers offer first. */
export interface SlotLayout {
  /** Slots when the record fills fewer (there is one for each recorded attendee, as far as `recorded` allows). */
  slots: number;
  laterChoices: number;
  /** The first slot's picker offers the force's people, or this many of them. */
  firstChoices?: number;
  /** At most this many recorded attendees in slots, the rest kept as fixed lines; else as many as a card may send back. */
  recorded?: number;
}

/**
 * A force's recorded attendees the slots do not carry, as fixed lines, then its attendee slots: the first shown,
 * the others behind "Add another attendee" (shown already when the record fills them). There is a slot for every
 * recorded attendee with a Teams account, up to the most a card may send back (or the layout's `recorded`),
 * however few the layout asks for. Hidden inputs are still sent; a slot with nobody picked records nothing.
 */
export function attendeeSlots(forceId: string, people: readonly Person[], recorded: readonly Attendee[] | null, suggestion: Person | null, layout: SlotLayout): CardElement[] {
  const slot = (n: number) => `slot_${forceId}_${n}`;
  const shown = placeRecorded(recorded ?? [], layout.recorded);
  const filled = shown.inSlots.length;
  const count = Math.min(MAX_ATTENDEE_SLOTS, Math.max(layout.slots, filled));
  const first = shown.kept.length ? 'Who else attended' : 'Who attended';
  // A recorded attendee (or the suggestion) the trimmed picker would not offer is added to its choices, so it shows them.
  const offering = (offered: readonly Person[], who: { aadObjectId: string | null; name: string } | null | undefined): Person[] =>
    who?.aadObjectId && !offered.some((p) => p.aadObjectId === who.aadObjectId) ? [...offered, { aadObjectId: who.aadObjectId, name: who.name }] : [...offered];
  const firstSuggestion = recorded ? null : suggestion;
  const firstPeople = offering(people.slice(0, layout.firstChoices ?? people.length), shown.inSlots[0] ?? firstSuggestion);
  const body = [...fixedLines(shown), ...slotInputs(forceId, 1, firstPeople, shown.inSlots[0], firstSuggestion, first)];
  if (count > 1) body.push(toggle('Add another attendee', slot(2)));
  for (let n = 2; n <= count; n++) {
    const attendee = shown.inSlots[n - 1];
    const more = n < count ? [toggle('Add another attendee', slot(n + 1))] : [];
    body.push({ type: 'Container', id: slot(n), isVisible: filled >= n, items: [text(`Attendee ${n}`, { weight: 'Bolder' }), ...slotInputs(forceId, n, offering(people.slice(0, layout.laterChoices), attendee), attendee, null, `Attendee ${n}`), ...more] });
  }
  return body;
}
