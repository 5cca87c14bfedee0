import { cleanText, NOTE_MAX } from '../scheduler/domain/text.js';
import type { CancelReason } from '../scheduler/domain/types.js';
import { execute, heading, origin, otherJobs, questionBlock, savedCard, type Notice } from './chair-steps.js';
import { callout, card, md, meetingWhen, text, type CardElement } from './format.js';
import { CANCEL_REASON_CHOICES, VERBS } from './verbs.js';

export interface CancelListItem {
  meetingId: string;
  /** The meeting's version: every button carries the versions it was made from, so a stale press is caught. */
  version: number;
  panelName: string;
  start: string;
  end: string;
  extra: boolean;
}

/** What the chair had entered, to show the form again as it was (after Keep it, or a refusal). */
export interface CancelValues {
  reason?: string;
  note?: string;
}

export interface CancelCardView {
  meetings: CancelListItem[];
  /** The meeting to preselect: the one a button named, or the one chosen before. */
  selected?: string;
  values?: CancelValues;
  notice?: Notice;
}

const NO_CASE_DETAILS = 'Do not put case details here: no names, no numbers of cases, nothing about any referred person.';

/** A meeting as a choice: its panel and when. */
export const meetingChoice = (m: CancelListItem) => ({ title: `${cleanText(m.panelName)}: ${meetingWhen(m.start, m.end)}${m.extra ? ' (extra)' : ''}`, value: m.meetingId });

/** The meetings' versions, as every button of a list carries them. */
export const versionsOf = (meetings: CancelListItem[]): Record<string, number> => Object.fromEntries(meetings.map((m) => [m.meetingId, m.version]));

/**
 * The cancel form's own fields: a reason category, required, and an optional short note, the warning in plain sight.
 * Inside the `panels` list each meeting's form suffixes its ids with its row (`reason_2`), as ids must be unique.
 */
export function cancelFields(values: CancelValues = {}, row?: string): CardElement[] {
  const id = (name: string) => (row === undefined ? name : `${name}_${row}`);
  return [
    { type: 'Input.ChoiceSet', id: id('reason'), label: 'Reason for cancelling', placeholder: 'Choose a reason', choices: CANCEL_REASON_CHOICES, ...(values.reason ? { value: values.reason } : {}) },
    callout('attention', NO_CASE_DETAILS, { size: 'Small' }),
    {
      type: 'Input.Text', id: id('note'), label: 'Note for the forces (optional)', maxLength: NOTE_MAX,
      placeholder: 'For example: chair on leave, room unavailable. No case details.', ...(values.note ? { value: values.note } : {}),
    },
  ];
}

/** The chair's choice of an upcoming meeting, keeping the one a button came from (when it is still listed). */
export function meetingPicker(meetings: CancelListItem[], selected?: string): CardElement {
  const value = meetings.some((m) => m.meetingId === selected) ? { value: selected } : {};
  return { type: 'Input.ChoiceSet', id: 'meetingId', label: 'Meeting', placeholder: 'Choose a meeting', choices: meetings.map(meetingChoice), ...value };
}

/** The cancel button under a form: it asks first (the question names the meeting), it never cancels. */
export const askToCancel = (data: Record<string, unknown>): CardElement => ({ type: 'ActionSet', actions: [execute('Cancel this meeting…', VERBS.cancelMeeting, data)] });

/** The chair's cancel card: one meeting, a reason, an optional note, then a confirm step. Nothing else. */
export function cancelCard(v: CancelCardView): Record<string, unknown> {
  const body = heading('Cancel a Channel panel meeting', v.notice, 'The guidance timetable is monthly, whether or not there are cases to discuss. Every cancellation is recorded and flagged in the recommendation 7 review.');
  if (!v.meetings.length) return card([...body, text('There are no upcoming meetings you can cancel.'), ...otherJobs('cancel')]);
  return card([
    ...body,
    meetingPicker(v.meetings, v.selected),
    ...cancelFields(v.values),
    askToCancel({ versions: versionsOf(v.meetings) }),
    ...otherJobs('cancel'),
  ]);
}

/** What the confirm step knows: the meeting as it stands, and what the chair entered. */
export interface CancelAsk {
  meetingId: string;
  panelName: string;
  start: string;
  end: string;
  reason: CancelReason;
  note: string;
  versions: Record<string, number>;
  from?: 'panels';
}

/** "Cancel the … meeting on …?" with Confirm and Keep it; only Confirm cancels. */
export function cancelQuestion(a: CancelAsk): CardElement {
  const data = { meetingId: a.meetingId, reason: a.reason, note: a.note, versions: a.versions, ...origin(a.from) };
  return questionBlock(
    `Cancel the ${md(a.panelName)} meeting on ${meetingWhen(a.start, a.end)}? Each force's card will say so.`,
    [['Reason', md(a.reason)], ...(a.note ? [['Note for the forces', md(a.note)] as [string, string]] : [])],
    execute('Confirm', VERBS.cancelMeeting, { ...data, step: 'confirm' }, 'destructive'),
    execute('Keep it', VERBS.cancelMeeting, { ...data, step: 'keep' }),
  );
}

/** The confirm step on its own card (the cancel card's answer). */
export function cancelConfirmCard(a: CancelAsk): Record<string, unknown> {
  return card([text('Cancel this meeting?', { weight: 'Bolder', size: 'Medium' }), cancelQuestion(a)]);
}

/** The one line that says what was saved. */
export const cancelledLine = (panelName: string, start: string, end: string, reason: string): string =>
  `Saved: ${cleanText(panelName)}, ${meetingWhen(start, end)} is cancelled. Reason: ${reason}.`;

/** What the chair sees once a meeting is cancelled: the reason, and their note when they wrote one ('' for none). */
export function cancelledCard(panelName: string, start: string, end: string, reason: string, note = ''): Record<string, unknown> {
  return savedCard(cancelledLine(panelName, start, end, reason), [
    "The nomination cards in each force's Teams channel now say so, and subscribers' calendars will show it cancelled.",
    // Where the note goes, said beside it: the force cards show it, calendars and the review never do.
    ...(note ? [`Your note, shown on the force cards only: ${md(note)}`] : []),
  ]);
}
