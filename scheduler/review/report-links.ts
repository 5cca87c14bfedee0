import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { fail, ok, type Result } from '../domain/types.js';
import { reviewChartSpec } from './chart.js';
import { attachment, reportFileName } from './document/file-name.js';
import { documentOf, type DocumentDeps, type DocumentFormat } from './document/produce.js';
import { reviewCsv, reviewRows } from './review-csv.js';
import { loadReview, type MeetingsOf, type ReviewRecords, type ReviewRequest } from './review-query.js';
import type { Review, ReviewInput } from './review.js';
import type { Store } from '../store/store.js';

/** How long an export link (CSV, document) works after the review card that carries it was made. */
export const EXPORT_TTL_MS = 15 * 60_000;
/**
 * How long a chart link works: 30 days, so the picture still shows when someone scrolls back through the chat (at 15
 * minutes it broke in the history). The chart is counts of meetings a month, no names; its holder's roles are still
 * checked on every fetch, and a chart link never opens anything else.
 */
export const CHART_TTL_MS = 30 * 86_400_000;
const SECRET_NAME = 'report-link-secret';
const SIG_CHARS = 43; // HMAC-SHA256 in base64url, unpadded

/**
 * What a link opens. A chart link's URL travels further than the CSV's (Teams fetches it for the card, and it can be
 * copied from the image), so the kind is signed with the rest: a chart link never opens the CSV of names.
 */
export type ReportKind = 'csv' | 'chart' | DocumentFormat;

/** How long a link of this kind works after it was made. */
export const ttlOf = (kind: ReportKind): number => (kind === 'chart' ? CHART_TTL_MS : EXPORT_TTL_MS);

/** What a link is bound to: who asked, the scope and period they saw, and when the review was made. */
export interface ExportClaim {
  aadObjectId: string;
  request: ReviewRequest & { from: string; to: string };
  issuedAt: string;
}

const claimSchema = z.object({
  a: z.string().min(1).max(64),
  f: z.string().max(64).optional(),
  // An area's review (added with areas: a link signed before has none).
  ar: z.string().max(64).optional(),
  p: z.string().max(64).optional(),
  fr: z.string().datetime(),
  to: z.string().datetime(),
  at: z.string().datetime(),
  // Absent on a CSV link, so links signed before charts existed read as what they were.
  k: z.enum(['chart', 'docx', 'pdf']).optional(),
});

/** The server's signing secret: made once at random and kept in the store, so every instance shares it. */
export async function exportSecret(store: Store, now: string): Promise<Buffer> {
  return Buffer.from(await store.review.setting(SECRET_NAME, randomBytes(32).toString('base64url'), now), 'base64url');
}

const sign = (secret: Buffer, payload: string) => createHmac('sha256', secret).update(payload).digest('base64url');

/** A link id: the claim (and what it opens) in base64url followed by its HMAC-SHA256. */
export function signExport(secret: Buffer, c: ExportClaim, kind: ReportKind = 'csv'): string {
  const body = {
    a: c.aadObjectId, ...(c.request.forceId ? { f: c.request.forceId } : {}), ...(c.request.areaId ? { ar: c.request.areaId } : {}), ...(c.request.panelId ? { p: c.request.panelId } : {}),
    fr: c.request.from, to: c.request.to, at: c.issuedAt, ...(kind !== 'csv' ? { k: kind } : {}),
  };
  const payload = Buffer.from(JSON.stringify(body)).toString('base64url');
  return payload + sign(secret, payload);
}

/** The claim behind an id, or null when it was altered, is malformed, has expired or opens another kind of report. */
export function verifyExport(secret: Buffer, id: string, now: string, kind: ReportKind = 'csv'): ExportClaim | null {
  if (!/^[A-Za-z0-9_-]{44,2000}$/.test(id)) return null;
  const [payload, sig] = [id.slice(0, -SIG_CHARS), Buffer.from(id.slice(-SIG_CHARS))];
  const want = Buffer.from(sign(secret, payload));
  if (sig.length !== want.length || !timingSafeEqual(sig, want)) return null;
  let parsed: z.SafeParseReturnType<unknown, z.infer<typeof claimSchema>>;
  try {
    parsed = claimSchema.safeParse(JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')));
  } catch {
    return null;
  }
  if (!parsed.success || (parsed.data.k ?? 'csv') !== kind) return null;
  const c = parsed.data;
  const age = Date.parse(now) - Date.parse(c.at);
  if (age < 0 || age >= ttlOf(kind)) return null;
  return { aadObjectId: c.a, issuedAt: c.at, request: { ...(c.f ? { forceId: c.f } : {}), ...(c.ar ? { areaId: c.ar } : {}), ...(c.p ? { panelId: c.p } : {}), from: c.fr, to: c.to } };
}

/**
 * The review behind a link of this kind. The person's roles are read from the store again now, so a link stops
 * working the moment its holder loses the role. The review is computed as at the link's issue, matching the card.
 */
async function openLink<R extends ReviewRecords>(store: Store, id: string, now: string, kind: ReportKind, records: R): Promise<Result<{ review: Review; input: ReviewInput<MeetingsOf<R>>; claim: ExportClaim }>> {
  // Only reads the secret: a link cannot be valid before one exists, and a stranger's request writes nothing.
  const secret = await store.review.readSetting(SECRET_NAME);
  const claim = secret ? verifyExport(Buffer.from(secret, 'base64url'), id, now, kind) : null;
  if (!claim) return fail('NOT_FOUND', 'no such report');
  const r = await loadReview(store, claim.aadObjectId, claim.request, claim.issuedAt, records);
  if (!r.ok) return fail('NOT_FOUND', 'no such report');
  return ok({ review: r.value.review, input: r.value.input, claim });
}

/** A file a link downloads: its bytes or text, its type, and the name it is saved under (marking first). */
export interface ReportFile {
  body: string | Buffer;
  contentType: string;
  contentDisposition: string;
}

/** The CSV behind a link. */
export async function exportCsv(store: Store, id: string, now: string): Promise<Result<string>> {
  const r = await openLink(store, id, now, 'csv', 'whole');
  return r.ok ? ok(reviewCsv(reviewRows(r.value.input))) : r;
}

/**
 * What a CSV or document link downloads, named `<marking> review <scope> <from> to <to>.<ext>`. A document is the
 * review as the card showed it (computed at the link's issue), made now: the audit log verified and its head printed.
 */
export async function exportFile(deps: DocumentDeps, id: string, now: string, kind: 'csv' | DocumentFormat): Promise<Result<ReportFile>> {
  if (kind === 'csv') {
    const r = await openLink(deps.store, id, now, kind, 'whole');
    if (!r.ok) return r;
    const fileName = reportFileName(deps.marking, r.value.review, r.value.claim.request, 'csv');
    return ok({ body: reviewCsv(reviewRows(r.value.input)), contentType: 'text/csv; charset=utf-8', contentDisposition: attachment(fileName) });
  }
  const r = await openLink(deps.store, id, now, kind, 'facts');
  if (!r.ok) return r;
  const { review, claim } = r.value;
  const made = await documentOf(deps, claim.aadObjectId, claim.request, review, kind, now);
  return ok({ body: made.bytes, contentType: made.contentType, contentDisposition: attachment(made.fileName) });
}

/** The review chart behind a link as PNG, and how many seconds the link has left (no cache should keep it longer). */
export async function exportChart(store: Store, id: string, now: string): Promise<Result<{ png: Buffer; secondsLeft: number }>> {
  const r = await openLink(store, id, now, 'chart', 'facts');
  if (!r.ok) return r;
  const secondsLeft = Math.max(0, Math.floor((Date.parse(r.value.claim.issuedAt) + CHART_TTL_MS - Date.parse(now)) / 1000));
  // vega and resvg take most of a second to load: loaded by the first chart asked for, not by every start of the bot.
  const { chartPng } = await import('./chart-render.js');
  return ok({ png: await chartPng(reviewChartSpec(r.value.review)), secondsLeft });
}
