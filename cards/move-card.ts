import { cleanText } from '../scheduler/domain/text.js';
import { meetingPicker, versionsOf, type CancelListItem } from './cancel-card.js';
import { execute, heading, origin, otherJobs, questionBlock, savedCard, type Notice } from './chair-steps.js';
import { card, md, meetingWhen, text, type CardElement } from './format.js';
import { VERBS } from './verbs.js';

/** The new date and time as entered (YYYY-MM-DD, HH:mm), to show the form again as it was. */
export interface MoveValues {
  newDate?: string;
  newTime?: string;
}

export interface MoveCardView {
  meetings: CancelListItem[];
  selected?: string;
  values?: MoveValues;
  notice?: Notice;
}

/** The new date and start time; inside the `panels` list each meeting's ids carry its row. */
export function moveFields(values: MoveValues = {}, row?: string): CardElement[] {
  const id = (name: string) => (row === undefined ? name : `${name}_${row}`);
  return [
    { type: 'Input.Date', id: id('newDate'), label: 'New date', ...(values.newDate ? { value: values.newDate } : {}) },
    { type: 'Input.Time', id: id('newTime'), label: 'New start time (UK time)', ...(values.newTime ? { value: values.newTime } : {}) },
  ];
}

/** The move button under a form: it asks first, it never moves. */
export const askToMove = (data: Record<string, unknown>): CardElement => ({ type: 'ActionSet', actions: [execute('Move this meeting…', VERBS.rescheduleMeeting, data)] });

/** The chair's move card: one meeting, its new date and time, then a confirm step. */
export function moveCard(v: MoveCardView): Record<string, unknown> {
  const body = heading('Move a Channel panel meeting', v.notice, 'The named attendees carry over and are told; each force\'s card shows the new time.');
  if (!v.meetings.length) return card([...body, text('There are no upcoming meetings you can move.'), ...otherJobs('move')]);
  return card([
    ...body,
    meetingPicker(v.meetings, v.selected),
    ...moveFields(v.values),
    askToMove({ versions: versionsOf(v.meetings) }),
    ...otherJobs('move'),
  ]);
}

/** What the confirm step knows: the meeting as it stands, where it would go, and what was entered. */
export interface MoveAsk {
  meetingId: string;
  panelName: string;
  start: string;
  end: string;
  to: { start: string; end: string };
  newDate: string;
  newTime: string;
  versions: Record<string, number>;
  from?: 'panels';
}

/** "Move … from … to …?" with Confirm and Keep it; only Confirm moves. */
export function moveQuestion(a: MoveAsk): CardElement {
  const data = { meetingId: a.meetingId, newDate: a.newDate, newTime: a.newTime, versions: a.versions, ...origin(a.from) };
  return questionBlock(
    `Move the ${md(a.panelName)} meeting from ${meetingWhen(a.start, a.end)} to ${meetingWhen(a.to.start, a.to.end)}? The named attendees are told, and each force's card will show the new time.`,
    [],
    execute('Confirm', VERBS.rescheduleMeeting, { ...data, step: 'confirm' }, 'positive'),
    execute('Keep it', VERBS.rescheduleMeeting, { ...data, step: 'keep' }),
  );
}

/** The confirm step on its own card. */
export function moveConfirmCard(a: MoveAsk): Record<string, unknown> {
  return card([text('Move this meeting?', { weight: 'Bolder', size: 'Medium' }), moveQuestion(a)]);
}

/** The one line that says what was saved. */
export const movedLine = (panelName: string, start: string, end: string): string => `Saved: ${cleanText(panelName)} is moved to ${meetingWhen(start, end)}.`;

/** What the chair sees once a meeting is moved. */
export function movedCard(panelName: string, start: string, end: string): Record<string, unknown> {
  return savedCard(movedLine(panelName, start, end), ["The named attendee carries over and is told; the cards in each force's Teams channel show the new time."]);
}
