import { beforeEach, describe, expect, it, vi } from 'vitest';
import { reportLines, reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { issueFeeds } from '../scheduler/calendar/feed-tokens.js';
import type { PanelsConfig } from '../scheduler/domain/types.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import type { Repos } from '../scheduler/store/store.js';
import { eventOf, feedRoute, subscriber, type Subscriber } from './support/feed-subscriber.js';
import { sampleConfig } from './support/sample.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore } from './support/stores.js';
import { DAWN, GARETH, NADIA } from './support/teams-activities.js';

const T0 = '2027-03-10T09:00:00.000Z';
const CHANGED = '2027-03-20T09:00:00.000Z';
const UNDONE = '2027-03-25T09:00:00.000Z';
const RETIRED = '2027-04-10T09:00:00.000Z';
/** A feed window (12 months) and a day after the retirement. */
const A_WINDOW_LATER = '2028-04-11T09:00:00.000Z';

/** Southampton meets on the first Monday; the change moves it to the second Tuesday. */
const APRIL = 'southampton.2027-04-05';
const JULY = 'southampton.2027-07-05';
const TUESDAY = 'southampton.2027-05-11';

const withSouthampton = (edit: (p: PanelsConfig['panels'][number]) => PanelsConfig['panels'][number] | null): PanelsConfig => {
  const config = sampleConfig();
  return { ...config, panels: config.panels.flatMap((p) => (p.id === 'southampton' ? [edit(p)].filter((x) => x !== null) : [p])) };
};
const secondTuesday = () => withSouthampton((p) => ({ ...p, timetable: p.timetable.kind === 'rrule' ? { ...p.timetable, rrule: 'FREQ=MONTHLY;BYDAY=2TU' } : p.timetable }));
const withoutSouthampton = () => withSouthampton(() => null);

describe.each(STORE_KINDS)('a subscriber\'s calendar through re-planning, its undoing and retirement, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: T0 });
  let now = T0;
  let calendars: Record<'panel' | 'force' | 'chair' | 'nominee', Subscriber>;

  const link = async (who: string, only: string) => {
    const r = await issueFeeds(t.store, who, now, { only, max: 1 });
    if (!r.ok) throw new Error(r.error.message);
    return r.value.offers[0]!.token;
  };
  /** Every calendar fetches; each checks for itself that nothing vanished or went backwards. */
  const fetchAll = async () => {
    const out: Record<string, Awaited<ReturnType<Subscriber['fetch']>>> = {};
    for (const [name, c] of Object.entries(calendars)) out[name] = await c.fetch();
    return out;
  };
  const sync = async (config: PanelsConfig, at: string) => {
    now = at;
    await syncPanels(t.store, config, at);
  };

  beforeEach(async () => {
    now = T0;
    const named = await nominate(t.store, { meetingId: JULY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'Detective Inspector', decisionMaker: true }, GARETH.aadObjectId, T0);
    expect(named.ok).toBe(true);
    const route = feedRoute(t.store, () => now);
    calendars = {
      panel: subscriber(route, await link(GARETH.aadObjectId, 'southampton'), () => now),
      force: subscriber(route, await link(GARETH.aadObjectId, 'hampshire'), () => now),
      chair: subscriber(route, await link(DAWN.aadObjectId, 'me'), () => now),
      nominee: subscriber(route, await link(NADIA.aadObjectId, 'me'), () => now),
    };
  });

  it('keeps every meeting it ever showed, never lowers a SEQUENCE, and answers 410 a feed window after retirement', async () => {
    const first = await fetchAll();
    for (const name of ['panel', 'force', 'chair'] as const) expect(eventOf(first[name]!.events, APRIL)?.status, name).toBe('CONFIRMED');
    expect(eventOf(first.nominee!.events, JULY)?.status).toBe('CONFIRMED');

    // The timetable changes: the plain first-Monday meetings are dropped, the one Nadia is named for is kept.
    await sync(secondTuesday(), CHANGED);
    const changed = await fetchAll();
    for (const name of ['panel', 'force', 'chair'] as const) {
      const april = eventOf(changed[name]!.events, APRIL)!;
      expect([april.status, april.summary], name).toEqual(['CANCELLED', 'Cancelled: Southampton Channel panel']);
      expect(april.description).toContain("the panel's timetable changed");
      expect(april.sequence).toBeGreaterThan(calendarsHeldBefore(first[name]!.events, APRIL));
      expect(eventOf(changed[name]!.events, TUESDAY)?.status).toBe('CONFIRMED');
      expect(eventOf(changed[name]!.events, JULY)?.status).toBe('CONFIRMED');
    }

    // Undone: the first-Monday meetings come back under their old UIDs, counting on from their cancellation.
    await sync(sampleConfig(), UNDONE);
    const undone = await fetchAll();
    for (const name of ['panel', 'force', 'chair'] as const) {
      const april = eventOf(undone[name]!.events, APRIL)!;
      expect(april.status, name).toBe('CONFIRMED');
      expect(april.sequence).toBeGreaterThan(eventOf(changed[name]!.events, APRIL)!.sequence);
      expect(eventOf(undone[name]!.events, TUESDAY)?.status).toBe('CANCELLED');
    }

    // Retired: its feeds go on answering, every meeting still to come cancelled, its past as it was.
    await sync(withoutSouthampton(), RETIRED);
    const retired = await fetchAll();
    for (const name of ['panel', 'force'] as const) {
      const events = retired[name]!.events.filter((e) => e.uid.startsWith('southampton.'));
      const ahead = events.filter((e) => e.start > '2027-04-10 10:00');
      expect(ahead.length, name).toBeGreaterThan(10);
      expect(ahead.filter((e) => e.status !== 'CANCELLED').map((e) => e.uid), name).toEqual([]);
      // The second-Tuesday ones (by the date in their UID) keep the reason they were first shown removed with; the rest say the panel was retired.
      const why = (e: { uid: string; description: string }) => (e.description.includes('the panel was retired') ? 'retired' : e.description.includes('timetable changed') ? 'timetable' : e.uid);
      expect(new Set(ahead.map((e) => `${new Date(e.uid.slice('southampton.'.length, 'southampton.'.length + 10)).getUTCDay() === 2 ? 'tuesday' : 'monday'} ${why(e)}`)), name).toEqual(new Set(['monday retired', 'tuesday timetable']));
      expect(eventOf(events, JULY)?.description).toContain('the panel was retired');
      // April's meeting was over by then: it stays as it was.
      expect(eventOf(events, APRIL)?.status).toBe('CONFIRMED');
    }
    // Dawn chaired it: her own feed keeps its past as it was and shows the rest cancelled, as the panel's feed does.
    const dawns = retired.chair!.events.filter((e) => e.uid.startsWith('southampton.'));
    expect(eventOf(dawns, APRIL)?.status).toBe('CONFIRMED');
    const dawnsAhead = dawns.filter((e) => e.start > '2027-04-10 10:00');
    expect(dawnsAhead.length).toBeGreaterThan(10);
    expect(dawnsAhead.filter((e) => e.status !== 'CANCELLED').map((e) => e.uid)).toEqual([]);
    expect(dawns.filter((e) => e.summary.startsWith('No longer in this calendar')).map((e) => e.uid)).toEqual([]);

    now = A_WINDOW_LATER;
    expect((await calendars.panel.fetch(410)).status).toBe(410);
    expect((await calendars.force.fetch()).status).toBe(200);

    const report = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
    expect(reportOk(report), reportLines(report).join('\n')).toBe(true);
  });

  it('shows a link first fetched after re-planning the meetings dropped since it was issued, removed; a newer link not', async () => {
    // The panel link was issued at T0 and has not been fetched yet.
    await sync(secondTuesday(), CHANGED);
    const april = eventOf((await calendars.panel.fetch()).events, APRIL)!;
    expect([april.status, april.summary]).toEqual(['CANCELLED', 'Cancelled: Southampton Channel panel']);
    expect(april.description).toContain("the panel's timetable changed");
    expect(eventOf((await calendars.panel.fetch()).events, APRIL)).toEqual(april);
    const newer = subscriber(feedRoute(t.store, () => now), await link(DAWN.aadObjectId, 'southampton'), () => now);
    expect(eventOf((await newer.fetch()).events, APRIL)).toBeUndefined();
  });

  it('leaves no tombstone, and so the same revision, for a meeting acted on after re-planning read it as plain', async () => {
    const before = (await t.store.feeds.revisions([JULY])).get(JULY);
    // Re-planning reads July as nobody has acted on it (Nadia's nomination lands just after its read), so it tries to remove it.
    const real = t.store.transaction.bind(t.store);
    vi.spyOn(t.store, 'transaction').mockImplementation((fn) =>
      real((tx: Repos) => fn({ ...tx, meetings: { ...tx.meetings, list: async (q) => (await tx.meetings.list(q)).map((m) => (m.id === JULY ? { ...m, locked: false } : m)) } }) as never));
    await sync(secondTuesday(), CHANGED);
    expect(await t.store.meetings.get(JULY)).not.toBeNull();
    expect((await t.store.feeds.revisions([JULY])).get(JULY)).toEqual(before);
  });

  it('answers 304 to the ETag of the body it just served, though serving it recorded what the link showed', async () => {
    const route = feedRoute(t.store, () => now);
    const token = await link(GARETH.aadObjectId, 'southampton');
    const get = (headers: Record<string, string> = {}) => route.handler({ params: { token: `${token}.ics` }, query: {}, headers });
    const first = await get();
    expect(first.status).toBe(200);
    expect((await get({ 'if-none-match': first.headers!.etag! })).status).toBe(304);
    await sync(secondTuesday(), CHANGED);
    const second = await get({ 'if-none-match': first.headers!.etag! });
    expect(second.status).toBe(200);
    expect(second.headers!.etag).not.toBe(first.headers!.etag);
    expect((await get({ 'if-none-match': second.headers!.etag! })).status).toBe(304);
    expect((await get()).body).toBe(second.body);
  });
});

/** The SEQUENCE an event had in an earlier fetch. */
function calendarsHeldBefore(events: Array<{ uid: string; sequence: number }>, meetingId: string): number {
  return events.find((e) => e.uid === `${meetingId}@channel-panel-bot`)!.sequence;
}
