import { cleanText } from '../scheduler/domain/text.js';
import { meetingChoice, type CancelListItem } from './cancel-card.js';
import { execute, heading, otherJobs, savedCard, type Notice } from './chair-steps.js';
import { card, meetingWhen, text } from './format.js';
import { VERBS } from './verbs.js';

export interface InviteCardView {
  meetings: CancelListItem[];
  /** Forces that do not face every one of the chair's panels. */
  forces: Array<{ id: string; name: string }>;
  selected?: string;
  notice?: Notice;
}

/** Invite a force that does not face the panel to one meeting. Adds to a meeting, changes nothing already there: no confirm step. */
export function inviteCard(v: InviteCardView): Record<string, unknown> {
  const body = heading('Invite another force to a meeting', v.notice, 'A force that does not face the panel (British Transport Police, or a neighbouring force for a cross-border case). It is asked to name an attendee for that meeting only.');
  if (!v.meetings.length || !v.forces.length) return card([...body, text(v.meetings.length ? 'Every force already faces your panels.' : 'There are no upcoming meetings to invite a force to.'), ...otherJobs('invite')]);
  const selected = v.meetings.some((m) => m.meetingId === v.selected) ? { value: v.selected } : {};
  return card([
    ...body,
    { type: 'Input.ChoiceSet', id: 'meetingId', label: 'Meeting', placeholder: 'Choose a meeting', choices: v.meetings.map(meetingChoice), ...selected },
    { type: 'Input.ChoiceSet', id: 'forceId', label: 'Force', placeholder: 'Choose a force', choices: v.forces.map((f) => ({ title: cleanText(f.name), value: f.id })) },
    { type: 'ActionSet', actions: [execute('Invite this force', VERBS.inviteForce, {})] },
    ...otherJobs('invite'),
  ]);
}

/** The one line that says what was saved. */
export const invitedLine = (forceName: string, panelName: string, start: string, end: string): string =>
  `Saved: ${cleanText(forceName)} invited to ${cleanText(panelName)}, ${meetingWhen(start, end)}.`;

/** What the chair sees once a force is invited. */
export function invitedCard(forceName: string, panelName: string, start: string, end: string): Record<string, unknown> {
  return savedCard(invitedLine(forceName, panelName, start, end), ['It is asked to name an attendee for this meeting only, and appears on its attendance card.']);
}
