import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `panel-bot` as a shell runs it: the bin spawned, output read from its pipes. Issue 18: no deprecation warning on
// either stream (restify's spdy used to print DEP0111 twice on every call), and `--json` output that pipes into jq.

const ROOT = new URL('../', import.meta.url).pathname;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node ...nodeArgs bin/panel-bot.mjs ...args` with the extra environment, and collects what it printed and its exit status. */
function run(nodeArgs: string[], env: NodeJS.ProcessEnv, args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(process.execPath, [...nodeArgs, 'bin/panel-bot.mjs', ...args], { cwd: ROOT, env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const bin = (env: NodeJS.ProcessEnv, ...args: string[]) => run([], env, args);
/** With deprecations traced, which the bin leaves alone: restify's DEP0111 shows whenever restify is loaded. */
const traced = (env: NodeJS.ProcessEnv, ...args: string[]) => run(['--trace-deprecation'], env, args);

const WARNING = /DeprecationWarning|DEP0\d+|ExperimentalWarning/;

describe('the panel-bot command, spawned', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-bin-'));
    // Local mode on SQLite in a folder of its own, whatever the shell running the tests says.
    env = { DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml', DATABASE_URL: '', MicrosoftAppId: '', PANEL_BOT_RUN: 'source' };
    const synced = await bin(env, 'sync', '--now', '2026-11-22T12:00:00Z');
    expect(synced).toMatchObject({ code: 0, stderr: '' });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints its help and nothing else', async () => {
    const r = await bin(env, '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^usage: panel-bot <command>/);
    expect(r.stderr).toBe('');
  });

  it('prints `schedule --json` as one JSON document on stdout, with stderr empty', async () => {
    const r = await bin(env, 'schedule', '--panel', 'southampton', '--from', '2027-05-01', '--to', '2027-06-01', '--json');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const meetings = JSON.parse(r.stdout) as Array<{ id: string }>;
    expect(meetings.map((m) => m.id)).toEqual(['southampton.2027-05-03']);
  });

  it('does not load the Teams side for `schedule`: restify would warn even where warnings are traced, not hidden', async () => {
    expect(await traced(env, 'schedule', '--panel', 'southampton', '--json')).toMatchObject({ code: 0, stderr: '' });
    expect((await traced(env, 'tick', '--now', '2026-11-22T12:00:00Z')).stderr).toMatch(/DEP0111/);
  });

  it('says no deprecation warning when a command loads the Teams side (tick loads botbuilder and restify)', async () => {
    const r = await bin(env, 'tick', '--now', '2026-11-22T12:00:00Z');
    expect(r.stdout).toMatch(/^tick 2026-11-22T12:00:00\.000Z: ran /);
    expect(r.stdout + r.stderr).not.toMatch(WARNING);
  });

  it('refuses with a message on stderr alone, and exit statuses 1 and 2', async () => {
    const refused = await bin(env, 'schedule', '--panel', 'nowhere', '--json');
    expect(refused).toEqual({ code: 1, stdout: '', stderr: 'panel-bot: unknown panel "nowhere"\n' });
    const usage = await bin(env, 'schedule', '--frm', '2027');
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toMatch(/^panel-bot: Unknown option '--frm'/);
    expect(usage.stderr).not.toMatch(WARNING);
  });

  it('runs the same way whichever build it picks, and refuses a PANEL_BOT_RUN it does not know', async () => {
    // Without PANEL_BOT_RUN (empty counts as unset) it runs dist/ when that is built and no source is newer, else the TypeScript.
    const r = await bin({ ...env, PANEL_BOT_RUN: '' }, 'schedule', '--panel', 'southampton', '--from', '2027-05-01', '--to', '2027-06-01', '--json');
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(r.stdout)).toHaveLength(1);
    expect(await bin({ ...env, PANEL_BOT_RUN: 'fast' }, '--help')).toEqual({ code: 2, stdout: '', stderr: 'panel-bot: PANEL_BOT_RUN is "fast"; it takes "source" or "dist"\n' });
  });
});
