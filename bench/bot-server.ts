// The bot as the load bench runs it, in a child process of its own (bench/ipc.ts): the composition root `npm start`
// uses (bot/compose.ts), with the bench's fixed clock and per-person limits lifted (its dozen people press far faster
// than anyone; those limits are tested elsewhere). The parent asks it to link the forces' channels and post the due
// cards, and, after the run, what its outbox holds; and, whenever asked, how many statements it has sent its database.
import Database from 'better-sqlite3';
import pg from 'pg';
import { startBot } from '../bot/compose.js';
import { loadConfig } from '../bot/config.js';
import { silentLog } from '../scheduler/log.js';
import { childArg, serveParent } from './ipc.js';
import type { PostedCard } from './load-shared.js';

// Every statement this process sends to its database, counted where each driver sends it: PostgreSQL's client query
// (prepared or not) and a better-sqlite3 statement's run, get, all or iterate.
let statements = 0;
const pgQuery = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statements += 1;
  return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
} as typeof pgQuery;
const probe = new Database(':memory:');
const statementClass = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
probe.close();
for (const method of ['run', 'get', 'all', 'iterate']) {
  const original = statementClass[method]!;
  statementClass[method] = function (this: unknown, ...args: unknown[]) {
    statements += 1;
    return original.apply(this, args);
  };
}

const { env, now, rateLimits } = childArg<{ env: Record<string, string>; now: string; rateLimits: { actions: { burst: number; perMinute: number } } }>();
const bot = await startBot(loadConfig(env), silentLog, () => now, { rateLimits });
// The start-up pass, before anything is linked: the one `link` runs is then the one that posts the cards.
await bot.pass();

/** Links each force's Teams channel at the connector, runs a pass (which posts the due cards) and lists what it posted. */
async function link({ connectorUrl, forceIds }: { connectorUrl: string; forceIds: string[] }): Promise<PostedCard[]> {
  for (const f of forceIds) {
    const id = `19:${f}@thread.tacv2`;
    await bot.store.teams.saveConversation({ id, tenantId: 'tenant-a', serviceUrl: connectorUrl, kind: 'channel', teamId: 't', userAadObjectId: null, botId: '28:bot-id' }, now);
    await bot.store.teams.link('force', f, id, 'system', now);
  }
  await bot.pass();
  const sent = (await bot.store.outbox.list({ status: 'sent' })).filter((m) => m.kind === 'card');
  const cards: PostedCard[] = [];
  for (const m of sent) {
    const meeting = await bot.store.meetings.get(m.meetingId);
    if (meeting?.status === 'scheduled') cards.push({ meetingId: m.meetingId, forceId: m.forceId, meetingVersion: meeting.version });
  }
  return cards;
}

/** The outbox's messages by kind and status ("card-update sent" -> n). */
async function outbox(): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const m of await bot.store.outbox.list()) counts[`${m.kind} ${m.status}`] = (counts[`${m.kind} ${m.status}`] ?? 0) + 1;
  return counts;
}

serveParent({ url: bot.url }, { link, outbox, statements: async () => statements, stop: () => bot.stop() });
