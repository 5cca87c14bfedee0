import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBot, type BotOptions, type RunningBot } from '../../bot/compose.js';
import { loadConfig } from '../../bot/config.js';
import { silentLog, type Log } from '../../scheduler/log.js';
import { FakeConnector } from './fake-connector.js';

/** The config every HTTP test starts from; the scheduler ticks hourly, so only `bot.pass()` runs its jobs. */
const TEST_ENV = { PORT: '0', PANELS_CONFIG: 'config/panels.sample.yaml', LOG_LEVEL: 'silent', SCHEDULER_TICK_SECONDS: '3600' };

export interface TestBotSetup {
  /** The bot's clock: a test moves time by changing what it returns. */
  now: () => string;
  /** Config over TEST_ENV (DATA_DIR is the fresh folder). */
  env?: Record<string, string>;
  options?: BotOptions;
  log?: Log;
}

export interface TestBot {
  /** The running bot (after restart(), the new one). */
  readonly bot: RunningBot;
  readonly connector: FakeConnector;
  /** The bot's data folder: its SQLite store. */
  readonly dir: string;
  /** What the config was loaded from: for the command line, or another process, on the same store. */
  readonly env: Record<string, string>;
  /** POSTs an activity to /api/messages as Teams does; the answer's status and parsed JSON body (null when empty). */
  post(activity: object, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  /** Stops the bot, unless it is stopped already, and starts another on the same store and connector. */
  restart(): Promise<RunningBot>;
  /** Stops the bot and the connector and removes the data folder. */
  stop(): Promise<void>;
}

/** A bot on a fresh SQLite store talking to a fake Bot Connector, as the HTTP tests drive it. */
export async function startTestBot(setup: TestBotSetup): Promise<TestBot> {
  const dir = mkdtempSync(join(tmpdir(), 'panel-bot-http-'));
  const env = { ...TEST_ENV, DATA_DIR: dir, ...setup.env };
  const connector = new FakeConnector();
  const start = async (): Promise<RunningBot> => {
    const running = await startBot(loadConfig(env), setup.log ?? silentLog, setup.now, setup.options);
    let stopped: Promise<void> | null = null;
    // A test may stop the bot itself (to stage a crash): stopping it again is then nothing.
    return { ...running, stop: () => (stopped ??= running.stop()) };
  };
  let bot: RunningBot;
  try {
    await connector.start();
    bot = await start();
  } catch (err) {
    await connector.stop();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    get bot() {
      return bot;
    },
    connector,
    dir,
    env,
    post: async (activity, headers = {}) => {
      const res = await fetch(`${bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(activity) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    restart: async () => {
      await bot.stop();
      bot = await start();
      return bot;
    },
    stop: async () => {
      await bot.stop();
      await connector.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
