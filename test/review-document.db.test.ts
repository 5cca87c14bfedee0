import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliCommands } from '../bot/cli/cli-commands.js';
import { reviewCommand } from '../bot/cli/cli-review.js';
import { loadConfig } from '../bot/config.js';
import { seedDemo } from '../demo/seed.js';
import { verifyAuditLog } from '../scheduler/audit/verify.js';
import { lastMonths } from '../scheduler/domain/date-range.js';
import { localDate } from '../scheduler/domain/timetable.js';
import { CHART_WIDTH } from '../scheduler/review/chart.js';
import type { PreviousActionsLookup } from '../scheduler/review/document/produce.js';
import { CHART_TTL_MS, EXPORT_TTL_MS, exportChart, exportFile, exportSecret, signExport, type ReportKind } from '../scheduler/review/report-links.js';
import type { Signoff } from '../scheduler/review/signoff-types.js';
import { cliRunner } from './support/cli-runner.js';
import { freshStore, STORE_KINDS, TEST_AUDIT_KEY, TEST_DATABASE_URL, type TestStore } from './support/stores.js';

// Issue 19: the review document, checked as a reader would: the PDF's text (poppler's pdftotext) and the Word file's
// document.xml hold the scope, the period, the marking on every page, every panel's figures as `review --format json`
// prints them, and the audit chain's head; the chart decodes at its size; a few pages are kept as pictures.

/** The demo's year ends here: a Wednesday, 11:00. */
const NOW = '2026-12-02T11:00:00.000Z';
const KEY_TEXT = 'test-audit-key-for-the-suite-only-0123456789';
const ALEX_MORGAN = '6513270e-269e-4d37-b2a7-4de452e6b438'; // a national lead in the sample file
const ARTIFACTS = 'test/artifacts/review-document';
const MINUTE = 60_000;
/** The first day of the card's default period (the last 12 months) at NOW. */
const PERIOD = { from: lastMonths(NOW).from!, to: NOW };
const FIRST_DAY = localDate(PERIOD.from);

const later = (ms: number) => new Date(Date.parse(NOW) + ms).toISOString();
const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const n = (x: number) => x.toLocaleString('en-GB');
const share = (s: number | null) => (s === null ? 'n/a' : `${Math.round(s * 100)}%`);
const words = (ymd: string) => DateTime.fromISO(ymd, { zone: 'Europe/London' }).toFormat('d LLLL yyyy');
const unxml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

type Figures = Record<string, number | null>;
type PanelJson = Figures & { panelName: string; forceId: string };
type ReviewJson = { from: string; to: string; scope: { label: string }; total: Figures; panels: PanelJson[] };

/** A panel's (or the total's) figures as the document's table shows them, from `review --format json`: worked out here, not by the document's code. */
const cellsOf = (f: Figures) => [
  n(f.due!), n(f.held!), n(f.cancelled!), n(f.notHeld!), n(f.unrecorded!), `${n(f.monthsMet!)} of ${n(f.monthsDue!)}`,
  `${n(f.decisionMakerPresent!)} (${share(f.decisionMakerShareOfDue!)})`, share(f.decisionMakerShareOfHeld!), n(f.policeAbsent!), n(f.openFlags!),
];

/** The PDF's text as poppler lays it out (or, `raw`, in the order it was drawn: a table cell's lines together), one string per page. */
function pdfPages(file: string, mode: 'layout' | 'raw' = 'layout'): string[] {
  return execFileSync('pdftotext', [`-${mode}`, file, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim());
}

interface Word {
  document: string;
  /** document.xml's paragraphs as text, one per line. */
  text: string;
  headers: string[];
  footers: string[];
  media: Uint8Array[];
  /** Every table row's cells as text. */
  rows: string[][];
}

function word(bytes: Uint8Array): Word {
  const files = unzipSync(bytes);
  const document = strFromU8(files['word/document.xml']!);
  const text = unxml(document.replace(/<\/w:p>/g, '\n').replace(/<[^>]+>/g, ''));
  const of = (re: RegExp) => Object.keys(files).filter((k) => re.test(k)).sort().map((k) => strFromU8(files[k]!));
  const rows = [...document.matchAll(/<w:tr\b[\s\S]*?<\/w:tr>/g)].map((tr) => [...tr[0].matchAll(/<w:tc>[\s\S]*?<\/w:tc>/g)].map((tc) => unxml(tc[0].replace(/<[^>]+>/g, ''))));
  return { document, text, headers: of(/^word\/header\d+\.xml$/), footers: of(/^word\/footer\d+\.xml$/), media: Object.keys(files).filter((k) => k.startsWith('word/media/')).map((k) => files[k]!), rows };
}

/** Decodes a PNG's image data (8-bit, unfiltered size checked): its width and height, or a throw when it does not decode. */
function decodePng(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png);
  expect(b.subarray(1, 4).toString('latin1')).toBe('PNG');
  const [width, height, depth, colour] = [b.readUInt32BE(16), b.readUInt32BE(20), b[24]!, b[25]!];
  const idat: Buffer[] = [];
  for (let at = 8; at < b.length; ) {
    const len = b.readUInt32BE(at);
    if (b.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(b.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colour as 0 | 2 | 3 | 4 | 6];
  expect(depth).toBe(8);
  expect(inflateSync(Buffer.concat(idat)).length).toBe(height * (1 + width * channels!));
  return { width, height };
}

/** The lines of the PDF's per-panel table that start a panel's row (its name and force begin there) with exactly these figures. */
const pdfRows = (pages: string[], lead: string[], cells: string[]) =>
  pages.join('\n').split('\n').filter((l) => lead.every((w) => l.includes(w)) && new RegExp(`\\s${cells.map(esc).join('\\s+')}\\s*$`).test(l));

const firstWord = (s: string) => s.split(' ')[0]!;

describe.each(STORE_KINDS)('the review document on %s', (kind) => {
  let t: TestStore;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let forceNames: Map<string, string>;
  const config = () => loadConfig(env);
  const run = cliRunner(() => env);
  const io = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
  };

  beforeAll(async () => {
    t = await freshStore(kind);
    await seedDemo(t.store, NOW);
    dir = mkdtempSync(join(tmpdir(), 'review-document-'));
    // The command line opens the same database the test seeded.
    const where = t.options.kind === 'sqlite'
      ? { DATA_DIR: dirname(t.options.file) }
      : { DATABASE_URL: `${TEST_DATABASE_URL}?options=${encodeURIComponent(`-c search_path=${(t.options as { schema: string }).schema}`)}` };
    env = { ...where, AUDIT_KEY: KEY_TEXT, PANELS_CONFIG: 'config/panels.sample.yaml' };
    forceNames = new Map((await t.store.directory.listForces({ includeRetired: true })).map((f) => [f.id, f.name]));
  }, 120_000);

  afterAll(async () => {
    await t?.dispose();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const made = new Map<string, ReturnType<typeof make>>();
  /** `review --format json` and the same review as PDF and Word through `review --format pdf|docx --out` (made once per scope). */
  const documents = (args: string[], name: string) => made.get(args.join(' ')) ?? made.set(args.join(' '), make(args, name)).get(args.join(' '))!;
  async function make(args: string[], name: string) {
    const json = await run('review', ...args, '--format', 'json', '--now', NOW);
    expect(json).toMatchObject({ code: 0, err: '' });
    const files = { pdf: join(dir, `${name}.pdf`), docx: join(dir, `${name}.docx`) };
    const values = Object.fromEntries(args.map((a, i) => (a.startsWith('--') ? [a.slice(2), args[i + 1]] : null)).filter((x): x is [string, string] => !!x));
    for (const format of ['pdf', 'docx'] as const) {
      const r = io();
      expect(await reviewCommand({ ...values, format, out: files[format], now: NOW }, config(), r.io), r.err.join('\n')).toBe(0);
      expect(r.out.join('\n')).toMatch(new RegExp(`^wrote ${esc(files[format])} \\(${format}, \\d+ bytes, marked OFFICIAL-SENSITIVE\\)$`));
    }
    return { json: JSON.parse(json.out) as ReviewJson, pdf: pdfPages(files.pdf), word: word(readFileSync(files.docx)), files };
  }

  it.each([
    ['national', [] as string[]],
    ['one force', ['--force', 'cambs']],
  ])('holds, for %s, the scope, period, marking on every page, every panel figure `review --format json` gives, and the audit head', async (name, args) => {
    const { json, pdf, word: w, files } = await documents(args, `${kind}-${name.replace(' ', '-')}`);
    const head = (await verifyAuditLog(t.store, TEST_AUDIT_KEY)).head;
    const pdfText = pdf.join('\n');
    const period = `${words(json.from)} to ${words(json.to)}`;
    for (const text of [pdfText, w.text]) {
      expect(text).toContain(json.scope.label);
      expect(text).toContain(period);
      expect(text).toContain(head.hash);
      expect(text).toContain('intact: every entry and every record matches');
      expect(text).toContain(`panel-bot audit verify --head ${head.seq}:${head.hash}`);
      expect(text).toContain('No previous sign-off recorded.');
      expect(text).toContain('Produced by');
      expect(text).toContain('the command line operator');
    }
    // The marking: at the head and foot of every PDF page, and in every Word header and footer, which every section uses.
    for (const page of pdf) expect(page.match(/OFFICIAL-SENSITIVE/g)?.length ?? 0).toBeGreaterThanOrEqual(2);
    expect(pdf.length).toBeGreaterThan(5);
    for (const part of [...w.headers, ...w.footers]) expect(part).toContain('OFFICIAL-SENSITIVE');
    const sections = [...w.document.matchAll(/<w:sectPr>[\s\S]*?<\/w:sectPr>/g)].map((m) => m[0]);
    expect(sections.length).toBeGreaterThan(0);
    for (const s of sections) expect(s).toMatch(/<w:headerReference w:type="default"[\s\S]*<w:footerReference w:type="default"/);

    // Every panel and force, by name, with exactly its figures, and the total.
    const many = new Set(json.panels.map((p) => p.forceId)).size > 1;
    expect(json.panels.length).toBeGreaterThan(1);
    for (const p of json.panels) {
      const force = forceNames.get(p.forceId)!;
      const cells = cellsOf(p);
      const row = w.rows.filter((r) => r.length === cells.length + (many ? 2 : 1) && r[0]!.startsWith(p.panelName) && (!many || r[1] === force));
      expect(row, `${p.panelName}, ${force}`).toHaveLength(1);
      expect(row[0]!.slice(many ? 2 : 1)).toEqual(cells);
      expect(pdfRows(pdf, [firstWord(p.panelName), ...(many ? [firstWord(force)] : [])], cells), `${p.panelName}, ${force}`).not.toEqual([]);
    }
    // Names, never ids.
    for (const id of forceNames.keys()) {
      for (const text of [pdfText, w.text]) expect(text).not.toMatch(new RegExp(`(^|[^\\w-])${esc(id)}([^\\w-]|$)`));
    }
    expect(w.rows.filter((r) => r[0] === 'Total')[0]!.slice(many ? 2 : 1)).toEqual(cellsOf(json.total));
    expect(pdfRows(pdf, ['Total'], cellsOf(json.total))).not.toEqual([]);

    // The chart: one image, decoding at twice the card's width, the same in both files.
    expect(w.media).toHaveLength(1);
    const size = decodePng(w.media[0]!);
    expect(size.width).toBe(CHART_WIDTH * 2);
    expect(size.height).toBeGreaterThan(500);
    expect(size.height).toBeLessThanOrEqual(1024);
    const images = execFileSync('pdfimages', ['-list', files.pdf], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean).map((l) => l.trim().split(/\s+/));
    expect(images.some((cols) => cols[2] === 'image' && cols[3] === String(size.width) && cols[4] === String(size.height))).toBe(true);

    if (name === 'national') {
      mkdirSync(ARTIFACTS, { recursive: true });
      execFileSync('pdftoppm', ['-r', '80', '-png', '-f', '1', '-l', '4', files.pdf, join(ARTIFACTS, `${kind}-national-page`)]);
      expect(statSync(join(ARTIFACTS, `${kind}-national-page-04.png`)).size).toBeGreaterThan(10_000);
    }
  }, 60_000);

  it('never carries a cancellation note, nor anything the chair typed about a meeting', async () => {
    const meetings = await t.store.review.meetingsWithRecords({ panelIds: null, from: '2025-01-01T00:00:00.000Z', to: NOW });
    const notes = (await t.store.chairs.cancellations(meetings.map((m) => m.id))).map((c) => c.note).filter((x): x is string => !!x);
    expect(notes.length).toBeGreaterThan(0);
    const { pdf, word: w } = await documents([], `${kind}-national`);
    for (const note of notes) {
      expect(pdf.join('\n').replace(/\s+/g, ' ')).not.toContain(note.slice(0, 30));
      expect(w.text).not.toContain(note.slice(0, 30));
    }
  }, 60_000);

  it('shows the actions agreed at the previous sign-off, from the lookup it is given, with their state today', async () => {
    const signoff: Signoff = {
      id: 's1', scope: { kind: 'force', forceId: 'cambs' }, from: '2025-06-01', to: '2025-11-30', conclusion: 'Attendance good; two gaps to close',
      signedBy: { aadObjectId: ALEX_MORGAN, name: 'Alex Morgan' }, signedAt: '2025-12-10T10:00:00.000Z',
      actions: [
        { id: 's1.0', answer: 0, month: null, flagCode: 'NOT_DECISION_MAKER', panelId: 'cambridgeshire', forceId: 'cambs', meetingId: null, flagTitle: 'No decision maker present', accepted: false, what: 'Brief the deputy on their authority to decide', owner: 'Prevent inspector', due: '2026-01-31', doneAt: null, doneBy: null },
        { id: 's1.1', answer: 1, month: '2025-08', flagCode: 'TIMETABLE_GAP', panelId: 'peterborough-rutland', forceId: null, meetingId: null, flagTitle: 'Month with no meeting planned', accepted: true, what: null, owner: null, due: null, doneAt: null, doneBy: null },
      ],
    };
    const asked: Array<{ label: string; forceId: string | undefined }> = [];
    const previousActions: PreviousActionsLookup = async (store, review, request, now) => {
      expect(store.kind).toBe(kind);
      asked.push({ label: review.scope.label, forceId: request.forceId });
      return { signoff, actions: signoff.actions.map((a) => ({ ...a, state: a.accepted ? 'accepted' : a.due! < now.slice(0, 10) ? 'overdue' : 'open' })) };
    };
    const out = join(dir, `${kind}-actions.pdf`);
    const r = io();
    expect(await reviewCommand({ force: 'cambs', format: 'pdf', out, now: NOW }, config(), r.io, { previousActions })).toBe(0);
    expect(asked).toEqual([{ label: 'Cambridgeshire Constabulary', forceId: 'cambs' }]);
    const text = pdfPages(out, 'raw').join('\n').replace(/\s+/g, ' ');
    const shown = ['Attendance good; two gaps to close', '1 June 2025 to 30 November 2025', 'Brief the deputy on their authority to decide', 'Prevent inspector', 'Overdue', 'Accepted, no action', 'Month with no meeting planned, August 2025'];
    expect(shown.filter((s) => !text.includes(s))).toEqual([]);
    expect(text).not.toContain('No previous sign-off recorded.');
  }, 60_000);

  it('refuses bad usage, and never overwrites a file', async () => {
    const out = join(dir, `${kind}-once.pdf`);
    const first = io();
    expect(await reviewCommand({ force: 'cambs', format: 'pdf', out, now: NOW }, config(), first.io)).toBe(0);
    const before = readFileSync(out);
    const again = io();
    expect(await reviewCommand({ force: 'cambs', format: 'docx', out, now: NOW }, config(), again.io)).toBe(1);
    expect(again.err.join('\n')).toMatch(/already exists.*never overwritten/);
    expect(readFileSync(out).equals(before)).toBe(true);
    const review = cliCommands.review!;
    const usage = async (values: Record<string, string>) => {
      const r = io();
      return { code: await review({ now: NOW, ...values }, config(), r.io), err: r.err.join('\n') };
    };
    expect(await usage({ format: 'pdf' })).toMatchObject({ code: 2, err: expect.stringMatching(/--format pdf needs --out FILE/) });
    expect(await usage({ format: 'json', out: join(dir, 'x.json') })).toMatchObject({ code: 2, err: expect.stringMatching(/--out is for --format docx or pdf/) });
    expect(await usage({ format: 'odt', out: join(dir, 'x.odt') })).toMatchObject({ code: 2, err: expect.stringMatching(/--format must be one of .*docx, pdf/) });
    expect(await usage({ format: 'pdf', out: join(dir, 'nobody.pdf'), force: 'atlantis' })).toMatchObject({ code: 1, err: expect.stringMatching(/no force "atlantis"/) });
    expect(await usage({ format: 'pdf', out: join(dir, 'no-such-folder', 'x.pdf') })).toMatchObject({ code: 1, err: expect.stringMatching(/cannot write .*x\.pdf \(its folder does not exist\); nothing was written/) });
    expect(existsSync(join(dir, 'x.json')) || existsSync(join(dir, 'nobody.pdf'))).toBe(false);
    // Nothing half-written is left beside the file.
    expect(execFileSync('ls', ['-a', dir], { encoding: 'utf8' })).not.toMatch(/\.tmp/);
  }, 60_000);

  it('uses the marking PROTECTIVE_MARKING gives, on every page and in the Word headers', async () => {
    const out = { pdf: join(dir, `${kind}-official.pdf`), docx: join(dir, `${kind}-official.docx`) };
    const official = loadConfig({ ...env, PROTECTIVE_MARKING: 'OFFICIAL' });
    for (const format of ['pdf', 'docx'] as const) expect(await reviewCommand({ panel: 'southampton', format, out: out[format], now: NOW }, official, io().io)).toBe(0);
    for (const page of pdfPages(out.pdf)) {
      expect(page).toMatch(/^\s*OFFICIAL\s*$/m);
      expect(page).not.toContain('OFFICIAL-SENSITIVE');
    }
    const w = word(readFileSync(out.docx));
    for (const part of [...w.headers, ...w.footers]) expect(part).toMatch(/>OFFICIAL</);
    expect(w.text).toContain('Southampton Channel panel');
  }, 60_000);

  describe('through signed links', () => {
    async function link(kind: ReportKind, req: { forceId?: string } = { forceId: 'cambs' }, who = ALEX_MORGAN) {
      const secret = await exportSecret(t.store, NOW);
      return signExport(secret, { aadObjectId: who, request: { ...req, ...PERIOD }, issuedAt: NOW }, kind);
    }
    const deps = () => ({ store: t.store, auditKey: TEST_AUDIT_KEY, marking: 'OFFICIAL-SENSITIVE' });

    it('downloads the PDF and Word report under the marking-first name, made for the person who holds the link', async () => {
      for (const format of ['pdf', 'docx'] as const) {
        const r = await exportFile(deps(), await link(format), later(5 * MINUTE), format);
        if (!r.ok) throw new Error(r.error.message);
        expect(r.value.contentDisposition).toBe(`attachment; filename="OFFICIAL-SENSITIVE review cambs ${FIRST_DAY} to 2026-12-02.${format}"`);
        expect(r.value.contentType).toBe(format === 'pdf' ? 'application/pdf' : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
        const text = format === 'pdf'
          ? (writeFileSync(join(dir, `${kind}-link.pdf`), r.value.body), pdfPages(join(dir, `${kind}-link.pdf`)).join('\n'))
          : word(r.value.body as Buffer).text;
        expect(text).toContain('Alex Morgan');
        expect(text).toContain('Cambridgeshire Constabulary');
        // Made five minutes after the card: the figures are the card's, as recorded when it was drawn.
        expect(text).toMatch(/Figures as recorded at\s+2 December 2026 at 11:00/);
        expect(text).toMatch(/Produced\s+2 December 2026 at 11:05/);
      }
    }, 60_000);

    it('names the CSV export the same way', async () => {
      const r = await exportFile(deps(), await link('csv', {}), later(MINUTE), 'csv');
      if (!r.ok) throw new Error(r.error.message);
      expect(r.value.contentDisposition).toBe(`attachment; filename="OFFICIAL-SENSITIVE review all forces ${FIRST_DAY} to 2026-12-02.csv"`);
      expect(String(r.value.body)).toMatch(/^meeting_id,panel_id,/);
    });

    it('keeps the CSV and document links to 15 minutes and to what they were made for; a chart link lasts 30 days', async () => {
      const pdf = await link('pdf');
      expect((await exportFile(deps(), pdf, later(EXPORT_TTL_MS - 1000), 'pdf')).ok).toBe(true);
      expect(await exportFile(deps(), pdf, later(EXPORT_TTL_MS), 'pdf')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
      expect((await exportFile(deps(), pdf, later(MINUTE), 'docx')).ok).toBe(false);
      expect((await exportFile(deps(), pdf, later(MINUTE), 'csv')).ok).toBe(false);
      expect((await exportFile(deps(), await link('csv'), later(EXPORT_TTL_MS), 'csv')).ok).toBe(false);
      expect((await exportFile(deps(), await link('pdf', {}, 'ffffffff-ffff-4fff-8fff-ffffffffffff'), later(MINUTE), 'pdf')).ok).toBe(false);
      const chart = await link('chart');
      const late = await exportChart(t.store, chart, later(CHART_TTL_MS - 86_400_000));
      expect(late.ok && late.value.secondsLeft).toBe(86_400);
      expect((await exportChart(t.store, chart, later(CHART_TTL_MS))).ok).toBe(false);
      expect((await exportFile(deps(), chart, later(MINUTE), 'pdf')).ok).toBe(false);
    }, 60_000);
  });
});
