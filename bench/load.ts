// `npm run bench load`: card presses against the bot and against a teams-ai echo on the same server set-up, each in
// a process of its own, with the load client in a third: one bot instance on SQLite, one on PostgreSQL and two on
// one PostgreSQL schema (presses split between them). Every press is aimed at a card the bot has posted, so each
// nomination updates that card, @mentions the nominee and drains the outbox, as a real press does. The echo is
// measured in each configuration's turn, with the same presses, while the bot idles. Prints figures beside the
// targets; never fails on time.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { PanelsConfig } from '../scheduler/domain/types.js';
import { TEST_DATABASE_URL } from '../test/support/stores.js';
import { startConnector, type BenchConnector } from './connector.js';
import { connectorMs } from './fanout.js';
import { startChild, type BenchChild } from './ipc.js';
import type { DriveResult, PostedCard, Target } from './load-shared.js';
import { PHASES, printHeader, printRun, printTargets, type Run } from './load-report.js';
import { commandCpuMs, loadAverage, machineCpuMs, processCpuMs } from './machine.js';
import { syntheticConfig, writePanelsFile } from './synthetic.js';

const NOW = '2027-03-01T08:00:00.000Z';
// 45 forces of four people each and 200 panels; cards are posted 60 working days ahead, so some 650 are pressable
// and each gets two or three nominations in a run, as a real card might (fewer cards would each be pressed far more).
const FORCES = 45;
const PANELS = 200;
const RATE_LIMITS = { actions: { burst: 1e9, perMinute: 1e9 } };

const started = Date.now();
/** A progress line on stderr (the report is stdout's), with the seconds since the bench started. */
const progress = (what: string) => process.stderr.write(`  [load ${((Date.now() - started) / 1000).toFixed(0)} s] ${what}\n`);

/** One configuration's databases and where its bot processes find them. */
interface Setup {
  name: string;
  instances: number;
  databaseUrl: string;
  dispose(): Promise<void>;
}

const env = (dir: string, panelsFile: string, databaseUrl: string) => ({
  PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, PANELS_CONFIG: panelsFile, DATABASE_URL: databaseUrl, AUDIT_KEY: 'bench-audit-key-bench-audit-key-0123',
  LOG_LEVEL: 'silent', SCHEDULER_TICK_SECONDS: '3600', MicrosoftAppId: '',
  NOMINATION_LEAD_WORKING_DAYS: '60', NOMINATION_REMINDER_WORKING_DAYS: '0', NOMINATION_ESCALATION_WORKING_DAYS: '0',
});

/** A fresh PostgreSQL schema of the test database, dropped afterwards. */
async function postgresSetup(name: string, instances: number): Promise<Setup> {
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    name,
    instances,
    databaseUrl: url.toString(),
    dispose: async () => {
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    },
  };
}

/** The cards posted, as presses aim at them: each force's people may press and be named. */
function targetsOf(cards: PostedCard[], cfg: PanelsConfig): Target[] {
  const forces = new Map(cfg.forces.map((f) => [f.id, f]));
  return cards.map((c) => {
    const f = forces.get(c.forceId)!;
    const picks = [...f.preventLeads, ...f.deputies];
    return { ...c, nominationVersion: 0, editors: [...picks, ...cfg.nationalLeads], picks };
  });
}

/**
 * The bots' statements sent so far, the messages the connector has taken from them and the sends it refused (429:
 * all, and those for a conversation's own limit rather than the tenant's), and CPU ms used so far by the bot
 * processes, by PostgreSQL's server processes (0 on SQLite, whose work is the bot's) and by the whole machine (busy of
 * total, over its cores); the CPU figures are NaN where /proc is not there to read.
 */
type Counts = { statements: number; deliveries: number; throttled: number; byConversation: number; botCpu: number; dbCpu: number; busy: number; total: number };
const NO_COUNTS: Counts = { statements: 0, deliveries: 0, throttled: 0, byConversation: 0, botCpu: NaN, dbCpu: NaN, busy: NaN, total: NaN };

/** The machine's busy and total CPU ms so far (NaN without /proc). */
function machineCounts(): Pick<Counts, 'busy' | 'total'> {
  const machine = machineCpuMs();
  return { busy: machine?.busy ?? NaN, total: machine?.total ?? NaN };
}

/**
 * Warm-up (unmeasured), one press at a time, then many in flight: against `urls`, one after another. `count` is read
 * before and after each measured phase.
 */
async function phases(client: BenchChild, urls: string[], count: () => Promise<Counts>): Promise<Record<'alone' | 'loaded', DriveResult & Counts>> {
  await client.call('drive', { urls, ...PHASES.warmUp });
  const measured = async (phase: typeof PHASES.alone | typeof PHASES.loaded) => {
    const before = await count();
    const r = await client.call<DriveResult>('drive', { urls, ...phase });
    const after = await count();
    const change = Object.fromEntries(Object.keys(NO_COUNTS).map((k) => [k, after[k as keyof Counts] - before[k as keyof Counts]])) as Counts;
    return { ...r, ...change };
  };
  const alone = await measured(PHASES.alone);
  const loaded = await measured(PHASES.loaded);
  return { alone, loaded };
}

/** One configuration: its bots started, the cards posted, the echo measured, then the bots, then the outbox read. */
async function runOne(setup: Setup, cfg: PanelsConfig, panelsFile: string, connector: BenchConnector, echo: BenchChild, client: BenchChild): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'panel-bot-load-'));
  const bots: BenchChild[] = [];
  try {
    // One after another: the first makes the schema's tables, the second finds them made.
    for (let i = 0; i < setup.instances; i++) bots.push(await startChild('./bot-server.ts', { env: env(dir, panelsFile, setup.databaseUrl), now: NOW, rateLimits: RATE_LIMITS }));
    const cards = await bots[0]!.call<PostedCard[]>('link', { connectorUrl: connector.url, forceIds: cfg.forces.map((f) => f.id) });
    await client.call('targets', { targets: targetsOf(cards, cfg), serviceUrl: connector.url });
    progress(`${setup.name}: ${bots.length} bot process(es) started, ${cards.length} cards posted; pressing the echo`);
    const before = loadAverage();
    const echoCounts = async (): Promise<Counts> => ({ ...NO_COUNTS, ...machineCounts(), botCpu: processCpuMs(echo.pid) ?? NaN, dbCpu: 0 });
    const echoed = await phases(client, [(echo.ready as { url: string }).url], echoCounts);
    progress(`${setup.name}: pressing the bot`);
    const counts = async (): Promise<Counts> => {
      const { posts, puts, throttled, throttledByConversation } = connector.stats();
      const statements = (await Promise.all(bots.map((b) => b.call<number>('statements')))).reduce((a, n) => a + n, 0);
      const [botCpu, dbCpu] = [bots.map((b) => processCpuMs(b.pid) ?? NaN).reduce((a, n) => a + n, 0), setup.databaseUrl ? (commandCpuMs('postgres') ?? NaN) : 0];
      return { statements, deliveries: posts + puts, throttled, byConversation: throttledByConversation, botCpu, dbCpu, ...machineCounts() };
    };
    const bot = await phases(client, bots.map((b) => (b.ready as { url: string }).url), counts);
    progress(`${setup.name}: measured; stopping`);
    const outbox = await bots[0]!.call<Record<string, number>>('outbox');
    return { name: setup.name, cards: cards.length, loadAverage: `at start ${before}; at end ${loadAverage()}`, echo: echoed, bot, outbox };
  } finally {
    for (const b of bots) await b.end();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the three configurations in turn and prints one report. */
export async function loadBench(): Promise<void> {
  const cfg = syntheticConfig(FORCES, PANELS, { leads: 2, deputies: 2 });
  const dir = mkdtempSync(join(tmpdir(), 'panel-bot-load-cfg-'));
  const panelsFile = writePanelsFile(dir, cfg);
  const connector = await startConnector(connectorMs());
  const children: BenchChild[] = [];
  const runs: Run[] = [];
  try {
    const echo = await startChild('./echo-server.ts', { env: env(dir, panelsFile, ''), rateLimits: RATE_LIMITS });
    children.push(echo);
    const client = await startChild('./load-client.ts', {});
    children.push(client);
    printHeader({ forces: FORCES, panels: PANELS, connectorMs: connectorMs() });
    const sqliteSetup: Setup = { name: '1 instance, SQLite', instances: 1, databaseUrl: '', dispose: async () => undefined };
    const postgres = [() => postgresSetup('1 instance, PostgreSQL', 1), () => postgresSetup('2 instances, PostgreSQL', 2)];
    // `--postgres-only` skips SQLite: the two PostgreSQL configurations are what the scaling target compares.
    for (const make of process.argv.includes('--postgres-only') ? postgres : [async () => sqliteSetup, ...postgres]) {
      const setup = await make();
      try {
        runs.push(await runOne(setup, cfg, panelsFile, connector, echo, client));
        printRun(runs.at(-1)!);
      } finally {
        await setup.dispose();
      }
    }
    printTargets(runs);
  } finally {
    for (const c of children) await c.end();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
