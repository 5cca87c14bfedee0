import { card, meetingWhen, text, type CardElement } from './format.js';
import { CANCEL_REASON_CHOICES, VERBS } from './verbs.js';

export interface CancelListItem {
  meetingId: string;
  panelName: string;
  start: string;
  end: string;
  extra: boolean;
}

const NO_CASE_DETAILS = 'Do not put case details here: no names, no numbers of cases, nothing about any referred person.';

/** The chair's cancel card: which meeting, why (a category and a short note), with the warning in plain sight. */
export function cancelCard(meetings: CancelListItem[], notice?: string): Record<string, unknown> {
  const body: CardElement[] = [
    ...(notice ? [text(notice, { color: 'Attention', weight: 'Bolder' })] : []),
    text('Cancel a Channel panel meeting', { weight: 'Bolder', size: 'Medium' }),
    text('The guidance timetable is monthly, whether or not there are cases to discuss. Every cancellation is recorded and flagged in the recommendation 7 review.', { isSubtle: true }),
  ];
  if (!meetings.length) return card([...body, text('There are no upcoming meetings you can cancel.')]);
  body.push(
    {
      type: 'Input.ChoiceSet', id: 'meetingId', label: 'Meeting', isRequired: true, errorMessage: 'Choose a meeting.',
      choices: meetings.map((m) => ({ title: `${m.panelName}: ${meetingWhen(m.start, m.end)}${m.extra ? ' (extra)' : ''}`, value: m.meetingId })),
    },
    { type: 'Input.ChoiceSet', id: 'reason', label: 'Reason', isRequired: true, errorMessage: 'Choose a reason.', choices: CANCEL_REASON_CHOICES },
    text(NO_CASE_DETAILS, { color: 'Attention', size: 'Small' }),
    { type: 'Input.Text', id: 'note', label: 'Note (a few words)', isRequired: true, maxLength: 280, errorMessage: 'Add a short note.' },
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Cancel this meeting', verb: VERBS.cancelMeeting, style: 'destructive', data: {} }] },
  );
  return card(body);
}

/** What the chair sees once a meeting is cancelled. */
export function cancelledCard(panelName: string, start: string, end: string, reason: string): Record<string, unknown> {
  return card([
    text(`Cancelled: ${panelName}, ${meetingWhen(start, end)}`, { weight: 'Bolder', color: 'Attention' }),
    text(`Reason: ${reason}. The nomination cards in each force's Teams channel now say so, and subscribers' calendars will show it cancelled.`),
  ]);
}
