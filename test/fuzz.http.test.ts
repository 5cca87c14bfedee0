import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BotOptions } from '../bot/compose.js';
import { MAX_BODY_BYTES } from '../bot/http.js';
import { VERBS } from '../cards/verbs.js';
import { CANCEL_REASONS } from '../scheduler/domain/types.js';
import { storeOptions } from '../scheduler/store/open-store.js';
import { dumpStore, type StoreDump } from './support/store-dump.js';
import { cardAction, channelMessage, DAWN, GARETH, NADIA, personalMessage, STRANGER, type Speaker } from './support/teams-activities.js';
import { startTestBot } from './support/test-bot.js';

const NOW = '2027-04-01T08:00:00.000Z';
const RUNS = { numRuns: 150 };
const PLENTY = { burst: 1_000_000, perMinute: 1_000_000 };

/** A running bot on a fresh SQLite store, with the helpers every fuzz property needs. */
async function fuzzBot(options: BotOptions) {
  const { bot, connector, dir, stop } = await startTestBot({ now: () => NOW, options });
  // Bad input gets answers that are not JSON: these keep the raw text.
  const send = async (body: string | Uint8Array, contentType: string | null = 'application/json', method = 'POST', path = '/api/messages') => {
    const res = await fetch(`${bot.url}${path}`, { method, headers: contentType ? { 'content-type': contentType } : {}, ...(method === 'GET' ? {} : { body }) });
    const text = await res.text();
    return { status: res.status, text, json: () => JSON.parse(text) };
  };
  const post = (activity: object) => send(JSON.stringify(activity));
  return {
    bot,
    connector,
    send,
    post,
    dump: () => dumpStore(storeOptions(null, dir)),
    healthy: async () => (await fetch(`${bot.url}/healthz`)).status === 200,
    stop,
  };
}

/** A request with a path exactly as given (fetch would normalise it). */
function rawGet(base: string, path: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const isRefusal = (status: number) => status >= 400 && status < 500;

describe('bad input over real HTTP: every request refused clearly, the server keeps serving, the store unchanged', () => {
  let f: Awaited<ReturnType<typeof fuzzBot>>;
  let baseline: StoreDump;
  const people: Speaker[] = [GARETH, DAWN, NADIA, STRANGER];

  beforeAll(async () => {
    f = await fuzzBot({ rateLimits: { commands: PLENTY, actions: PLENTY } });
    // The bot records every conversation and speaker it hears from: hear each once, so later turns change nothing.
    for (const who of people) {
      await f.post(channelMessage(f.connector.url, who, 'help'));
      await f.post(personalMessage(f.connector.url, who, 'help'));
    }
    // Secrets made on first use (the report-link key, created by the first review) are state by design, not bad input's doing.
    await f.post(personalMessage(f.connector.url, GARETH, 'review'));
    await f.bot.pass();
    baseline = await f.dump();
  });
  afterAll(() => f.stop());
  afterEach(async () => {
    expect(await f.healthy()).toBe(true);
    expect(await f.dump()).toEqual(baseline);
  });

  it('refuses arbitrary JSON with 400', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (body) => {
        const r = await f.send(JSON.stringify(body));
        expect(r.status).toBe(400);
        expect(r.json().error).toEqual(expect.any(String));
      }),
      RUNS,
    );
  });

  it('refuses arbitrary strings, truncated activities and wrong content types with a 4xx', async () => {
    const activity = JSON.stringify(channelMessage(f.connector.url, GARETH, 'help'));
    const truncated = fc.integer({ min: 0, max: activity.length - 1 }).map((n) => activity.slice(0, n));
    const type = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream', null);
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), truncated), type, async (body, contentType) => {
        expect(isRefusal((await f.send(body, contentType)).status)).toBe(true);
      }),
      RUNS,
    );
    // A whole, valid activity in any other content type is refused too.
    for (const t of ['text/plain', 'application/x-www-form-urlencoded', 'application/octet-stream', null]) expect(isRefusal((await f.send(activity, t)).status)).toBe(true);
  });

  it(`refuses bodies over ${MAX_BODY_BYTES} bytes with 413, with or without a length, and accepts one just under`, async () => {
    const padded = (n: number) => JSON.stringify({ ...channelMessage(f.connector.url, GARETH, 'help'), padding: 'x'.repeat(n) });
    const under = padded(MAX_BODY_BYTES - 1024);
    expect(Buffer.byteLength(under)).toBeLessThan(MAX_BODY_BYTES);
    expect((await f.send(under)).status).toBe(200);
    expect((await f.send(padded(MAX_BODY_BYTES))).status).toBe(413);
    const chunked = new ReadableStream({
      start(c) {
        for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode('x'.repeat(8192)));
        c.close();
      },
    });
    const res = await fetch(`${f.bot.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunked, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('answers activities of any type or shape, from a real lead, without a server error', async () => {
    const base = channelMessage(f.connector.url, GARETH, 'help');
    const type = fc.oneof(fc.string({ minLength: 1, maxLength: 64 }), fc.constantFrom('message', 'invoke', 'event', 'typing', 'messageReaction', 'endOfConversation'));
    await fc.assert(
      fc.asyncProperty(type, fc.option(fc.string()), fc.option(fc.string()), fc.jsonValue(), async (t, name, text, value) => {
        const r = await f.post({ ...base, type: t, name, text, value });
        // 501 is Bot Framework's answer to an invoke name the bot does not handle.
        expect([200, 400, 501]).toContain(r.status);
      }),
      RUNS,
    );
  });

  it('answers a card action with an unknown verb, or none, with a message saying so', async () => {
    const known = new Set<string>(Object.values(VERBS));
    await fc.assert(
      fc.asyncProperty(fc.option(fc.string().filter((v) => !known.has(v))), fc.jsonValue(), async (verb, data) => {
        const r = await f.post(cardAction(f.connector.url, GARETH, verb as string, data as Record<string, unknown>));
        expect(r.status).toBe(200);
        expect(r.json().value).toMatch(/isn't one I know/);
      }),
      RUNS,
    );
  });

  it('refuses card data naming other forces’ and panels’ meetings, or meetings that do not exist, with a card or message', async () => {
    const meetings = await f.bot.store.meetings.list();
    const panels = await f.bot.store.directory.listPanels();
    const facing = (force: string) => new Set(panels.filter((p) => p.forces.includes(force)).map((p) => p.id));
    // What each person may NOT act on: Gareth leads Hampshire, Dawn chairs Southampton, the stranger holds no role.
    const notMine: Record<string, { meetings: string[]; panels: string[] }> = {
      [GARETH.aadObjectId]: { meetings: meetings.filter((m) => !facing('hampshire').has(m.panelId)).map((m) => m.id), panels: panels.map((p) => p.id) },
      [DAWN.aadObjectId]: { meetings: meetings.filter((m) => m.panelId !== 'southampton').map((m) => m.id), panels: panels.map((p) => p.id).filter((p) => p !== 'southampton') },
      [STRANGER.aadObjectId]: { meetings: meetings.map((m) => m.id), panels: panels.map((p) => p.id) },
    };
    const invented = fc.oneof(fc.string({ maxLength: 300 }), fc.constant('southampton.1999-01-01'), fc.constant('nowhere.2027-05-04'));
    const value = fc.oneof(fc.string(), fc.constantFrom('0', '1', 'true', 'false', NADIA.aadObjectId, 'Detective Inspector', 'no cases to discuss', '2027-05-10', '10:00', 'held', 'not-held', 'attended', 'apologies', 'yes', 'unknown', 'prevent-officer', 'local', 'online', 'confirmed', 'disputed', ...CANCEL_REASONS));
    const field = fc.constantFrom('meetingVersion', 'nominationVersion', 'attendee', 'role', 'decisionMaker', 'reason', 'note', 'newDate', 'newTime', 'extraDate', 'extraTime', 'held', 'notHeldReason', 'agency_health', 'outcome_hampshire', 'person_hampshire_1', 'category_hampshire_1', 'role_hampshire_1', 'unit_hampshire_1', 'mode_hampshire_1', 'decision_hampshire_1', 'outcome_cambs', 'recordVersion', 'answer', 'substitute', 'pastMeetingId');
    const who = fc.constantFrom(GARETH, DAWN, STRANGER);
    const press = who.chain((w) =>
      fc.record({
        who: fc.constant(w),
        verb: fc.constantFrom(...Object.values(VERBS)),
        meetingId: fc.oneof(fc.constantFrom(...notMine[w.aadObjectId]!.meetings), invented),
        panelId: fc.oneof(fc.constantFrom(...notMine[w.aadObjectId]!.panels), invented),
        forceId: fc.oneof(fc.constantFrom('cambs', 'notts', 'cumbria', 'leics', 'devon-cornwall', 'hampshire'), fc.string()),
        extra: fc.dictionary(fc.oneof(field, fc.string()), value),
      }),
    );
    await fc.assert(
      fc.asyncProperty(press, async ({ who: w, verb, extra, ...ids }) => {
        const r = await f.post(cardAction(f.connector.url, w, verb, { ...extra, ...ids }));
        expect(r.status).toBe(200);
        expect(r.json().value).toBeTruthy();
      }),
      RUNS,
    );
  });

  it('answers random command text from a real lead with a reply', async () => {
    const word = fc.constantFrom('help', 'panels', 'link force', 'link panel', 'link force cambs', 'cancel', 'attendance', 'review', 'flags', '<at>Channel panel bot</at>', '&nbsp;');
    // Linking Hampshire's own Teams channel and subscribing to a feed are legitimate writes, not bad input.
    const legitimate = /^\s*(link\s+force\s+hampshire\s*$|subscribe)/i;
    const text = fc.oneof(fc.string(), fc.tuple(word, fc.string()).map(([w, s]) => `${w} ${s}`), fc.string({ unit: 'binary' }));
    await fc.assert(
      fc.asyncProperty(text.filter((t) => !legitimate.test(t.replace(/<at>[^<]*<\/at>|&nbsp;/gi, ' '))), fc.boolean(), async (t, inChannel) => {
        const posts = f.connector.posts().length;
        const r = await f.post((inChannel ? channelMessage : personalMessage)(f.connector.url, GARETH, t));
        expect(r.status).toBe(200);
        // The adapter answers the POST only once the turn (and so its reply) is done.
        expect(f.connector.posts().length).toBeGreaterThan(posts);
      }),
      RUNS,
    );
  });

  it('answers random calendar, report and other URLs with a 4xx, never a server error', async () => {
    const segment = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', '..', '../../etc/passwd', '%00', 'a'.repeat(3000)));
    const path = segment.chain((s) => fc.constantFrom(`/calendar/${encodeURIComponent(s)}.ics`, `/reports/${encodeURIComponent(s)}.csv`, `/${encodeURIComponent(s)}`, `/calendar/${encodeURIComponent(s)}`));
    await fc.assert(
      fc.asyncProperty(path, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE'), async (p, method) => {
        expect(isRefusal((await f.send('{}', 'application/json', method, p)).status)).toBe(true);
      }),
      RUNS,
    );
    for (const p of ['/calendar/%E0%A4%A.ics', '/reports/%ZZ.csv', '/calendar/..%2F..%2Fpanels.db.ics', '/%']) expect(isRefusal(await rawGet(f.bot.url, p))).toBe(true);
    expect((await f.send('', null, 'GET')).status).toBe(405);
  });
});

describe('per-person rate limits on commands, over real HTTP', () => {
  it('answers a burst, says once that the rest are refused, then stays silent until the bucket refills', async () => {
    let t = Date.parse(NOW);
    const f = await fuzzBot({ rateLimits: { commands: { burst: 3, perMinute: 1 }, clock: () => t } });
    try {
      const say = () => f.post(personalMessage(f.connector.url, GARETH, 'help'));
      for (let i = 0; i < 6; i++) expect((await say()).status).toBe(200);
      const texts = () => f.connector.posts().map((p) => p.body.text as string);
      expect(texts().filter((x) => /faster than I can keep up/.test(x))).toHaveLength(1);
      expect(texts()).toHaveLength(4);
      // Someone else is not held back by Gareth's flood.
      await f.post(personalMessage(f.connector.url, NADIA, 'help'));
      expect(texts()).toHaveLength(5);
      t += 60_000;
      await say();
      expect(texts()).toHaveLength(6);
      expect(texts()[5]).not.toMatch(/faster/);
    } finally {
      await f.stop();
    }
  });
});
