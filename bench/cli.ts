// `npm run bench cli`: how long `panel-bot schedule --json` takes from start to exit, beside `node -e 0` on the same
// machine: through tsx (the TypeScript, compiled as it loads) and from dist/ (`npm run build`) when that is built.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

const ROOT = new URL('../', import.meta.url).pathname;
const RUNS = 7;
const TARGET_MS = 1500;
const SCHEDULE = ['bin/panel-bot.mjs', 'schedule', '--json'];

const exec = promisify(execFile);

interface Variant {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** Milliseconds from spawning `node ...args` to its exit. */
async function timed(v: Variant): Promise<number> {
  const t0 = performance.now();
  await exec(process.execPath, v.args, { cwd: ROOT, env: v.env, maxBuffer: 64 * 1024 * 1024 });
  return performance.now() - t0;
}

/** Each variant's median of RUNS, after one unmeasured run each (disk and tsx caches); rounds interleave them, so a busy spell hits all alike. */
async function medians(variants: Variant[]): Promise<number[]> {
  for (const v of variants) await timed(v);
  const runs: number[][] = variants.map(() => []);
  for (let i = 0; i < RUNS; i++) for (const [n, v] of variants.entries()) runs[n]!.push(await timed(v));
  return runs.map((r) => r.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!);
}

/** Prints the medians side by side with the target; never fails on time. */
export async function cliBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'panel-bot-bench-cli-'));
  // Local mode on SQLite, whatever the shell says: the figure is the command's own cost, not a database's.
  const env = { ...process.env, DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml', DATABASE_URL: '', MicrosoftAppId: '' };
  const built = existsSync(join(ROOT, 'dist/bot/cli/cli.js'));
  try {
    await exec(process.execPath, ['bin/panel-bot.mjs', 'sync'], { cwd: ROOT, env });
    const { stdout } = await exec(process.execPath, SCHEDULE, { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 });
    const variants: Variant[] = [
      { name: 'node -e 0', args: ['-e', '0'], env },
      { name: 'panel-bot through tsx', args: SCHEDULE, env: { ...env, PANEL_BOT_RUN: 'source' } },
      ...(built ? [{ name: 'panel-bot from dist/', args: SCHEDULE, env: { ...env, PANEL_BOT_RUN: 'dist' } }] : []),
    ];
    const ms = await medians(variants);
    console.log(`cli: \`panel-bot schedule --json\` (${(JSON.parse(stdout) as unknown[]).length} meetings, sample config, SQLite), start to exit, median of ${RUNS} (target < ${TARGET_MS} ms)`);
    for (const [n, v] of variants.entries()) {
      const verdict = n === 0 ? '' : `  ${(ms[n]! / ms[0]!).toFixed(1)}x node -e 0, ${ms[n]! < TARGET_MS ? 'under' : 'OVER'} target`;
      console.log(`${v.name.padEnd(24)} ${ms[n]!.toFixed(0).padStart(5)} ms${verdict}`);
    }
    if (!built) console.log('dist/ is not built: `npm run build` compiles it, and `panel-bot` runs it until a source changes');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
