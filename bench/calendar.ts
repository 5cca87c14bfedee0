// Calendar feeds (issue 6): full render against a bare ical-generator render, and the 304 path under load; (issue 22,
// item 5) a national lead's feed built cold and served from the kept body, and card-press latency alone and while feeds
// are fetched. Prints figures; never fails on time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import ical from 'ical-generator';
import { calendarRoute, FEED_RATE_LIMIT } from '../bot/routes/calendar-routes.js';
import { newToken, tokenHash } from '../scheduler/calendar/feed-tokens.js';
import { planOccurrences } from '../scheduler/domain/timetable.js';
import type { Meeting, Panel } from '../scheduler/domain/types.js';
import type { Store } from '../scheduler/store/store.js';
import { freshStore, type StoreKind } from '../test/support/stores.js';
import { feedClients, pressServer, presses, quantile } from './calendar-presses.js';
import { loadAverage, numberOption } from './machine.js';
import { syntheticConfig } from './synthetic.js';

const NOW = '2026-11-22T12:00:00.000Z';
const LEAD = { aadObjectId: '00000000-0000-4000-8000-00000000b001', name: 'Bench Lead' };
const NATIONAL = { aadObjectId: '00000000-0000-4000-8000-00000000b002', name: 'Bench National Lead' };
const UNLIMITED = { burst: Infinity, perSecond: Infinity } satisfies typeof FEED_RATE_LIMIT;
const ms = (x: number) => `${x.toFixed(1)} ms`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One force facing 40 panels, meetings 12 months back and 12 ahead, every other one with a nominee. */
async function seed(store: Store): Promise<Meeting[]> {
  const panels = syntheticConfig(1, 40).panels.map((p): Panel => ({ ...p, forces: ['bench'], retired: false }));
  await store.directory.saveForce({ id: 'bench', name: 'Bench Constabulary', preventLeads: [LEAD], deputies: [], teamsChannelId: null, retired: false }, NOW);
  const meetings: Meeting[] = [];
  for (const p of panels) {
    await store.directory.savePanel(p, NOW);
    if (p.timetable.kind !== 'rrule') continue;
    const planned = planOccurrences(p.id, p.timetable, '2025-11-22T12:00:00.000Z', '2027-11-22T12:00:00.000Z');
    meetings.push(...planned.map((m) => ({ ...m, status: 'scheduled' as const, extra: false, version: 1, locked: false })));
  }
  await store.meetings.insertMany(meetings, NOW);
  for (const m of meetings.filter((_, i) => i % 2 === 0)) {
    await store.nominations.save({ meetingId: m.id, forceId: 'bench', aadObjectId: LEAD.aadObjectId, name: LEAD.name, role: 'DI', decisionMaker: true, nominatedBy: LEAD.aadObjectId, nominatedAt: NOW, version: 1 });
  }
  return meetings;
}

/** The same events through ical-generator with nothing of ours: no store, no description, no time zone block. */
function bareRender(meetings: Meeting[]): string {
  const cal = ical({ name: 'bare' });
  for (const m of meetings) cal.createEvent({ id: m.id, start: new Date(m.start), end: new Date(m.end), summary: m.panelId, stamp: new Date(NOW) });
  return cal.toString();
}

async function serve(route: ReturnType<typeof calendarRoute>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const token = /^\/calendar\/([^/?]+)/.exec(req.url ?? '')?.[1] ?? '';
    route.handler({ params: { token }, query: {}, headers: req.headers as Record<string, string> }).then(
      (out) => {
        res.writeHead(out.status, out.headers ?? {});
        res.end(out.body ?? '');
      },
      () => {
        res.writeHead(500);
        res.end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const load = (url: string, headers: Record<string, string> = {}) =>
  autocannon({ url, connections: 10, duration: 5, headers }).then((r) => ({ rps: r.requests.average, non2xx: r.non2xx, p99: r.latency.p99 }));

/** A link to the force's feed, owned by `owner`. */
async function feedLink(store: Store, owner: string): Promise<string> {
  const token = newToken();
  await store.feeds.save({ hash: tokenHash(token), owner, scope: { kind: 'force', id: 'bench' }, createdAt: NOW, revokedAt: null });
  return token;
}

const routeOn = (store: Store, cacheSize?: number) =>
  calendarRoute({ store, clock: () => new Date().toISOString() }, { publicBaseUrl: 'http://127.0.0.1', appId: '' }, UNLIMITED, cacheSize);
const fetchVia = (route: ReturnType<typeof routeOn>, token: string) => route.handler({ params: { token: `${token}.ics` }, query: {}, headers: {} });

/** Handler latencies of `count` fetches: `fresh` with an empty cache each (a full build), else through one route (its kept body). */
async function timed(store: Store, token: string, count: number, fresh: boolean): Promise<number[]> {
  const shared = routeOn(store);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const route = fresh ? routeOn(store) : shared;
    const s = performance.now();
    if ((await fetchVia(route, token)).status !== 200) throw new Error('the feed did not answer 200');
    out.push(performance.now() - s);
  }
  return out;
}

/** The national lead's feed, cold and kept; then card presses alone, beside cold builds and beside kept bodies. */
async function nationalAndPresses(store: Store, meetings: Meeting[]): Promise<void> {
  await store.directory.setNationalLeads([NATIONAL]);
  const token = await feedLink(store, NATIONAL.aadObjectId);
  // `--calendar-samples N` (or BENCH_CALENDAR_SAMPLES): N cold builds, 5N kept bodies, 10N presses in each phase.
  const n = numberOption('calendar-samples', 'BENCH_CALENDAR_SAMPLES', 40);
  await timed(store, token, 3, true);
  const cold = await timed(store, token, n, true);
  const kept = await timed(store, token, 5 * n, false);
  console.log(`  national lead's feed of the force (${meetings.length} events), handler: cold build p50 ${ms(quantile(cold, 0.5))}, p99 ${ms(quantile(cold, 0.99))} (target p99 < 100 ms: ${quantile(cold, 0.99) < 100 ? 'met' : 'MISSED'}); kept body p50 ${ms(quantile(kept, 0.5))}, p99 ${ms(quantile(kept, 0.99))}`);
  const { server, url } = await pressServer(store, { cold: routeOn(store, 0), kept: routeOn(store) });
  try {
    const ids = meetings.filter((_, i) => i % 7 === 0).map((m) => m.id);
    const alone = await presses(url, ids, 10 * n);
    const beside = async (route: 'cold' | 'kept') => {
      const feeds = feedClients(`${url}/${route}/calendar/${token}.ics`, 4);
      await feeds.started;
      const s = performance.now();
      const latencies = await presses(url, ids, 10 * n);
      const seconds = (performance.now() - s) / 1000;
      const served = await feeds.stop();
      return { latencies, feedsPerSecond: served / seconds };
    };
    const withCold = await beside('cold');
    const withKept = await beside('kept');
    const p99 = quantile(alone, 0.99);
    const line = (name: string, r: { latencies: number[]; feedsPerSecond: number }) => {
      const ratio = quantile(r.latencies, 0.99) / p99;
      return `  presses ${name}: p50 ${ms(quantile(r.latencies, 0.5))}, p99 ${ms(quantile(r.latencies, 0.99))} = ${ratio.toFixed(2)}x alone (target <= 1.10x: ${ratio <= 1.1 ? 'met' : 'MISSED'}), ${r.feedsPerSecond.toFixed(1)} feeds/s served`;
    };
    console.log(`  presses alone, one at a time: p50 ${ms(quantile(alone, 0.5))}, p99 ${ms(p99)}`);
    console.log(line('while 4 clients fetch the feed, every fetch a full build', withCold));
    console.log(line('while 4 clients fetch the feed, served from the kept body', withKept));
    console.log(`  ${loadAverage()}`);
  } finally {
    server.close();
  }
}

async function benchOn(kind: StoreKind): Promise<void> {
  const t = await freshStore(kind);
  try {
    const meetings = await seed(t.store);
    const token = await feedLink(t.store, LEAD.aadObjectId);
    const route = routeOn(t.store);
    const full: number[] = [];
    const bare: number[] = [];
    let etag = '';
    for (let i = 0; i < 15; i++) {
      let s = performance.now();
      // An empty cache each time: this is the build, not the kept body.
      const out = await fetchVia(routeOn(t.store), token);
      full.push(performance.now() - s);
      etag = out.headers!.etag!;
      s = performance.now();
      bareRender(meetings);
      bare.push(performance.now() - s);
    }
    const { server, url } = await serve(route);
    const feedUrl = `${url}/calendar/${token}.ics`;
    const notModified = await load(feedUrl, { 'if-none-match': etag });
    const rendered = await load(feedUrl);
    server.close();
    console.log(`calendar (${kind}): force feed, 40 panels x 24 months = ${meetings.length} events`);
    console.log(`  full render (handler, median of 15) ${median(full).toFixed(1)} ms; bare ical-generator ${median(bare).toFixed(1)} ms; ratio ${(median(full) / median(bare)).toFixed(2)}x`);
    console.log(`  loopback, 10 connections, 5 s: 304 path ${notModified.rps.toFixed(0)} req/s (p99 ${notModified.p99} ms); 200 path (kept body) ${rendered.rps.toFixed(0)} req/s (p99 ${rendered.p99} ms)`);
    console.log(`  304 / 200 rate: ${(notModified.rps / rendered.rps).toFixed(1)}x; 304 / full-build rate: ${(notModified.rps / (1000 / median(full))).toFixed(1)}x (target >= 20x)`);
    await nationalAndPresses(t.store, meetings);
  } finally {
    await t.dispose();
  }
}

/** `npm run bench calendar`. */
export async function calendarBench(): Promise<void> {
  // BENCH_CALENDAR_STORES=sqlite (or postgres) runs one, for a quick comparison back to back.
  for (const kind of ['sqlite', 'postgres'] as const) if ((process.env.BENCH_CALENDAR_STORES ?? kind).split(',').includes(kind)) await benchOn(kind);
}
