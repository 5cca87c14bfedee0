import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../bot/cli/cli.js';
import type { RunningBot } from '../bot/compose.js';
import { VIEW_POLICIES } from '../bot/routes/review-routes.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { heldWith, present } from './support/answers.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { REVIEW_COLUMNS } from '../scheduler/review/review-csv.js';
import type { FakeConnector } from './support/fake-connector.js';
import { cardAction, channelMessage, DAWN, GARETH, NADIA, personalMessage, STRANGER, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardBytes, cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

const REVIEW_AT = '2026-07-01T09:00:00.000Z';
const ALEX = { aadObjectId: '6513270e-269e-4d37-b2a7-4de452e6b438', name: 'Alex Morgan' }; // national lead

/** RFC 4180: quoted cells, doubled quotes, CRLF or LF line ends. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rows.push([...row, cell]);
      [row, cell] = [[], ''];
    } else cell += c;
  }
  if (cell || row.length) rows.push([...row, cell]);
  return rows;
}

describe('attendance history and the review, over real HTTP', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  /** The bot's config, for the command line on the same store. */
  let botEnv: Record<string, string>;
  let now = '2026-01-01T08:00:00.000Z';
  const env = () => botEnv;
  /** Says something in personal chat and returns the bot's reply (a card or a text). */
  const ask = async (who: Speaker, text: string) => {
    const before = connector.posts().length;
    await post(personalMessage(connector.url, who, text));
    await until(() => connector.posts().length > before, `the reply to "${text}"`);
    const reply = connector.posts()[before]!.body;
    return { text: reply.text as string | undefined, card: reply.attachments?.[0]?.content };
  };
  const exportUrl = (card: any): string =>
    card.body.flatMap((e: any) => e.actions ?? []).find((a: any) => a.type === 'Action.OpenUrl' && a.url.endsWith('.csv')).url.replace('http://127.0.0.1:3978', bot.url);

  beforeEach(async () => {
    now = '2026-01-01T08:00:00.000Z';
    ({ bot, connector, post, stop, env: botEnv } = await startTestBot({ now: () => now }));
    const jan = 'southampton.2026-01-05';
    const named = await nominate(bot.store, { meetingId: jan, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, '2026-01-02T09:00:00.000Z');
    expect(named.ok).toBe(true);
    const attended = await recordAttendance(bot.store, jan, heldWith({ hampshire: [present(NADIA)] }), DAWN.aadObjectId, '2026-01-05T13:00:00.000Z');
    expect(attended.ok).toBe(true);
    expect((await cancelMeeting(bot.store, { meetingId: 'southampton.2026-02-02', reason: 'no cases to discuss', note: 'quiet month' }, DAWN.aadObjectId, '2026-01-20T09:00:00.000Z')).ok).toBe(true);
    now = REVIEW_AT;
  });
  afterEach(() => stop());

  it("gives a force lead their force's review, its months in words, and a CSV that matches `panel-bot review --format csv`", async () => {
    const { card } = await ask(GARETH, 'review');
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    const json = JSON.stringify(card);
    expect(json).toContain('Recommendation 7 review: Hampshire and Isle of Wight Constabulary');
    // The headline is the share of meetings due; the share of those held is beside it, labelled.
    expect(json).toContain('Decision maker present at 1 of 18 meetings due (6%)');
    expect(json).toContain('Of meetings held: 1 of 1 (100%)');
    expect(json).toContain('"title":"Months met","value":"1 of 18 months met (each panel and force counted)"');
    // The chart is a picture served at a signed link; the months are also in words, behind a button.
    expect(json).toMatch(/"type":"Image","url":"[^"]+\/reports\/[A-Za-z0-9_-]+\.png"/);
    expect(json).toContain('"title":"Jan 2026","value":"1 held, 0 cancelled, 2 unrecorded, decision maker present at 1"');
    expect(json).toContain('"title":"Feb 2026","value":"0 held, 1 cancelled, 2 unrecorded, decision maker present at 0"');
    expect(json).not.toContain('quiet month');
    const res = await fetch(exportUrl(card));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const body = await res.text();
    // The cancellation note ("a quiet month") is the chair's free text: never exported.
    expect(body).not.toContain('quiet month');
    const rows = parseCsv(body);
    expect(rows[0]).toEqual([...REVIEW_COLUMNS]);
    expect(new Set(rows.slice(1).map((r) => r[1]))).toEqual(new Set(['southampton', 'portsmouth', 'hampshire']));
    const jan = rows.find((r) => r[0] === 'southampton.2026-01-05')!;
    expect(jan.slice(REVIEW_COLUMNS.indexOf('nominee'), REVIEW_COLUMNS.indexOf('nominee') + 1)).toEqual(['Nadia Rahman']);
    expect(jan[REVIEW_COLUMNS.indexOf('decision_maker_present')]).toBe('yes');
    expect(rows.find((r) => r[0] === 'southampton.2026-02-02')![REVIEW_COLUMNS.indexOf('cancel_reason')]).toBe('no cases to discuss');

    const out: string[] = [];
    const code = await runCli(['review', '--force', 'hampshire', '--format', 'csv', '--now', REVIEW_AT], { out: (s) => out.push(s), err: () => undefined }, env());
    expect(code).toBe(0);
    expect(parseCsv(out.join('\n'))).toEqual(rows);
  });

  it('gives the review document as PDF and Word at signed links named with the marking; a CSV link opens no document', async () => {
    const { card } = await ask(GARETH, 'review');
    const urls = card.body.flatMap((e: any) => e.actions ?? []).filter((a: any) => a.type === 'Action.OpenUrl').map((a: any) => [a.title, a.url.replace('http://127.0.0.1:3978', bot.url)]);
    expect(urls.map(([title]: string[]) => title)).toEqual(['Download report (PDF)', 'Download report (Word)', 'Download CSV']);
    expect(JSON.stringify(card)).toContain('"text":"OFFICIAL-SENSITIVE"');
    const pdf = await fetch(urls[0][1]);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(pdf.headers.get('content-disposition')).toMatch(/^attachment; filename="OFFICIAL-SENSITIVE review hampshire [0-9-]+ to [0-9-]+\.pdf"/);
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const docx = await fetch(urls[1][1]);
    expect(docx.status).toBe(200);
    expect(Buffer.from(await docx.arrayBuffer()).subarray(0, 2).toString()).toBe('PK');
    expect((await fetch(urls[2][1].replace(/\.csv$/, '.pdf'))).status).toBe(404);
    expect((await fetch(urls[0][1].replace(/\.pdf$/, '.docx'))).status).toBe(404);
  });

  it('reads an end date as Teams does: `--to DATE` includes that whole day', async () => {
    // Portsmouth meets on 25 June 2026 (last Thursday): an exclusive `--to 2026-06-25` would drop it.
    for (const to of ['2026-06-25', '2026-06-30']) {
      const { card } = await ask(GARETH, `review 2026-01-01 ${to}`);
      const teams = parseCsv(await (await fetch(exportUrl(card))).text());
      const out: string[] = [];
      const argv = ['review', '--force', 'hampshire', '--from', '2026-01-01', '--to', to, '--format', 'csv', '--now', REVIEW_AT];
      expect(await runCli(argv, { out: (s) => out.push(s), err: () => undefined }, env())).toBe(0);
      expect(parseCsv(out.join('\n'))).toEqual(teams);
      expect(teams.map((r) => r[0])).toContain('portsmouth.2026-06-25');
    }
  });

  it('`panel-bot review` prints the same figures as text and JSON, and refuses bad usage', async () => {
    const run = async (...argv: string[]) => {
      const [out, err]: [string[], string[]] = [[], []];
      const code = await runCli(['review', ...argv, '--now', REVIEW_AT], { out: (s) => out.push(s), err: (s) => err.push(s) }, env());
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    const json = await run('--panel', 'southampton', '--from', 'last 6 months', '--format', 'json');
    expect(json.code).toBe(0);
    const review = JSON.parse(json.out);
    expect(review.total).toMatchObject({ cancelled: 1, cancelledByReason: { 'no cases to discuss': 1 }, decisionMakerPresent: 1, distinctAttendees: 1 });
    expect(review.months.map((m: { month: string }) => m.month)).toEqual(['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07']);
    const text = await run('--force', 'hampshire');
    expect(text.out).toMatch(/^Recommendation 7 review: Hampshire and Isle of Wight Constabulary/);
    // due 18, held 1 (the only meeting with attendance recorded), cancelled 1, not held 0, ended with nothing recorded 16.
    expect(text.out).toMatch(/^TOTAL\s+18\s+1\s+1\s+0\s+16\s/m);
    expect((await run('--format', 'xml')).code).toBe(2);
    expect((await run('--from', 'someday')).code).toBe(2);
    expect((await run('--force', 'nowhere')).code).toBe(1);
  });

  it('refuses a force lead asking for another force (not an empty report), and a stranger', async () => {
    // Typed, another force's id reads as one naming nothing: what he may see instead (test/mistyped-ids.http.test.ts).
    const other = await ask(GARETH, 'review cambs');
    expect(other.card).toBeUndefined();
    expect(other.text).toMatch(/^There is no force or panel "cambs"\. You can see: /);
    expect(other.text).not.toContain('Cambridgeshire');
    const pressed = await post(cardAction(connector.url, GARETH, 'reviewView', { filterScope: 'force:cambs', filterMonths: '12', page: 0 }));
    expect(pressed.body.value).toBe(VIEW_POLICIES.card.refusal);
    // A filter the person may use redraws the card for that scope; the history filter keeps to its panel.
    const southampton = JSON.stringify((await post(cardAction(connector.url, GARETH, 'reviewView', { filterScope: 'panel:southampton', filterMonths: '12', page: 0 }))).body);
    expect(southampton).toContain('Recommendation 7 review: Southampton Channel panel');
    const history = JSON.stringify((await post(cardAction(connector.url, GARETH, 'historyPage', { filterScope: 'panel:southampton' }))).body);
    expect(history).toContain('"value":"panel:southampton"');
    // Every panel is named once among the filter's choices; only Southampton's also has rows.
    const times = (name: string) => history.split(name).length - 1;
    expect(times('Southampton Channel panel')).toBeGreaterThan(1);
    expect(times('Portsmouth Channel panel')).toBe(1);
    expect((await ask(STRANGER, 'attendance')).text).toMatch(/for panel chairs, force Prevent leads/);
  });

  it("shows a chair only their panel, and a national lead every force's", async () => {
    const chair = JSON.stringify((await ask(DAWN, 'review')).card);
    expect(chair).toContain('Recommendation 7 review: Southampton Channel panel');
    expect(chair).not.toContain('Portsmouth');
    const national = (await ask(ALEX, 'review last 6 months')).card;
    expect(cardProblems(national)).toEqual([]);
    const json = JSON.stringify(national);
    expect(json).toContain('Recommendation 7 review: all forces');
    // Every force's panels together are enough meetings for a chart: months in words, an unrecorded series, whole numbers.
    const image = national.body.find((e: any) => e.type === 'Image');
    expect(image.url).toMatch(/\/reports\/[A-Za-z0-9_-]+\.png$/);
    expect(image.altText).toMatch(/^Meetings per month, stacked by outcome: Jan 2026: \d+ held/);
    expect(image.altText).toContain('; Jul 2026: ');
    // Flags in words, with the panel's name; the panel is listed with its timetable in words and its force's name.
    expect(json).toContain('"title":"Meets only \\"when necessary\\": 1","value":"Isles of Scilly Channel panel: 1"');
    expect(json).not.toMatch(/WHEN_NECESSARY_PANEL|ATTENDANCE_UNRECORDED/);
    const rows = async (page: number) => JSON.stringify((await post(cardAction(connector.url, ALEX, 'reviewView', { filterScope: 'all', filterMonths: '6', page }))).body);
    const pages = (await Promise.all([0, 1, 2].map(rows))).join('');
    expect(pages).toContain('Isles of Scilly Channel panel (when necessary)\\nDevon and Cornwall Police');
  });

  it('gives the export link only in a personal chat, since whoever opens it sees the person\'s scope', async () => {
    const before = connector.posts().length;
    await post(channelMessage(connector.url, GARETH, 'review'));
    await until(() => connector.posts().length > before, 'the review in the Teams channel');
    const card = connector.posts()[before]!.body.attachments[0].content;
    expect(JSON.stringify(card)).toContain('Recommendation 7 review');
    expect(JSON.stringify(card)).not.toContain('/reports/');
    expect(JSON.stringify(card)).toContain('type `review` there');
    expect(cardProblems(card)).toEqual([]);
  });

  it('answers 404 to a tampered link, an expired one, and one whose holder lost the role', async () => {
    const url = exportUrl((await ask(GARETH, 'review')).card);
    const id = url.slice(url.lastIndexOf('/') + 1, -4);
    const tampered = url.replace(id, id.slice(0, 5) + (id[5] === 'a' ? 'b' : 'a') + id.slice(6));
    expect((await fetch(tampered)).status).toBe(404);
    expect((await fetch(url.replace('.csv', '.txt'))).status).toBe(404);
    now = new Date(Date.parse(REVIEW_AT) + 15 * 60_000 - 1000).toISOString();
    expect((await fetch(url)).status).toBe(200);
    now = new Date(Date.parse(REVIEW_AT) + 15 * 60_000).toISOString();
    expect((await fetch(url)).status).toBe(404);
    now = REVIEW_AT;
    const force = (await bot.store.directory.getForce('hampshire'))!;
    await bot.store.directory.saveForce({ ...force, preventLeads: [NADIA], deputies: [] }, now);
    expect((await fetch(url)).status).toBe(404);
  });

  it('pages the attendance history with buttons that re-render the card in place', async () => {
    const first = (await ask(GARETH, 'attendance hampshire 2026-01-01 2026-06-30')).card;
    expect(cardProblems(first)).toEqual([]);
    // Rows never show a force's id (it stays in the filter's data, where nobody reads it).
    expect(JSON.stringify(first.body.find((e: any) => e.type === 'Table'))).not.toMatch(/\bhampshire\b/);
    const older = first.body.flatMap((e: any) => e.actions ?? []).find((a: any) => a.title === 'Older');
    expect(older).toBeDefined();
    const seen: string[] = [];
    const dates = (card: any) => card.body.find((e: any) => e.type === 'Table').rows.slice(1).map((r: any) => `${r.cells[0].items[0].text} ${r.cells[1].items[0].text}`);
    seen.push(...dates(first));
    let action = older;
    for (let i = 0; action && i < 5; i++) {
      const inputs = { filterScope: 'force:hampshire', filterFrom: '2026-01-01', filterTo: '2026-06-30' };
      const res = await post(cardAction(connector.url, GARETH, 'historyPage', { ...action.data, ...inputs }));
      const card = res.body.value;
      expect(cardProblems(card)).toEqual([]);
      seen.push(...dates(card));
      action = card.body.flatMap((e: any) => e.actions ?? []).find((a: any) => a.title === 'Older');
    }
    // Southampton, Portsmouth and Hampshire each met monthly, January to June.
    expect(seen).toHaveLength(18);
    expect(new Set(seen).size).toBe(18);
    expect(seen[seen.length - 1]).toMatch(/^5 Jan 2026 Southampton/);
  });
});
