import { DateTime } from 'luxon';
import { memo } from '../scheduler/domain/memo.js';

// Every card render formats the same few times, and luxon's parse-and-format dominates a render.
const hourMinute = memo((iso) => DateTime.fromISO(iso, { setZone: true }).toFormat('HH:mm'), 10_000);
const dayAndTime = memo((iso) => DateTime.fromISO(iso, { setZone: true }).toFormat('ccc d LLL yyyy, HH:mm'), 10_000);

/** "Tue 4 May 2027, 10:00–12:00" from two local ISO times with offsets. */
export function meetingWhen(start: string, end: string): string {
  return `${dayAndTime(start)}–${hourMinute(end)}`;
}

/** "Mon 3 May" from a local ISO time. */
export const shortDate = memo((iso) => DateTime.fromISO(iso, { setZone: true }).toFormat('ccc d LLL yyyy'), 10_000);

export type CardElement = Record<string, unknown>;

/** The Adaptive Card envelope Teams renders (schema 1.5). */
export function card(body: CardElement[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, ...extra };
}

export const text = (t: string, opts: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text: t, wrap: true, ...opts });
export const facts = (pairs: Array<[string, string]>): CardElement => ({ type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) });
