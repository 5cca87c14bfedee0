// The recommendation 7 review over a synthetic national history: 400 panels x 10 years (48,000 meetings), or with
// BENCH_REVIEW_PANELS=1600 ten years of 1,600 panels (190,000 meetings, issue 22's second size).
import { performance } from 'node:perf_hooks';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { loadReview, OPERATOR } from '../scheduler/review/review-query.js';
import { freshStore, TEST_DATABASE_URL, type StoreKind, type TestStore } from '../test/support/stores.js';
import { syntheticConfig } from './synthetic.js';

export const NOW = '2026-11-22T12:00:00.000Z';
const YEARS = 10;
const PANELS = Number(process.env.BENCH_REVIEW_PANELS ?? 400);
const FORCES = 45;
const REASONS = ['no cases to discuss', 'not quorate', 'rescheduled', 'other'];

const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const guid = (n: number) => `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;

/**
 * SQL inserts for one panel's monthly history, the last `years` of the decade to NOW: meetings, cancellations,
 * nominations and attendance. A shorter history is the decade's end, meeting for meeting.
 */
function panelHistory(p: number, forces: string[], years: number): Record<'meetings' | 'cancellations' | 'nominations' | 'attendance', string[]> {
  const out = { meetings: [] as string[], cancellations: [] as string[], nominations: [] as string[], attendance: [] as string[] };
  for (let m = (YEARS - years) * 12; m < YEARS * 12; m++) {
    const start = new Date(Date.UTC(2016, 11 + m, 1 + ((p + m) % 27), 10));
    if (start.toISOString() >= NOW) continue;
    const id = `panel-${p}.${start.toISOString().slice(0, 10)}`;
    const [s, e] = [start.toISOString(), new Date(start.getTime() + 7_200_000).toISOString()];
    const roll = (p * 31 + m * 17) % 20;
    const status = roll < 2 ? 'cancelled' : roll === 2 ? 'not-held' : 'held';
    out.meetings.push(`(${q(id)},${q(`panel-${p}`)},${q(s.slice(0, 10))},${q(s)},${q(e)},${q(status)},null,null,${roll === 3 ? 1 : 0},1,1,${q(s)},${q(s)})`);
    if (status === 'cancelled') out.cancellations.push(`(${q(id)},${q(REASONS[m % 4]!)},'synthetic','system',${q(s)})`);
    for (const f of forces) {
      const person = guid(100_000 + p * 10 + ((m >> 2) % 3));
      const named = new Date(start.getTime() - (3 + (m % 12)) * 86_400_000).toISOString();
      out.nominations.push(`(${q(id)},${q(f)},${q(person)},'Officer ${p}','DI',${roll === 4 ? 0 : 1},'system',${q(named)},1,${q(s)})`);
      if (status === 'held' && roll !== 5) {
        const attendees = roll === 6 ? [] : [{ aadObjectId: person, tenantId: null, name: `Officer ${p}`, roleCategory: 'prevent-officer', role: 'DI', unit: 'local', mode: 'in-person', decisionMaker: roll === 7 ? 'no' : 'yes', substitute: false }];
        out.attendance.push(`(${q(id)},${q(f)},${q(roll === 6 ? 'absent' : 'attended')},${q(JSON.stringify(attendees))},'chair','not-needed',null,null,'system',${q(e)},1)`);
      }
    }
  }
  return out;
}

const COLUMNS = {
  meetings: 'id, panel_id, occurrence, start_utc, end_utc, status, moved_from, moved_reason, extra, version, locked, created_at, updated_at',
  cancellations: 'meeting_id, reason, note, cancelled_by, cancelled_at',
  // The meeting's start given, as the bot's writes give it (a trigger would otherwise fill it row by row).
  nominations: 'meeting_id, force_id, aad_object_id, name, role, decision_maker, nominated_by, nominated_at, version, meeting_start_utc',
  attendance: 'meeting_id, force_id, outcome, attendees_json, source, force_confirmation, confirmed_by, confirmed_at, recorded_by, recorded_at, version',
};

/** The directory through the store, the history in bulk SQL (thousands of rows per statement): the decade, or its last `years`. */
export async function seed(t: TestStore, years = YEARS): Promise<number> {
  const config = syntheticConfig(FORCES, PANELS);
  for (const f of config.forces) await t.store.directory.saveForce({ ...f, retired: false }, NOW);
  for (const p of config.panels) await t.store.directory.savePanel({ ...p, retired: false }, NOW);
  await t.store.directory.setNationalLeads(config.nationalLeads);
  const all = { meetings: [] as string[], cancellations: [] as string[], nominations: [] as string[], attendance: [] as string[] };
  config.panels.forEach((p, i) => {
    const h = panelHistory(i, p.forces, years);
    for (const k of Object.keys(all) as Array<keyof typeof all>) all[k].push(...h[k]);
  });
  for (const k of Object.keys(all) as Array<keyof typeof all>) {
    for (let i = 0; i < all[k].length; i += 2000) await t.raw(`insert into ${k} (${COLUMNS[k]}) values ${all[k].slice(i, i + 2000).join(',')}`);
  }
  await t.raw('analyze');
  return all.meetings.length;
}

/** A bare count over the same rows, straight through the driver, for scale. */
async function counter(t: TestStore): Promise<{ count: (from: string, force?: string) => Promise<number>; close: () => Promise<void> }> {
  const sqlText = (force: boolean) =>
    `select count(*) as n from meetings where start_utc >= $1 and start_utc < $2${force ? ' and panel_id in (select panel_id from panel_forces where force_id = $3)' : ''}`;
  if (t.options.kind === 'sqlite') {
    const db = new SQLite(t.options.file, { readonly: true });
    const stmt = (force: boolean) => db.prepare(sqlText(force).replace(/\$\d/g, '?'));
    const [all, one] = [stmt(false), stmt(true)];
    const count = async (from: string, force?: string) => Number(((force ? one.get(from, NOW, force) : all.get(from, NOW)) as { n: number }).n);
    return { count, close: async () => void db.close() };
  }
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${(t.options as { schema: string }).schema}` });
  await client.connect();
  const count = async (from: string, force?: string) => Number((await client.query(sqlText(!!force), force ? [from, NOW, force] : [from, NOW])).rows[0].n);
  return { count, close: () => client.end() };
}

export async function median(runs: number, fn: () => Promise<unknown>): Promise<number> {
  return (await medians(runs, fn)).wall;
}

/** Wall and CPU time in ms. */
export type Timing = { wall: number; cpu: number };

/**
 * Median wall time and median CPU time of this process, in ms. On a shared, busy machine the CPU time is the steadier
 * figure to compare before and after; on SQLite it is all the review's work, on PostgreSQL the server's is not in it.
 */
export async function medians(runs: number, fn: () => Promise<unknown>, warm = true): Promise<Timing> {
  if (warm) await fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [t0, c0] = [performance.now(), process.cpuUsage()];
    await fn();
    const c = process.cpuUsage(c0);
    wall.push(performance.now() - t0);
    cpu.push((c.user + c.system) / 1000);
  }
  const mid = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
  return { wall: mid(wall), cpu: mid(cpu) };
}

/**
 * Medians of `runs` timed calls of each of two functions, taken in turn so both see the same load, and each first
 * every other round (a, b, b, a, ...) so neither always follows the other's garbage.
 */
async function alternating(runs: number, a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[Timing, Timing]> {
  await a();
  await b();
  const [ta, tb] = [[] as Timing[], [] as Timing[]];
  for (let i = 0; i < runs; i++) {
    const pair: Array<[() => Promise<unknown>, Timing[]]> = i % 2 ? [[b, tb], [a, ta]] : [[a, ta], [b, tb]];
    for (const [fn, into] of pair) into.push(await medians(1, fn, false));
  }
  const mid = (xs: Timing[], k: keyof Timing) => xs.map((x) => x[k]).sort((x, y) => x - y)[Math.floor(runs / 2)]!;
  return [{ wall: mid(ta, 'wall'), cpu: mid(ta, 'cpu') }, { wall: mid(tb, 'wall'), cpu: mid(tb, 'cpu') }];
}

async function reviewBenchOn(kind: StoreKind): Promise<void> {
  const t = await freshStore(kind);
  // The decade's last 3 years alone: the review reads its period and the periods it compares with (two years) by the
  // start's index, so history before them should cost nothing (issue 22 item 4).
  let short: TestStore | null = null;
  try {
    short = await freshStore(kind);
    const meetings = await seed(t);
    const shortMeetings = await seed(short, 3);
    const c = await counter(t);
    const yearAgo = new Date(Date.parse(NOW) - 365 * 86_400_000).toISOString();
    const reviewOf = (store: TestStore, req: object) => async () => {
      const r = await loadReview(store.store, OPERATOR, req, NOW);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.review;
    };
    const review = (req: object) => reviewOf(t, req);
    if (JSON.stringify(await review({})()) !== JSON.stringify(await reviewOf(short, {})())) {
      throw new Error("the last 12 months reviewed on the decade's last 3 years differ from the same months on the whole decade");
    }
    const [national, recent] = await alternating(7, review({}), reviewOf(short, {}));
    const force = await medians(5, review({ forceId: 'force-3' }));
    const decade = await medians(3, review({ from: '2016-01-01T00:00:00.000Z' }));
    const card = await cardReads(t);
    const [count12, countForce, count10y] = [await median(5, () => c.count(yearAgo)), await median(5, () => c.count(yearAgo, 'force-3')), await median(5, () => c.count('2016-01-01T00:00:00.000Z'))];
    await c.close();
    const line = (name: string, { wall, cpu }: Timing, base: number, target: string) =>
      `  ${name.padEnd(34)} ${wall.toFixed(1).padStart(7)} ms, CPU ${cpu.toFixed(1).padStart(7)} ms  (${(wall / base).toFixed(0).padStart(4)}x a bare count(*) of ${base.toFixed(2)} ms)  ${target}`;
    console.log(`${kind}: ${meetings} meetings`);
    console.log(line('national review, last 12 months', national, count12, `target < ${meetings > 100_000 ? 250 : 150} ms (issue 22; median of 7)`));
    console.log(`  the same review on a store of only the decade's last 3 years (${shortMeetings} meetings), in turn with it: ${recent.wall.toFixed(1)} ms, CPU ${recent.cpu.toFixed(1)} ms; the decade's ${(national.wall / recent.wall).toFixed(2)}x that (CPU ${(national.cpu / recent.cpu).toFixed(2)}x)  (item 4: history before the compared periods)`);
    console.log(line("one force's review, last 12 months", force, countForce, 'target < 20 ms (issue 22)'));
    console.log(line('national review, all 10 years', decade, count10y, '(no target)'));
    console.log(`  a nomination card's read (its force's recent nominees over the decade), median of ${card.reads}: ${card.card.toFixed(2)} ms, ${(card.card / card.get).toFixed(1)}x reading the meeting alone by id (${card.get.toFixed(2)} ms)  (no target)`);
  } finally {
    await short?.dispose();
    await t.dispose();
  }
}

/**
 * A nomination card's one read at each of 100 panels' latest meetings, for the panel's first force, against reading
 * the meeting alone by its key: the card's recent-nominees list is what grows with history (migration 015).
 */
async function cardReads(t: TestStore): Promise<{ reads: number; card: number; get: number }> {
  const config = syntheticConfig(FORCES, PANELS);
  const targets: Array<[string, string]> = [];
  for (let p = 0; p < PANELS; p += Math.max(1, Math.floor(PANELS / 100))) {
    const [last] = await t.store.review.historyPage({ panelIds: [`panel-${p}`], from: null, to: NOW, cursor: null, direction: 'older', limit: 1 });
    targets.push([last!.id, config.panels[p]!.forces[0]!]);
  }
  const each = async (fn: (meetingId: string, forceId: string) => Promise<unknown>) => {
    const times: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (const [meetingId, forceId] of targets) {
        const t0 = performance.now();
        if (!(await fn(meetingId, forceId))) throw new Error(`nothing read for ${meetingId}`);
        times.push(performance.now() - t0);
      }
    }
    return times.sort((a, b) => a - b)[times.length >> 1]!;
  };
  const get = await each((id) => t.store.meetings.get(id));
  const card = await each(async (id, forceId) => (await t.store.cards.read(id, forceId, 6))?.recentPeople.length);
  return { reads: targets.length * 3, card, get };
}

/** Prints the review's timings on SQLite and PostgreSQL. */
export async function reviewBench(): Promise<void> {
  console.log(`review: ${PANELS} panels x ${YEARS} years, ${FORCES} forces, medians of 5 unless said`);
  await reviewBenchOn('sqlite');
  await reviewBenchOn('postgres');
}
