import { describe, expect, it, vi } from 'vitest';
import { buildFeed, feedVersion } from '../scheduler/calendar/feed-build.js';
import { resolveFeed, type FeedTarget } from '../scheduler/calendar/feed-targets.js';
import { issueFeeds, newToken, revokeFeeds, rotateFeeds, tokenHash } from '../scheduler/calendar/feed-tokens.js';
import type { Repos, SeenMeeting } from '../scheduler/store/store.js';
import { eventOf, feedRoute, subscriber } from './support/feed-subscriber.js';
import { dumpStore } from './support/store-dump.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';
import { GARETH } from './support/teams-activities.js';

const T0 = '2027-03-10T09:00:00.000Z';
const LATER = '2027-03-20T09:00:00.000Z';
const APRIL = 'southampton.2027-04-05';

/** Resolves once `parties` callers have arrived: forces two transactions to interleave where the test says. */
function barrier(parties: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const all = new Promise<void>((resolve) => (open = resolve));
  return () => {
    if (++arrived === parties) open();
    return all;
  };
}

describe.each(STORE_KINDS)('one calendar link per person and feed, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: T0 });
  const tokens = async (only?: string) => {
    const r = await issueFeeds(t.store, GARETH.aadObjectId, T0, { ...(only ? { only } : {}), max: 20 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.offers;
  };

  const issuedEntries = async () => (await t.store.audit.page(0, 1000)).filter((e) => e.action === 'feed.issued').length;
  /** Every transaction's `liveLink` goes through `read`, given the real one. */
  const liveLinkThrough = (read: (real: Repos['feeds']['liveLink'], ...a: Parameters<Repos['feeds']['liveLink']>) => ReturnType<Repos['feeds']['liveLink']>) => {
    const real = t.store.transaction.bind(t.store);
    vi.spyOn(t.store, 'transaction').mockImplementation((fn) =>
      real((tx: Repos) => fn({ ...tx, feeds: { ...tx.feeds, liveLink: (...a) => read(tx.feeds.liveLink, ...a) } }) as never));
  };

  it('gives two `subscribe`s racing one link for each feed', async () => {
    const [a, b] = await Promise.all([tokens('southampton'), tokens('southampton')]);
    expect(a[0]!.token).toBe(b[0]!.token);
    expect([a[0]!.issued, b[0]!.issued].sort()).toEqual(['existing', 'new']);
    expect(await resolveFeed(t.store, a[0]!.token, T0)).not.toBeNull();
  });

  it('reports a link a racing `subscribe` made first as existing, with one audit entry between them', async () => {
    const first = await tokens('southampton');
    expect(await issuedEntries()).toBe(1);
    // The second read no live link (the other had not written it yet), so its insert is refused by the one-live-link index.
    let stale = true;
    liveLinkThrough(async (read, ...a) => (stale ? ((stale = false), null) : read(...a)));
    const second = await tokens('southampton');
    expect([second[0]!.token, second[0]!.issued]).toEqual([first[0]!.token, 'existing']);
    expect(await issuedEntries()).toBe(1);
  });

  // PostgreSQL only: SQLite runs one write transaction at a time, so the interleaving cannot happen there.
  if (kind === 'postgres') {
    it('reports one new link and writes one audit entry when two `subscribe`s interleave on PostgreSQL', async () => {
      // Each transaction has read no link before either writes one.
      const wait = barrier(2);
      liveLinkThrough(async (read, ...a) => (await wait(), read(...a)));
      const [a, b] = await Promise.all([tokens('southampton'), tokens('southampton')]);
      expect(a[0]!.token).toBe(b[0]!.token);
      expect([a[0]!.issued, b[0]!.issued].sort()).toEqual(['existing', 'new']);
      expect(await issuedEntries()).toBe(1);
    });
  }

  it('hands what the old link showed to the new one on `subscribe rotate`, so the calendar sees nothing go backwards', async () => {
    const route = feedRoute(t.store, () => LATER);
    const old = (await tokens('southampton'))[0]!.token;
    const april = eventOf((await subscriber(route, old, () => LATER).fetch()).events, APRIL)!;
    const oldLink = (await t.store.feeds.byHash(tokenHash(old)))!;
    const rotated = await rotateFeeds(t.store, GARETH.aadObjectId, LATER, 'southampton');
    if (!rotated.ok) throw new Error(rotated.error.message);
    const fresh = tokenHash(rotated.value.offers[0]!.token);
    expect((await t.store.feeds.byHash(fresh))!.seenSerial).toBe(oldLink.seenSerial);
    expect((await t.store.feeds.seen(fresh)).map((s) => s.meetingId)).toContain(APRIL);
    expect(await t.store.feeds.seen(oldLink.hash)).toEqual([]);
    // The meeting goes after the swap: the new link still shows it, cancelled, above the SEQUENCE the calendar holds.
    await t.store.transaction(async (tx) => {
      await tx.feeds.bury([APRIL], 'timetable-changed', LATER);
      await tx.meetings.deleteMany([APRIL]);
    });
    const after = eventOf((await subscriber(route, rotated.value.offers[0]!.token, () => LATER).fetch()).events, APRIL);
    expect([after?.status, (after?.sequence ?? 0) > april.sequence]).toEqual(['CANCELLED', true]);
  });

  it('records nothing for a link revoked while its feed was being built', async () => {
    const token = (await tokens('southampton'))[0]!.token;
    expect(await revokeFeeds(t.store, GARETH.aadObjectId, T0, 'southampton')).toBe(1);
    const row: SeenMeeting = { meetingId: APRIL, panelId: 'southampton', panelName: 'Southampton Channel panel', start: '2027-04-05T09:00:00.000Z', end: '2027-04-05T11:00:00.000Z', sequence: 1, fingerprint: 'x', gone: null };
    expect(await t.store.transaction((tx) => tx.feeds.remember(tokenHash(token), [row], []))).toBe(0);
    expect(await t.store.feeds.seen(tokenHash(token))).toEqual([]);
  });

  it('rotates every live link of the feed, an old unseeded one included, and none of the others', async () => {
    const legacy = newToken();
    await t.store.feeds.save({ hash: tokenHash(legacy), owner: GARETH.aadObjectId, scope: { kind: 'panel', id: 'southampton' }, createdAt: T0, revokedAt: null });
    const before = await tokens();
    const r = await rotateFeeds(t.store, GARETH.aadObjectId, T0, 'Southampton');
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.offers.map((o) => [o.title, o.issued])).toEqual([['Southampton Channel panel', 'replacement']]);
    const old = before.find((o) => o.scope.id === 'southampton')!.token;
    expect(await resolveFeed(t.store, old, T0)).toBeNull();
    expect(await resolveFeed(t.store, legacy, T0)).toBeNull();
    expect(await resolveFeed(t.store, r.value.offers[0]!.token, T0)).not.toBeNull();
    const after = await tokens();
    expect(after.filter((o) => o.token !== before.find((b) => b.title === o.title)!.token).map((o) => o.title)).toEqual(['Southampton Channel panel']);
  });

  it('refuses to rotate a feed the person may not see, and revokes only the feed named', async () => {
    const before = await tokens();
    const dump = await dumpStore(t.options);
    const refused = await rotateFeeds(t.store, GARETH.aadObjectId, T0, 'peterborough-rutland');
    expect(refused.ok ? null : refused.error.code).toBe('NOT_VISIBLE');
    expect(await dumpStore(t.options)).toEqual(dump);
    expect(await revokeFeeds(t.store, GARETH.aadObjectId, T0, 'me')).toBe(1);
    const live = await Promise.all(before.map(async (o) => [o.scope.kind, (await resolveFeed(t.store, o.token, T0)) !== null]));
    expect(live.filter(([, ok]) => !ok)).toEqual([['person', false]]);
    expect(await revokeFeeds(t.store, GARETH.aadObjectId, T0, 'me')).toBe(0);
    expect(await revokeFeeds(t.store, GARETH.aadObjectId, T0)).toBe(before.length - 1);
  });

  // PostgreSQL only: SQLite runs one write transaction at a time, so the interleaving cannot happen there.
  if (kind === 'postgres') {
    it('records nothing for a fetch that reaches recording while a revoke holds the link on PostgreSQL', async () => {
      const token = (await tokens('southampton'))[0]!.token;
      const target = (await resolveFeed(t.store, token, T0)) as FeedTarget;
      const version = await feedVersion(t.store, target, T0);
      const real = t.store.transaction.bind(t.store);
      const revoked = barrier(2);
      const reached = barrier(2);
      // The revoke has locked and revoked the link, uncommitted, before the fetch records; it commits once the fetch is there.
      const revoking = real(async (tx) => {
        await tx.feeds.revokeAll(GARETH.aadObjectId, T0);
        await revoked();
        await reached();
      });
      vi.spyOn(t.store, 'transaction').mockImplementation((fn) =>
        real((tx: Repos) => fn({ ...tx, feeds: { ...tx.feeds, remember: async (...a) => (await revoked(), void reached(), tx.feeds.remember(...a)) } }) as never));
      await Promise.all([revoking, buildFeed(t.store, target, version, T0, 'https://panels.example.org')]);
      expect(await t.store.feeds.seen(target.hash)).toEqual([]);
    });
  }
});
