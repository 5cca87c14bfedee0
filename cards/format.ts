import { DateTime } from 'luxon';

/** "Tue 4 May 2027, 10:00–12:00" from two local ISO times with offsets. */
export function meetingWhen(start: string, end: string): string {
  const s = DateTime.fromISO(start, { setZone: true });
  const e = DateTime.fromISO(end, { setZone: true });
  return `${s.toFormat('ccc d LLL yyyy, HH:mm')}–${e.toFormat('HH:mm')}`;
}

/** "Mon 3 May" from a local ISO time. */
export function shortDate(iso: string): string {
  return DateTime.fromISO(iso, { setZone: true }).toFormat('ccc d LLL yyyy');
}

export type CardElement = Record<string, unknown>;

/** The Adaptive Card envelope Teams renders (schema 1.5). */
export function card(body: CardElement[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, ...extra };
}

export const text = (t: string, opts: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text: t, wrap: true, ...opts });
export const facts = (pairs: Array<[string, string]>): CardElement => ({ type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) });
