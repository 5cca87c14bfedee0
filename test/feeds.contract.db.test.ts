import { beforeEach, describe, expect, it } from 'vitest';
import type { Attendance, Force, Meeting, Nomination, Panel } from '../scheduler/domain/types.js';
import type { FeedToken, SeenMeeting } from '../scheduler/store/store.js';
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
  hash, owner, scope: { kind: 'panel', id: 'a' }, createdAt: AT, revokedAt: null, seed: null, seenSerial: 0, ...extra,
});
const attendance = (meetingId: string, version: number): Attendance => ({
  meetingId, forceId: 'cambs', outcome: 'absent', attendees: [], source: 'chair', forceConfirmation: 'not-needed', confirmedBy: null, confirmedAt: null,
  recordedBy: owner, recordedAt: AT, version,
});
const seenRow = (meetingId: string, sequence: number, extra: Partial<SeenMeeting> = {}): SeenMeeting => ({
  meetingId, panelId: 'a', panelName: 'a panel', start: '2027-04-13T10:00:00.000Z', end: '2027-04-13T12:00:00.000Z', sequence, fingerprint: `f${sequence}`, gone: null, ...extra,
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
    // With a bound, panels retired at or after it stay: their feeds show what is left of them cancelled.
    expect(await t.store.feeds.forcePanels('cambs', '2027-03-01T00:00:00.000Z')).toEqual(['a', 'b']);
    expect(await t.store.feeds.forcePanels('cambs', LATER)).toEqual(['a']);
    expect(await t.store.feeds.retiredAt('panel', ['a', 'b', 'nope'])).toEqual(new Map([['b', AT]]));
    expect(await t.store.feeds.retiredAt('force', ['cambs'])).toEqual(new Map());
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
    await t.store.chairs.saveAttendance(attendance('a.2', 1));
    await changed();
    await t.store.feeds.bury(['a.2'], 'timetable-changed', LATER);
    await changed();
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

  describe('links that can be shown again', () => {
    it('keeps one live seeded link per owner and scope, beside any older unseeded one', async () => {
      expect(await t.store.feeds.save(token('legacy'))).toBe(true);
      expect(await t.store.feeds.save(token('s1', { seed: 'seed-1' }))).toBe(true);
      expect(await t.store.feeds.save(token('s2', { seed: 'seed-2' }))).toBe(false);
      expect(await t.store.feeds.byHash('s2')).toBeNull();
      expect(await t.store.feeds.save(token('s3', { seed: 'seed-3', scope: { kind: 'force', id: 'cambs' } }))).toBe(true);
      expect(await t.store.feeds.save(token('s4', { seed: 'seed-4', owner: other }))).toBe(true);
      expect((await t.store.feeds.liveLink(owner, { kind: 'panel', id: 'a' }))?.hash).toBe('s1');
      expect(await t.store.feeds.revokeScopes(owner, [{ kind: 'panel', id: 'a' }], LATER)).toBe(2);
      expect(await t.store.feeds.liveLink(owner, { kind: 'panel', id: 'a' })).toBeNull();
      expect((await t.store.feeds.byHash('s3'))?.revokedAt).toBeNull();
      expect(await t.store.feeds.save(token('s5', { seed: 'seed-5' }))).toBe(true);
    });

    it('derives a link token from its seed with the deployment key: the same each time, different for each seed', () => {
      const a = t.store.feeds.token('seed-1');
      expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(t.store.feeds.token('seed-1')).toBe(a);
      expect(t.store.feeds.token('seed-2')).not.toBe(a);
      expect(a).not.toContain('seed');
    });
  });

  describe('revisions and removals', () => {
    it('adds the meeting\'s, its nominations\' and its attendance records\' versions; unknown meetings are absent', async () => {
      await t.store.nominations.save(nomination('a.1', other, 2));
      await t.store.chairs.saveAttendance(attendance('a.1', 3));
      const r = await t.store.feeds.revisions(['a.1', 'a.2', 'nope']);
      expect(r).toEqual(new Map([['a.1', { revision: 6, removed: null }], ['a.2', { revision: 1, removed: null }]]));
    });

    it('keeps a removed meeting\'s revision and reason, and counts on from it when the meeting comes back', async () => {
      await t.store.meetings.update({ ...meeting('a.2', 'a', '2027-05-11T10:00:00.000Z'), version: 4 }, AT);
      await t.store.feeds.bury(['a.2'], 'timetable-changed', LATER);
      // Should the row survive the delete (someone acted on it meanwhile), its revision has only risen.
      expect((await t.store.feeds.revisions(['a.2'])).get('a.2')!.revision).toBeGreaterThan(4);
      await t.store.meetings.deleteIfPlain(['a.2']);
      expect((await t.store.feeds.revisions(['a.2'])).get('a.2')).toEqual({ revision: 5, removed: 'timetable-changed' });
      await t.store.meetings.insertMany([meeting('a.2', 'a', '2027-05-11T10:00:00.000Z')], LATER);
      expect((await t.store.feeds.revisions(['a.2'])).get('a.2')).toEqual({ revision: 6, removed: null });
      await t.store.feeds.bury(['a.2'], 'panel-retired', LATER);
      await t.store.meetings.deleteIfPlain(['a.2']);
      expect((await t.store.feeds.revisions(['a.2'])).get('a.2')).toEqual({ revision: 7, removed: 'panel-retired' });
    });

    it('forgets only removals of meetings no longer stored that started before the bound', async () => {
      await t.store.feeds.bury(['a.1', 'a.2'], 'timetable-changed', LATER);
      await t.store.meetings.deleteMany(['a.1']);
      expect(await t.store.feeds.pruneTombstones('2027-04-20T00:00:00.000Z')).toBe(1);
      expect(await t.store.feeds.revisions(['a.1'])).toEqual(new Map());
      expect((await t.store.feeds.revisions(['a.2'])).get('a.2')?.revision).toBe(3);
    });
  });

  describe('what a link has seen', () => {
    it('replaces what it saw, never lowers a SEQUENCE, drops what it is told to, and moves the serial only on a change', async () => {
      await t.store.feeds.save(token('h1'));
      expect(await t.store.feeds.remember('h1', [seenRow('a.1', 3), seenRow('old', 1, { start: '2026-01-01T10:00:00.000Z' })], [])).toBe(1);
      expect(await t.store.feeds.remember('h1', [seenRow('a.1', 4, { gone: 'not-shown' })], ['old'])).toBe(2);
      expect(await t.store.feeds.seen('h1')).toEqual([seenRow('a.1', 4, { gone: 'not-shown' })]);
      // A fetch that read an older state, racing: it records nothing lower.
      expect(await t.store.feeds.remember('h1', [seenRow('a.1', 2)], [])).toBe(3);
      expect((await t.store.feeds.seen('h1'))[0]!.sequence).toBe(4);
      expect(await t.store.feeds.remember('h1', [], [])).toBe(3);
      expect((await t.store.feeds.byHash('h1'))?.seenSerial).toBe(3);
    });

    it('forgets what a link saw when it is revoked or deleted', async () => {
      for (const h of ['h1', 'h2']) await t.store.feeds.save(token(h, { scope: { kind: h === 'h1' ? 'panel' : 'force', id: h === 'h1' ? 'a' : 'cambs' } }));
      await t.store.feeds.remember('h1', [seenRow('a.1', 1)], []);
      await t.store.feeds.remember('h2', [seenRow('a.1', 1)], []);
      await t.store.feeds.revokeScopes(owner, [{ kind: 'panel', id: 'a' }], LATER);
      expect(await t.store.feeds.seen('h1')).toEqual([]);
      expect(await t.store.feeds.seen('h2')).toHaveLength(1);
      await t.store.retention.deleteIdleFeedTokens('2030-01-01T00:00:00.000Z');
      expect(await t.store.feeds.byHash('h2')).toBeNull();
      expect(await t.store.feeds.seen('h2')).toEqual([]);
    });
  });
});
