import { cleanText } from '../scheduler/domain/text.js';
import { execute, heading, origin, otherJobs, questionBlock, savedCard, type Notice } from './chair-steps.js';
import { card, md, meetingWhen, text, type CardElement } from './format.js';
import { VERBS } from './verbs.js';

export interface ChairPanel {
  id: string;
  name: string;
  whenNecessary: boolean;
  /** The panel's meetings as the card saw them; the add button carries it. */
  snapshot: { asOf: string; fingerprint: string };
}

/** The panel, date and time as entered, to show the form again as it was. */
export interface AddValues {
  panelId?: string;
  extraDate?: string;
  extraTime?: string;
}

export interface AddCardView {
  panels: ChairPanel[];
  values?: AddValues;
  notice?: Notice;
}

/** What the add button carries: each panel's fingerprint, as of when the card was made. */
export function addSnapshots(panels: ChairPanel[]): Record<string, unknown> {
  return { snapshots: Object.fromEntries(panels.map((p) => [p.id, p.snapshot.fingerprint])), asOf: panels[0]?.snapshot.asOf };
}

const whenNecessaryNote = (panels: ChairPanel[]): CardElement[] =>
  panels.some((p) => p.whenNecessary) ? [text('A panel that meets "when necessary" has only extra meetings, and each is flagged as such.', { isSubtle: true, size: 'Small' })] : [];

/** The date and start time; `suffix` makes the ids a form's own where a card holds several (`extraDate_<suffix>`). */
const dateAndTime = (values: AddValues, suffix = ''): CardElement[] => [
  { type: 'Input.Date', id: `extraDate${suffix}`, label: 'Date', ...(values.extraDate ? { value: values.extraDate } : {}) },
  { type: 'Input.Time', id: `extraTime${suffix}`, label: 'Start time (UK time)', ...(values.extraTime ? { value: values.extraTime } : {}) },
];

/** The panel (chosen already when there is one), the date and the start time. */
function addFields(panels: ChairPanel[], values: AddValues = {}): CardElement[] {
  const chosen = values.panelId && panels.some((p) => p.id === values.panelId) ? values.panelId : panels.length === 1 ? panels[0]!.id : undefined;
  return [
    ...whenNecessaryNote(panels),
    { type: 'Input.ChoiceSet', id: 'panelId', label: 'Panel', placeholder: 'Choose a panel', choices: panels.map((p) => ({ title: cleanText(p.name), value: p.id })), ...(chosen ? { value: chosen } : {}) },
    ...dateAndTime(values),
  ];
}

/** The add button under a form: it asks first, it never adds. */
const askToAdd = (panels: ChairPanel[], data: Record<string, unknown> = {}): CardElement =>
  ({ type: 'ActionSet', actions: [execute('Add this meeting…', VERBS.addMeeting, { ...data, ...addSnapshots(panels) })] });

/**
 * One panel's add form inside the `panels` list: its button names the panel, and its inputs are suffixed with the
 * panel's id (chair-data.ts reads them back), since a card's input ids are card-wide and each panel has a form.
 */
export const panelAddForm = (p: ChairPanel): CardElement[] => [...whenNecessaryNote([p]), ...dateAndTime({}, `_${p.id}`), askToAdd([p], { panelId: p.id, ...origin('panels') })];

/** The chair's add card: an extra meeting, to come or already held, then a confirm step. */
export function addCard(v: AddCardView): Record<string, unknown> {
  const body = heading('Add an extra Channel panel meeting', v.notice, 'It may be one that already took place: you are then asked who attended.');
  if (!v.panels.length) return card([...body, text('You chair no Channel panel, so there is none to add a meeting to.')]);
  return card([...body, ...addFields(v.panels, v.values), askToAdd(v.panels), ...otherJobs('add')]);
}

/** What the confirm step knows: the meeting it would add, and what the chair entered (with the card's snapshots). */
export interface AddAsk {
  panelId: string;
  panelName: string;
  start: string;
  end: string;
  /** It already took place: its attendance card comes next. */
  ended: boolean;
  extraDate: string;
  extraTime: string;
  snapshots?: Record<string, string>;
  asOf?: string;
  from?: 'panels';
}

/** "Add an extra … meeting on …?" with Confirm and Keep it; only Confirm adds. */
export function addQuestion(a: AddAsk): CardElement {
  const data = { panelId: a.panelId, extraDate: a.extraDate, extraTime: a.extraTime, ...(a.snapshots ? { snapshots: a.snapshots } : {}), ...(a.asOf ? { asOf: a.asOf } : {}), ...origin(a.from) };
  const next = a.ended ? 'It has already ended: you record who attended next.' : 'Each force facing the panel will be asked to name its attendee.';
  return questionBlock(
    `Add an extra ${md(a.panelName)} meeting on ${meetingWhen(a.start, a.end)}? ${next}`,
    [],
    execute('Confirm', VERBS.addMeeting, { ...data, step: 'confirm' }, 'positive'),
    execute('Keep it', VERBS.addMeeting, { ...data, step: 'keep' }),
  );
}

/** The confirm step on its own card. */
export function addConfirmCard(a: AddAsk): Record<string, unknown> {
  return card([text('Add this meeting?', { weight: 'Bolder', size: 'Medium' }), addQuestion(a)]);
}

/** The one line that says what was saved, and what comes next when there is more to do (a past meeting to record). */
export const addedLine = (panelName: string, start: string, end: string, next = ''): string =>
  `Saved: extra ${cleanText(panelName)} meeting added, ${meetingWhen(start, end)}.${next ? ` ${next}` : ''}`;

/** What the chair sees once a meeting to come is added. */
export function addedCard(panelName: string, start: string, end: string): Record<string, unknown> {
  return savedCard(addedLine(panelName, start, end), ['Each force facing the panel will be asked to name its attendee.']);
}
