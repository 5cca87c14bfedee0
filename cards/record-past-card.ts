import { cleanText } from '../scheduler/domain/text.js';
import { execute, heading, otherJobs, type Notice } from './chair-steps.js';
import { card, shortDate, text } from './format.js';
import { VERBS } from './verbs.js';

/** An ended meeting the chair may record or correct. */
export interface PastListItem {
  meetingId: string;
  panelName: string;
  start: string;
  extra: boolean;
  recorded: boolean;
}

export interface RecordPastView {
  past: PastListItem[];
  notice?: Notice;
}

/** Open the attendance card of a meeting that has ended, however old, to record or correct it. */
export function recordPastCard(v: RecordPastView): Record<string, unknown> {
  const body = heading('Record a past meeting', v.notice, 'Meetings that have ended, newest first. One that took place but is not listed can be added as an extra meeting on its date.');
  if (!v.past.length) return card([...body, text('None of your panels\' meetings has ended yet.'), ...otherJobs('record')]);
  return card([
    ...body,
    {
      type: 'Input.ChoiceSet', id: 'pastMeetingId', label: 'Meeting', style: 'filtered', placeholder: 'Choose a meeting',
      choices: v.past.map((m) => ({ title: `${cleanText(m.panelName)}: ${shortDate(m.start)}${m.extra ? ' (extra)' : ''}${m.recorded ? '' : ' (not recorded)'}`, value: m.meetingId })),
    },
    // The chosen meeting travels as pastMeetingId; the empty default means "none chosen".
    { type: 'ActionSet', actions: [execute('Open its attendance card', VERBS.openAttendance, { pastMeetingId: '' })] },
    ...otherJobs('record'),
  ]);
}
