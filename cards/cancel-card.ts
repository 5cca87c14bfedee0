import { cleanText, NOTE_MAX } from '../scheduler/domain/text.js';
import { card, md, meetingWhen, shortDate, text, type CardElement } from './format.js';
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

/** An ended meeting the chair may record or correct. */
export interface PastListItem {
  meetingId: string;
  panelName: string;
  start: string;
  extra: boolean;
  recorded: boolean;
}

/** What else the chair's card offers: ended meetings to record, and forces that could be invited to one. */
export interface ChairExtras {
  past?: PastListItem[];
  forces?: Array<{ id: string; name: string }>;
}

/** Invite a force that does not face the panel to the meeting chosen above. */
function invite(forces: ChairExtras['forces'] = []): CardElement[] {
  if (!forces.length) return [];
  return [
    text('Invite another force to a meeting', { weight: 'Bolder', spacing: 'Large' }),
    text('Choose the meeting above, then a force that does not face the panel (British Transport Police, or a neighbouring force for a cross-border case). It is asked to name an attendee for that meeting only.', { isSubtle: true, size: 'Small' }),
    { type: 'Input.ChoiceSet', id: 'forceId', label: 'Force', placeholder: 'Choose a force', choices: forces.map((f) => ({ title: cleanText(f.name), value: f.id })) },
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Invite this force', verb: VERBS.inviteForce, data: {} }] },
  ];
}

/** Open the attendance card of a meeting that has ended, however old, to record or correct it. */
function recordPast(past: ChairExtras['past'] = []): CardElement[] {
  if (!past.length) return [];
  return [
    text('Record a past meeting', { weight: 'Bolder', spacing: 'Large' }),
    text('Meetings that have ended, newest first. One that took place but is not listed can be added above as an extra meeting on its date.', { isSubtle: true, size: 'Small' }),
    {
      type: 'Input.ChoiceSet', id: 'pastMeetingId', label: 'Meeting', style: 'filtered', placeholder: 'Choose a meeting',
      choices: past.map((m) => ({ title: `${cleanText(m.panelName)}: ${shortDate(m.start)}${m.extra ? ' (extra)' : ''}${m.recorded ? '' : ' (not recorded)'}`, value: m.meetingId })),
    },
    // The chosen meeting travels as pastMeetingId; the empty default means "none chosen", whatever else is chosen above.
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Open its attendance card', verb: VERBS.openAttendance, data: { pastMeetingId: '' } }] },
  ];
}

// Each section's inputs are checked by the server, so no section blocks another.

/** Move the meeting chosen above. */
const move = (versions: Record<string, number>): CardElement[] => [
  text('Or move it instead', { weight: 'Bolder', spacing: 'Large' }),
  { type: 'Input.Date', id: 'newDate', label: 'New date' },
  { type: 'Input.Time', id: 'newTime', label: 'New start time (UK time)' },
  { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Move this meeting', verb: VERBS.rescheduleMeeting, data: { versions } }] },
];

/** Add an extra meeting, to come or already held. */
function add(panels: ChairPanel[]): CardElement[] {
  if (!panels.length) return [];
  return [
    text('Add an extra meeting', { weight: 'Bolder', spacing: 'Large' }),
    text('It may be one that already took place: you are then asked who attended.', { isSubtle: true, size: 'Small' }),
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

/** The chair's card: cancel a meeting (a category and an optional short note, the warning in plain sight), move one, invite a force to one, add one, or record a past one. */
export function cancelCard(meetings: CancelListItem[], notice?: string, panels: ChairPanel[] = [], extras: ChairExtras = {}): Record<string, unknown> {
  const body: CardElement[] = [
    ...(notice ? [text(md(notice), { color: 'Attention', weight: 'Bolder' })] : []),
    text('Cancel a Channel panel meeting', { weight: 'Bolder', size: 'Medium' }),
    text('The guidance timetable is monthly, whether or not there are cases to discuss. Every cancellation is recorded and flagged in the recommendation 7 review.', { isSubtle: true }),
  ];
  const versions = Object.fromEntries(meetings.map((m) => [m.meetingId, m.version]));
  if (!meetings.length) return card([...body, text('There are no upcoming meetings you can cancel.'), ...add(panels), ...recordPast(extras.past)]);
  body.push(
    {
      type: 'Input.ChoiceSet', id: 'meetingId', label: 'Meeting',
      choices: meetings.map((m) => ({ title: `${cleanText(m.panelName)}: ${meetingWhen(m.start, m.end)}${m.extra ? ' (extra)' : ''}`, value: m.meetingId })),
    },
    { type: 'Input.ChoiceSet', id: 'reason', label: 'Reason for cancelling', choices: CANCEL_REASON_CHOICES },
    text(NO_CASE_DETAILS, { color: 'Attention', size: 'Small' }),
    {
      type: 'Input.Text', id: 'note', label: 'Note for the forces (optional)', maxLength: NOTE_MAX,
      placeholder: 'For example: chair on leave, room unavailable. No case details.',
    },
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: 'Cancel this meeting', verb: VERBS.cancelMeeting, style: 'destructive', data: { versions } }] },
    ...move(versions),
    ...invite(extras.forces),
    ...add(panels),
    ...recordPast(extras.past),
  );
  return card(body);
}

/** What the chair sees once a meeting is moved or added. */
export function changedCard(title: string, start: string, end: string, line: string): Record<string, unknown> {
  return card([text(`${md(title)}, ${meetingWhen(start, end)}`, { weight: 'Bolder', color: 'Good' }), text(md(line))]);
}

/** What the chair sees once a meeting is cancelled: the reason, and their note when they wrote one ('' for none). */
export function cancelledCard(panelName: string, start: string, end: string, reason: string, note = ''): Record<string, unknown> {
  return card([
    text(`Cancelled: ${md(panelName)}, ${meetingWhen(start, end)}`, { weight: 'Bolder', color: 'Attention' }),
    text(`Reason: ${md(reason)}. The nomination cards in each force's Teams channel now say so, and subscribers' calendars will show it cancelled.`),
    // Where the note goes, said beside it: the force cards show it, calendars and the review never do.
    ...(note ? [text(`Your note, shown on the force cards only: ${md(note)}`, { isSubtle: true })] : []),
  ]);
}
