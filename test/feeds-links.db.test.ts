import { describe, expect, it } from 'vitest';
import { resolveFeed } from '../scheduler/calendar/feed-targets.js';
import { issueFeeds, newToken, revokeFeeds, rotateFeeds, tokenHash } from '../scheduler/calendar/feed-tokens.js';
import { dumpStore } from './support/store-dump.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';
import { GARETH } from './support/teams-activities.js';

const T0 = '2027-03-10T09:00:00.000Z';

describe.each(STORE_KINDS)('one calendar link per person and feed, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: T0 });
  const tokens = async (only?: string) => {
    const r = await issueFeeds(t.store, GARETH.aadObjectId, T0, { ...(only ? { only } : {}), max: 20 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.offers;
  };

  it('gives two `subscribe`s racing one link for each feed', async () => {
    const [a, b] = await Promise.all([tokens('southampton'), tokens('southampton')]);
    expect(a[0]!.token).toBe(b[0]!.token);
    expect([a[0]!.issued, b[0]!.issued].sort()).toEqual(['existing', 'new']);
    expect(await resolveFeed(t.store, a[0]!.token, T0)).not.toBeNull();
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
});
