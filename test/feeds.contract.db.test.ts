import { beforeEach, describe, expect, it } from 'vitest';
import type { Force, Meeting, Nomination, Panel } from '../scheduler/domain/types.js';
import type { FeedToken } from '../scheduler/store/store.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

const AT = '2027-03-10T09:00:00.000Z';
const LATER = '2027-03-11T09:00:00.000Z';
const owner = '11111111-1111-4111-8111-111111111111';
const other = '22222222-2222-4222-8222-222222222222';

const force = (id: string): Force => ({ id, name: `${id} police`, preventLeads: [{ aadObjectId: owner, name: 'Priya Shah' }], deputies: [], teamsChannelId: null, retired: false });
const panel = (id: string, forces: string[]): Panel => ({
  id, name: `${id} panel`, localAuthority: `${id} council`, forces, chairs: [],
  timetable: { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' }, teamsChannelId: null, retired: false,
});
const meeting = (id: string, panelId: string, start: string): Meeting => ({
  id, panelId, occurrence: start.slice(0, 10), start, end: start.replace('T10', 'T12'), status: 'scheduled', moved: null, extra: false, version: 1, locked: false,
});
const nomination = (meetingId: string, aadObjectId: string, version = 1): Nomination => ({
  meetingId, forceId: 'cambs', aadObjectId, name: 'Tom Whitfield', role: 'DI', decisionMaker: true, nominatedBy: owner, nominatedAt: AT, version,
});
const token = (hash: string, extra: Partial<FeedToken> = {}): FeedToken => ({
  hash, owner, scope: { kind: 'panel', id: 'a' }, createdAt: AT, revokedAt: null, ...extra,
});

describe.each(STORE_KINDS)('feed repository contract on %s', (kind) => {
  const t = useFreshStore(kind);
  beforeEach(async () => {
    await t.store.directory.saveForce(force('cambs'), AT);
    await t.store.directory.savePanel(panel('a', ['cambs']), AT);
    await t.store.directory.savePanel(panel('b', ['cambs']), AT);
    await t.store.meetings.insertMany([
      meeting('a.1', 'a', '2027-04-13T10:00:00.000Z'),
      meeting('a.2', 'a', '2027-05-11T10:00:00.000Z'),
      meeting('b.1', 'b', '2027-04-14T10:00:00.000Z'),
    ], AT);
  });

  it('saves a token and finds it by its hash only', async () => {
    await t.store.feeds.save(token('h1', { scope: { kind: 'person', id: owner } }));
    expect(await t.store.feeds.byHash('h1')).toEqual(token('h1', { scope: { kind: 'person', id: owner } }));
    expect(await t.store.feeds.byHash('h2')).toBeNull();
  });

  it('revokes every live token of one person and counts them', async () => {
    await t.store.feeds.save(token('h1'));
    await t.store.feeds.save(token('h2', { scope: { kind: 'force', id: 'cambs' } }));
    await t.store.feeds.save(token('h3', { owner: other }));
    expect(await t.store.feeds.revokeAll(owner, LATER)).toBe(2);
    expect((await t.store.feeds.byHash('h1'))?.revokedAt).toBe(LATER);
    expect((await t.store.feeds.byHash('h3'))?.revokedAt).toBeNull();
    // Already revoked tokens keep their first revocation time.
    expect(await t.store.feeds.revokeAll(owner, '2027-03-12T09:00:00.000Z')).toBe(0);
    expect((await t.store.feeds.byHash('h2'))?.revokedAt).toBe(LATER);
  });

  it('lists the meetings a person is named for within a window', async () => {
    await t.store.nominations.save(nomination('a.1', other));
    await t.store.nominations.save(nomination('a.2', other));
    await t.store.nominations.save(nomination('b.1', owner));
    expect(await t.store.feeds.nominatedMeetings(other, '2027-04-01T00:00:00.000Z', '2027-05-01T00:00:00.000Z')).toEqual([{ meetingId: 'a.1', panelId: 'a' }]);
    expect(await t.store.feeds.nominatedMeetings(other, AT, '2028-01-01T00:00:00.000Z')).toHaveLength(2);
    expect(await t.store.feeds.nominatedMeetings('33333333-3333-4333-8333-333333333333', AT, '2028-01-01T00:00:00.000Z')).toEqual([]);
  });

  it('lists the live panels a force faces', async () => {
    await t.store.directory.saveForce(force('leics'), AT);
    await t.store.directory.savePanel(panel('c', ['leics']), AT);
    expect(await t.store.feeds.forcePanels('cambs')).toEqual(['a', 'b']);
    await t.store.directory.savePanel({ ...panel('b', ['cambs']), retired: true }, AT);
    expect(await t.store.feeds.forcePanels('cambs')).toEqual(['a']);
    expect(await t.store.feeds.forcePanels('nope')).toEqual([]);
  });

  it('gives the same stamp while nothing changes, and a new one for each change to a feed', async () => {
    const first = await t.store.feeds.stamp(['a']);
    expect(await t.store.feeds.stamp(['a'])).toEqual(first);
    expect(first.lastModified).toBe(AT);
    const seen = [first.key];
    const changed = async () => {
      const s = await t.store.feeds.stamp(['a']);
      expect(seen).not.toContain(s.key);
      seen.push(s.key);
      return s;
    };
    // A change within the same instant still shows (versions, not only times).
    await t.store.meetings.update({ ...meeting('a.1', 'a', '2027-04-13T10:00:00.000Z'), status: 'cancelled', version: 2 }, AT);
    await changed();
    await t.store.nominations.save(nomination('a.2', other));
    expect((await changed()).lastModified).toBe(AT);
    await t.store.nominations.save({ ...nomination('a.2', owner, 2), nominatedAt: LATER });
    expect((await changed()).lastModified).toBe(LATER);
    await t.store.meetings.deleteMany(['a.1']);
    await changed();
  });

  it('is not moved by changes to panels outside the feed, and has a stamp for no panels', async () => {
    const before = await t.store.feeds.stamp(['a']);
    await t.store.meetings.update({ ...meeting('b.1', 'b', '2027-04-14T10:00:00.000Z'), version: 2 }, LATER);
    expect(await t.store.feeds.stamp(['a'])).toEqual(before);
    expect((await t.store.feeds.stamp(['a', 'b'])).lastModified).toBe(LATER);
    expect(await t.store.feeds.stamp([])).toEqual({ key: 'none', lastModified: null });
  });
});
