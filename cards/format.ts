import { DateTime } from 'luxon';
import { memo } from '../scheduler/domain/memo.js';
import { cleanText } from '../scheduler/domain/text.js';

// Every card render formats the same few times, and luxon's parse-and-format dominates a render.
const hourMinute = memo((iso) => DateTime.fromISO(iso, { setZone: true }).toFormat('HH:mm'), 10_000);
const dayAndTime = memo((iso) => DateTime.fromISO(iso, { setZone: true }).toFormat('ccc d LLL yyyy, HH:mm'), 10_000);

/** "Tue 4 May 2027, 10:00–12:00" from two local ISO times with offsets. */
export function meetingWhen(start: string, end: string): string {
  return `${dayAndTime(start)}–${hourMinute(end)}`;
}

/** "Mon 3 May 2027" from a local ISO time. */
export const shortDate = memo((iso) => DateTime.fromISO(iso, { setZone: true }).toFormat('ccc d LLL yyyy'), 10_000);

/** "May 2027" from a calendar month (YYYY-MM); anything else as it is. */
export function monthWords(ym: string): string {
  const month = DateTime.fromFormat(ym, 'yyyy-MM', { zone: 'Europe/London' });
  return month.isValid ? month.toFormat('LLLL yyyy') : ym;
}

export type CardElement = Record<string, unknown>;

/** The Adaptive Card envelope Teams renders (schema 1.5). */
export function card(body: CardElement[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, ...extra };
}

/**
 * User or config text made literal for the Markdown that Teams renders in TextBlocks and FactSet values
 * (CommonMark, plus autolinking of bare addresses). It is cleaned again first, so text stored before cleaning
 * existed shows safely too. Backslash escapes are CommonMark's: a renderer shows the character and not the
 * backslash. Only what could start markup is escaped, so ordinary names stay as typed ("O'Neil",
 * "Smith-Jones", "D.S."). The adaptivecards package does no Markdown in Node (it leaves that to the host),
 * so these rules follow the CommonMark spec and were checked against markdown-it with linkify on.
 */
export function md(s: string): string {
  return cleanText(s)
    .replace(/[\\`*_[\]()<>#~|]|&(?=#?[a-z0-9]+;)/giu, '\\$&')
    .replace(/(?<=\p{L}):(?=\S)/gu, '\\:') // a scheme: "https\://", "mailto\:" are no longer addresses
    .replace(/(?<=[\p{L}\p{N}])\.(?=[\p{L}\p{N}]{2})/gu, '\\.') // a domain: "evil\.example", but "D.S." untouched
    .replace(/^[-+=]/u, '\\$&') // cleaned text is one line, so a list or heading marker can only come first
    .replace(/^(\d{1,9})\./u, '$1\\.');
}

export const text = (t: string, opts: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text: t, wrap: true, ...opts });
export const facts = (pairs: Array<[string, string]>): CardElement => ({ type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) });

/**
 * Text that must stand out: in a Container of that style, the text itself in the default colour. Teams' coloured
 * text (above all the pale yellow of `Warning`) fails contrast in some of its themes on anything longer than a
 * label; a styled container's background passes in light, dark and high contrast.
 */
export const callout = (style: 'attention' | 'good' | 'warning' | 'emphasis', t: string, opts: Record<string, unknown> = {}): CardElement => ({
  type: 'Container',
  style,
  ...(opts.spacing ? { spacing: opts.spacing } : {}),
  items: [text(t, { ...opts, spacing: 'None' })],
});
