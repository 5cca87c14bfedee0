import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { heldWith, present } from './support/answers.js';
import type { FakeConnector } from './support/fake-connector.js';
import { cardAction, channelMessage, DAWN, GARETH, NADIA, personalMessage, TENANT, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardBytes, cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';
import { CHART_TTL_MS } from '../scheduler/review/report-links.js';

const REVIEW_AT = '2026-07-01T09:00:00.000Z';
// Chart links outlive the CSV's 15 minutes, so the picture stays in the chat's history.
const LINK_LIFE_MS = CHART_TTL_MS;
const at = (ms: number) => new Date(Date.parse(REVIEW_AT) + ms).toISOString();
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

describe('the review chart, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let now = '2026-01-01T08:00:00.000Z';
  /** Says something and returns the card the bot answers with. */
  const reviewCardFor = async (who: Speaker, text = 'review', personal = true) => {
    const before = connector.posts().length;
    await post((personal ? personalMessage : channelMessage)(connector.url, who, text));
    await until(() => connector.posts().length > before, `the reply to "${text}"`);
    return connector.posts()[before]!.body.attachments?.[0]?.content;
  };
  const local = (url: string) => url.replace('http://127.0.0.1:3978', bot.url);
  const imageOf = (card: any) => card.body.find((e: any) => e.type === 'Image');
  const csvUrl = (card: any): string => card.body.flatMap((e: any) => e.actions ?? []).find((a: any) => a.type === 'Action.OpenUrl' && a.url.endsWith('.csv')).url;

  beforeEach(async () => {
    now = '2026-01-01T08:00:00.000Z';
    ({ bot, connector, post, stop } = await startTestBot({ now: () => now }));
    const jan = 'southampton.2026-01-05';
    const named = await nominate(bot.store, { meetingId: jan, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, '2026-01-02T09:00:00.000Z');
    expect(named.ok).toBe(true);
    expect((await recordAttendance(bot.store, jan, heldWith({ hampshire: [present(NADIA)] }), DAWN.aadObjectId, '2026-01-05T13:00:00.000Z')).ok).toBe(true);
    expect((await cancelMeeting(bot.store, { meetingId: 'southampton.2026-02-02', reason: 'no cases to discuss' }, DAWN.aadObjectId, '2026-01-20T09:00:00.000Z')).ok).toBe(true);
    now = REVIEW_AT;
  });
  afterEach(() => stop());

  it('shows the person who asked an image of the chart, a PNG from a signed link under the public base URL', async () => {
    const card = await reviewCardFor(GARETH);
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    const image = imageOf(card);
    expect(image.url).toMatch(/^http:\/\/127\.0\.0\.1:3978\/reports\/[A-Za-z0-9_-]{44,}\.png$/);
    expect(image.altText).toContain('Jan 2026: 1 held, 0 cancelled, 2 unrecorded, decision maker present at 1');
    expect(JSON.stringify(card)).not.toContain('data:image');
    // At most three meetings a month (issue 18's case) are charted now; the months in words wait behind a button.
    expect(JSON.stringify(card)).toContain('"title":"Feb 2026","value":"0 held, 1 cancelled, 2 unrecorded, decision maker present at 0"');
    const res = await fetch(local(image.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('cache-control')).toBe(`private, max-age=${LINK_LIFE_MS / 1000}`);
    const png = Buffer.from(await res.arrayBuffer());
    expect(png.subarray(0, 8).equals(PNG_MAGIC)).toBe(true);
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(800);
    expect(png.readUInt32BE(20)).toBeLessThanOrEqual(1024);
  });

  it('answers 404, saying nothing, to a tampered link, an expired one, and one whose holder lost the role', async () => {
    const url = local(imageOf(await reviewCardFor(GARETH)).url);
    const id = url.slice(url.lastIndexOf('/') + 1, -4);
    const tampered = url.replace(id, id.slice(0, 5) + (id[5] === 'a' ? 'b' : 'a') + id.slice(6));
    const refused = await fetch(tampered);
    expect(refused.status).toBe(404);
    expect(refused.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await refused.text()).toBe('not found');
    // A cache may keep the image only as long as the link has left.
    now = at(LINK_LIFE_MS - 1000);
    const late = await fetch(url);
    expect(late.status).toBe(200);
    expect(late.headers.get('cache-control')).toBe('private, max-age=1');
    now = at(LINK_LIFE_MS);
    expect((await fetch(url)).status).toBe(404);
    now = REVIEW_AT;
    expect((await fetch(url)).status).toBe(200);
    const force = (await bot.store.directory.getForce('hampshire'))!;
    await bot.store.directory.saveForce({ ...force, preventLeads: [NADIA], deputies: [] }, now);
    expect((await fetch(url)).status).toBe(404);
  });

  it('signs what a link opens: the chart link never opens the CSV of names, nor the CSV link the chart', async () => {
    const card = await reviewCardFor(GARETH);
    const [chart, csv] = [local(imageOf(card).url), local(csvUrl(card))];
    expect((await fetch(chart)).status).toBe(200);
    expect((await fetch(csv)).status).toBe(200);
    expect((await fetch(chart.replace(/\.png$/, '.csv'))).status).toBe(404);
    expect((await fetch(csv.replace(/\.csv$/, '.png'))).status).toBe(404);
  });

  it('gives a chart link with every redraw in a personal chat, and none in a channel, where the months are listed in words', async () => {
    const data = { filterScope: 'panel:southampton', filterMonths: '6', page: 0 };
    const personal = { conversation: { id: `a:personal-${GARETH.aadObjectId}`, conversationType: 'personal', tenantId: TENANT }, channelData: { tenant: { id: TENANT } } };
    const card = (await post({ ...cardAction(connector.url, GARETH, 'reviewView', data), ...personal })).body.value;
    expect(cardProblems(card)).toEqual([]);
    const res = await fetch(local(imageOf(card).url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');

    // In a channel, whoever sees the card could open the link: it is not given there, by command or by button.
    expect(imageOf((await post(cardAction(connector.url, GARETH, 'reviewView', data))).body.value)).toBeUndefined();
    const channel = await reviewCardFor(GARETH, 'review', false);
    expect(cardProblems(channel)).toEqual([]);
    expect(imageOf(channel)).toBeUndefined();
    const json = JSON.stringify(channel);
    expect(json).not.toContain('/reports/');
    expect(json).toContain('"text":"Meetings per month"');
    expect(json).toContain('"title":"Jan 2026","value":"1 held, 0 cancelled, 2 unrecorded, decision maker present at 1"');
  });
});
