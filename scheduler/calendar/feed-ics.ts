import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import { DateTime } from 'luxon';

/**
 * The iCalendar text of a feed, written by hand. ical-generator wrote it before, byte for byte the same (a test keeps
 * it so), but measured its line folding (a TextEncoder per character) at two thirds of a 1,000-event feed's render:
 * a third of a second of synchronous work that stalled every other request.
 */

const ZONE = 'Europe/London';
const HOUR_MS = 3600 * 1000;

/** One calendar's header lines, up to where its first event goes. */
export interface IcsCalendar {
  name: string;
  description: string;
  ttlSeconds: number;
}

/** One event's properties, as the feed gives them. */
export interface IcsEvent {
  uid: string;
  sequence: number;
  /** UTC instants. */
  start: string;
  end: string;
  stamp: string;
  summary: string;
  description: string;
  url: string;
  cancelled: boolean;
}

/** TEXT escaping (RFC 5545 3.3.11), as ical-generator did it. */
const escapeText = (s: string): string => s.replace(/[\\;,]/g, (m) => `\\${m}`).replace(/\r\n|\r|\n/g, '\\n');

const charBytes = (code: number): number => (code < 0x80 ? 1 : code < 0x800 ? 2 : 3);

/** Folds one content line at 75 octets: 74 bytes, then a CRLF and a space before each further run. */
function foldLine(line: string): string {
  if (line.length <= 74 && Buffer.byteLength(line, 'utf8') <= 74) return line;
  let out = '';
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    let size: number;
    let width = 1;
    if (code >= 0xd800 && code <= 0xdbff) {
      // A surrogate pair is one character; a lone surrogate is written as U+FFFD, as TextEncoder does.
      width = i + 1 < line.length ? 2 : 1;
      size = Buffer.byteLength(line.slice(i, i + width), 'utf8');
    } else size = code >= 0xdc00 && code <= 0xdfff ? 3 : charBytes(code);
    bytes += size;
    if (bytes > 74) {
      out += `${line.slice(from, i)}\r\n `;
      from = i;
      bytes = size;
    }
    i += width - 1;
  }
  return out + line.slice(from);
}

/** Folds every line of CRLF-separated text. */
export const foldLines = (text: string): string => text.split('\r\n').map(foldLine).join('\r\n');

const offsets = new Map<number, number>();

/** Europe/London's offset in minutes during the UTC hour `hour`: its changes fall on the hour, so one lookup serves the hour. */
function offsetMinutes(hour: number): number {
  let offset = offsets.get(hour);
  if (offset === undefined) {
    if (offsets.size > 100_000) offsets.clear();
    offset = DateTime.fromMillis(hour * HOUR_MS, { zone: ZONE }).offset;
    offsets.set(hour, offset);
  }
  return offset;
}

/** `yyyyLLddTHHmmss` of a date's ISO text (`2027-01-04T10:00:00.000Z` gives `20270104T100000`). */
const compact = (iso: string): string => `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;

/** A UTC instant as Europe/London wall-clock time, for `;TZID=Europe/London:`. */
function londonTime(utc: string): string {
  const ms = Date.parse(utc);
  return compact(new Date(ms + offsetMinutes(Math.floor(ms / HOUR_MS)) * 60_000).toISOString());
}

const utcTime = (utc: string): string => `${compact(new Date(Date.parse(utc)).toISOString())}Z`;

const duration = (seconds: number): string => {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return `PT${h ? `${h}H` : ''}${m ? `${m}M` : ''}${s || (!h && !m) ? `${s}S` : ''}`;
};

let vtimezone: string | undefined;

/** The VTIMEZONE of Europe/London, CRLF-terminated. */
export function vtimezoneBlock(): string {
  if (vtimezone === undefined) {
    const block = getVtimezoneComponent(ZONE);
    if (!block) throw new Error(`no VTIMEZONE for ${ZONE}`);
    vtimezone = `${block.trim().split(/\r?\n/).join('\r\n')}\r\n`;
  }
  return vtimezone;
}

/** The calendar's properties, folded. Its name and description are written as given, as ical-generator wrote them. */
export function icsHeader(c: IcsCalendar): string {
  const ttl = duration(c.ttlSeconds);
  return foldLines(
    `BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//channel-panel-bot//calendar-feed//EN\r\n${c.name ? `NAME:${c.name}\r\nX-WR-CALNAME:${c.name}\r\n` : ''}` +
      `${c.description ? `X-WR-CALDESC:${c.description}\r\n` : ''}REFRESH-INTERVAL;VALUE=DURATION:${ttl}\r\nX-PUBLISHED-TTL:${ttl}\r\n`,
  );
}

/** One VEVENT, folded: times at Europe/London wall-clock with its TZID, DTSTAMP in UTC. */
export function icsEvent(e: IcsEvent): string {
  return foldLines(
    `BEGIN:VEVENT\r\nUID:${e.uid}\r\nSEQUENCE:${e.sequence}\r\nDTSTAMP:${utcTime(e.stamp)}\r\n` +
      `DTSTART;TZID=${ZONE}:${londonTime(e.start)}\r\nDTEND;TZID=${ZONE}:${londonTime(e.end)}\r\n` +
      `SUMMARY:${escapeText(e.summary)}\r\nDESCRIPTION:${escapeText(e.description)}\r\nURL;VALUE=URI:${escapeText(e.url)}\r\n` +
      `STATUS:${e.cancelled ? 'CANCELLED' : 'CONFIRMED'}\r\nEND:VEVENT\r\n`,
  );
}

/** The calendar's last lines. */
export const icsFooter = (): string => `X-WR-TIMEZONE:${ZONE}\r\nEND:VCALENDAR`;
