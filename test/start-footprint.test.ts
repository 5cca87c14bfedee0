import { execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeConnector, teamsMessage } from './support/fake-connector.js';
import { loadedPackages, WATCH_MODULES } from './support/module-watch.js';
import { until, within } from './support/wait.js';

// Issue 22, item 6 (fast start, small footprint): the command line and an idle server load only what they use. The
// Teams side (botbuilder, teams-ai) waits for the first activity, the review documents' libraries for the first
// document, the metrics' libraries for METRICS_PORT or Application Insights; `schedule` loads none of them.

const ROOT = new URL('../', import.meta.url).pathname;
const TEAMS_SIDE = ['botbuilder', 'botbuilder-core', 'botframework-connector', '@microsoft/teams-ai'];
const DOCUMENTS = ['docx', 'pdfkit', 'vega', 'vega-lite', '@resvg/resvg-js'];
const METRICS = ['prom-client', '@opentelemetry/api'];
const MARK = '--- the first request after /healthz ---';

let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'panel-bot-footprint-'));
  // Local mode on SQLite in a folder of its own, whatever the shell running the tests says.
  env = {
    ...process.env, NODE_OPTIONS: '', DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml', DATABASE_URL: '', MicrosoftAppId: '',
    METRICS_PORT: '', APPLICATIONINSIGHTS_CONNECTION_STRING: '', PANEL_BOT_RUN: 'source',
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs `node --import WATCH_MODULES ...args`, recording what it loads in a fresh file; the packages it loaded. */
function watched(name: string, args: string[]): Promise<{ code: number; stderr: string; packages: Set<string> }> {
  const file = join(dir, `${name}.modules`);
  writeFileSync(file, '');
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', WATCH_MODULES, ...args], { cwd: ROOT, env: { ...env, MODULE_WATCH_FILE: file }, maxBuffer: 64 * 1024 * 1024 }, (err, _out, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stderr, packages: loadedPackages(readFileSync(file, 'utf8')) }),
    );
  });
}

const among = (packages: Set<string>, names: string[]) => names.filter((n) => packages.has(n));

describe('what the command line and an idle server load', () => {
  it('has a watch that sees a package being loaded, imported or required', async () => {
    const r = await watched('control', ['--input-type=module', '-e', "await import('restify'); (await import('node:module')).createRequire(import.meta.url)('pdfkit');"]);
    expect(r.code, r.stderr).toBe(0);
    expect(among(r.packages, ['restify', 'pdfkit'])).toEqual(['restify', 'pdfkit']);
  });

  it('`panel-bot schedule` loads nothing of the Teams side, restify, the documents, the metrics or the PostgreSQL driver', async () => {
    expect((await watched('sync', ['bin/panel-bot.mjs', 'sync', '--now', '2026-11-22T12:00:00Z'])).code).toBe(0);
    const r = await watched('schedule', ['bin/panel-bot.mjs', 'schedule', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.packages.has('kysely')).toBe(true); // It did run: the store was opened.
    expect(among(r.packages, [...TEAMS_SIDE, 'restify', ...DOCUMENTS, ...METRICS, 'pg'])).toEqual([]);
  });

  it('an idle server loads neither the Teams side nor the documents nor the metrics; the first activity loads the Teams side and is answered, and a report link makes no document', async () => {
    const connector = new FakeConnector();
    await connector.start();
    const file = join(dir, 'server.modules');
    writeFileSync(file, '');
    const serverEnv = { ...env, MODULE_WATCH_FILE: file, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SCHEDULER_TICK_SECONDS: '3600' };
    const child = spawn(process.execPath, ['--import', WATCH_MODULES, '--import', 'tsx', 'bot/main.ts'], { cwd: ROOT, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const listening = () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"channel panel bot listening"/.exec(stdout)?.[1];
    try {
      await until(() => listening() !== undefined || child.exitCode !== null, 'the bot to listen');
      const url = listening();
      expect(url, stderr).toBeDefined();
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      appendFileSync(file, `${MARK}\n`);
      // A report link that is no report: its route is loaded and answers, and no document is made.
      expect((await fetch(`${url}/reports/eyJpZCI6IjEifQ.c2ln.pdf`)).status).toBe(404);
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, 'help')) });
      expect(res.status).toBe(200);
      await until(() => connector.posts().length === 1, 'the help reply at the fake connector');
      child.kill('SIGTERM');
      expect(await within(exited, 'the bot to exit after SIGTERM')).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await connector.stop();
    }
    const [idle = '', afterwards = ''] = readFileSync(file, 'utf8').split(`${MARK}\n`);
    const idlePackages = loadedPackages(idle);
    expect(idlePackages.has('restify')).toBe(true);
    // On SQLite the PostgreSQL driver is never loaded (it is the store's, and loaded only for PostgreSQL).
    expect(idlePackages.has('better-sqlite3')).toBe(true);
    expect(among(idlePackages, [...TEAMS_SIDE, ...DOCUMENTS, ...METRICS, 'pg'])).toEqual([]);
    const later = loadedPackages(afterwards);
    expect(among(later, ['botbuilder', '@microsoft/teams-ai'])).toEqual(['botbuilder', '@microsoft/teams-ai']);
    expect(among(later, [...DOCUMENTS, 'pg'])).toEqual([]);
  });
});
