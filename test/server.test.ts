import { Agent, request } from 'node:http';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { commandOf, COMMANDS, helpText } from '../bot/routes/commands.js';
import { loadConfig } from '../bot/config.js';
import { startHttpServer, type HttpRoute, type RunningServer } from '../bot/http.js';
import { createLogger } from '../bot/logger.js';
import { createTeamsApp, type TeamsApp } from '../bot/teams-app.js';
import { until } from './support/wait.js';
import { FakeConnector, teamsMessage } from './support/fake-connector.js';
import { startTestBot } from './support/test-bot.js';

// Entra tenant ids are GUIDs; ALLOWED_TENANT_IDS refuses anything else.
const TENANT_A = 'a1a1a1a1-0000-4000-8000-00000000000a';
const TENANT_B = 'b2b2b2b2-0000-4000-8000-00000000000b';
const TENANT_C = 'c3c3c3c3-0000-4000-8000-00000000000c';

interface Options {
  env?: NodeJS.ProcessEnv;
  health?: () => Promise<boolean>;
  routes?: HttpRoute[];
  register?: (app: TeamsApp) => void;
  closeGraceMs?: number;
}

describe('the HTTP server and the Teams app, over real HTTP', () => {
  let connector: FakeConnector;
  let server: RunningServer | undefined;
  let logs: Array<{ level: number; msg: string; [k: string]: unknown }>;

  async function start(o: Options = {}): Promise<RunningServer> {
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', ...o.env });
    const log = createLogger(config.logLevel, { write: (line: string) => void logs.push(JSON.parse(line)) });
    const { app, adapter } = createTeamsApp({ config, log, ...(o.register ? { register: o.register } : {}) });
    const health = o.health ?? (async () => true);
    server = await startHttpServer({ config, log, adapter, app, health, routes: o.routes ?? [], healthTimeoutMs: 200, ...(o.closeGraceMs ? { closeGraceMs: o.closeGraceMs } : {}) });
    return server;
  }
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${server!.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const say = (text: string, opts: Parameters<typeof teamsMessage>[2] = {}) => post(JSON.stringify(teamsMessage(connector.url, text, opts)));
  const replies = () => connector.posts().map((p) => String(p.body.text));

  beforeEach(async () => {
    logs = [];
    connector = new FakeConnector();
    await connector.start();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    await connector.stop();
  });

  it('answers /healthz 200 when health() is true', async () => {
    const s = await start();
    const res = await fetch(`${s.url}/healthz`);
    expect([res.status, await res.json()]).toEqual([200, { status: 'ok' }]);
  });

  it.each([
    ['false', async () => false],
    ['a rejection', () => Promise.reject(new Error('database down'))],
    ['a synchronous throw', (): Promise<boolean> => { throw new Error('database down'); }],
    ['a hang', () => new Promise<boolean>(() => undefined)],
  ])('answers /healthz 503 when health() gives %s', async (_name, health) => {
    const s = await start({ health });
    const res = await fetch(`${s.url}/healthz`);
    expect([res.status, await res.json()]).toEqual([503, { status: 'unavailable' }]);
  });

  it('answers help through the Bot Connector at serviceUrl, without a token in local mode', async () => {
    const s = await start();
    const activity = teamsMessage(connector.url, 'help');
    const res = await post(JSON.stringify(activity));
    expect(res.status).toBe(200);
    expect(s.port).toBeGreaterThan(0);
    await until(() => connector.posts().length === 1, 'the help reply');
    const reply = connector.posts()[0]!;
    expect(reply.conversationId).toBe('a:personal-chat');
    expect(reply.activityId).toBe(activity.id);
    expect(reply.authorization).toBeUndefined();
    expect(reply.body.text).toContain('`link force` [*force id*]');
    expect(reply.body.text).toMatch(/never holds anything about a referred person/);
  });

  it.each([
    ['with its mention entity', true],
    ['without a mention entity', false],
  ])('strips the bot mention in a Teams channel message %s', async (_name, withEntity) => {
    await start();
    const activity = teamsMessage(connector.url, '<at>Channel panel bot</at>&nbsp;help', { conversationId: '19:abc@thread.tacv2;messageid=1' });
    const mention = { type: 'mention', text: '<at>Channel panel bot</at>', mentioned: { id: '28:bot-id', name: 'Channel panel bot' } };
    if (withEntity) Object.assign(activity, { entities: [mention] });
    await post(JSON.stringify(activity));
    await until(() => connector.posts().length === 1, 'the help reply');
    expect(replies()[0]).toContain('`link force` [*force id*]');
  });

  it('does not fail on a mention with no text', async () => {
    await start();
    const activity: Record<string, unknown> = teamsMessage(connector.url, '');
    delete activity.text;
    activity.entities = [{ type: 'mention', text: '<at>Bot</at>', mentioned: { id: '28:bot-id', name: 'Bot' } }];
    await post(JSON.stringify(activity));
    await until(() => connector.posts().length === 1, 'a reply');
    expect(replies()[0]).toMatch(/I didn't recognise that/);
  });

  it('runs registered routes before the catch-all, which answers unknown commands and misused known ones', async () => {
    await start({ register: (app) => void app.message(/^\s*ping\s*$/i, async (ctx) => void (await ctx.sendActivity('pong'))) });
    await say('ping', { conversationId: 'a:1' });
    await say('what is the weather', { conversationId: 'a:2' });
    await say('help me please', { conversationId: 'a:3' });
    await until(() => connector.posts().length === 3, 'three replies');
    const byConversation = Object.fromEntries(connector.posts().map((p) => [p.conversationId, p.body.text]));
    expect(byConversation['a:1']).toBe('pong');
    expect(byConversation['a:2']).toMatch(/I didn't recognise that/);
    expect(byConversation['a:3']).toMatch(/That is not how `help` is used: `help`/);
  });

  it('apologises without details when a turn fails, logs the error and keeps serving', async () => {
    await start({ register: (app) => void app.message(/^boom$/i, async () => { throw new Error('secret detail'); }) });
    const res = await say('boom');
    expect(res.status).toBe(200);
    await until(() => connector.posts().length === 1, 'the apology');
    expect(replies()[0]).toMatch(/^Sorry, something went wrong/);
    expect(replies()[0]).not.toContain('secret');
    expect(logs.find((l) => l.msg === 'turn failed')).toMatchObject({ level: 50, err: { message: 'secret detail' } });
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
  });

  it.each([
    ['truncated JSON', '{"type":"message","text":"help"', 'application/json'],
    ['not an object', '[1,2,3]', 'application/json'],
    ['the wrong content type', 'type=message', 'application/x-www-form-urlencoded'],
    ['plain text', 'help', 'text/plain'],
    ['no activity type', '{"text":"help"}', 'application/json'],
  ])('refuses %s with a 4xx and keeps serving', async (_name, body, type) => {
    await start();
    const res = await post(body, type);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
    // A turn's replies are posted before its HTTP answer returns: nothing later can arrive.
    expect(connector.calls).toEqual([]);
  });

  it('refuses an activity without a recipient with 400 instead of failing the turn', async () => {
    await start();
    const activity: Record<string, unknown> = teamsMessage(connector.url, 'help');
    delete activity.recipient;
    expect((await post(JSON.stringify(activity))).status).toBe(400);
    // A turn's replies are posted before its HTTP answer returns: nothing later can arrive.
    expect(connector.calls).toEqual([]);
  });

  it('refuses an oversized body with 413', async () => {
    await start();
    const res = await say('x'.repeat(300_000));
    expect(res.status).toBe(413);
    expect((await fetch(`${server!.url}/healthz`)).status).toBe(200);
  });

  it('answers only tenants in ALLOWED_TENANT_IDS, by channelData or conversation.tenantId, and logs the refusals', async () => {
    await start({ env: { ALLOWED_TENANT_IDS: `${TENANT_A},${TENANT_C}` } });
    const noTenant: Record<string, any> = teamsMessage(connector.url, 'help', { conversationId: 'a:none' });
    delete noTenant.channelData.tenant;
    delete noTenant.conversation.tenantId;
    const byConversation: Record<string, any> = teamsMessage(connector.url, 'help', { conversationId: 'a:conv-c', tenant: TENANT_C });
    delete byConversation.channelData.tenant;
    await say('help', { conversationId: 'a:b', tenant: TENANT_B });
    await post(JSON.stringify(noTenant));
    await say('help', { conversationId: 'a:a', tenant: TENANT_A });
    await post(JSON.stringify(byConversation));
    await until(() => connector.posts().length >= 2, 'the allowed replies');
    // A turn's replies are posted before its HTTP answer returns: nothing later can arrive.
    expect(connector.posts().map((p) => p.conversationId).sort()).toEqual(['a:a', 'a:conv-c']);
    const refused = logs.filter((l) => l.msg === 'activity from a tenant outside ALLOWED_TENANT_IDS refused');
    expect(refused.map((l) => [l.level, l.tenant])).toEqual([[40, TENANT_B], [40, null]]);
  });

  // Regression: the gate compared tenant ids as typed, so an allow-list in one case refused its own tenant in the other.
  it.each([
    ['upper case, the activity in lower case', TENANT_A.toUpperCase(), TENANT_A, TENANT_B],
    ['lower case, the activity in upper case', TENANT_A, TENANT_A.toUpperCase(), TENANT_B.toUpperCase()],
  ])('compares tenant GUIDs case-insensitively: the allow-list in %s', async (_name, allowed, tenant, other) => {
    await start({ env: { ALLOWED_TENANT_IDS: allowed } });
    expect((await say('help', { conversationId: 'a:in', tenant })).status).toBe(200);
    expect((await say('help', { conversationId: 'a:out', tenant: other })).status).toBe(200);
    // A turn's replies are posted before its HTTP answer returns: nothing later can arrive.
    expect(connector.posts().map((p) => p.conversationId)).toEqual(['a:in']);
    const refused = logs.filter((l) => l.msg === 'activity from a tenant outside ALLOWED_TENANT_IDS refused');
    expect(refused.map((l) => l.tenant)).toEqual([other]);
  });

  it('serves framework-neutral routes with params, query and headers; a throwing one answers 500 without details', async () => {
    const seen: unknown[] = [];
    const routes: HttpRoute[] = [
      { method: 'GET', path: '/calendar/:token', handler: async (req) => (seen.push(req), { status: 200, headers: { 'content-type': 'text/calendar' }, body: 'BEGIN:VCALENDAR' }) },
      { method: 'GET', path: '/reports/:id.csv', handler: async () => { throw new Error('secret detail'); } },
    ];
    const s = await start({ routes });
    const ok = await fetch(`${s.url}/calendar/abc.ics?x=1`, { headers: { 'x-probe': 'yes' } });
    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'text/calendar', 'BEGIN:VCALENDAR']);
    expect(seen[0]).toMatchObject({ params: { token: 'abc.ics' }, query: { x: '1' }, headers: { 'x-probe': 'yes' } });
    const bad = await fetch(`${s.url}/reports/r1.csv`);
    expect(bad.status).toBe(500);
    expect(await bad.text()).not.toContain('secret');
    expect(logs.find((l) => l.msg === 'route failed')).toMatchObject({ level: 50, path: '/reports/:id.csv' });
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
  });

  it('closes without waiting for an idle keep-alive connection, then refuses connections; close() twice is harmless', async () => {
    // A grace period far beyond the test's guard: close() finishes only if it does not wait for the idle connection.
    const s = await start({ closeGraceMs: 3_600_000 });
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${s.url}/healthz`, { agent: new Agent({ keepAlive: true }) }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject).end();
    });
    expect(status).toBe(200);
    await Promise.all([s.close(), s.close()]);
    await expect(fetch(`${s.url}/healthz`)).rejects.toThrow();
  });
});

describe('the command table', () => {
  it('fits the manifest limits, with unique names and at least one scope each (review signoff and link national: none, the lists are full)', () => {
    for (const c of COMMANDS) {
      expect(c.name.length, c.name).toBeLessThanOrEqual(32);
      expect(c.description.length, c.name).toBeLessThanOrEqual(128);
      if (c.name === 'review signoff' || c.name === 'link national') expect(c.scopes).toEqual([]);
      else expect(c.scopes.length, c.name).toBeGreaterThan(0);
      expect(c.usage.startsWith(c.name), c.name).toBe(true);
    }
    expect(new Set(COMMANDS.map((c) => c.name)).size).toBe(COMMANDS.length);
    expect(COMMANDS.map((c) => c.name)).toEqual(['help', 'panels', 'link force', 'link panel', 'link area', 'link national', 'link meeting', 'cancel', 'attendance', 'review signoff', 'review', 'flags', 'subscribe', 'audit']);
  });

  // Issue 18: Teams escapes angle brackets in a message, even in code, so `link force <id>` showed as `&lt;id&gt;`.
  it('shows no angle bracket or HTML entity in help, and gives each command with arguments an example', () => {
    const help = helpText();
    expect(help).not.toMatch(/[<>]|&[a-z]+;/);
    for (const c of COMMANDS) {
      expect(c.usage, c.name).not.toMatch(/[<>]/);
      // `link area` has no example id: the sample file has no areas (an area's id is the force's to choose).
      if (c.usage !== c.name && c.example !== c.name) expect(help, c.name).toContain(`For example: \`${c.example}\``);
    }
  });

  it("gives examples that are the command they illustrate, with ids from the sample configuration", () => {
    const config = parse(readFileSync('config/panels.sample.yaml', 'utf8')) as { forces: Array<{ id: string }>; panels: Array<{ id: string }> };
    const ids = { force: config.forces.map((f) => f.id), panel: config.panels.map((p) => p.id) };
    for (const c of COMMANDS) {
      expect(commandOf(c.example), c.example).toBe(c);
      const id = c.example.slice(c.name.length).trim().split(/\s+/)[0];
      if (!id) continue;
      const known = c.name === 'link force' ? ids.force : c.name === 'link panel' ? ids.panel : [...ids.force, ...ids.panel];
      expect(known, c.example).toContain(id);
    }
  });

  it('never says "channel" alone: it is a Channel panel or a Teams channel', () => {
    const text = [helpText(), ...COMMANDS.map((c) => c.description)].join('\n');
    expect(text.replace(/Channel panels?|Teams channels?/g, '')).not.toMatch(/channel/i);
  });
});

describe('the composed bot', () => {
  it('serves /healthz from the store and starts with the sample panels planned', async () => {
    const { bot, stop } = await startTestBot({ now: () => '2026-11-22T12:00:00.000Z' });
    try {
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
      expect((await bot.store.meetings.list()).length).toBeGreaterThan(100);
      bot.store.ping = () => Promise.reject(new Error('database down'));
      expect((await fetch(`${bot.url}/healthz`)).status).toBe(503);
    } finally {
      await stop();
    }
  });
});
