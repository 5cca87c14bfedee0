import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalEventStatus } from 'ical-generator';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { nextTurn, renderFeed, renderFeedInSlices, type FeedEvent, type FeedInput } from './calendar-feed.js';
import { foldLines } from './feed-ics.js';

/** The renderer as it was, through ical-generator: the hand-written one must write exactly its bytes. */
function throughIcalGenerator(input: FeedInput): string {
  const calendar = ical({
    name: input.name,
    description: input.description,
    prodId: { company: 'channel-panel-bot', product: 'calendar-feed', language: 'EN' },
    ttl: 12 * 3600,
    x: { 'X-WR-TIMEZONE': 'Europe/London' },
  });
  const stamp = DateTime.fromISO(input.stamp, { zone: 'utc' });
  for (const e of input.events) {
    calendar.createEvent({
      id: `${e.meetingId}@channel-panel-bot`, sequence: e.sequence, start: DateTime.fromISO(e.start, { zone: 'utc' }), end: DateTime.fromISO(e.end, { zone: 'utc' }),
      timezone: 'Europe/London', stamp, status: e.cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED, summary: e.summary,
      description: `${e.description}\n\nOpen the Channel panel bot: ${input.botUrl}`, url: input.botUrl,
    });
  }
  const ics = calendar.toString();
  const block = `${getVtimezoneComponent('Europe/London')!.trim().split(/\r?\n/).join('\r\n')}\r\n`;
  const at = ics.indexOf('BEGIN:VEVENT');
  const end = ics.lastIndexOf('END:VCALENDAR');
  return at >= 0 ? `${ics.slice(0, at)}${block}${ics.slice(at)}` : `${ics.slice(0, end)}${block}${ics.slice(end)}`;
}

/** A fixed pseudo-random sequence, so every run checks the same awkward inputs. */
function random(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

const PIECES = ['Southampton Channel panel', ', ', '; ', '\\', '\n', '\r\n', 'é', 'Ynys Môn', '🙂', '中文', 'x'.repeat(70), ' (invited to this meeting)', '\ud83d', '\ude00'];
/** Around both 2027 clock changes (28 March and 31 October, 01:00 UTC), and an ordinary day. */
const INSTANTS = ['2027-03-28T00:30:00.000Z', '2027-03-28T00:59:59.000Z', '2027-03-28T01:00:00.000Z', '2027-10-31T00:59:00.000Z', '2027-10-31T01:00:00.000Z', '2027-01-04T10:00:00.000Z', '2027-07-05T23:30:00.000Z'];

function awkwardInput(seed: number, events: number): FeedInput {
  const next = random(seed);
  const pick = <T,>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const text = () => Array.from({ length: 1 + Math.floor(next() * 8) }, () => pick(PIECES)).join('');
  const list: FeedEvent[] = Array.from({ length: events }, (_, i) => {
    const start = pick(INSTANTS);
    return { meetingId: `panel-${i}.${start.slice(0, 10)}`, start, end: new Date(Date.parse(start) + 7_200_000).toISOString(), cancelled: next() < 0.3, summary: text(), description: text(), sequence: Math.floor(next() * 40) };
  });
  return { name: pick(['Southampton Channel panel', 'Gwent Police: Channel panels', `Ynys Môn ${'long '.repeat(20)}`]), description: 'Channel panel timetable, no case details; moves.', botUrl: pick(['https://bot.example/', 'https://teams.microsoft.com/l/chat/0/0?users=28:a,b;c']), stamp: '2027-01-02T03:04:05.678Z', events: list };
}

describe('the hand-written iCalendar writer', () => {
  it('writes byte for byte what ical-generator wrote, for awkward text, long lines and both clock changes', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const input = awkwardInput(seed, seed % 7);
      expect(renderFeed(input), `seed ${seed}`).toBe(throughIcalGenerator(input));
    }
  });

  it('folds at 75 octets, never inside a character', () => {
    const folded = foldLines(`DESCRIPTION:${'é'.repeat(80)}`);
    for (const line of folded.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    expect(folded.split('\r\n').map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(`DESCRIPTION:${'é'.repeat(80)}`);
  });

  it('renders in slices the same bytes, giving the event loop a turn between them', async () => {
    const input = awkwardInput(7, 250);
    let turns = 0;
    const sliced = await renderFeedInSlices(input, 100, async () => {
      turns++;
      await nextTurn();
    });
    expect(sliced).toBe(renderFeed(input));
    expect(turns).toBe(2);
  });

  it('lets a callback queued for the next turn run before a long render finishes', async () => {
    let finished = false;
    let ranFirst: boolean | null = null;
    setImmediate(() => (ranFirst = !finished));
    await renderFeedInSlices(awkwardInput(3, 500));
    finished = true;
    expect(ranFirst).toBe(true);
  });
});
