// Card presses beside calendar feeds (issue 22, item 5): one in-process HTTP server answers both, as the bot's does, so a
// feed's synchronous work shows up as press latency. A "press" reads a meeting and its nominations and answers JSON,
// the store work of a small card action without the Bot Connector.
import { spawn } from 'node:child_process';
import { Agent, createServer, get, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { calendarRoute } from '../bot/routes/calendar-routes.js';
import type { Store } from '../scheduler/store/store.js';

type Route = ReturnType<typeof calendarRoute>;

/** The q-th quantile (0..1) of a sample, by the nearest rank. */
export const quantile = (xs: number[], q: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};

/** Serves `/press/<meeting id>` and, for each route given, `/<name>/calendar/<token>`. */
export async function pressServer(store: Store, routes: Record<string, Route>): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const answer = (status: number, headers: Record<string, string>, body: string) => {
      res.writeHead(status, headers);
      res.end(body);
    };
    const [, first, second, third] = (req.url ?? '').split('/');
    const work = first === 'press' ? press(store, decodeURIComponent(second ?? '')) : routes[first ?? '']?.handler({ params: { token: third ?? '' }, query: {}, headers: req.headers as Record<string, string> });
    if (!work) return answer(404, {}, '');
    work.then((out) => answer(out.status, out.headers ?? {}, String(out.body ?? '')), () => answer(500, {}, ''));
  });
  // Longer than any stall measured, so a kept-alive socket is never closed under a press as the stall ends.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function press(store: Store, meetingId: string): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const meeting = await store.meetings.get(meetingId);
  const nominations = await store.nominations.listForMeetings([meetingId]);
  return { status: meeting ? 200 : 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ meeting, nominations }) };
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

/** One GET, its body read to the end; resolves with its status. */
export const fetchOnce = (url: string): Promise<number> =>
  new Promise((resolve, reject) => {
    get(url, { agent }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    }).on('error', reject);
  });

/** Press latencies in ms, one press at a time, after `warm` unmeasured ones. */
export async function presses(url: string, meetingIds: string[], count: number, warm = 50): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < warm + count; i++) {
    const s = performance.now();
    const status = await fetchOnce(`${url}/press/${encodeURIComponent(meetingIds[i % meetingIds.length]!)}`);
    if (status !== 200) throw new Error(`a press answered ${status}`);
    if (i >= warm) out.push(performance.now() - s);
  }
  return out;
}

/**
 * Plain JavaScript for a separate process, so the feed clients' own work (reading half a megabyte a fetch) does not land
 * on the server's event loop: `clients` loops fetch the URL until stdin closes. It writes a line once the first fetch
 * is answered, and at the end how many were answered 200.
 */
const FETCHER = `
import { Agent, get } from 'node:http';
process.stdout.on('error', () => undefined);
const [url, clients] = process.argv.slice(-2);
const agent = new Agent({ keepAlive: true });
let done = false, served = 0;
process.stdin.on('data', () => undefined).on('end', () => (done = true));
const once = () => new Promise((resolve) => get(url, { agent }, (res) => res.on('data', () => undefined).on('end', () => resolve(res.statusCode))).on('error', () => resolve(0)));
await Promise.all(Array.from({ length: Number(clients) }, async () => {
  while (!done) if ((await once()) === 200 && ++served === 1) process.stdout.write('started\\n');
}));
process.stdout.write(String(served));
`;

/** `clients` loops in another process fetching the feed: `started` once one is answered; `stop` gives how many were. */
export function feedClients(url: string, clients: number): { started: Promise<void>; stop(): Promise<number> } {
  const child = spawn(process.execPath, ['--input-type=module', '-e', FETCHER, url, String(clients)], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let began!: () => void;
  const started = new Promise<void>((resolve) => (began = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.includes('started')) began();
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return {
    started,
    async stop() {
      child.stdin.end();
      await exited;
      return Number(out.split('\n').at(-1));
    },
  };
}
