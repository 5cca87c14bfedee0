import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../bot/compose.js';
import { loadConfig } from '../bot/config.js';
import { silentLog } from '../scheduler/log.js';
import { FakeConnector, teamsMessage } from './support/fake-connector.js';

const NOW = () => '2026-11-22T12:00:00.000Z';

/** Waits until the fake connector has seen `n` calls, or fails after a bounded number of polls. */
async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the server over real HTTP', () => {
  let dir: string;
  let bot: RunningBot;
  let connector: FakeConnector;
  let healthy = true;

  async function start(env: NodeJS.ProcessEnv = {}) {
    const config = loadConfig({ PORT: '0', DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml', LOG_LEVEL: 'silent', ...env });
    bot = await startBot(config, silentLog, NOW);
    const ping = bot.store.ping.bind(bot.store);
    bot.store.ping = async () => {
      if (!healthy) throw new Error('database down');
      return ping();
    };
  }
  const post = (body: string, contentType = 'application/json') =>
    fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': contentType }, body });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-http-'));
    healthy = true;
    connector = new FakeConnector();
    await connector.start();
  });
  afterEach(async () => {
    await bot?.stop();
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers /healthz 200 with the store reachable and 503 without it', async () => {
    await start();
    const ok = await fetch(`${bot.url}/healthz`);
    expect([ok.status, await ok.json()]).toEqual([200, { status: 'ok' }]);
    healthy = false;
    const down = await fetch(`${bot.url}/healthz`);
    expect([down.status, await down.json()]).toEqual([503, { status: 'unavailable' }]);
  });

  it('starts with the sample panels planned', async () => {
    await start();
    expect((await bot.store.meetings.list()).length).toBeGreaterThan(100);
  });

  it('answers a help message through the Bot Connector, without a token in local mode', async () => {
    await start();
    const res = await post(JSON.stringify(teamsMessage(connector.url, 'help')));
    expect(res.status).toBe(200);
    await until(() => connector.posts().length === 1, 'the help reply');
    const reply = connector.posts()[0]!;
    expect(reply.conversationId).toBe('a:personal-chat');
    expect(reply.body.text).toMatch(/`help`/);
    expect(reply.body.text).toMatch(/never holds anything about a referred person/);
    expect(reply.authorization).toBeUndefined();
  });

  it('strips the bot mention Teams puts in front of a command in a Teams channel', async () => {
    await start();
    const activity = teamsMessage(connector.url, '<at>Channel panel bot</at> help', { conversationId: '19:abc@thread.tacv2;messageid=1' });
    Object.assign(activity, {
      entities: [{ type: 'mention', text: '<at>Channel panel bot</at>', mentioned: { id: '28:bot-id', name: 'Channel panel bot' } }],
    });
    await post(JSON.stringify(activity));
    await until(() => connector.posts().length === 1, 'the help reply');
    expect(connector.posts()[0]!.body.text).toMatch(/Channel panel bot/);
  });

  it('says so when it does not understand, and when a command is not built yet', async () => {
    await start();
    await post(JSON.stringify(teamsMessage(connector.url, 'what is the weather')));
    await post(JSON.stringify(teamsMessage(connector.url, 'review cambs')));
    await until(() => connector.posts().length === 2, 'two replies');
    const texts = connector.posts().map((p) => p.body.text).sort();
    expect(texts[0]).toMatch(/I didn't recognise that/);
    expect(texts[1]).toMatch(/`review \[force\]` is not available in this version yet/);
  });

  it.each([
    ['truncated JSON', '{"type":"message","text":"help"', 'application/json'],
    ['not an object', '[1,2,3]', 'application/json'],
    ['the wrong content type', 'type=message', 'application/x-www-form-urlencoded'],
    ['no activity type', '{"text":"help"}', 'application/json'],
  ])('refuses %s with a 4xx and keeps serving', async (_name, body, type) => {
    await start();
    const res = await post(body, type);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(connector.calls).toEqual([]);
  });

  it('refuses an oversized body with 413', async () => {
    await start();
    const res = await post(JSON.stringify(teamsMessage(connector.url, 'x'.repeat(300_000))));
    expect(res.status).toBe(413);
  });

  it('ignores activities from tenants outside ALLOWED_TENANT_IDS', async () => {
    await start({ ALLOWED_TENANT_IDS: 'tenant-a' });
    await post(JSON.stringify(teamsMessage(connector.url, 'help', { tenant: 'tenant-b' })));
    await post(JSON.stringify(teamsMessage(connector.url, 'help', { tenant: 'tenant-a' })));
    await until(() => connector.posts().length >= 1, 'the allowed reply');
    await new Promise((r) => setTimeout(r, 100));
    expect(connector.posts()).toHaveLength(1);
  });
});
