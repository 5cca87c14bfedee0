import { describe, expect, it, vi } from 'vitest';
import { issueFeeds } from '../scheduler/calendar/feed-tokens.js';
import { feedRoute } from './support/feed-subscriber.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';
import { GARETH } from './support/teams-activities.js';

const T0 = '2027-03-10T09:00:00.000Z';
const REFUSED = new Error('attempt to write a readonly database');

describe.each(STORE_KINDS)('a feed fetched while the database refuses writes, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: T0 });
  const fetchFeed = async (headers: Record<string, string> = {}) => {
    const r = await issueFeeds(t.store, GARETH.aadObjectId, T0, { only: 'southampton', max: 1 });
    if (!r.ok) throw new Error(r.error.message);
    return feedRoute(t.store, () => T0).handler({ params: { token: `${r.value.offers[0]!.token}.ics` }, query: {}, headers });
  };

  it('still serves it when only recording the link\'s use fails', async () => {
    const first = await fetchFeed();
    expect(first.status).toBe(200);
    const touch = vi.spyOn(t.store.feeds, 'touch').mockRejectedValue(REFUSED);
    expect((await fetchFeed({ 'if-none-match': first.headers!.etag! })).status).toBe(304);
    expect((await fetchFeed()).status).toBe(200);
    expect(touch).toHaveBeenCalled();
  });

  it('answers 503 with Retry-After and no ETag when what it shows cannot be recorded, and serves it once it can', async () => {
    const transaction = vi.spyOn(t.store, 'transaction');
    const r = await issueFeeds(t.store, GARETH.aadObjectId, T0, { only: 'southampton', max: 1 });
    if (!r.ok) throw new Error(r.error.message);
    transaction.mockRejectedValue(REFUSED);
    const res = await feedRoute(t.store, () => T0).handler({ params: { token: `${r.value.offers[0]!.token}.ics` }, query: {}, headers: {} });
    expect(res.status).toBe(503);
    expect(Number(res.headers!['retry-after'])).toBeGreaterThan(0);
    expect(res.headers!.etag).toBeUndefined();
    expect(String(res.body)).not.toContain('BEGIN:VCALENDAR');
    transaction.mockRestore();
    expect((await fetchFeed()).status).toBe(200);
  });
});
