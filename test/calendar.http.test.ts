import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import type { RunningBot } from '../bot/compose.js';
import { storeOptions } from '../scheduler/store/open-store.js';
import { dumpStore } from './support/store-dump.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { newToken, tokenHash } from '../scheduler/calendar/feed-tokens.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import type { FakeConnector } from './support/fake-connector.js';
import { expandWithIcalJs, expandWithNodeIcal, type SeenEvent } from './support/ical-parsers.js';
import { channelMessage, DAWN, GARETH, KIERAN, MARCUS, NADIA, personalMessage, STRANGER, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardBytes, cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

const NOW = '2027-03-10T09:00:00.000Z';
const PUBLIC = 'https://panels.example.org';
const JUNE = 'southampton.2027-06-07';
const JULY = 'southampton.2027-07-05';
/** The joint panel's April meeting: Cambridgeshire and Leicestershire both face it. */
const JOINT = 'peterborough-rutland.2027-04-13';
const ALEX: Speaker = { aadObjectId: '6513270e-269e-4d37-b2a7-4de452e6b438', name: 'Alex Morgan' }; // national lead
const PRIYA: Speaker = { aadObjectId: 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450', name: 'Priya Shah' }; // Cambridgeshire Prevent lead
const JOANNE: Speaker = { aadObjectId: '8e81973e-0bec-47b0-b898-d190f9ebdacc', name: 'Joanne Ellis' }; // chairs Peterborough and Rutland
const DANA: Speaker = { aadObjectId: '5c2d7e0a-3b1f-4c6e-9a8d-2f4b6e8c0a1d', name: 'Dana Cole' }; // no role: named by Cambridgeshire

describe('calendar subscriptions, over real HTTP', () => {
  let dir: string;
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  /** The bot's clock: fixed, and moved only where a test says so. */
  let now: string;

  const say = async (who: Speaker, text: string) => {
    const before = connector.posts().length;
    await post(personalMessage(connector.url, who, text));
    await until(() => connector.posts().length > before, `the reply to "${text}"`);
    return connector.posts().at(-1)!.body;
  };
  /** `subscribe` as a person: the card and its feeds by title, each with its links. */
  const subscribe = async (who: Speaker, text = 'subscribe') => {
    const reply = await say(who, text);
    const card = reply.attachments?.[0]?.content;
    const links = new Map<string, { web: string; webcal: string }>();
    const body: Array<{ text: string }> = card?.body ?? [];
    body.forEach((e, i) => {
      if (e.text?.startsWith(PUBLIC)) links.set(body[i - 1]!.text, { web: e.text, webcal: /\((webcal:[^)]+)\)/.exec(body[i + 1]!.text)![1]! });
    });
    return { reply, card, links };
  };
  const get = (link: string, headers: Record<string, string> = {}) => fetch(`${bot.url}${new URL(link).pathname}`, { headers });
  const feedOf = async (who: Speaker, title: string) => (await subscribe(who)).links.get(title)!.web;
  /** Names an attendee for a force at the joint panel's April meeting. */
  const name = (attendee: Speaker, actor: Speaker, forceId: string) =>
    nominate(bot.store, { meetingId: JOINT, forceId, meetingVersion: 1, nominationVersion: 0, attendee, role: 'Detective Sergeant', decisionMaker: false }, actor.aadObjectId, NOW);
  const eventOf = (events: SeenEvent[], meetingId: string) => events.find((e) => e.uid === `${meetingId}@channel-panel-bot`)!;

  beforeEach(async () => {
    now = NOW;
    ({ bot, connector, dir, post, stop } = await startTestBot({ now: () => now, env: { PUBLIC_BASE_URL: PUBLIC } }));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await stop();
  });

  it('answers `subscribe` with a valid card of https and webcal links for the feeds the person may see', async () => {
    const { card, links } = await subscribe(GARETH);
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    expect(JSON.stringify(card)).toContain('Add to Outlook');
    expect([...links.keys()]).toEqual([
      'My Channel panel meetings', 'Hampshire and Isle of Wight Constabulary: every panel', 'Hampshire Channel panel', 'Portsmouth Channel panel', 'Southampton Channel panel',
    ]);
    for (const { web, webcal } of links.values()) {
      expect(web).toMatch(new RegExp(`^${PUBLIC}/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
      expect(webcal).toBe(web.replace('https://', 'webcal://'));
    }
    expect(new Set([...links.values()].map((l) => l.web)).size).toBe(links.size);
    // Tokens are stored only as hashes: no table holds a token itself.
    const stored = JSON.stringify(await dumpStore(storeOptions(null, dir)));
    for (const { web } of links.values()) expect(stored).not.toContain(/\/calendar\/([^.]+)\.ics$/.exec(web)![1]);
    expect(stored).toContain(createHash('sha256').update(/\/calendar\/([^.]+)\.ics$/.exec(links.get('Hampshire Channel panel')!.web)![1]!).digest('hex').slice(0, 16));
  });

  it('serves feeds that two parsers read at each panel\'s local time across both clock changes', async () => {
    const { links } = await subscribe(GARETH);
    const res = await get(links.get('Hampshire and Isle of Wight Constabulary: every panel')!.web);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/calendar; charset=utf-8');
    expect(res.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(new Date(res.headers.get('last-modified')!).toISOString()).toBe('2027-03-10T09:00:00.000Z');
    const ics = await res.text();
    const events = expandWithIcalJs(ics);
    expect(expandWithNodeIcal(ics)).toEqual(events);
    const times = (panel: string) => new Set(events.filter((e) => e.summary === panel).map((e) => e.start.slice(11)));
    expect(times('Southampton Channel panel')).toEqual(new Set(['10:00']));
    expect(times('Portsmouth Channel panel')).toEqual(new Set(['09:30']));
    expect(times('Hampshire Channel panel')).toEqual(new Set(['13:00']));
    const southampton = events.filter((e) => e.summary === 'Southampton Channel panel').map((e) => e.start.slice(0, 10));
    expect(southampton).toEqual(expect.arrayContaining(['2027-04-05', '2027-10-04', '2027-11-01', '2028-03-06']));
  });

  it('answers 304 to If-None-Match without rebuilding the feed, and ignores If-Modified-Since', async () => {
    const link = await feedOf(GARETH, 'Southampton Channel panel');
    const builds = vi.spyOn(bot.store.meetings, 'list');
    const built = () => builds.mock.calls.filter(([f]) => f?.panelIds?.join() === 'southampton').length;
    const first = await get(link);
    expect(first.status).toBe(200);
    expect(built()).toBe(1);
    const etag = first.headers.get('etag')!;
    const byTag = await get(link, { 'if-none-match': `W/"other", ${etag}` });
    expect(byTag.status).toBe(304);
    expect(await byTag.text()).toBe('');
    expect(byTag.headers.get('etag')).toBe(etag);
    expect(built()).toBe(1);
    expect((await get(link, { 'if-modified-since': 'Fri, 01 Jan 2100 00:00:00 GMT' })).status).toBe(200);
    expect((await get(link, { 'if-none-match': '"stale"' })).status).toBe(200);
    // Served from the body kept under its ETag (issue 22): the feed is the same, so nothing is built again.
    expect(built()).toBe(1);
  });

  it('shows a cancellation and a nomination with a higher SEQUENCE, the same UIDs, and no cancellation note', async () => {
    const link = await feedOf(GARETH, 'Southampton Channel panel');
    const before = await get(link);
    const events0 = expandWithNodeIcal(await before.text());
    expect((await cancelMeeting(bot.store, { meetingId: JUNE, reason: 'other', note: 'NOTE-MUST-NOT-LEAK' }, DAWN.aadObjectId, NOW)).ok).toBe(true);
    const afterCancel = await get(link, { 'if-none-match': before.headers.get('etag')! });
    expect(afterCancel.status).toBe(200);
    const ics1 = await afterCancel.text();
    expect(ics1).not.toContain('NOTE-MUST-NOT-LEAK');
    const events1 = expandWithIcalJs(ics1);
    expect(eventOf(events1, JUNE).status).toBe('CANCELLED');
    expect(eventOf(events1, JUNE).sequence).toBeGreaterThan(eventOf(events0, JUNE).sequence);
    const input = { meetingId: JULY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'Detective Inspector', decisionMaker: true };
    expect((await nominate(bot.store, input, GARETH.aadObjectId, NOW)).ok).toBe(true);
    const events2 = expandWithNodeIcal(await (await get(link, { 'if-none-match': afterCancel.headers.get('etag')! })).text());
    expect(eventOf(events2, JULY).sequence).toBeGreaterThan(eventOf(events1, JULY).sequence);
    expect(eventOf(events2, JULY).description).toContain('Nadia Rahman (Detective Inspector)');
    expect(eventOf(events2, JUNE).status).toBe('CANCELLED');
    for (const e of [events1, events2]) expect(e.map((x) => x.uid)).toEqual(events0.map((x) => x.uid));
    // Nadia's own feed: the meeting she is named for, nothing else (she chairs no panel).
    const mine = expandWithIcalJs(await (await get(await feedOf(NADIA, 'My Channel panel meetings'))).text());
    expect(mine.map((e) => e.uid)).toEqual([`${JULY}@channel-panel-bot`]);
  });

  it('shows the same links when asked again, replaces one on `subscribe rotate`, and revokes one feed alone', async () => {
    const { links } = await subscribe(GARETH);
    expect((await subscribe(GARETH)).links).toEqual(links);
    const southampton = links.get('Southampton Channel panel')!.web;
    const rotated = await subscribe(GARETH, 'subscribe rotate southampton');
    expect([...rotated.links.keys()]).toEqual(['Southampton Channel panel']);
    expect(cardProblems(rotated.card)).toEqual([]);
    expect(JSON.stringify(rotated.card)).toContain('the one it replaces no longer works');
    const replacement = rotated.links.get('Southampton Channel panel')!.web;
    expect(replacement).not.toBe(southampton);
    expect((await get(southampton)).status).toBe(404);
    expect((await get(replacement)).status).toBe(200);
    expect((await subscribe(GARETH)).links.get('Southampton Channel panel')!.web).toBe(replacement);

    expect((await say(GARETH, 'subscribe revoke portsmouth')).text).toBe('Revoked 1 calendar link for `portsmouth`: calendars using it stop updating. Type `subscribe portsmouth` for a new link.');
    expect((await get(links.get('Portsmouth Channel panel')!.web)).status).toBe(404);
    expect((await get(links.get('Hampshire Channel panel')!.web)).status).toBe(200);
    expect((await say(GARETH, 'subscribe revoke portsmouth')).text).toBe('You have no calendar links for `portsmouth` to revoke.');
    // `hampshire` names both the force's feed and the panel's: both go.
    expect((await say(GARETH, 'subscribe revoke hampshire')).text).toMatch(/^Revoked 2 calendar links for `hampshire`/);
  });

  it('refuses a rotation it cannot do, changing nothing, and never posts a link outside a personal chat', async () => {
    const { links } = await subscribe(GARETH);
    expect((await say(GARETH, 'subscribe rotate')).text).toMatch(/^Type `subscribe rotate` and the feed's id/);
    expect((await say(GARETH, 'subscribe rotate nosuch')).text).toMatch(/no feed "nosuch" that you may see/);
    expect((await say(KIERAN, 'subscribe rotate southampton')).text).toMatch(/no feed "southampton" that you may see/);
    const before = connector.posts().length;
    await post(channelMessage(connector.url, GARETH, 'subscribe rotate southampton'));
    await until(() => connector.posts().length > before, 'the reply in the Teams channel');
    expect(connector.posts().at(-1)!.body.text).toMatch(/only give them in our personal chat/);
    expect((await subscribe(GARETH)).links).toEqual(links);
    for (const { web } of links.values()) expect((await get(web)).status).toBe(200);
  });

  it('keeps a link issued before links could be shown again working beside the one `subscribe` now shows', async () => {
    const legacy = newToken();
    await bot.store.feeds.save({ hash: tokenHash(legacy), owner: GARETH.aadObjectId, scope: { kind: 'panel', id: 'southampton' }, createdAt: NOW, revokedAt: null });
    const shown = (await subscribe(GARETH)).links.get('Southampton Channel panel')!.web;
    expect(shown).not.toContain(legacy);
    expect((await fetch(`${bot.url}/calendar/${legacy}.ics`)).status).toBe(200);
    expect((await get(shown)).status).toBe(200);
    expect((await subscribe(GARETH)).links.get('Southampton Channel panel')!.web).toBe(shown);
  });

  it('answers 429 past the per-link rate, without slowing other links', async () => {
    const { links } = await subscribe(GARETH);
    const link = links.get('Southampton Channel panel')!.web;
    const etag = (await get(link)).headers.get('etag')!;
    for (let i = 0; i < 29; i++) expect((await get(link, { 'if-none-match': etag })).status).toBe(304);
    const limited = await get(link);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await get(links.get('Portsmouth Channel panel')!.web)).status).toBe(200);
  });

  it('answers 404 with no detail to unknown, malformed and revoked links', async () => {
    const link = await feedOf(GARETH, 'Southampton Channel panel');
    for (const path of [`/calendar/${newToken()}.ics`, '/calendar/short.ics', `/calendar/${new URL(link).pathname.slice(10, -4)}`]) {
      const res = await fetch(`${bot.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe('Not found');
    }
    expect((await get(link)).status).toBe(200);
    expect((await say(GARETH, 'subscribe revoke')).text).toMatch(/^Revoked 5 calendar links/);
    const gone = await get(link);
    expect(gone.status).toBe(404);
    expect(await gone.text()).toBe('Not found');
    expect((await say(GARETH, 'subscribe revoke')).text).toBe('You have no calendar links to revoke.');
  });

  it('follows the owner\'s roles on every fetch, and never opens another person\'s scope', async () => {
    const { links } = await subscribe(GARETH);
    const force = (await bot.store.directory.getForce('hampshire'))!;
    await bot.store.directory.saveForce({ ...force, preventLeads: [NADIA] }, NOW);
    expect((await get(links.get('Hampshire and Isle of Wight Constabulary: every panel')!.web)).status).toBe(404);
    expect((await get(links.get('Southampton Channel panel')!.web)).status).toBe(404);
    expect((await get(links.get('My Channel panel meetings')!.web)).status).toBe(200);

    expect((await say(STRANGER, 'subscribe')).text).toMatch(/^Calendar feeds are for panel chairs/);
    // A link is a bearer credential: never posted where others can read it.
    const before = connector.posts().length;
    await post(channelMessage(connector.url, GARETH, 'subscribe'));
    await until(() => connector.posts().length > before, 'the reply in the Teams channel');
    expect(connector.posts().at(-1)!.body.text).toMatch(/only give them in our personal chat/);
    expect(JSON.stringify(connector.posts().at(-1)!.body)).not.toContain('/calendar/');
    expect((await say(KIERAN, 'subscribe southampton')).text).toMatch(/no feed "southampton" that you may see/);
    const portsmouth = await subscribe(KIERAN, 'subscribe portsmouth');
    expect([...portsmouth.links.keys()]).toEqual(['Portsmouth Channel panel']);
    // A stored link whose scope is someone else's own meetings opens nothing.
    const forged = newToken();
    await bot.store.feeds.save({ hash: tokenHash(forged), owner: KIERAN.aadObjectId, scope: { kind: 'person', id: GARETH.aadObjectId }, createdAt: NOW, revokedAt: null });
    expect((await fetch(`${bot.url}/calendar/${forged}.ics`)).status).toBe(404);
  });

  // Regression: a Leicestershire lead's feeds named Cambridgeshire's attendee on the joint Peterborough and Rutland panel.
  it('shows a force lead only their own forces\' attendees on a joint panel; national leads and the chair see every force', async () => {
    expect((await name(DANA, PRIYA, 'cambs')).ok).toBe(true);
    expect((await name(MARCUS, MARCUS, 'leics')).ok).toBe(true);
    const cambsLine = 'Cambridgeshire Constabulary: Dana Cole (Detective Sergeant), not confirmed as a decision maker';
    const leicsLine = 'Leicestershire Police: Marcus Reid (Detective Sergeant), not confirmed as a decision maker';
    const described = async (link: string) => eventOf(expandWithIcalJs(await (await get(link)).text()), JOINT).description;
    const marcus = (await subscribe(MARCUS)).links;
    const alex = (await subscribe(ALEX)).links;
    for (const title of ['Leicestershire Police: every panel', 'Peterborough and Rutland Channel panel']) {
      const own = await described(marcus.get(title)!.web);
      expect(own, title).toContain(leicsLine);
      expect(own, title).not.toContain('Cambridgeshire');
      expect(own, title).not.toContain('Dana Cole');
      const every = await described(alex.get(title)!.web);
      expect(every, title).toContain(cambsLine);
      expect(every, title).toContain(leicsLine);
    }
    const chair = await described(await feedOf(JOANNE, 'Peterborough and Rutland Channel panel'));
    expect([chair.includes(cambsLine), chair.includes(leicsLine)]).toEqual([true, true]);
    // A nominee with no role sees their own nomination in their own feed, and nobody else's.
    const dana = await described(await feedOf(DANA, 'My Channel panel meetings'));
    expect(dana).toContain(cambsLine);
    expect(dana).not.toContain('Leicestershire');
  });

  it('changes a force lead\'s feed ETag when their roles change, even with the data unchanged', async () => {
    const link = await feedOf(MARCUS, 'Peterborough and Rutland Channel panel');
    const before = (await get(link)).headers.get('etag');
    await bot.store.directory.setNationalLeads([ALEX, MARCUS]);
    expect((await get(link)).headers.get('etag')).not.toBe(before);
  });

  // Regression: If-Modified-Since answered 304 once a role was narrowed, since no row's modification time moved.
  it('serves the narrowed feed to a calendar that revalidates by date alone once the owner\'s roles narrow', async () => {
    expect((await name(DANA, PRIYA, 'cambs')).ok).toBe(true);
    await bot.store.directory.setNationalLeads([ALEX, MARCUS]);
    const link = await feedOf(MARCUS, 'Peterborough and Rutland Channel panel');
    const wide = await get(link);
    expect(await wide.text()).toContain('Dana Cole');
    await bot.store.directory.setNationalLeads([ALEX]);
    const narrowed = await get(link, { 'if-modified-since': wide.headers.get('last-modified')! });
    expect(narrowed.status).toBe(200);
    expect(await narrowed.text()).not.toContain('Dana Cole');
  });

  // Regression: the ETag keyed on the UTC day while the window moved by the millisecond, so one ETag named two bodies.
  it('serves one body per ETag all day, and a new ETag once a meeting leaves the window at midnight UTC', async () => {
    const link = await feedOf(GARETH, 'Portsmouth Channel panel');
    const at = async (instant: string) => {
      now = instant;
      const res = await get(link);
      expect(res.status, instant).toBe(200);
      return { etag: res.headers.get('etag'), body: await res.text() };
    };
    // 25 March 2027, 09:30 GMT: twelve months before 25 March 2028, between the two fetches' times of day.
    const old = 'portsmouth.2027-03-25@channel-panel-bot';
    const early = await at('2028-03-25T08:00:00.000Z');
    const late = await at('2028-03-25T10:00:00.000Z');
    expect(late.etag).toBe(early.etag);
    expect(late.body).toBe(early.body);
    expect(expandWithIcalJs(early.body).map((e) => e.uid)).toContain(old);
    const next = await at('2028-03-26T08:00:00.000Z');
    expect(next.etag).not.toBe(early.etag);
    expect(expandWithIcalJs(next.body).map((e) => e.uid)).not.toContain(old);
  });
});
