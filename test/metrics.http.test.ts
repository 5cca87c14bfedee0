import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { VERBS } from '../cards/verbs.js';
import { until } from './support/wait.js';
import type { FakeConnector } from './support/fake-connector.js';
import { botAddedToTeam, cardAction, CHANNEL, channelMessage, GARETH, TENANT } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';

// Issue 21: the Prometheus endpoint on its own port. A fan-out with one send throttled (429), a card press, a forged
// verb and feed and report fetches must each be counted, and no label may carry a name, an id, a token or a tenant.

const CARD_DAY = '2027-04-19T08:00:00.000Z'; // Hampshire's cards for early May are due
const FEED_TOKEN = 'not-a-real-token-0123456789abcdef';

/** One sample of the Prometheus text format: `name{a="x",b="y"} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parse(text: string): Sample[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((line) => {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1]!, l[2]!]));
    return { name: m[1]!, labels, value: Number(m[3]) };
  });
}

describe('the /metrics endpoint, over real HTTP', () => {
  let t: TestBot;
  let bot: RunningBot;
  let connector: FakeConnector;
  let now = '2027-04-01T08:00:00.000Z';

  const scrape = async () => {
    const res = await fetch(bot.metricsUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return parse(await res.text());
  };
  const value = (samples: Sample[], name: string, labels: Record<string, string>) =>
    samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    t = await startTestBot({ now: () => now, env: { METRICS_PORT: '0' } });
    ({ bot, connector } = t);
  });
  afterEach(() => t.stop());

  it('serves the figures on a loopback port of their own, not on the bot\'s', async () => {
    expect(bot.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    expect(new URL(bot.metricsUrl!).port).not.toBe(new URL(bot.url).port);
    expect((await fetch(`${bot.url}/metrics`)).status).toBe(404);
    expect((await fetch(new URL('/api/messages', bot.metricsUrl!))).status).toBe(404);
  });

  it('counts a send, a 429, an invoke by verb, the scheduler\'s jobs and feed fetches, with no personal data in any label', async () => {
    await t.post(botAddedToTeam(connector.url, GARETH));
    await t.post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await until(() => connector.posts().some((p) => /Linked/.test(p.body.text ?? '')), 'the link reply');

    // The first card of the fan-out is throttled; it waits in the outbox for its Retry-After while the others go.
    connector.failNext({ status: 429, headers: { 'Retry-After': '600' } });
    now = CARD_DAY;
    const before = connector.posts().length;
    await bot.pass();
    const sent = connector.posts().length - before;
    const posted = connector.cards()[0]!.card;
    expect((await t.post(cardAction(connector.url, GARETH, posted.refresh.action.verb, posted.refresh.action.data))).status).toBe(200);
    // A forged verb carrying a person's name and id: counted, under a label that carries neither.
    await t.post(cardAction(connector.url, GARETH, `${GARETH.name} ${GARETH.aadObjectId}`, {}));
    expect((await fetch(`${bot.url}/calendar/${FEED_TOKEN}.ics`)).status).toBe(404);
    expect((await fetch(`${bot.url}/reports/${FEED_TOKEN}.pdf`)).status).toBe(404);

    const m = await scrape();
    expect(sent).toBeGreaterThan(0);
    expect(value(m, 'panelbot_outbox_sends_total', { outcome: 'sent' })).toBe(sent);
    expect(value(m, 'panelbot_outbox_sends_total', { kind: 'card', outcome: 'sent' })).toBeGreaterThan(0);
    expect(value(m, 'panelbot_outbox_sends_total', { kind: 'card', outcome: 'throttled' })).toBe(1);
    expect(value(m, 'panelbot_outbox_messages', { kind: 'card', state: 'retrying' })).toBe(1);
    expect(value(m, 'panelbot_invoke_duration_seconds_count', { verb: VERBS.refreshNomination, status: '200' })).toBe(1);
    expect(value(m, 'panelbot_invoke_duration_seconds_count', { verb: 'unknown-verb' })).toBe(1);
    expect(value(m, 'panelbot_scheduler_job_runs_total', { job: 'send-outbox', outcome: 'ok' })).toBeGreaterThanOrEqual(2);
    expect(value(m, 'panelbot_scheduler_job_duration_seconds_count', { job: 'nomination-work' })).toBeGreaterThanOrEqual(2);
    expect(value(m, 'panelbot_http_fetches_total', { route: 'calendar.ics', status: '404' })).toBe(1);
    expect(value(m, 'panelbot_http_fetches_total', { route: 'reports.pdf', status: '404' })).toBe(1);

    // Every label value is a short word from the code's own lists: no name, object id, conversation, tenant, force or token.
    const values = m.flatMap((s) => Object.values(s.labels));
    expect(values.filter((v) => !/^[A-Za-z0-9_.+-]{0,40}$/.test(v))).toEqual([]);
    const text = JSON.stringify(m.map((s) => s.labels));
    for (const secret of [GARETH.name, 'Gareth', GARETH.aadObjectId, CHANNEL, TENANT, 'hampshire', 'southampton', FEED_TOKEN]) expect(text).not.toContain(secret);
  });

  it('counts the retry that follows a throttled send, and a send that fails for good', async () => {
    await t.post(botAddedToTeam(connector.url, GARETH));
    await t.post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await until(() => connector.posts().some((p) => /Linked/.test(p.body.text ?? '')), 'the link reply');
    connector.failNext({ status: 503 }, { status: 403 });
    now = CARD_DAY;
    await bot.pass();
    const m = await scrape();
    expect(value(m, 'panelbot_outbox_sends_total', { kind: 'card', outcome: 'retried' })).toBe(1);
    expect(value(m, 'panelbot_outbox_sends_total', { kind: 'card', outcome: 'failed' })).toBe(1);
    expect(value(m, 'panelbot_outbox_messages', { kind: 'card', state: 'failed' })).toBe(1);
  });
});
