// `npm run bench start`: how long the server takes from spawn to a healthy /healthz, and how much memory it holds
// once idle. `node dist/bot/main.js` (what `npm run start:prod` runs; built first when dist/ is missing) against the
// targets, and `node --import tsx bot/main.ts` (`npm start`) for reference. Each in local mode on SQLite with the
// sample config and a temp DATA_DIR: one unmeasured first start plans the year from empty, then RUNS restarts on the
// same data are timed, each left idle IDLE_MS before its resident memory (VmRSS) is read. The CPU the process used up
// to healthy is printed beside the wall time: on this shared machine it is the steadier figure.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const ROOT = new URL('../', import.meta.url).pathname;
const RUNS = 5;
const IDLE_MS = 5_000;
const GIVE_UP_MS = 60_000;
const TARGET_HEALTHY_MS = 2_000;
const TARGET_RSS_MIB = 150;

interface Variant {
  name: string;
  args: string[];
  /** Whether the targets apply (they are set for the production build). */
  judged: boolean;
}

interface Start {
  healthyMs: number;
  /** CPU the process used (user and system, all its threads) up to healthy: near what healthyMs would be on an idle machine. */
  cpuMs: number;
  rssMiB: number;
}

/** A port nothing listens on now (the kernel's pick, released again). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The process's resident set in MiB, from /proc (Linux only; NaN elsewhere). */
function rssMiB(pid: number): number {
  const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** CPU time the process has used so far, in ms, from /proc/<pid>/stat (utime + stime, at Linux's 100 ticks a second). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** True once GET /healthz answers 200. */
async function isHealthy(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(1_000) })).status === 200;
  } catch {
    return false;
  }
}

/** Spawns the server, polls /healthz until it answers 200, idles, reads VmRSS, and stops it with SIGTERM. */
async function startOnce(v: Variant, dataDir: string): Promise<Start> {
  const port = await freePort();
  const env = {
    ...process.env, NODE_OPTIONS: '', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, PANELS_CONFIG: 'config/panels.sample.yaml',
    MicrosoftAppId: '', DATABASE_URL: '', LOG_LEVEL: 'warn', METRICS_PORT: '', APPLICATIONINSIGHTS_CONNECTION_STRING: '',
  };
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--disable-warning=DEP0111', ...v.args], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    // Polling is the measurement itself (what a load balancer does), not synchronisation.
    while (!(await isHealthy(`http://127.0.0.1:${port}/healthz`))) {
      if (child.exitCode !== null) throw new Error(`${v.name} exited ${child.exitCode} before it was healthy: ${stderr.trim()}`);
      if (performance.now() - t0 > GIVE_UP_MS) throw new Error(`${v.name} not healthy after ${GIVE_UP_MS} ms`);
      await sleep(10);
    }
    const healthyMs = performance.now() - t0;
    const cpu = cpuMs(child.pid!);
    await sleep(IDLE_MS);
    return { healthyMs, cpuMs: cpu, rssMiB: rssMiB(child.pid!) };
  } finally {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** One unmeasured first start (plans from empty), then the median of RUNS restarts. */
async function measure(v: Variant): Promise<Start & { first: Start }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'panel-bot-bench-start-'));
  try {
    const first = await startOnce(v, dataDir);
    const runs: Start[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await startOnce(v, dataDir));
    return { first, healthyMs: median(runs.map((r) => r.healthyMs)), cpuMs: median(runs.map((r) => r.cpuMs)), rssMiB: median(runs.map((r) => r.rssMiB)) };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Builds dist/ when it is missing; false (and why, said) when the build failed. */
function ensureBuilt(): boolean {
  if (existsSync(join(ROOT, 'dist/bot/main.js'))) return true;
  console.log('start: dist/ is not built; running `npm run build` first');
  const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status === 0) return true;
  console.log('start: `npm run build` failed; only the tsx figures follow');
  return false;
}

/** Prints each variant's figures beside the targets; never fails on time. */
export async function startBench(): Promise<void> {
  const variants: Variant[] = [
    ...(ensureBuilt() ? [{ name: 'node dist/bot/main.js', args: ['dist/bot/main.js'], judged: true }] : []),
    { name: 'tsx bot/main.ts', args: ['--import', 'tsx', 'bot/main.ts'], judged: false },
  ];
  console.log(`start: spawn to healthy /healthz, and VmRSS after ${IDLE_MS / 1000} s idle; median of ${RUNS} restarts on one SQLite file (sample config, local mode)`);
  for (const v of variants) {
    const r = await measure(v);
    const verdict = (ok: boolean) => (v.judged ? (ok ? ' met' : ' MISSED') : '');
    console.log(
      `${v.name.padEnd(22)} healthy ${r.healthyMs.toFixed(0).padStart(5)} ms (target < ${TARGET_HEALTHY_MS}${verdict(r.healthyMs < TARGET_HEALTHY_MS)}; CPU to healthy ${r.cpuMs.toFixed(0)} ms)` +
        `   idle RSS ${r.rssMiB.toFixed(0).padStart(4)} MiB (target < ${TARGET_RSS_MIB}${verdict(r.rssMiB < TARGET_RSS_MIB)})` +
        `   first start from empty: healthy ${r.first.healthyMs.toFixed(0)} ms, ${r.first.rssMiB.toFixed(0)} MiB`,
    );
  }
}
