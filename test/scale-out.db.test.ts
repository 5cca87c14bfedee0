import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBot, type RunningBot } from '../bot/compose.js';
import { loadConfig } from '../bot/config.js';
import { schedulerLock } from '../bot/scheduler-lock.js';
import { recordingLog } from './support/recording-log.js';
import type { Messenger } from '../scheduler/messenger.js';
import { openStore } from '../scheduler/store/open-store.js';
import type { Store } from '../scheduler/store/store.js';
import { FakeConnector } from './support/fake-connector.js';
import { cardKey, connectorMessenger, FANOUT_NOW, repeats, schedulerInstance, seedFanout } from './support/fanout.js';
import { freshStore, type TestStore } from './support/stores.js';
import { botAddedToTeam, channelMessage, GARETH } from './support/teams-activities.js';
import { startTestBot } from './support/test-bot.js';
import { until } from './support/wait.js';

const T0 = Date.parse('2027-04-19T08:00:00.000Z');
const CARD_DAY = '2027-04-19T08:00:00.000Z'; // 10 working days before the first May meetings
const exec = promisify(execFile);
/** A guard only: two instances planning and sending some 400 cards through the real connector client, on a loaded machine. */
const FANOUT_GUARD_MS = 300_000;

describe('the scheduler lock beside a SQLite file', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is held by one process at a time and passes on when released', () => {
    const path = join(dir, 'panels.db.scheduler.lock');
    const a = schedulerLock(path, { pid: 100, host: 'h', alive: () => true });
    const b = schedulerLock(path, { pid: 200, host: 'h', alive: () => true });
    expect(a.acquire()).toBeNull();
    expect(a.acquire()).toBeNull();
    expect(b.acquire()).toMatchObject({ pid: 100, host: 'h' });
    b.release();
    expect(b.acquire()).toMatchObject({ pid: 100 });
    a.release();
    expect(b.acquire()).toBeNull();
    expect(a.acquire()).toMatchObject({ pid: 200 });
  });

  it('is taken over at once from a holder on this machine that died (kill -9 leaves the file behind)', () => {
    const path = join(dir, 'panels.db.scheduler.lock');
    const running = new Set([100, 200]);
    const alive = (pid: number) => running.has(pid);
    expect(schedulerLock(path, { pid: 100, host: 'h', alive }).acquire()).toBeNull();
    const b = schedulerLock(path, { pid: 200, host: 'h', alive });
    expect(b.acquire()).toMatchObject({ pid: 100 });
    running.delete(100);
    expect(b.acquire()).toBeNull();
  });

  it('trusts a holder on another machine while its heartbeat is fresh, and no longer once it is stale', () => {
    const path = join(dir, 'panels.db.scheduler.lock');
    let now = T0;
    const a = schedulerLock(path, { host: 'elsewhere', now: () => now });
    expect(a.acquire()).toBeNull();
    utimesSync(path, new Date(T0), new Date(T0));
    const b = schedulerLock(path, { host: 'here', now: () => now, staleMs: 60_000 });
    now = T0 + 59_000;
    expect(b.acquire()).toMatchObject({ host: 'elsewhere' });
    now = T0 + 61_000;
    expect(b.acquire()).toBeNull();
  });
});

describe('two servers started on one SQLite file', () => {
  let dir: string;
  const bots: RunningBot[] = [];
  const env = () => ({ PORT: '0', DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml', LOG_LEVEL: 'silent', SCHEDULER_TICK_SECONDS: '3600' });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-two-'));
  });
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets only the first schedule; the second says why, serves, and takes over when the first stops', async () => {
    const now = () => '2027-04-19T08:00:00.000Z';
    const first = await startBot(loadConfig(env()), recordingLog(), now);
    bots.push(first);
    const log = recordingLog();
    const second = await startBot(loadConfig(env()), log, now);
    bots.push(second);
    await until(() => log.lines.some((l) => l.level === 'warn' && /another process is running the scheduler/.test(l.msg)), 'the warning');
    expect(await second.pass()).toEqual([]);
    expect(await first.pass()).toContain('nomination-work');
    expect((await fetch(`${second.url}/healthz`)).status).toBe(200);

    await first.stop();
    bots.splice(bots.indexOf(first), 1);
    expect(await second.pass()).toContain('nomination-work');
    expect(log.lines.filter((l) => /another process is running the scheduler/.test(l.msg))).toHaveLength(1);
    expect(log.lines.some((l) => /this process schedules now/.test(l.msg))).toBe(true);
  });

  it('still lets `panel-bot tick` run beside the server: enqueueing is idempotent and sends are leased, so each card goes once', async () => {
    let now = '2027-04-01T08:00:00.000Z';
    const { bot, connector, post, stop, env: botEnv } = await startTestBot({ now: () => now, log: recordingLog() });
    try {
      await post(botAddedToTeam(connector.url, GARETH));
      await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
      await until(() => connector.posts().length === 1, 'the link reply');

      // A real second process, as an operator would run it, while the server holds its connection open.
      const { stdout } = await exec('node', ['bin/panel-bot.mjs', 'tick', '--now', CARD_DAY], { env: { ...process.env, ...botEnv } });
      expect(stdout).toMatch(/^tick 2027-04-19T08:00:00.000Z: ran plan-meetings, nomination-work/);
      const cards = () => connector.cards().filter((c) => JSON.stringify(c.card).includes('Police attendee for'));
      expect(cards().length).toBeGreaterThan(0);
      // The tick's sender said it was sending, as one of the instances that share the tenant's ceiling (outbox_senders).
      expect(await bot.store.outbox.senders('probe', new Date().toISOString(), '2000-01-01T00:00:00.000Z')).toBeGreaterThanOrEqual(2);
      const sentByTick = cards().length;
      now = CARD_DAY;
      await bot.pass();
      expect(cards()).toHaveLength(sentByTick);
      expect(new Set(cards().map((c) => JSON.stringify(c.card.body))).size).toBe(sentByTick);
    } finally {
      await stop();
    }
  });
});

describe('two instances on one PostgreSQL database', () => {
  let t: TestStore;
  let other: Store;
  let connector: FakeConnector;
  beforeEach(async () => {
    t = await freshStore('postgres');
    other = await openStore(t.options);
    connector = new FakeConnector();
    await connector.start();
    await seedFanout(t.store, connector.url);
  });
  afterEach(async () => {
    await connector.stop();
    await other.close();
    await t.dispose();
  });

  it('send each of some 400 nomination cards exactly once, counted at the connector, while both schedule and drain at once', async () => {
    const messenger = connectorMessenger();
    // Explicit synchronisation, not timing: A stops after its first send until B has sent one, so both
    // instances are certainly draining the same outbox at the same time.
    let bSent!: () => void;
    const bHasSent = new Promise<void>((r) => (bSent = r));
    const sent = { a: 0, b: 0 };
    const a: Messenger = { send: async (...args) => (++sent.a === 2 && (await bHasSent), messenger.send(...args)), update: messenger.update };
    const b: Messenger = { send: async (...args) => (++sent.b === 1 && bSent(), messenger.send(...args)), update: messenger.update };
    await Promise.all([schedulerInstance(t.store, a, FANOUT_NOW).pass(), schedulerInstance(other, b, FANOUT_NOW).pass()]);

    const queued = (await t.store.outbox.list()).filter((m) => m.kind === 'card');
    expect(queued.length).toBeGreaterThanOrEqual(400);
    expect(queued.every((m) => m.status === 'sent')).toBe(true);
    const arrived = connector.cards().map(cardKey);
    expect(repeats(arrived)).toEqual([]);
    expect(new Set(arrived)).toEqual(new Set(queued.map((m) => `${m.conversationId} ${m.meetingId}`)));
    expect(sent.a).toBeGreaterThan(0);
    expect(sent.b).toBeGreaterThan(0);
    expect(sent.a + sent.b).toBe(connector.posts().length);
    expect(repeats(connector.posts().map((c) => JSON.stringify(c.body)))).toEqual([]);
  }, FANOUT_GUARD_MS);
});
