// A stand-in Bot Connector for the benches: Teams' documented rate limits enforced with 429s, a round trip of a
// chosen length on every answer (the real one's is about 150 ms), and counts of what it accepted.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Teams' limits for a bot: per conversation [messages, window ms], and per tenant. */
export const LIMITS = { perConversation: [[7, 1000], [8, 2000], [60, 30_000]] as const, perTenant: [50, 1000] as const };

/** The per-tenant ceiling in messages per second. */
export const CEILING = LIMITS.perTenant[0] / (LIMITS.perTenant[1] / 1000);

export interface BenchConnector {
  url: string;
  /** Seconds from the first accepted call to the last. */
  seconds(): number;
  stats(): { accepted: number; throttled: number; throttledByConversation: number; posts: number; puts: number; repeats: Array<[string, number]> };
  /** When each accepted call arrived (ms since the epoch), in order. */
  arrivals(): number[];
  close(): Promise<void>;
}

/**
 * Starts the connector on loopback. Each accepted call is keyed by method, conversation and the meeting its card's
 * buttons name (else the start of its text), so a card or message that arrives twice shows as a repeat.
 */
export async function startConnector(delayMs: number): Promise<BenchConnector> {
  const accepted = new Map<string, number>();
  const times = new Map<string, number[]>();
  const tenant: number[] = [];
  const arrived: number[] = [];
  const span = { first: 0, last: 0 };
  const counts = { throttled: 0, throttledByConversation: 0, posts: 0, puts: 0 };
  let next = 1;
  const over = (list: number[], count: number, ms: number, now: number) => list.filter((t) => t > now - ms).length >= count;
  const answer = (res: import('node:http').ServerResponse, status: number, headers: Record<string, string>, body: string) =>
    setTimeout(() => {
      res.writeHead(status, headers);
      res.end(body);
    }, delayMs);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const conv = decodeURIComponent(/conversations\/([^/]+)/.exec(req.url ?? '')?.[1] ?? '');
      const now = Date.now();
      const list = times.get(conv) ?? [];
      const conversationFull = LIMITS.perConversation.some(([c, ms]) => over(list, c, ms, now));
      if (conversationFull || over(tenant, LIMITS.perTenant[0], LIMITS.perTenant[1], now)) {
        counts.throttled += 1;
        if (conversationFull) counts.throttledByConversation += 1;
        return answer(res, 429, { 'retry-after': '1', 'content-type': 'application/json' }, '{}');
      }
      list.push(now);
      times.set(conv, list.filter((t) => t > now - 30_000));
      tenant.push(now);
      if (tenant.length > 200) tenant.splice(0, tenant.length - 100);
      arrived.push(now);
      span.first ||= now;
      span.last = now;
      if (req.method === 'PUT') counts.puts += 1;
      else counts.posts += 1;
      const key = `${req.method} ${conv} ${/"meetingId":"([^"]+)"/.exec(body)?.[1] ?? /"text":"([^"]{0,60})/.exec(body)?.[1] ?? body.length}`;
      accepted.set(key, (accepted.get(key) ?? 0) + 1);
      answer(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ id: `a-${next++}` }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    seconds: () => (span.last - span.first) / 1000,
    arrivals: () => [...arrived],
    stats: () => ({ accepted: [...accepted.values()].reduce((a, b) => a + b, 0), ...counts, repeats: [...accepted.entries()].filter(([, n]) => n > 1) }),
    close: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
