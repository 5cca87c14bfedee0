// Calendar feeds (issue 6): full render against a bare ical-generator render, and the 304 path under load.
// Prints figures; never fails on time.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import autocannon from 'autocannon';
import ical from 'ical-generator';
import { calendarRoute } from '../bot/routes/calendar-routes.js';
import { newToken, tokenHash } from '../scheduler/calendar/feed-tokens.js';
import { planOccurrences } from '../scheduler/domain/timetable.js';
import type { Meeting, Panel } from '../scheduler/domain/types.js';
import type { Store } from '../scheduler/store/store.js';
import { freshStore, type StoreKind } from '../test/support/stores.js';
import { syntheticConfig } from './synthetic.js';

const NOW = '2026-11-22T12:00:00.000Z';
const LEAD = { aadObjectId: '00000000-0000-4000-8000-00000000b001', name: 'Bench Lead' };
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

async function benchOn(kind: StoreKind): Promise<void> {
  const t = await freshStore(kind);
  try {
    const meetings = await seed(t.store);
    const token = newToken();
    await t.store.feeds.save({ hash: tokenHash(token), owner: LEAD.aadObjectId, scope: { kind: 'force', id: 'bench' }, createdAt: NOW, revokedAt: null });
    const route = calendarRoute({ store: t.store, clock: () => new Date().toISOString() }, { publicBaseUrl: 'http://127.0.0.1', appId: '' }, { burst: Infinity, perSecond: Infinity });
    const full: number[] = [];
    const bare: number[] = [];
    let etag = '';
    for (let i = 0; i < 15; i++) {
      let s = performance.now();
      const out = await route.handler({ params: { token: `${token}.ics` }, query: {}, headers: {} });
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
    console.log(`  loopback, 10 connections, 5 s: 304 path ${notModified.rps.toFixed(0)} req/s (p99 ${notModified.p99} ms); full 200 path ${rendered.rps.toFixed(0)} req/s (p99 ${rendered.p99} ms)`);
    console.log(`  304 / full-render rate: ${(notModified.rps / rendered.rps).toFixed(1)}x (target >= 20x)`);
  } finally {
    await t.dispose();
  }
}

/** `npm run bench calendar`. */
export async function calendarBench(): Promise<void> {
  await benchOn('sqlite');
  await benchOn('postgres');
}
