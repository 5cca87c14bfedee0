import { randomBytes } from 'node:crypto';
import { copyFile, constants, link, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { lastIncludedDay } from '../../scheduler/domain/date-range.js';
import { localDate } from '../../scheduler/domain/timetable.js';
import { reviewCsv, reviewRows } from '../../scheduler/review/review-csv.js';
import { absences, reviewJson, summaryCsv } from '../../scheduler/review/review-outputs.js';
import { loadReview, OPERATOR, type ReviewRequest } from '../../scheduler/review/review-query.js';
import type { Review, ReviewFigures } from '../../scheduler/review/review.js';
import { DOCUMENT_FORMATS, makeReviewDocument, LATEST_SIGNOFF, type DocumentFormat, type PreviousActionsLookup } from '../../scheduler/review/document/produce.js';
import type { Store } from '../../scheduler/store/store.js';
import { auditKeyFor } from '../audit-key.js';
import type { AppConfig } from '../config.js';
import { BadArgument, nowFrom, parseBounds, refuse, withStore, type CliIo, type Values } from './io.js';

const FORMATS = ['text', 'csv', 'summary-csv', 'json', ...DOCUMENT_FORMATS] as const;

/**
 * The force, area, panel and period asked for (`review` and `flags`). `--from` and `--to` read as in every command (`--to` includes its whole
 * day or period, as `review 2026-01-01 2026-06-30` does in Teams); `--from` also takes `last 6 months` and the like.
 */
export function request(values: Values, now: string): ReviewRequest {
  if (typeof values.area === 'string' && (typeof values.force === 'string' || typeof values.panel === 'string')) {
    throw new BadArgument('--area names a part of a force: give it alone, without --force or --panel');
  }
  return {
    ...(typeof values.force === 'string' ? { forceId: values.force } : {}),
    ...(typeof values.area === 'string' ? { areaId: values.area } : {}),
    ...(typeof values.panel === 'string' ? { panelId: values.panel } : {}),
    ...parseBounds(values, now),
  };
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${Math.round(x * 100)}%`);
const line = (name: string, f: ReviewFigures) =>
  [name.padEnd(30), ...[f.due, f.held, f.cancelled, f.notHeld, f.unrecorded].map((n) => String(n).padStart(5)), `${f.monthsMet}/${f.monthsDue}`.padStart(7),
    `${f.decisionMakerPresent} ${pct(f.decisionMakerShareOfDue)}`.padStart(10), pct(f.decisionMakerShareOfHeld).padStart(8), String(f.policeAbsent).padStart(6),
    String(f.distinctAttendees).padStart(6), String(f.openFlags).padStart(6)].join(' ');
const counts = (rec: Record<string, number>) => Object.entries(rec).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
const change = (now: number | null, then: number | null) => (now === null || then === null ? '' : ` (${now >= then ? '+' : ''}${Math.round((now - then) * 100)} points)`);

function comparisons(r: Review): string[] {
  return [r.previous && ['previous period', r.previous] as const, r.lastYear && ['a year earlier', r.lastYear] as const].flatMap((c) => {
    if (!c) return [];
    const [label, { from, to, total }] = c;
    return [`${label} (${localDate(from)} to ${lastIncludedDay(to)}): decision maker present ${total.decisionMakerPresent} of ${total.due} due (${pct(total.decisionMakerShareOfDue)})${change(r.total.decisionMakerShareOfDue, total.decisionMakerShareOfDue)}; months met ${total.monthsMet} of ${total.monthsDue}`];
  });
}

/** The review as a table a person reads in a terminal. */
export function reviewText(r: Review): string {
  const away = absences(r);
  return [
    `Recommendation 7 review: ${r.scope.label}`,
    `meetings from ${localDate(r.from)} to ${lastIncludedDay(r.to, r.now)} inclusive, as recorded at ${r.now}`,
    'counted per panel and force; due: planned by the timetable, plus extra meetings held; DM: a decision maker present, as a share of due (and of held)',
    '',
    `${'panel / force'.padEnd(30)}   due  held  canc n-held unrec met/due   DM (due)  DM held absent people  flags`,
    ...r.panels.map((p) => line(`${p.panelId} / ${p.forceId}${p.invited ? ' (inv)' : ''}${p.timetable === 'guidance' ? '' : p.timetable === 'when-necessary' ? ' (w-n)' : ' (below)'}`, p.figures)),
    ...(r.forces.length > 1 ? r.forces.map((f) => line(`force ${f.forceId}`, f.figures)) : []),
    ...(r.byArea ?? []).map((a) => line(a.areaId ? `area ${a.areaId} / ${a.forceId}` : `no area / ${a.forceId}`, a.figures)),
    line('TOTAL', r.total),
    '',
    ...comparisons(r),
    `cancelled by reason: ${counts(r.total.cancelledByReason)}`,
    `open flags: ${counts(r.total.flagsByCode)}`,
    `held meetings a force was absent from: ${away.length ? away.map((a) => `${a.date} ${a.panelId} ${a.forceId}${a.apologies ? ' (apologies)' : ''}`).join('; ') : 'none'}`,
    '',
    'month     held  cancelled  not held  unrecorded  DM present',
    ...r.months.map((m) => `${m.month}  ${String(m.held).padStart(5)}  ${String(m.cancelled).padStart(9)}  ${String(m.notHeld).padStart(8)}  ${String(m.unrecorded).padStart(10)}  ${String(m.decisionMakerPresent).padStart(10)}`),
  ].join('\n');
}

const isDocument = (format: string): format is DocumentFormat => (DOCUMENT_FORMATS as readonly string[]).includes(format);

/**
 * Writes a file whole or not at all, and never over one that exists: a board document is evidence, so an earlier one
 * is never silently replaced. The bytes go to a temporary file beside the target first; a hard link then gives it its
 * name only if the name is free (atomic where the file system has hard links; elsewhere an exclusive copy).
 */
export async function writeNewFile(path: string, bytes: Uint8Array): Promise<'written' | 'exists'> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temp, bytes, { flag: 'wx' });
    await link(temp, path);
    return 'written';
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return 'exists';
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
    try {
      await copyFile(temp, path, constants.COPYFILE_EXCL);
      return 'written';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
      // A copy that failed part-way (a full disk) leaves no half file under the name.
      await unlink(path).catch(() => undefined);
      throw e;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** What `review` needs besides the store: where the previous sign-off comes from (the latest for the scope; a test may stub it). */
export interface ReviewCommandDeps {
  previousActions: PreviousActionsLookup;
}

/** `--format docx|pdf --out FILE`: the document, made as the operator at `now`, written to a new file. */
async function writeDocument(store: Store, config: Readonly<AppConfig>, io: CliIo, req: ReviewRequest, format: DocumentFormat, out: string, now: string, deps: ReviewCommandDeps): Promise<number> {
  const docDeps = { store, auditKey: auditKeyFor(config, null), marking: config.protectiveMarking, previousActions: deps.previousActions };
  const made = await makeReviewDocument(docDeps, OPERATOR, req, format, now);
  if (!made.ok) return refuse(io, made.error.message);
  let written: Awaited<ReturnType<typeof writeNewFile>>;
  try {
    written = await writeNewFile(out, made.value.bytes);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!code) throw err;
    return refuse(io, `cannot write ${out} (${code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : code}); nothing was written`);
  }
  if (written === 'exists') return refuse(io, `${out} already exists: give another --out, or move that file away first (a document is never overwritten)`);
  io.out(`wrote ${out} (${format}, ${made.value.bytes.length} bytes, marked ${config.protectiveMarking})`);
  return 0;
}

/** The format asked for, and `--out` only where a document is asked for (and always then). */
function formatOf(values: Values): { format: (typeof FORMATS)[number]; out: string | null } {
  const format = (values.format ?? 'text') as string;
  if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new BadArgument(`--format must be one of ${FORMATS.join(', ')}`);
  const out = typeof values.out === 'string' ? values.out : null;
  if (isDocument(format) && !out) throw new BadArgument(`--format ${format} needs --out FILE: a document is written to a file, never to the terminal`);
  if (!isDocument(format) && out !== null) throw new BadArgument(`--out is for --format docx or pdf; --format ${format} prints to stdout`);
  if (out !== null && !out.trim()) throw new BadArgument('--out needs a file name');
  return { format: format as (typeof FORMATS)[number], out };
}

/**
 * `panel-bot review`: the operator's national view (or narrowed by force, panel and period) as text, CSV or JSON on
 * stdout, or as a Word or PDF document written to `--out`.
 */
export async function reviewCommand(values: Values, config: Readonly<AppConfig>, io: CliIo, deps: ReviewCommandDeps = { previousActions: LATEST_SIGNOFF }): Promise<number> {
  const { format, out } = formatOf(values);
  const now = nowFrom(values);
  const req = request(values, now);
  return withStore(config, async (store) => {
    if (isDocument(format)) return writeDocument(store, config, io, req, format, out!, now, deps);
    if (format === 'csv') {
      // Only the CSV's rows show the meetings' records whole (names, roles, sources).
      const rows = await loadReview(store, OPERATOR, req, now, 'whole');
      if (!rows.ok) return refuse(io, rows.error.message);
      io.out(reviewCsv(reviewRows(rows.value.input)).trimEnd());
      return 0;
    }
    const r = await loadReview(store, OPERATOR, req, now);
    if (!r.ok) return refuse(io, r.error.message);
    if (format === 'summary-csv') io.out(summaryCsv(r.value.review).trimEnd());
    else if (format === 'json') io.out(JSON.stringify(reviewJson(r.value.review), null, 2));
    else io.out(reviewText(r.value.review));
    return 0;
  });
}
