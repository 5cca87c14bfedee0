import { lastIncludedDay } from '../../scheduler/domain/date-range.js';
import { localDate } from '../../scheduler/domain/timetable.js';
import { reviewCsv, reviewRows } from '../../scheduler/review/review-csv.js';
import { absences, reviewJson, summaryCsv } from '../../scheduler/review/review-outputs.js';
import { loadReview, OPERATOR, type ReviewRequest } from '../../scheduler/review/review-query.js';
import type { Review, ReviewFigures } from '../../scheduler/review/review.js';
import type { AppConfig } from '../config.js';
import { BadArgument, nowFrom, parseBounds, refuse, withStore, type CliIo, type Values } from './io.js';

const FORMATS = ['text', 'csv', 'summary-csv', 'json'] as const;

/**
 * The force, panel and period asked for. `--from` and `--to` read as in every command (`--to` includes its whole
 * day or period, as `review 2026-01-01 2026-06-30` does in Teams); `--from` also takes `last 6 months` and the like.
 */
function request(values: Values, now: string): ReviewRequest {
  return {
    ...(typeof values.force === 'string' ? { forceId: values.force } : {}),
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

/** `panel-bot review`: the operator's national view (or narrowed by force, panel and period) as text, CSV or JSON. */
export async function reviewCommand(values: Values, config: Readonly<AppConfig>, io: CliIo): Promise<number> {
  const format = (values.format ?? 'text') as string;
  if (!FORMATS.includes(format as (typeof FORMATS)[number])) throw new BadArgument(`--format must be one of ${FORMATS.join(', ')}`);
  const now = nowFrom(values);
  const req = request(values, now);
  return withStore(config, async (store) => {
    const r = await loadReview(store, OPERATOR, req, now);
    if (!r.ok) return refuse(io, r.error.message);
    if (format === 'csv') io.out(reviewCsv(reviewRows(r.value.input)).trimEnd());
    else if (format === 'summary-csv') io.out(summaryCsv(r.value.review).trimEnd());
    else if (format === 'json') io.out(JSON.stringify(reviewJson(r.value.review), null, 2));
    else io.out(reviewText(r.value.review));
    return 0;
  });
}
