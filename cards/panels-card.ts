import { card, md, meetingWhen, text, type CardElement } from './format.js';
import { VERBS } from './verbs.js';

export interface PanelsRow {
  id: string;
  panelName: string;
  start: string;
  end: string;
  status: string;
  nominations: Array<{ forceId: string; name: string; decisionMaker: boolean }>;
  flags: string[];
  canNominateFor: string[];
  canCancel: boolean;
}

function row(m: PanelsRow): CardElement[] {
  const named = m.nominations.map((n) => `${n.forceId}: ${md(n.name)}${n.decisionMaker ? '' : ' (not confirmed as a decision maker)'}`).join('; ') || 'no police attendee named';
  const actions = m.canNominateFor.map((forceId) => ({ type: 'Action.Execute', title: `Name attendee (${forceId})`, verb: VERBS.refreshNomination, data: { meetingId: m.id, forceId } }));
  return [
    text(`**${md(m.panelName)}**, ${meetingWhen(m.start, m.end)}`, { spacing: 'Medium' }),
    text(`${m.status}: ${named}${m.flags.length ? `. Flags: ${m.flags.join(', ')}` : ''}`, { isSubtle: true }),
    ...(actions.length ? [{ type: 'ActionSet', actions }] : []),
    ...(m.canCancel ? [text('You chair this panel: type `cancel` to cancel a meeting.', { size: 'Small', isSubtle: true })] : []),
  ];
}

/** The person's next meetings, each with what their role lets them do. */
export function panelsCard(rows: PanelsRow[]): Record<string, unknown> {
  return card([
    text('Your next Channel panel meetings', { weight: 'Bolder', size: 'Medium' }),
    ...(rows.length ? rows.flatMap(row) : [text('No upcoming meetings involve you.')]),
  ]);
}
