import { DateTime } from 'luxon';
import { expect } from 'vitest';
import { calendarRoute } from '../../bot/routes/calendar-routes.js';
import { feedWindow } from '../../scheduler/calendar/calendar-feed.js';
import type { Store } from '../../scheduler/store/store.js';
import { expandWithIcalJs, expandWithNodeIcal, type SeenEvent } from './ical-parsers.js';

/** The feed route over a store, on a clock the test moves, with no rate limit. */
export const feedRoute = (store: Store, clock: () => string) =>
  calendarRoute({ store, clock }, { publicBaseUrl: 'https://panels.example.org', appId: '' }, { burst: Infinity, perSecond: Infinity });

const shown = (e: SeenEvent) => JSON.stringify([e.start, e.end, e.status, e.summary, e.description]);

/** A calendar subscribed to one link: what it holds, by UID, and the ETag it revalidates with. */
export interface Subscriber {
  /**
   * Fetches the feed as a calendar would (If-None-Match), parses it with both parsers, and checks nothing went backwards.
   * Fails on any status but 200 and 304, unless the test names the one it expects.
   */
  fetch(expected?: number): Promise<{ status: number; events: SeenEvent[] }>;
  held(uid: string): SeenEvent | undefined;
}

/** Whether an event (start in Europe/London, as the parsers give it) has left the feed window by `now`. */
const olderThanWindow = (e: SeenEvent, now: string) => DateTime.fromFormat(e.start, 'yyyy-MM-dd HH:mm', { zone: 'Europe/London' }).toUTC().toISO()! < feedWindow(now).from;

/**
 * Plays a calendar client: after every fetch each UID it ever held is still there (until older than the feed window),
 * its SEQUENCE is never lower, and anything it shows differently comes with a higher SEQUENCE (a client ignores a
 * change at the same one).
 */
export function subscriber(route: ReturnType<typeof feedRoute>, token: string, clock: () => string): Subscriber {
  const held = new Map<string, SeenEvent>();
  let etag: string | undefined;
  return {
    held: (uid) => held.get(uid),
    async fetch(expected) {
      const res = await route.handler({ params: { token: `${token}.ics` }, query: {}, headers: etag ? { 'if-none-match': etag } : {} });
      expect(expected === undefined ? [200, 304] : [expected], `the feed's status`).toContain(res.status);
      if (res.status === 304) return { status: 304, events: [...held.values()] };
      if (res.status !== 200) return { status: res.status, events: [] };
      etag = res.headers?.etag;
      const ics = String(res.body);
      const events = expandWithIcalJs(ics);
      expect(expandWithNodeIcal(ics)).toEqual(events);
      const byUid = new Map(events.map((e) => [e.uid, e]));
      expect(byUid.size, 'one event per UID').toBe(events.length);
      const backwards = [...held.values()].flatMap((before) => {
        const now = byUid.get(before.uid);
        if (!now) return olderThanWindow(before, clock()) ? [] : [`${before.uid} vanished`];
        if (now.sequence < before.sequence) return [`${before.uid}: SEQUENCE ${before.sequence} -> ${now.sequence}`];
        return now.sequence === before.sequence && shown(now) !== shown(before) ? [`${before.uid} changed at SEQUENCE ${now.sequence}`] : [];
      });
      expect(backwards).toEqual([]);
      for (const e of events) held.set(e.uid, e);
      return { status: 200, events };
    },
  };
}

/** The event of a meeting, by its id. */
export const eventOf = (events: SeenEvent[], meetingId: string): SeenEvent | undefined => events.find((e) => e.uid === `${meetingId}@channel-panel-bot`);
