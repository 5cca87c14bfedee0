// The load bench's phases and its printed report: p50, p90, p99 and throughput for the echo and the bot in each
// configuration, their ratios, and the issue's targets marked met or missed.
import { VERBS } from '../cards/verbs.js';
import { pct, type DriveResult, type Sample } from './load-shared.js';

/** Presses per phase and how many are outstanding at once. */
export const PHASES = {
  warmUp: { count: 150, inFlight: 8 },
  alone: { count: 500, inFlight: 1 },
  loaded: { count: 1500, inFlight: 32 },
} as const;

/** The latency target: nominate p50 and p99 within this many times the echo's, one press at a time. */
const LATENCY_TARGET = 3;
/** The scaling target: two PostgreSQL instances' loaded throughput over one's. */
const SCALE_TARGET = 1.6;

/**
 * A bot phase: its presses, the statements, deliveries and the connector's 429s meanwhile, and the CPU ms used meanwhile by the bot
 * processes, PostgreSQL's server processes, and the machine (busy of total, over all its cores).
 */
export type BotPhase = DriveResult & { statements: number; deliveries: number; throttled: number; byConversation: number; botCpu: number; dbCpu: number; busy: number; total: number };

/** One configuration's run: the echo and the bot measured in turn, and what the bot's outbox held afterwards. */
export interface Run {
  name: string;
  cards: number;
  loadAverage: string;
  /** The echo's phases, with the CPU its process used (as `botCpu`). */
  echo: Record<'alone' | 'loaded', BotPhase>;
  /** The bot's phases, each with the statements its processes sent their database meanwhile, and the CPU used. */
  bot: Record<'alone' | 'loaded', BotPhase>;
  outbox: Record<string, number>;
}

const ms = (x: number) => (Number.isNaN(x) ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1)).padStart(7);
const of = (s: Sample[], verb?: string) => s.filter((x) => !verb || x.verb === verb).map((x) => x.ms);
const three = (xs: number[]) => [50, 90, 99].map((p) => ms(pct(xs, p))).join('');
const rate = (r: DriveResult) => r.samples.length / r.seconds;
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');

/** bot / echo for one percentile of one verb's presses in one phase. */
function ratio(run: Run, phase: 'alone' | 'loaded', p: number, verb: string = VERBS.nominate): number {
  return pct(of(run.bot[phase].samples, verb), p) / pct(of(run.echo[phase].samples, verb), p);
}

function phaseRows(run: Run, phase: 'alone' | 'loaded', label: string): string[] {
  const row = (who: string, r: DriveResult) =>
    `    ${label.padEnd(15)} ${who.padEnd(14)} ${rate(r).toFixed(0).padStart(9)} |${three(of(r.samples, VERBS.nominate))} |${three(of(r.samples, VERBS.refreshNomination))} |${three(of(r.samples))}`;
  const ratios = [VERBS.nominate, VERBS.refreshNomination, undefined].map((v) => [50, 90, 99].map((p) => `${(pct(of(run.bot[phase].samples, v), p) / pct(of(run.echo[phase].samples, v), p)).toFixed(1)}x`.padStart(7)).join(''));
  return [
    row('teams-ai echo', run.echo[phase]),
    row('bot', run.bot[phase]),
    `    ${''.padEnd(15)} ${'bot / echo'.padEnd(14)} ${`${(rate(run.bot[phase]) / rate(run.echo[phase])).toFixed(2)}x`.padStart(9)} |${ratios.join(' |')}`,
  ];
}

/** What every nomination should have caused: a card update and a mention each, sent or still queued. */
function outboxLine(run: Run): string {
  const total = (kind: string) => Object.entries(run.outbox).filter(([k]) => k.startsWith(`${kind} `)).reduce((a, [, n]) => a + n, 0);
  const pending = Object.entries(run.outbox).filter(([k]) => k.endsWith(' pending')).reduce((a, [, n]) => a + n, 0);
  const nominations = [run.bot.alone, run.bot.loaded].reduce((a, r) => a + r.recorded, 0);
  const presses = [run.bot.alone, run.bot.loaded].reduce((a, r) => a + of(r.samples, VERBS.nominate).length, 0);
  return `    measured nominate presses ${presses}, answered with the new nomination ${nominations} (plus the warm-up's); outbox after the run: ${total('card-update')} card updates (${run.outbox['card-update sent'] ?? 0} sent), ${total('mention')} @mentions (${run.outbox['mention sent'] ?? 0} sent), ${total('mention-update')} mentions reworded; ${pending} messages still pending`;
}

/** What the bench does, before any figure. */
export function printHeader(about: { forces: number; panels: number; connectorMs: number }): void {
  console.log(`load: adaptiveCard/action presses (2 nominate : 1 refresh) on the bot's posted nomination cards, ${about.forces} forces x ${about.panels} panels, connector round trip ${about.connectorMs} ms`);
  console.log(`  each configuration: ${PHASES.warmUp.count} unmeasured presses, then ${PHASES.alone.count} one at a time, then ${PHASES.loaded.count} with ${PHASES.loaded.inFlight} in flight;`);
  console.log('  the teams-ai echo (own process) takes the same presses first while the bot idles, then the bot (own process); the client is a third process. Latencies in ms.');
}

/** One configuration's table, printed as soon as it is measured. */
export function printRun(run: Run): void {
  console.log(`\n  ${run.name}: ${run.cards} posted cards pressed; ${run.loadAverage}`);
  console.log(`    ${'phase'.padEnd(15)} ${'server'.padEnd(14)} ${'presses/s'.padStart(9)} |  nominate p50 p90 p99  |   refresh p50 p90 p99   |     all p50 p90 p99`);
  console.log([...phaseRows(run, 'alone', 'one at a time'), ...phaseRows(run, 'loaded', `${PHASES.loaded.inFlight} in flight`)].join('\n'));
  console.log(statementsLine(run));
  console.log(cpuLine(run));
  console.log(outboxLine(run));
}

/**
 * The statements the bot's processes sent their database per press in each phase (driver calls: a refresh's, a
 * nomination's, the audit chainer's runs after them), and the outbox deliveries made meanwhile. A nomination queues a
 * card update and a mention at least (a refresh, one press in three, queues nothing); the drain sends them as the
 * connector's pace allows, so a phase's deliveries include earlier presses', and the figure is what the bot did per
 * press in that phase, not one press's cost: compare it between runs of the same phase.
 */
function statementsLine(run: Run): string {
  const per = (r: BotPhase) =>
    `${(r.statements / r.samples.length).toFixed(1)} (${(r.deliveries / r.samples.length).toFixed(2)} messages delivered per press; the connector answered ${r.throttled} sends 429, ${r.byConversation} of them for a conversation's limit)`;
  return `    statements the bot sent its database per press, outbox deliveries made meanwhile included: one at a time ${per(run.bot.alone)}, ${PHASES.loaded.inFlight} in flight ${per(run.bot.loaded)}`;
}

/** CPU ms per press, the bot's and the database server's, and how busy the machine's cores were: "-" without /proc. */
const cpu = (r: BotPhase) => ({ bot: r.botCpu / r.samples.length, db: r.dbCpu / r.samples.length, busy: r.busy / r.total });
const cpuWords = (r: BotPhase) => {
  const c = cpu(r);
  const n = (x: number) => (Number.isNaN(x) ? '-' : x.toFixed(2));
  return `bot ${n(c.bot)} ms + database server ${n(c.db)} ms per press, the machine's cores ${Number.isNaN(c.busy) ? '-' : (100 * c.busy).toFixed(0)}% busy`;
};

/**
 * The CPU each phase cost: on a machine whose cores are all busy, presses per second can only rise if CPU per press
 * falls, so this is what says whether a configuration was held back by CPU or by waiting (a lock, a round trip).
 */
function cpuLine(run: Run): string {
  const echo = (r: BotPhase) => (Number.isNaN(cpu(r).bot) ? '-' : cpu(r).bot.toFixed(2));
  return [
    `    CPU (Linux /proc, all processes of each kind): one at a time ${cpuWords(run.bot.alone)}; ${PHASES.loaded.inFlight} in flight ${cpuWords(run.bot.loaded)}`,
    `    the echo's process, per press: one at a time ${echo(run.echo.alone)} ms, ${PHASES.loaded.inFlight} in flight ${echo(run.echo.loaded)} ms (the Teams stack's own share of the bot's)`,
  ].join('\n');
}

/** The issue's targets beside what the runs measured, each met or missed. */
export function printTargets(runs: Run[]): void {
  console.log(`\n  targets (issue 22)`);
  for (const run of runs) {
    const [p50, p99] = [ratio(run, 'alone', 50), ratio(run, 'alone', 99)];
    const [l50, l99] = [ratio(run, 'loaded', 50), ratio(run, 'loaded', 99)];
    console.log(`    ${run.name.padEnd(24)} nominate one at a time: p50 ${p50.toFixed(2)}x, p99 ${p99.toFixed(2)}x the echo   target <= ${LATENCY_TARGET}x each: ${verdict(p50 <= LATENCY_TARGET && p99 <= LATENCY_TARGET)}   (${PHASES.loaded.inFlight} in flight: p50 ${l50.toFixed(1)}x, p99 ${l99.toFixed(1)}x)`);
  }
  const one = runs.find((r) => r.name === '1 instance, PostgreSQL');
  const two = runs.find((r) => r.name === '2 instances, PostgreSQL');
  if (one && two) {
    const scale = rate(two.bot.loaded) / rate(one.bot.loaded);
    console.log(`    two PostgreSQL instances: ${rate(two.bot.loaded).toFixed(0)} presses/s against one's ${rate(one.bot.loaded).toFixed(0)} = ${scale.toFixed(2)}x   target >= ${SCALE_TARGET}x: ${verdict(scale >= SCALE_TARGET)}`);
    console.log(`      with ${PHASES.loaded.inFlight} in flight, one instance: ${cpuWords(one.bot.loaded)}; two: ${cpuWords(two.bot.loaded)}`);
  }
}
