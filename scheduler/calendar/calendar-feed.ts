import { DateTime } from 'luxon';
import type { Meeting, Nomination } from '../domain/types.js';
import type { RemovalReason } from '../store/store.js';
import { icsEvent, icsFooter, icsHeader, vtimezoneBlock } from './feed-ics.js';

const ZONE = 'Europe/London';
/** A timetable changes about weekly; clients that honour the hint re-read twice a day (Outlook may poll less often). */
const REFRESH_SECONDS = 12 * 3600;
const WINDOW_MONTHS = 12;

/** One meeting as a feed shows it: the panel's name and the force attendees, nothing about any case. */
export interface FeedMeeting {
  meeting: Meeting;
  panelName: string;
  localAuthority: string;
  /** Every force facing the panel, with its current nomination if any. */
  forces: Array<{ name: string; nomination: Pick<Nomination, 'name' | 'role' | 'decisionMaker'> | null; invited?: boolean }>;
  /** Why a past meeting did not take place, when the chair recorded that it did not. */
  notHeldReason?: string | null;
}

/** What a calendar shows of one meeting, SEQUENCE aside: a feed remembers a fingerprint of exactly this. */
export interface EventContent {
  meetingId: string;
  start: string;
  end: string;
  cancelled: boolean;
  summary: string;
  /** The event text, without the closing link back to the bot (which follows the deployment, not the meeting). */
  description: string;
}

/** One event as served: its content and the SEQUENCE this feed gives it. */
export interface FeedEvent extends EventContent {
  sequence: number;
}

export interface FeedInput {
  name: string;
  description: string;
  /** Where a reader opens the bot (Teams deep link or the public origin). */
  botUrl: string;
  /** DTSTAMP of every event: the feed's last change, so identical data renders identical bytes. */
  stamp: string;
  events: FeedEvent[];
}

/** The start of the UTC day `now` falls in. A feed moves with the day, never within it, so one ETag a day names one body. */
export const feedDay = (now: string): string => DateTime.fromISO(now, { zone: 'utc' }).startOf('day').toISO()!;

/** The instants a feed covers: the last 12 months and the planned 12 ahead of the start of `now`'s UTC day. */
export function feedWindow(now: string): { from: string; to: string } {
  const day = DateTime.fromISO(feedDay(now), { zone: 'utc' });
  return { from: day.minus({ months: WINDOW_MONTHS }).toISO()!, to: day.plus({ months: WINDOW_MONTHS }).toISO()! };
}

function attendeeLine(f: FeedMeeting['forces'][number]): string {
  const n = f.nomination;
  const name = `${f.name}${f.invited ? ' (invited to this meeting)' : ''}`;
  if (!n) return `${name}: no police attendee named yet`;
  return `${name}: ${n.name}${n.role ? ` (${n.role})` : ''}${n.decisionMaker ? ', confirmed as a decision maker' : ', not confirmed as a decision maker'}`;
}

const localTime = (utc: string) => DateTime.fromISO(utc, { zone: 'utc' }).setZone(ZONE).toFormat('ccc d LLL yyyy, HH:mm');

/** The event text: who represents the police, any move, the cancellation (never its note). */
export function feedDescription(m: FeedMeeting): string {
  const lines = [`${m.panelName} (${m.localAuthority})`, '', 'Police attendee:', ...m.forces.map(attendeeLine)];
  if (!m.forces.length) lines.push('no police attendee named yet');
  if (m.meeting.moved) lines.push('', `Moved from ${localTime(m.meeting.moved.from)} (${m.meeting.moved.reason}).`);
  if (m.meeting.status === 'cancelled') lines.push('', 'Cancelled by the panel chair.');
  if (m.meeting.status === 'held') lines.push('', 'Held: the chair recorded who attended.');
  if (m.meeting.status === 'not-held') lines.push('', `Did not take place${m.notHeldReason ? ` (${m.notHeldReason})` : ''}, as the chair recorded afterwards.`);
  return lines.join('\n');
}

/** A meeting as the store has it. */
export function liveContent(m: FeedMeeting): EventContent {
  const { status } = m.meeting;
  const summary = status === 'cancelled' ? `Cancelled: ${m.panelName}` : status === 'not-held' ? `Did not take place: ${m.panelName}` : m.panelName;
  return { meetingId: m.meeting.id, start: m.meeting.start, end: m.meeting.end, cancelled: status === 'cancelled', summary, description: feedDescription(m) };
}

/** The words a removed meeting is shown with: a category, never anyone's note. */
export const REMOVAL_WORDS: Record<RemovalReason, { summary: string; line: string }> = {
  'timetable-changed': { summary: 'Cancelled', line: "No longer planned: the panel's timetable changed." },
  'panel-retired': { summary: 'Cancelled', line: 'Cancelled: the panel was retired from the Channel panel bot.' },
  'not-shown': {
    summary: 'No longer in this calendar',
    line: 'No longer in this calendar: who is named for it, or what this link may show, changed. The meeting itself may still take place.',
  },
};

/** A meeting a feed showed and shows no more: cancelled, at the times it last showed, with why and nothing else. */
export function removedContent(r: { meetingId: string; start: string; end: string; panelName: string; reason: RemovalReason }): EventContent {
  const words = REMOVAL_WORDS[r.reason];
  return { meetingId: r.meetingId, start: r.start, end: r.end, cancelled: true, summary: `${words.summary}: ${r.panelName}`, description: `${r.panelName}\n\n${words.line}` };
}

const vevent = (input: FeedInput, e: FeedEvent): string =>
  icsEvent({
    uid: `${e.meetingId}@channel-panel-bot`,
    sequence: e.sequence,
    start: e.start,
    end: e.end,
    stamp: input.stamp,
    summary: e.summary,
    description: `${e.description}\n\nOpen the Channel panel bot: ${input.botUrl}`,
    url: input.botUrl,
    cancelled: e.cancelled,
  });

/** The VTIMEZONE goes in front of the first event, or before the end of a calendar with none. */
const closing = (input: FeedInput): string => (input.events.length ? icsFooter() : icsFooter().replace('END:VCALENDAR', `${vtimezoneBlock()}END:VCALENDAR`));
const opening = (input: FeedInput): string =>
  `${icsHeader({ name: input.name, description: input.description, ttlSeconds: REFRESH_SECONDS })}${input.events.length ? vtimezoneBlock() : ''}`;

/** Renders an iCalendar feed: one VEVENT per meeting, at Europe/London wall-clock times with a VTIMEZONE. */
export function renderFeed(input: FeedInput): string {
  return opening(input) + input.events.map((e) => vevent(input, e)).join('') + closing(input);
}

/** How many events are written between two yields: a few milliseconds' work. */
export const EVENTS_PER_SLICE = 100;

/**
 * `renderFeed`, giving the event loop back every `perSlice` events: a national lead's feed of thousands of events
 * never holds up a card press for longer than one slice takes.
 */
export async function renderFeedInSlices(input: FeedInput, perSlice = EVENTS_PER_SLICE, pause: () => Promise<void> = nextTurn): Promise<string> {
  const parts = [opening(input)];
  for (let i = 0; i < input.events.length; i++) {
    if (i > 0 && i % perSlice === 0) await pause();
    parts.push(vevent(input, input.events[i]!));
  }
  parts.push(closing(input));
  return parts.join('');
}

/** Resolves after the event loop's pending I/O and timers have had their turn. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
