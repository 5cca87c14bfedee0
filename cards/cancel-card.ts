import { cleanText } from '../scheduler/domain/text.js';
import { card, md, meetingWhen, text, type CardElement } from './format.js';
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

const NO_CASE_DETAILS = 'Do not put case details here: no names, no numbers of cases, nothing about any referred person.';

export interface ChairPanel {
  id: string;
  name: string;
  whenNecessary: boolean;
  /** The panel's meetings as the card saw them; the add button carries it. */
  snapshot: { asOf: string; fingerprint: string };
}

/** Move the chosen meeting, or add an extra one; inputs are checked by the server, so no section blocks another. */
function moveAndAdd(panels: ChairPanel[], versions: Record<string, number>): CardElement[] {
  return [
    text('Or move it instead', { weight: 'Bolder', spacing: 'Large' }),
    { type: 'Input.Date', id: 'newDate', label: 'New date' },
    { type: 'Input.Time', id: 'newTime', label: 'New start time (UK time)' },
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Move this meeting', verb: VERBS.rescheduleMeeting, data: { versions } }] },
    text('Add an extra meeting', { weight: 'Bolder', spacing: 'Large' }),
    ...(panels.some((p) => p.whenNecessary) ? [text('A panel that meets "when necessary" has only extra meetings, and each is flagged as such.', { isSubtle: true, size: 'Small' })] : []),
    { type: 'Input.ChoiceSet', id: 'panelId', label: 'Panel', choices: panels.map((p) => ({ title: cleanText(p.name), value: p.id })), ...(panels.length === 1 ? { value: panels[0]!.id } : {}) },
    { type: 'Input.Date', id: 'extraDate', label: 'Date' },
    { type: 'Input.Time', id: 'extraTime', label: 'Start time (UK time)' },
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Add meeting', verb: VERBS.addMeeting, data: addData(panels) }] },
  ];
}

/** What the add button carries: each panel's fingerprint, as of when the card was made. */
function addData(panels: ChairPanel[]): Record<string, unknown> {
  return { snapshots: Object.fromEntries(panels.map((p) => [p.id, p.snapshot.fingerprint])), asOf: panels[0]?.snapshot.asOf };
}

/** The chair's card: cancel a meeting (a category and a short note, the warning in plain sight), move one, or add one. */
export function cancelCard(meetings: CancelListItem[], notice?: string, panels: ChairPanel[] = []): Record<string, unknown> {
  const body: CardElement[] = [
    ...(notice ? [text(md(notice), { color: 'Attention', weight: 'Bolder' })] : []),
    text('Cancel a Channel panel meeting', { weight: 'Bolder', size: 'Medium' }),
    text('The guidance timetable is monthly, whether or not there are cases to discuss. Every cancellation is recorded and flagged in the recommendation 7 review.', { isSubtle: true }),
  ];
  const versions = Object.fromEntries(meetings.map((m) => [m.meetingId, m.version]));
  if (!meetings.length) return card([...body, text('There are no upcoming meetings you can cancel.'), ...(panels.length ? moveAndAdd(panels, versions).slice(4) : [])]);
  body.push(
    {
      type: 'Input.ChoiceSet', id: 'meetingId', label: 'Meeting',
      choices: meetings.map((m) => ({ title: `${cleanText(m.panelName)}: ${meetingWhen(m.start, m.end)}${m.extra ? ' (extra)' : ''}`, value: m.meetingId })),
    },
    { type: 'Input.ChoiceSet', id: 'reason', label: 'Reason for cancelling', choices: CANCEL_REASON_CHOICES },
    text(NO_CASE_DETAILS, { color: 'Attention', size: 'Small' }),
    { type: 'Input.Text', id: 'note', label: 'Note (a few words)', maxLength: 280 },
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Cancel this meeting', verb: VERBS.cancelMeeting, style: 'destructive', data: { versions } }] },
    ...moveAndAdd(panels, versions),
  );
  return card(body);
}

/** What the chair sees once a meeting is moved or added. */
export function changedCard(title: string, start: string, end: string, line: string): Record<string, unknown> {
  return card([text(`${md(title)}, ${meetingWhen(start, end)}`, { weight: 'Bolder', color: 'Good' }), text(md(line))]);
}

/** What the chair sees once a meeting is cancelled. */
export function cancelledCard(panelName: string, start: string, end: string, reason: string): Record<string, unknown> {
  return card([
    text(`Cancelled: ${md(panelName)}, ${meetingWhen(start, end)}`, { weight: 'Bolder', color: 'Attention' }),
    text(`Reason: ${md(reason)}. The nomination cards in each force's Teams channel now say so, and subscribers' calendars will show it cancelled.`),
  ]);
}
