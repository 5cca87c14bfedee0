import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import type { FakeConnector } from './support/fake-connector.js';
import { dumpStore } from './support/store-dump.js';
import { freshStore, TEST_AUDIT_KEY, TEST_DATABASE_URL, type TestStore } from './support/stores.js';
import { startTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { botAddedToTeam, cardAction, channelMessage, GARETH, NADIA } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { GUARD_MS, until } from './support/wait.js';

const SOUTHAMPTON_MAY = 'southampton.2027-05-03';
const CARD_DAY = '2027-04-19T08:00:00.000Z'; // 10 working days before the meeting: its card is posted

/**
 * The database going away mid-run, without restarting the shared PostgreSQL: the bot reaches it through a TCP
 * proxy that is cut (every connection reset, new ones closed at once) and then restored.
 */
describe('the database restarting under a running bot (PostgreSQL through a cuttable proxy)', () => {
  let t: TestStore;
  let proxy: TcpProxy;
  let connector: FakeConnector;
  let bot: RunningBot;
  let stop: TestBot['stop'] | undefined;
  let now = '2027-04-01T08:00:00.000Z';

  /**
   * A request that must be answered, not hang: a hang fails the test on the abort, naming the request, rather than at
   * vitest's timeout. The abort is a guard, far beyond any answer's time even on a loaded machine, not a measure.
   */
  const request = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${bot.url}${path}`, { ...init, signal: AbortSignal.timeout(GUARD_MS) }).catch((err: unknown) => {
      throw new Error(`${init.method ?? 'GET'} ${path} was not answered: ${String(err)}`);
    });
    const text = await res.text();
    let body: any = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body, text };
  };
  const post = (activity: object) => request('/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
  const health = async () => (await request('/healthz')).status;
  const cardFor = (meetingId: string) => connector.cards().filter((c) => JSON.stringify(c.card).includes(meetingId));
  const nominateData = (card: any) => {
    const action = card.body.find((e: any) => e.type === 'ActionSet').actions[0];
    return { ...action.data, attendee: NADIA.aadObjectId, role: 'Detective Inspector', decisionMaker: 'true' };
  };

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    // A schema of its own, migrated directly; startBot then reaches it only through the proxy.
    t = await freshStore('postgres');
    const target = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy(target.hostname, Number(target.port || 5432));
    const url = new URL(TEST_DATABASE_URL);
    url.host = `${proxy.host}:${proxy.port}`;
    // startBot takes no schema: pg reads libpq's `options` from the URL, so the pool's sessions start in ours.
    url.search = `?options=${encodeURIComponent(`-c search_path=${t.options.kind === 'postgres' ? t.options.schema : ''}`)}`;
    ({ bot, connector, stop } = await startTestBot({ now: () => now, env: { DATABASE_URL: url.toString(), AUDIT_KEY: TEST_AUDIT_KEY.secret } }));
  });
  afterEach(async () => {
    proxy.restore();
    await stop?.();
    await proxy.close();
    await t.dispose();
  });

  it('answers cleanly while it is down, recovers without a restart, and leaves nothing half-written', async () => {
    // Healthy, linked, and a card posted whose nominate button a lead can press.
    expect(await health()).toBe(200);
    await post(botAddedToTeam(connector.url, GARETH));
    await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await until(() => connector.posts().some((p) => /Linked/.test(p.body.text ?? '')), 'the link reply');
    now = CARD_DAY;
    await bot.pass();
    const posted = cardFor(SOUTHAMPTON_MAY)[0]!.card;
    const editable = (await post(cardAction(connector.url, GARETH, posted.refresh.action.verb, posted.refresh.action.data))).body.value;
    const data = nominateData(editable);
    // The bot is really using the proxy's sessions, in the test's schema.
    expect(await bot.store.teams.linkedConversation('force', 'hampshire')).not.toBeNull();
    const before = await dumpStore(t.options);

    proxy.cut();
    // Answered, not hung (see request): /healthz has its own limit on the database's answer.
    expect(await health()).toBe(503);
    const message = await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    const invoke = await post(cardAction(connector.url, GARETH, 'nominate', data));
    // A message is acknowledged (200) after the user is sent an apology; a card press is answered 503.
    expect(message.status).toBe(200);
    await until(() => connector.posts().some((p) => /something went wrong on my side/.test(p.body.text ?? '')), 'the apology');
    expect(invoke.status).toBe(503);
    for (const r of [message, invoke]) {
      expect(r.text).not.toMatch(/\bat .*\.(ts|js):\d+|stack|ECONNRESET|Connection terminated/i);
    }
    // Still serving while down.
    expect(await health()).toBe(503);

    proxy.restore();
    await until(async () => (await health()) === 200, '/healthz to recover');
    const after = await dumpStore(t.options);
    expect(after).toEqual(before);

    const res = await post(cardAction(connector.url, GARETH, 'nominate', data));
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body.value)).toContain('Named: **Nadia Rahman**, Detective Inspector');
    expect(await t.store.nominations.get(SOUTHAMPTON_MAY, 'hampshire')).toMatchObject({ aadObjectId: NADIA.aadObjectId, version: 1 });
  });
});
