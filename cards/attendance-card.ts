import { cleanText } from '../scheduler/domain/text.js';
import { card, md, meetingWhen, text, type CardElement } from './format.js';
import { VERBS } from './verbs.js';

/** What the chair's attendance card needs, per force facing the panel. */
export interface AttendanceView {
  meetingId: string;
  /** The record as this card shows it (meeting and per-force record versions); a press from an older card is stale. */
  version: string;
  panelName: string;
  start: string;
  end: string;
  forces: Array<{
    id: string;
    name: string;
    nominee: { aadObjectId: string; name: string } | null;
    recorded: { attended: boolean; aadObjectId: string | null; decisionMaker: boolean } | null;
    choices: Array<{ aadObjectId: string; name: string }>;
  }>;
}

function forceInputs(f: AttendanceView['forces'][number]): CardElement[] {
  const chosen = f.recorded?.aadObjectId ?? f.nominee?.aadObjectId;
  return [
    text(`${md(f.name)}${f.nominee ? `: ${md(f.nominee.name)} was named` : ': nobody was named'}`, { weight: 'Bolder', spacing: 'Medium' }),
    { type: 'Input.Toggle', id: `attended_${f.id}`, title: 'A police representative attended', valueOn: 'true', valueOff: 'false', value: f.recorded ? String(f.recorded.attended) : 'true' },
    {
      type: 'Input.ChoiceSet', id: `attendee_${f.id}`, label: 'Who attended (the nominee, or a substitute)', style: 'filtered',
      choices: f.choices.map((p) => ({ title: cleanText(p.name), value: p.aadObjectId })),
      'choices.data': { type: 'Data.Query', dataset: 'graph.microsoft.com/users' },
      ...(chosen ? { value: chosen } : {}),
    },
    { type: 'Input.Toggle', id: `decisionMaker_${f.id}`, title: 'They could make decisions on behalf of the force', valueOn: 'true', valueOff: 'false', value: String(f.recorded?.decisionMaker ?? true) },
  ];
}

/** The chair's card after a meeting: who represented each force, and could they decide. It stays open for corrections. */
export function attendanceCard(v: AttendanceView, notice?: string): Record<string, unknown> {
  const recorded = v.forces.every((f) => f.recorded);
  return card([
    ...(notice ? [text(md(notice), { color: 'Attention', weight: 'Bolder' })] : []),
    text(`Police attendance: ${md(v.panelName)}`, { weight: 'Bolder', size: 'Medium' }),
    text(meetingWhen(v.start, v.end)),
    text('Record police representation only: name no one but the police attendees.', { isSubtle: true, size: 'Small' }),
    ...v.forces.flatMap(forceInputs),
    { type: 'ActionSet', actions: [{ type: 'Action.Execute', title: recorded ? 'Correct the record' : 'Record attendance', verb: VERBS.recordAttendance, data: { meetingId: v.meetingId, cardVersion: v.version } }] },
    ...(recorded ? [text('Recorded. You can correct it here; every version is kept.', { color: 'Good' })] : []),
  ]);
}
