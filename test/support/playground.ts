import { spawn, type ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Locator, Page } from 'playwright-core';

/** Debian's browser: the journey never downloads one. */
export const CHROMIUM = '/usr/bin/chromium';
const ROOT = new URL('../../', import.meta.url).pathname;
const PLAYGROUND_BIN = join(ROOT, 'node_modules/.bin/agentsplayground');

/** A free loopback port, found by binding port 0 and letting it go. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/** Waits for a URL to answer 2xx, or fails naming it and the process's last output. */
async function waitForHttp(url: string, proc: Spawned, seconds: number): Promise<void> {
  for (let i = 0; i < seconds * 5; i++) {
    if (proc.child.exitCode !== null) throw new Error(`${proc.name} exited (${proc.child.exitCode}) before ${url} answered:\n${proc.output()}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${seconds}s:\n${proc.output()}`);
}

interface Spawned {
  name: string;
  child: ChildProcess;
  output(): string;
}

function start(name: string, command: string, args: string[], env: Record<string, string>, cwd = ROOT): Spawned {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  const keep = (b: Buffer) => void (out = (out + b.toString()).slice(-8000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return { name, child, output: () => out };
}

async function stop(p: Spawned): Promise<void> {
  if (p.child.exitCode !== null || p.child.pid === undefined) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  try {
    process.kill(-p.child.pid, 'SIGTERM');
  } catch {
    return;
  }
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (p.child.exitCode === null) {
    try {
      process.kill(-p.child.pid, 'SIGKILL');
    } catch {
      // Already gone between the check and the kill.
    }
  }
}

export interface Rig {
  botUrl: string;
  playgroundUrl: string;
  dataDir: string;
  /** Runs `panel-bot` against the bot's store, as an operator would; resolves with its stdout. */
  cli(...args: string[]): Promise<string>;
  stop(): Promise<void>;
}

/** tsx by path, so a bot started from another folder (the demo's) loads it from this checkout. */
const TSX = pathToFileURL(join(ROOT, 'node_modules/tsx/dist/loader.mjs')).href;

/**
 * The bot as `npm start` runs it (local mode, SQLite in a temp folder, the sample config), or with `demo` as
 * `npm run demo` runs it (its invented year in ./data/demo, here under a temp folder it is started from), and the
 * Agents Playground pointed at it, each on a free port.
 */
export async function startRig(options: { demo?: boolean } = {}): Promise<Rig> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium); .ci/run does`);
  if (!existsSync(PLAYGROUND_BIN)) throw new Error(`${PLAYGROUND_BIN} is missing: run npm install`);
  const tmp = mkdtempSync(join(tmpdir(), 'panel-bot-e2e-'));
  // The demo keeps its store in ./data/demo of the folder it runs in: the CLI is pointed there.
  const dataDir = options.demo ? join(tmp, 'data/demo') : tmp;
  const [botPort, pgPort] = [await freePort(), await freePort()];
  const botUrl = `http://127.0.0.1:${botPort}`;
  const env = { DATA_DIR: dataDir, PORT: String(botPort), HOST: '127.0.0.1', MicrosoftAppId: '', DATABASE_URL: '', LOG_LEVEL: 'warn', PUBLIC_BASE_URL: botUrl, PANELS_CONFIG: './config/panels.sample.yaml', SCHEDULER_TICK_SECONDS: '3600' };
  const entry = join(ROOT, options.demo ? 'bot/demo/main.ts' : 'bot/main.ts');
  const bot = start('bot', process.execPath, ['--disable-warning=DEP0111', '--import', TSX, entry], env, options.demo ? tmp : ROOT);
  const started: Spawned[] = [bot];
  try {
    await waitForHttp(`${botUrl}/healthz`, bot, 60);
    const pg = start('playground', PLAYGROUND_BIN, ['start', '-e', `${botUrl}/api/messages`, '-c', 'msteams', '-p', String(pgPort), '--dt'], { TEAMSAPPTESTER_BROWSER: 'none' });
    started.push(pg);
    await waitForHttp(`http://127.0.0.1:${pgPort}/`, pg, 60);
  } catch (err) {
    await Promise.all(started.map(stop));
    throw err;
  }
  return {
    botUrl,
    playgroundUrl: `http://127.0.0.1:${pgPort}/`,
    dataDir,
    cli: async (...args) => (await promisify(execFile)(process.execPath, ['bin/panel-bot.mjs', ...args], { cwd: ROOT, env: { ...process.env, ...env } })).stdout,
    stop: async () => {
      await Promise.all(started.map(stop));
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * Where the journey's screenshots go (git-ignored), emptied at the start of a run: test/artifacts/journey, so
 * the card gallery beside it (test/artifacts/cards) survives, whichever test file runs first.
 */
export function artifactsDir(name = 'journey'): string {
  const dir = join(ROOT, 'test/artifacts', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** A Teams desktop window: the viewport the journey's browser should have. The Playground then draws cards 446 px wide. */
export const TEAMS_VIEWPORT = { width: 1280, height: 1600 };

/** Top-level cards only: a Send apologies form opened inside a card is part of that card's picture. */
const CARDS = '.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)';

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 50) || 'card';

/** What a card shows, with what is typed or picked in it: a card changed in place is a new picture. */
const cardState = (card: Locator): Promise<string> =>
  card.evaluate((e: any) => `${e.innerText}\n${[...e.querySelectorAll('input, select, textarea')].map((i: any) => (i.type === 'radio' || i.type === 'checkbox' ? i.checked : i.value)).join('|')}`);

/**
 * Photographs every card on the page it has not seen in that state before, as the Playground draws it, into
 * `dir`/cards as `<nn>-<step>-<card title>.png`, and resolves with the files written. Call it after each step of
 * the journey: the cards it meets, from first to last state, end up side by side in one folder.
 */
export function cardShots(page: Page, dir: string): (step: string) => Promise<string[]> {
  const seen = new Set<string>();
  let shot = 0;
  const folder = join(dir, 'cards');
  mkdirSync(folder, { recursive: true });
  return async (step) => {
    const written: string[] = [];
    for (const card of await page.locator(CARDS).all()) {
      if (!(await card.isVisible())) continue;
      const state = await cardState(card);
      if (seen.has(state)) continue;
      seen.add(state);
      const title = (await card.locator('.ac-textBlock').first().innerText().catch(() => '')).trim().split('\n')[0]!;
      const file = join(folder, `${String(++shot).padStart(2, '0')}-${slug(step)}-${slug(title)}.png`);
      // A card taller than the window is only painted where the chat pane shows it: grow the window to fit it, then back.
      const height = (await card.boundingBox())?.height ?? 0;
      if (height > TEAMS_VIEWPORT.height - 300) await page.setViewportSize({ width: TEAMS_VIEWPORT.width, height: Math.ceil(height) + 600 });
      await card.screenshot({ path: file });
      await page.setViewportSize(TEAMS_VIEWPORT);
      written.push(file);
    }
    return written;
  };
}

/** What a journey does in the Playground: steps photographed, messages posted, cards found. */
export interface Journey {
  /** Runs one step and photographs the result (and every new card); on failure the error names the picture. */
  step(name: string, body: () => Promise<void>): Promise<void>;
  /** Posts in the Teams channel: a new post that @mentions the bot, as Teams requires. */
  say(text: string): Promise<void>;
  /** Posts in the personal chat with the bot, where links meant for one person are given. */
  sayPersonally(text: string): Promise<void>;
  /** The first card showing `text`. */
  card(text: string): Locator;
  /** Resolves once `text` shows anywhere on the page. */
  seen(text: string | RegExp): Promise<void>;
}

/** The journey helpers over one Playground page, saving pictures under `dir`. */
export function journey(page: Page, dir: string): Journey {
  const shootCards = cardShots(page, dir);
  let shot = 0;
  return {
    async step(name, body) {
      const file = join(dir, `${String(++shot).padStart(2, '0')}-${name}.png`);
      try {
        await body();
        await page.screenshot({ path: file, fullPage: true });
        await shootCards(name);
      } catch (err) {
        const failed = file.replace(/\.png$/, '-FAILED.png');
        await page.screenshot({ path: failed, fullPage: true }).catch(() => undefined);
        await shootCards(`${name}-failed`).catch(() => undefined);
        throw new Error(`step "${name}" failed (screenshot: ${failed}): ${(err as Error).message}`);
      }
    },
    async say(text) {
      await page.getByRole('group').filter({ hasText: 'Start a new' }).getByRole('textbox').click();
      await page.keyboard.type('@Test');
      await page.getByRole('menuitem').filter({ hasText: 'Test Bot' }).click();
      await page.keyboard.type(` ${text}`);
      await page.keyboard.press('Enter');
    },
    async sayPersonally(text) {
      await page.locator('[aria-label="Personal Chat"]').click();
      await page.getByRole('textbox').first().click();
      await page.keyboard.type(text);
      await page.keyboard.press('Enter');
    },
    card: (text) => page.locator('.ac-adaptiveCard').filter({ hasText: text }).first(),
    seen: (text) => page.getByText(text).first().waitFor(),
  };
}
