import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeConnector, teamsMessage } from './support/fake-connector.js';
import { until, within } from './support/wait.js';

// Issue 21: the production build. `npm run build` compiles the bot, and `npm run start:prod` runs the compiled
// JavaScript with plain node: no tsx, no TypeScript, no esbuild. The test compiles its own copy (scripts/build.mjs
// --out-dir, under the git-ignored test/artifacts/) so it never deletes a dist/ another process is running, then
// starts that copy as `start:prod` does, with a guard that fails any attempt to load TypeScript tooling.

const ROOT = new URL('../', import.meta.url).pathname;
const OUT = `test/artifacts/prod-build-${process.pid}`;

/** Loaded before the bot: any import or require of TypeScript tooling throws, in ESM and in CommonJS alike. */
const FORBID_TS_TOOLING = `data:text/javascript,${encodeURIComponent(`
import Module, { register } from 'node:module';
const tooling = /^(tsx|typescript|esbuild|ts-node)(\\/|$)/;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (tooling.test(request)) throw new Error('TypeScript tooling loaded: ' + request);
  return resolveFilename.call(this, request, ...rest);
};
register('data:text/javascript,' + encodeURIComponent(
  'export async function resolve(s, c, next) { if (' + tooling + '.test(s)) throw new Error("TypeScript tooling loaded: " + s); return next(s, c); }'));
`)}`;

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } }, (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }));
  });
}

/** The `start:prod` command line, pointed at this test's build instead of dist/. */
function startProdArgs(): string[] {
  const script = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start:prod'] ?? '';
  const [node, ...args] = script.split(' ');
  expect(node).toBe('node');
  return ['--import', FORBID_TS_TOOLING, ...args.map((a) => a.replace(/^dist\//, `${OUT}/dist/`))];
}

describe('the production build, run with plain node', () => {
  beforeAll(async () => {
    const built = await run(['scripts/build.mjs', '--out-dir', `${OUT}/dist`]);
    expect(built, built.stdout + built.stderr).toMatchObject({ code: 0 });
  }, 600_000);
  afterAll(() => rmSync(join(ROOT, OUT), { recursive: true, force: true }));

  it('keeps TypeScript tooling out of the production dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, Record<string, string>>;
    expect(pkg.scripts!['start:prod']).toBe('node --disable-warning=DEP0111 dist/bot/main.js');
    for (const tool of ['tsx', 'typescript']) {
      expect(pkg.dependencies![tool], tool).toBeUndefined();
      expect(pkg.devDependencies![tool], tool).toBeDefined();
    }
  });

  it('has a guard that would notice TypeScript tooling being loaded', async () => {
    const r = await run(['--import', FORBID_TS_TOOLING, '--input-type=module', '-e', "await import('tsx/esm/api')"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/TypeScript tooling loaded: tsx/);
  });

  it('serves /healthz and answers `help` from dist/, then stops on SIGTERM', async () => {
    const connector = new FakeConnector();
    await connector.start();
    const dataDir = mkdtempSync(join(tmpdir(), 'panel-bot-prod-'));
    const env = {
      ...process.env, NODE_OPTIONS: '', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, PANELS_CONFIG: 'config/panels.sample.yaml',
      MicrosoftAppId: '', DATABASE_URL: '', LOG_LEVEL: 'info', SCHEDULER_TICK_SECONDS: '3600', METRICS_PORT: '', APPLICATIONINSIGHTS_CONNECTION_STRING: '',
    };
    const child: ChildProcess = spawn(process.execPath, startProdArgs(), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const logged = (msg: string) => stdout.split('\n').slice(0, -1).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { msg: string; url?: string }).find((l) => l.msg === msg);
    try {
      await until(() => logged('channel panel bot listening') !== undefined || child.exitCode !== null, 'the compiled bot to listen');
      const url = logged('channel panel bot listening')?.url;
      expect(url, stderr).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      const res = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(teamsMessage(connector.url, 'help')) });
      expect(res.status).toBe(200);
      await until(() => connector.posts().length === 1, 'the help reply at the fake connector');
      expect(connector.posts()[0]!.body.text).toMatch(/never holds anything about a referred person/);

      child.kill('SIGTERM');
      expect(await within(exited, 'the compiled bot to exit after SIGTERM')).toBe(0);
      expect(logged('shutting down')).toBeDefined();
      expect(stderr).not.toMatch(/TypeScript tooling loaded|DeprecationWarning/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await connector.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
