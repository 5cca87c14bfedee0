import { request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.js';
import { startHttpServer, type HttpRoute, type RunningServer } from '../bot/http.js';
import { createTeamsApp } from '../bot/teams-app.js';
import { silentLog } from '../scheduler/log.js';

interface Answer {
  status: number;
  body: string;
}

/** node:http, because fetch will not let a caller set Host; `host: null` sends the request without one. */
function get(port: number, path: string, host: string | null, method = 'GET', body = method === 'POST' ? '{}' : undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = host === null ? {} : { host };
    if (body) headers['content-type'] = 'application/json';
    const req = request({ host: '127.0.0.1', port, path, method, headers, setHost: host !== null, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** HTTP/1.0 needs no Host header, so Node's own server lets such a request through to the routes. */
function getHttp10WithoutHost(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.0\r\n\r\n`));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (c: string) => (text += c));
    socket.on('end', () => resolve(Number(/^HTTP\/1\.\d (\d{3})/.exec(text)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

const routes: HttpRoute[] = [
  { method: 'GET', path: '/calendar/:token', handler: async () => ({ status: 200, headers: { 'content-type': 'text/calendar' }, body: 'BEGIN:VCALENDAR' }) },
  { method: 'GET', path: '/reports/:id.csv', handler: async () => ({ status: 200, headers: { 'content-type': 'text/csv' }, body: 'a,b' }) },
];
const PATHS: Array<[string, string]> = [
  ['GET', '/healthz'],
  ['GET', '/calendar/abc.ics'],
  ['GET', '/reports/r1.csv'],
  ['POST', '/api/messages'],
  ['GET', '/no-such-route'],
];

// Regression: local mode answered any Host, so a web page whose DNS name was rebound to 127.0.0.1 could drive a
// developer's bot from the browser (DNS rebinding).
describe('the Host header', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });
  async function start(env: NodeJS.ProcessEnv = {}): Promise<number> {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env });
    const { app, adapter, authenticate } = createTeamsApp({ config, log: silentLog });
    server = await startHttpServer({ config, log: silentLog, adapter, app, authenticate, health: async () => true, routes });
    return server.port;
  }

  describe('in local mode', () => {
    it.each(['evil.example', 'evil.example:3978', '127.0.0.1.evil.example', 'localhost.evil.example', 'localhost.evil.example:3978', '127.0.0.1@evil.example', '0.0.0.0', '[::2]'])(
      'refuses %s with 421 on every route',
      async (host) => {
        const port = await start();
        for (const [method, path] of PATHS) {
          const r = await get(port, path, host, method);
          expect([method, path, r.status]).toEqual([method, path, 421]);
          expect(r.body).toMatch(/^misdirected request/);
        }
      },
    );

    it('refuses a request with no Host at all', async () => {
      const port = await start();
      for (const [, path] of PATHS.filter(([m]) => m === 'GET')) expect([path, await getHttp10WithoutHost(port, path)]).toEqual([path, 421]);
      // HTTP/1.1 without Host: Node refuses it before any route runs.
      expect((await get(port, '/healthz', null)).status).toBe(400);
    });

    it.each(['127.0.0.1:PORT', 'localhost:PORT', '[::1]:PORT', 'LOCALHOST', 'localhost', '127.0.0.1', '[::1]', 'LocalHost:8080'])('answers %s', async (template) => {
      const port = await start();
      const host = template.replace('PORT', String(port));
      expect((await get(port, '/healthz', host)).status).toBe(200);
      expect((await get(port, '/calendar/abc.ics', host)).body).toBe('BEGIN:VCALENDAR');
      expect((await get(port, '/reports/r1.csv', host)).body).toBe('a,b');
      // Reaches the activity route, which refuses the empty body for what it is, not for its Host.
      expect((await get(port, '/api/messages', host, 'POST')).status).toBe(400);
    });
  });

  it('is not restricted once an app id is set', async () => {
    const port = await start({ MicrosoftAppId: '00000000-0000-4000-8000-00000000b07a', AUDIT_KEY: 'test-audit-key-for-the-suite-only-0123456789', MicrosoftAppPassword: 'not-a-real-secret', MicrosoftAppTenantId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301', ALLOWED_TENANT_IDS: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' });
    for (const host of ['panels.example.gov.uk', 'evil.example:3978']) {
      expect((await get(port, '/healthz', host)).status).toBe(200);
      expect((await get(port, '/calendar/abc.ics', host)).status).toBe(200);
    }
    expect(await getHttp10WithoutHost(port, '/healthz')).toBe(200);
  });
});

describe('an activity whose token check cannot run', () => {
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  // Regression: with the Teams side imported on first use, a failed import escaped to restify, which told any caller
  // the error's message and a file path.
  it('answers 503 and tells the caller nothing of why', async () => {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const { app, adapter } = createTeamsApp({ config, log: silentLog });
    const logged: unknown[] = [];
    const log = { ...silentLog, error: (o: unknown) => void logged.push(o) };
    const authenticate = async () => {
      throw new Error("Cannot find module '/srv/app/node_modules/botbuilder/lib/index.js'");
    };
    server = await startHttpServer({ config, log, adapter, app, authenticate, health: async () => true, routes });
    const activity = JSON.stringify({
      type: 'message', id: 'a1', channelId: 'msteams', serviceUrl: 'https://smba.trafficmanager.net/uk/', text: 'help',
      from: { id: '29:u', aadObjectId: '00000000-0000-0000-0000-000000000001' }, conversation: { id: 'a:1' }, recipient: { id: '28:bot' },
    });
    const answer = await get(server.port, '/api/messages', 'localhost', 'POST', activity);
    expect(answer.status).toBe(503);
    expect(answer.body).not.toMatch(/Cannot find module|node_modules|\/srv/);
    expect(JSON.parse(answer.body)).toEqual({ error: 'unavailable' });
    expect(logged).toHaveLength(1);
  });
});
