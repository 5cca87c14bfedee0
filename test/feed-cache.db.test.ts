import { describe, expect, it, vi } from 'vitest';
import { issueFeeds, revokeFeeds, rotateFeeds } from '../scheduler/calendar/feed-tokens.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { expandWithIcalJs } from './support/ical-parsers.js';
import { eventOf, feedRoute, subscriber } from './support/feed-subscriber.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';
import { DAWN, GARETH, NADIA } from './support/teams-activities.js';

const T0 = '2027-03-10T09:00:00.000Z';
const JUNE = 'southampton.2027-06-07';
const JULY = 'southampton.2027-07-05';

/** Issue 22, item 5: a feed's body is kept under its ETag, so a fetch of an unchanged feed builds nothing. */
describe.each(STORE_KINDS)('a kept feed body, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: T0 });
  let now = T0;

  const link = async (only: string) => {
    const r = await issueFeeds(t.store, GARETH.aadObjectId, now, { only, max: 1 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.offers[0]!.token;
  };
  const fetchWith = (route: ReturnType<typeof feedRoute>, token: string) => route.handler({ params: { token: `${token}.ics` }, query: {}, headers: {} });
  /** How many times a feed of Southampton was built (its meetings listed). */
  const builds = () => {
    const list = vi.spyOn(t.store.meetings, 'list');
    return () => list.mock.calls.filter(([f]) => f?.panelIds?.join() === 'southampton').length;
  };

  /** Southampton's feed on one instance, fetched once, counting its builds from before that fetch. */
  const fetchedOnce = async () => {
    now = T0;
    const route = feedRoute(t.store, () => now);
    const token = await link('southampton');
    const built = builds();
    return { route, token, built, first: await fetchWith(route, token) };
  };

  it('answers a fetch of the same state with the same body and ETag, building it once', async () => {
    const { route, token, built, first } = await fetchedOnce();
    const second = await fetchWith(route, token);
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(second.headers!.etag).toBe(first.headers!.etag);
    expect(second.body).toBe(first.body);
    expect(built()).toBe(1);
    // Another instance keeps its own: it builds once too, and serves the same body.
    const other = feedRoute(t.store, () => now);
    expect((await fetchWith(other, token)).body).toBe(first.body);
    expect((await fetchWith(other, token)).body).toBe(first.body);
    expect(built()).toBe(2);
  });

  it('shows a change made on any instance at the next fetch, with a higher SEQUENCE', async () => {
    now = T0;
    const here = feedRoute(t.store, () => now);
    const token = await link('southampton');
    const calendar = subscriber(here, token, () => now);
    const before = (await calendar.fetch(200)).events;
    await calendar.fetch(304);
    expect((await cancelMeeting(t.store, { meetingId: JUNE, reason: 'other', note: 'not shown' }, DAWN.aadObjectId, T0)).ok).toBe(true);
    const cancelled = (await calendar.fetch(200)).events;
    expect(eventOf(cancelled, JUNE)!.status).toBe('CANCELLED');
    expect(eventOf(cancelled, JUNE)!.sequence).toBeGreaterThan(eventOf(before, JUNE)!.sequence);
    const input = { meetingId: JULY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'Detective Inspector', decisionMaker: true };
    expect((await nominate(t.store, input, GARETH.aadObjectId, T0)).ok).toBe(true);
    // Fetched without If-None-Match, as a kept body would have been served.
    const named = expandWithIcalJs(String((await fetchWith(here, token)).body));
    expect(eventOf(named, JULY)!.description).toContain('Nadia Rahman (Detective Inspector)');
    expect(eventOf(named, JULY)!.sequence).toBeGreaterThan(eventOf(cancelled, JULY)!.sequence);
  });

  it('builds afresh when the day moves the feed window, even with nothing else changed', async () => {
    const { route, token, built, first } = await fetchedOnce();
    now = '2027-03-11T09:00:00.000Z';
    const next = await fetchWith(route, token);
    expect(next.headers!.etag).not.toBe(first.headers!.etag);
    expect(built()).toBe(2);
  });

  it('refuses a revoked link even though its body is kept, and a rotated one while its successor serves', async () => {
    now = T0;
    const route = feedRoute(t.store, () => now);
    const revoked = await link('southampton');
    expect((await fetchWith(route, revoked)).status).toBe(200);
    expect(await revokeFeeds(t.store, GARETH.aadObjectId, T0, 'southampton')).toBe(1);
    const refused = await fetchWith(route, revoked);
    expect(refused.status).toBe(404);
    expect(String(refused.body)).not.toContain('BEGIN:VCALENDAR');

    const old = await link('southampton');
    const calendar = subscriber(route, old, () => now);
    await calendar.fetch(200);
    const rotated = await rotateFeeds(t.store, GARETH.aadObjectId, T0, 'southampton');
    if (!rotated.ok) throw new Error(rotated.error.message);
    expect((await fetchWith(route, old)).status).toBe(404);
    expect((await fetchWith(route, rotated.value.offers[0]!.token)).status).toBe(200);
  });
});
