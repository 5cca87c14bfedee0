// `npm run bench load`: card-action invokes from the sample forces' leads on loopback, against one instance on
// SQLite, two on one PostgreSQL schema, and a bare botbuilder echo, in one run. Prints figures; never fails on time.
import { Agent, request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startBot, type RunningBot } from '../bot/compose.js';
import { loadConfig } from '../bot/config.js';
import { readPanelsFile } from '../bot/panels-file.js';
import { VERBS } from '../cards/verbs.js';
import type { PanelsConfig, Person } from '../scheduler/domain/types.js';
import { silentLog } from '../scheduler/log.js';
import type { Store } from '../scheduler/store/store.js';
import { FakeConnector } from '../test/support/fake-connector.js';
import { freshStore, TEST_DATABASE_URL } from '../test/support/stores.js';
import { cardAction } from '../test/support/teams-activities.js';
import { startEchoServer } from './echo-server.js';

const NOW = '2027-03-01T08:00:00.000Z';
const PANELS = 'config/panels.sample.yaml';
const IN_FLIGHT = 32;
const LOADED = 1500;
const SEQUENTIAL = 500;
const ROLES = ['Prevent lead', 'Detective sergeant', 'Prevent officer', 'Counter-terrorism case officer'];

/** One card a press is aimed at, with the versions the client last saw on it (as a Teams client would). */
interface Target {
  meetingId: string;
  forceId: string;
  meetingVersion: number;
  nominationVersion: number;
  editors: Person[];
  picks: Person[];
  busy: boolean;
}

interface Sample {
  verb: string;
  ms: number;
}

/** Every future meeting's card for each of its forces, pressable by that force's leads and deputies and the national leads. */
async function targetsOf(store: Store, cfg: PanelsConfig): Promise<Target[]> {
  const panels = new Map(cfg.panels.map((p) => [p.id, p]));
  const forces = new Map(cfg.forces.map((f) => [f.id, f]));
  const meetings = (await store.meetings.list({ from: NOW })).filter((m) => m.status === 'scheduled');
  return meetings.flatMap((m) =>
    (panels.get(m.panelId)?.forces ?? []).map((id) => {
      const f = forces.get(id)!;
      const picks = [...f.preventLeads, ...f.deputies];
      return { meetingId: m.id, forceId: id, meetingVersion: m.version, nominationVersion: 0, editors: [...picks, ...cfg.nationalLeads], picks, busy: false };
    }),
  );
}

/** The i-th press: two nominations to every refresh, spread over cards and people, on a card no other press holds. */
function press(targets: Target[], i: number, serviceUrl: string): { verb: string; target: Target; body: string } {
  let k = (i * 7919) % targets.length;
  while (targets[k]!.busy) k = (k + 1) % targets.length;
  const t = targets[k]!;
  const who = t.editors[i % t.editors.length]!;
  const ref = { meetingId: t.meetingId, forceId: t.forceId, meetingVersion: t.meetingVersion, nominationVersion: t.nominationVersion };
  const verb = i % 3 === 2 ? VERBS.refreshNomination : VERBS.nominate;
  const data = verb === VERBS.nominate ? { ...ref, attendee: t.picks[i % t.picks.length]!.aadObjectId, role: ROLES[i % ROLES.length]!, decisionMaker: i % 2 ? 'true' : 'false' } : ref;
  return { verb, target: t, body: JSON.stringify(cardAction(serviceUrl, who, verb, data)) };
}

const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

/** POSTs one activity; resolves with the status and body. node:http rather than fetch: less client work in the measured process. */
function post(url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Sends `count` presses with at most `inFlight` outstanding, alternating between `urls`; the client keeps the
 * versions each answer shows. With `echo`, each press is sent to it right after, under the same conditions.
 */
async function drive(urls: string[], targets: Target[], serviceUrl: string, count: number, inFlight: number, echo?: string): Promise<{ samples: Sample[]; echoed: Sample[]; seconds: number }> {
  const samples: Sample[] = [];
  const echoed: Sample[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { verb, target, body } = press(targets, i, serviceUrl);
      target.busy = true;
      const s = performance.now();
      const res = await post(urls[i % urls.length]!, body).finally(() => (target.busy = false));
      samples.push({ verb, ms: performance.now() - s });
      if (res.status !== 200) throw new Error(`${verb} answered ${res.status}: ${res.text.slice(0, 200)}`);
      const mv = /"meetingVersion":(\d+)/.exec(res.text);
      const nv = /"nominationVersion":(\d+)/.exec(res.text);
      if (mv && nv) Object.assign(target, { meetingVersion: Number(mv[1]), nominationVersion: Number(nv[1]) });
      if (!echo) continue;
      const e = performance.now();
      await post(echo, body);
      echoed.push({ verb, ms: performance.now() - e });
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { samples, echoed, seconds: (performance.now() - t0) / 1000 };
}

interface Figures {
  name: string;
  rate: number;
  loaded: Sample[];
  alone: Sample[];
  /** The echo's answers to the same presses, each sent right after the bot's (none for the echo's own row). */
  echoed: Sample[];
}

/** What every configuration shares: the forces and panels, the fake Bot Connector, the echo server. */
interface Rig {
  cfg: PanelsConfig;
  connector: FakeConnector;
  echoUrl: string;
}

/** Warm-up, then a loaded phase at IN_FLIGHT, then one press at a time (the latency a lone lead sees), each echoed. */
async function measure(name: string, urls: string[], targets: Target[], rig: Rig): Promise<Figures> {
  const serviceUrl = rig.connector.url;
  await drive(urls, targets, serviceUrl, 150, 8);
  const loaded = await drive(urls, targets, serviceUrl, LOADED, IN_FLIGHT);
  const alone = await drive(urls, targets, serviceUrl, SEQUENTIAL, 1, urls.includes(rig.echoUrl) ? undefined : rig.echoUrl);
  return { name, rate: LOADED / loaded.seconds, loaded: loaded.samples, alone: alone.samples, echoed: alone.echoed };
}

/** Each force's Teams channel linked and its due cards posted, so a nomination updates a real card and mentions the attendee. */
async function linkForces(bot: RunningBot, cfg: PanelsConfig, connectorUrl: string): Promise<void> {
  for (const f of cfg.forces) {
    const id = `19:${f.id}@thread.tacv2`;
    await bot.store.teams.saveConversation({ id, tenantId: 'tenant-a', serviceUrl: connectorUrl, kind: 'channel', teamId: 't', userAadObjectId: null, botId: '28:bot-id' }, NOW);
    await bot.store.teams.link('force', f.id, id, 'system', NOW);
  }
  await bot.pass();
}

const env = (dir: string, databaseUrl = '') => ({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dir, PANELS_CONFIG: PANELS, DATABASE_URL: databaseUrl, AUDIT_KEY: 'bench-audit-key-bench-audit-key-0123', LOG_LEVEL: 'silent', SCHEDULER_TICK_SECONDS: '3600', MicrosoftAppId: '' });
// The bench's dozen people press far faster than any person; the per-person limits are tested elsewhere.
const options = { rateLimits: { actions: { burst: 1e9, perMinute: 1e9 } } };

async function sqliteRun(rig: Rig): Promise<[Figures, Target[]]> {
  const dir = mkdtempSync(join(tmpdir(), 'panel-bot-load-'));
  const bot = await startBot(loadConfig(env(dir)), silentLog, () => NOW, options);
  try {
    await linkForces(bot, rig.cfg, rig.connector.url);
    const targets = await targetsOf(bot.store, rig.cfg);
    return [await measure('1 instance, SQLite', [bot.url], targets, rig), targets];
  } finally {
    await bot.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Two servers on one fresh PostgreSQL schema (created and migrated first, as the tests do), presses alternated between them. */
async function postgresRun(rig: Rig): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'panel-bot-load-'));
  const db = await freshStore('postgres');
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${db.options.kind === 'postgres' ? db.options.schema : ''}`);
  const bots: RunningBot[] = [];
  try {
    for (let i = 0; i < 2; i++) bots.push(await startBot(loadConfig(env(dir, url.toString())), silentLog, () => NOW, options));
    await linkForces(bots[0]!, rig.cfg, rig.connector.url);
    return await measure('2 instances, PostgreSQL', bots.map((b) => b.url), await targetsOf(db.store, rig.cfg), rig);
  } finally {
    for (const b of bots) await b.stop();
    await db.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}


const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN;
const ms = (xs: number[], p: number) => (xs.length ? pct(xs, p).toFixed(1) : '-').padStart(6);
const only = (s: Sample[], verb: string) => s.filter((x) => x.verb === verb).map((x) => x.ms);

function print(rows: Figures[]): void {
  console.log(`load: adaptiveCard/action invokes (2 nominate : 1 refresh) from the sample forces' leads and national leads`);
  console.log(`  loaded: ${LOADED} presses, ${IN_FLIGHT} in flight; one at a time: ${SEQUENTIAL} presses. Latencies in ms.`);
  console.log(`  ${'configuration'.padEnd(24)} | req/s  | all p50 | all p99 | nominate p50 | nominate p99 | refresh p99 || 1-at-a-time nominate p50 | p99    | echo p50 | echo p99 | p99 vs echo`);
  for (const r of rows) {
    const seq = only(r.alone, VERBS.nominate);
    const echo = only(r.echoed, VERBS.nominate);
    const ratio = echo.length ? `${(pct(seq, 99) / pct(echo, 99)).toFixed(2)}x` : '-';
    const all = r.loaded.map((x) => x.ms);
    console.log(`  ${r.name.padEnd(24)} | ${r.rate.toFixed(0).padStart(6)} | ${ms(all, 50)}  | ${ms(all, 99)}  | ${ms(only(r.loaded, VERBS.nominate), 50)}       | ${ms(only(r.loaded, VERBS.nominate), 99)}       | ${ms(only(r.loaded, VERBS.refreshNomination), 99)}      || ${ms(seq, 50)}                   | ${ms(seq, 99)} | ${ms(echo, 50)}   | ${ms(echo, 99)}   | ${ratio}`);
  }
  console.log('  one at a time, each press goes to the bot and then, the same body, to the echo; target: nominate p99 under 1.5x the echo (issue 3)');
}

/** Runs the three configurations in turn on this process's loopback and prints one table. */
export async function loadBench(): Promise<void> {
  const file = await readPanelsFile(PANELS);
  if (!file.ok) throw new Error(file.error.message);
  const connector = new FakeConnector();
  await connector.start();
  const echo = await startEchoServer();
  try {
    const rig = { cfg: file.value, connector, echoUrl: echo.url };
    const [sqlite, targets] = await sqliteRun(rig);
    const postgres = await postgresRun(rig);
    // The echo alone, under the same load, with the card data the SQLite run ended on (it reads none of it).
    const alone = await measure('bare botbuilder echo', [echo.url], targets, rig);
    print([sqlite, postgres, alone]);
  } finally {
    await echo.close();
    await connector.stop();
    agent.destroy();
  }
}
