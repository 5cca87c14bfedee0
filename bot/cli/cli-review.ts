import { DateTime } from 'luxon';
import { dayRange, lastIncludedDay, parseDateRange } from '../../scheduler/domain/date-range.js';
import { reviewCsv, reviewRows } from '../../scheduler/review/review-csv.js';
import { loadReview, OPERATOR, type ReviewRequest } from '../../scheduler/review/review-query.js';
import type { Review, ReviewFigures } from '../../scheduler/review/review.js';
import type { AppConfig } from '../config.js';
import { BadArgument, nowFrom, refuse, withStore, type CliIo, type Values } from './io.js';

const FORMATS = ['text', 'csv', 'json'] as const;

/**
 * `--from` takes a date, an instant or a period such as "last 6 months"; `--to` an instant (exclusive) or a
 * date, which includes its whole Europe/London day so `--to 2026-06-30` means what `review 2026-01-01 2026-06-30` does in Teams.
 */
function request(values: Values, now: string): { ok: true; value: ReviewRequest } | { ok: false; message: string } {
  const out: ReviewRequest = {};
  if (typeof values.force === 'string') out.forceId = values.force;
  if (typeof values.panel === 'string') out.panelId = values.panel;
  if (typeof values.from === 'string') {
    const instant = DateTime.fromISO(values.from, { zone: 'Europe/London' });
    const range = instant.isValid ? null : parseDateRange(values.from, now);
    if (range && !range.ok) return { ok: false, message: `--from: ${range.error.message}` };
    out.from = instant.isValid ? instant.toUTC().toISO()! : range!.ok ? range!.value.from : undefined;
  }
  if (typeof values.to === 'string') {
    const instant = DateTime.fromISO(values.to, { zone: 'Europe/London' });
    if (!instant.isValid) return { ok: false, message: `--to "${values.to}" is not an ISO-8601 date or instant` };
    out.to = /^\d{4}-\d{2}-\d{2}$/.test(values.to) ? dayRange('', values.to).to! : instant.toUTC().toISO()!;
  }
  return { ok: true, value: out };
}

const share = (f: ReviewFigures) => `${f.decisionMakerPresent} (${f.decisionMakerShare === null ? 'n/a' : `${Math.round(f.decisionMakerShare * 100)}%`})`;
const line = (name: string, f: ReviewFigures) =>
  [name.padEnd(28), ...[f.due, f.held, f.cancelled, f.unrecorded, f.extra, f.moved].map((n) => String(n).padStart(5)), share(f).padStart(12),
    ...[f.attendanceUnrecorded, f.distinctAttendees].map((n) => String(n).padStart(6)), String(f.medianNominationDays ?? '-').padStart(7), String(f.openFlags).padStart(6)].join(' ');
const counts = (rec: Record<string, number>) => Object.entries(rec).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';

/** The review as a table a person reads in a terminal. */
export function reviewText(r: Review): string {
  const day = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone('Europe/London').toISODate();
  return [
    `Recommendation 7 review: ${r.scope.label}`,
    `meetings from ${day(r.from)} to ${lastIncludedDay(r.to, r.now)} inclusive, as recorded at ${r.now}`,
    'unrec: ended, attendance not recorded (not counted as held); f-gap: held, a force in scope has no record',
    '',
    `${'panel'.padEnd(28)}   due  held  canc unrec extra moved   DM present  f-gap people median  flags`,
    ...r.panels.map((p) => line(p.panelId + (p.whenNecessary ? ' (w-n)' : ''), p.figures)),
    line('TOTAL', r.total),
    '',
    `cancelled by reason: ${counts(r.total.cancelledByReason)}`,
    `open flags: ${counts(r.total.flagsByCode)}`,
    '',
    'month     held  cancelled  DM present',
    ...r.months.map((m) => `${m.month}  ${String(m.held).padStart(5)}  ${String(m.cancelled).padStart(9)}  ${String(m.decisionMakerPresent).padStart(10)}`),
  ].join('\n');
}

/** `panel-bot review`: the operator's national view (or narrowed by force, panel and period) as text, CSV or JSON. */
export async function reviewCommand(values: Values, config: Readonly<AppConfig>, io: CliIo): Promise<number> {
  const format = (values.format ?? 'text') as string;
  if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new BadArgument(`--format must be one of ${FORMATS.join(', ')}`);
  const now = nowFrom(values);
  const req = request(values, now);
  if (!req.ok) throw new BadArgument(req.message);
  return withStore(config, async (store) => {
    const r = await loadReview(store, OPERATOR, req.value, now);
    if (!r.ok) return refuse(io, r.error.message);
    if (format === 'csv') io.out(reviewCsv(reviewRows(r.value.input)).trimEnd());
    else if (format === 'json') io.out(JSON.stringify(r.value.review, null, 2));
    else io.out(reviewText(r.value.review));
    return 0;
  });
}
