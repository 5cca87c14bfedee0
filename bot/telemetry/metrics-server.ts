import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Log } from '../../scheduler/log.js';

export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

export interface RunningMetricsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `GET /metrics` on a port of its own (METRICS_PORT), apart from the bot's: a scraper never reaches /api/messages
 * through it, and it can be left on loopback or on a private network while the bot's port faces the internet.
 */
export async function startMetricsServer(source: MetricsSource, where: { port: number; host: string }, log: Log): Promise<RunningMetricsServer> {
  const server = createServer((req, res) => {
    const answer = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type });
      res.end(body);
    };
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') return answer(404, 'text/plain; charset=utf-8', 'not found: metrics are at /metrics\n');
    source.render().then(
      (text) => answer(200, source.contentType, text),
      (err: unknown) => {
        log.error({ err }, 'metrics could not be rendered');
        answer(500, 'text/plain; charset=utf-8', 'metrics unavailable\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}/metrics`;
  log.info({ url }, 'metrics served');
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
