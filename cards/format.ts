import { DateTime } from 'luxon';

/** Remembers a pure string formatter's answers: every card render formats the same few times, and luxon's parse-and-format dominates a render. */
function memo(format: (key: string) => string): (key: string) => string {
  const seen = new Map<string, string>();
  return (key) => {
    let out = seen.get(key);
    if (out === undefined) {
      out = format(key);
      if (seen.size >= 10_000) seen.clear();
      seen.set(key, out);
    }
    return out;
  };
}

const hourMinute = memo((iso) => DateTime.fromISO(iso, { setZone: true }).toFormat('HH:mm'));
const dayAndTime = memo((iso) => DateTime.fromISO(iso, { setZone: true }).toFormat('ccc d LLL yyyy, HH:mm'));

/** "Tue 4 May 2027, 10:00–12:00" from two local ISO times with offsets. */
export function meetingWhen(start: string, end: string): string {
  return `${dayAndTime(start)}–${hourMinute(end)}`;
}

/** "Mon 3 May" from a local ISO time. */
export const shortDate = memo((iso) => DateTime.fromISO(iso, { setZone: true }).toFormat('ccc d LLL yyyy'));

export type CardElement = Record<string, unknown>;

/** The Adaptive Card envelope Teams renders (schema 1.5). */
export function card(body: CardElement[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, ...extra };
}

export const text = (t: string, opts: Record<string, unknown> = {}): CardElement => ({ type: 'TextBlock', text: t, wrap: true, ...opts });
export const facts = (pairs: Array<[string, string]>): CardElement => ({ type: 'FactSet', facts: pairs.map(([title, value]) => ({ title, value })) });
