import type { TurnContext } from 'botbuilder';
import { attendanceHistoryCard } from '../../cards/attendance-history-card.js';
import { reviewCard } from '../../cards/review-card.js';
import { scopeChoices } from '../../cards/table.js';
import { historyPageData, reviewViewData, VERBS } from '../../cards/verbs.js';
import { attendanceHistory } from '../../scheduler/meetings/attendance-history.js';
import { dayRange, lastIncludedDay, lastMonths } from '../../scheduler/domain/date-range.js';
import { cleanText } from '../../scheduler/domain/text.js';
import { localDate } from '../../scheduler/domain/timetable.js';
import { exportChart, exportFile, exportSecret, signExport } from '../../scheduler/review/report-links.js';
import { LATEST_SIGNOFF, type DocumentDeps } from '../../scheduler/review/document/produce.js';
import { namedScope, parseReviewArgs, scopeRequest, scopeValue, scopeWord, type Asker } from '../../scheduler/review/review-args.js';
import { openFlags } from '../../scheduler/review/open-flags.js';
import { flagsCard } from '../../cards/flags-card.js';
import { md } from '../../cards/format.js';
import { CHAIR_POLICIES } from './chair-routes.js';
import { loadReview, visibleScopes, type ReviewRequest, type Viewer } from '../../scheduler/review/review-query.js';
import { reportLines, reportOk, verifyAuditLog, type AuditReport } from '../../scheduler/audit/verify.js';
import { auditKeyFor } from '../audit-key.js';
import type { AppConfig } from '../config.js';
import type { HttpResponse, HttpRoute } from '../http.js';
import type { RouteDeps } from './deps.js';
import type { TeamsApp } from '../teams-app.js';
import { gatedAction, gatedCommand, idsOf, viewClaim, type Caller, type Policy } from './gate.js';

const PAGE_ROWS = 8;
const issues = (e: { issues: Array<{ message: string }> }) => e.issues.map((i) => i.message).join('; ');

/** Renders the history and review cards for a person (or the refusal as text); access is decided in the use cases. */
function reviewViews({ store, clock }: RouteDeps, config: Readonly<AppConfig>) {
  // From the roles and panels the use case just read to decide the scope: they are not read a second time.
  const choices = async (viewer: Viewer) => {
    const v = await visibleScopes(store, viewer);
    const all = scopeChoices(v.forces, v.panels);
    // Areas follow the forces (each after "Everything I may see" and the forces): "North London (Metropolitan Police Service)".
    const areas = v.areas.map((a) => ({ title: cleanText(a.name), value: `area:${a.id}` }));
    return [...all.slice(0, 1 + v.forces.length), ...areas, ...all.slice(1 + v.forces.length)];
  };
  return {
    async history(actor: string, req: ReviewRequest, cursor: { start: string; id: string } | null, direction: 'older' | 'newer') {
      const r = await attendanceHistory(store, actor, req, { cursor, direction, limit: PAGE_ROWS }, clock());
      if (!r.ok) return { reply: r.error.message, refused: r.error.code === 'FORBIDDEN' };
      const filter = { scope: scopeValue(req), from: req.from ? localDate(req.from) : '', to: req.to ? lastIncludedDay(req.to) : '' };
      const { viewer, ...shown } = r.value;
      // Forces by name, never by id (a row names each force it records).
      const forceNames = Object.fromEntries((await store.directory.listForces({ includeRetired: true })).map((f) => [f.id, f.name]));
      return { reply: attendanceHistoryCard({ page: shown, forceNames, scopeChoices: await choices(viewer), filter }), refused: false };
    },
    /** A fresh signed export link goes with every render, bound to the person and exactly this scope and period. */
    async review(actor: string, req: ReviewRequest, months: number, page: number, personal: boolean) {
      const now = clock();
      const r = await loadReview(store, actor, req, now);
      if (!r.ok) return { reply: r.error.message, refused: r.error.code === 'FORBIDDEN' };
      const { from, to } = r.value.review;
      // A link carries the person's scope to whoever opens it, so links are only given where only they see them.
      const claim = { aadObjectId: actor, request: { ...req, from, to }, issuedAt: now };
      const secret = personal ? await exportSecret(store, now) : null;
      const exportUrl = secret && `${config.publicBaseUrl}/reports/${signExport(secret, claim)}.csv`;
      const chartUrl = secret && `${config.publicBaseUrl}/reports/${signExport(secret, claim, 'chart')}.png`;
      const reportUrls = secret && {
        pdf: `${config.publicBaseUrl}/reports/${signExport(secret, claim, 'pdf')}.pdf`, docx: `${config.publicBaseUrl}/reports/${signExport(secret, claim, 'docx')}.docx`,
      };
      // The actions agreed when this scope's review was last signed off, and their state today.
      const previous = await LATEST_SIGNOFF(store, r.value.review, req, now);
      // Names for the forces the review mentions, retired ones too: the card shows names, not ids.
      const mentioned = new Set(r.value.review.panels.map((p) => p.forceId));
      const forceNames = Object.fromEntries((await store.directory.listForces({ includeRetired: true })).filter((f) => mentioned.has(f.id)).map((f) => [f.id, f.name]));
      const model = { review: r.value.review, forceNames, exportUrl, chartUrl, reportUrls, marking: config.protectiveMarking, previous, scopeChoices: await choices(r.value.viewer), filterScope: scopeValue(req), months, page };
      return { reply: reviewCard(model), refused: false };
    },
  };
}

const isPersonal = (ctx: TurnContext) => ctx.activity.conversation?.conversationType === 'personal';

const VIEW_REFUSAL = 'Attendance and the review are for panel chairs, force Prevent leads and their deputies, national leads and those given read-only access, and cover only the panels and forces they may see. Type `review` for yours.';

/** Who may see attendance and the review: anyone with a role, for a force or panel they may see. */
export const VIEW_POLICIES = {
  command: {
    claim: (text) => {
      const word = scopeWord(String(text).replace(/^\s*(attendance|review)\b/i, ''));
      return word ? { kind: 'view', word } : { kind: 'view' };
    },
    refusal: VIEW_REFUSAL,
  },
  card: { claim: (input) => viewClaim(idsOf(input).scope), refusal: VIEW_REFUSAL },
} satisfies Record<string, Policy>;

/** A refusal after the gate reads as the gate's. */
const neutral = (caller: Caller, out: string | Record<string, unknown>, refused: boolean) => (refused ? caller.refusal : out);

/** What follows the command word; a word naming nothing the caller may see is answered with what they may (review-args). */
const typedArgs = (ctx: TurnContext, caller: Caller, command: Asker['command']) => {
  const text = (ctx.activity.text ?? '').replace(new RegExp(`^\\s*${command}`, 'i'), '');
  return { text, asker: { access: caller.access, command } };
};

/** `audit`: national leads, and HMICFRS inspectors, who read every force and are shown the log's check. */
export const AUDIT_POLICY: Policy = { claim: () => ({ kind: 'audit' }), refusal: 'The audit log check is for HMICFRS inspectors and national leads.' };

/** The check as a person reads it: whether the log holds, the first problem if not, and the head to keep. */
export function auditReply(r: AuditReport): string {
  const [first, ...rest] = reportLines(r);
  const head = `Its head is entry ${r.head.seq}, hash \`${r.head.hash}\`: keep it, and \`panel-bot audit verify --head ${r.head.seq}:${r.head.hash}\` shows later whether anything up to it has changed.`;
  if (reportOk(r)) return `**The audit log checks out**: ${r.entries} entries, each chained to the one before with the deployment's key, and the meetings, nominations and attendance records agree with them. ${head}`;
  return `**The audit log does not check out**: ${first}${rest.length ? ` (and ${rest.length} more problem${rest.length === 1 ? '' : 's'})` : ''}. Tell the national Prevent lead. ${head}`;
}

/** The `attendance`, `review`, `flags <force|area|panel>` and `audit` commands and the review cards' buttons. */
export function registerReviewRoutes(app: TeamsApp, deps: RouteDeps, config: Readonly<AppConfig>): void {
  const { store, clock } = deps;
  const { history, review } = reviewViews(deps, config);
  const key = auditKeyFor(config, null);

  gatedCommand(app, store, /^\s*audit(\s+verify)?\s*$/i, AUDIT_POLICY, async () => auditReply(await verifyAuditLog(store, key)));

  gatedCommand(app, store, /^\s*attendance(\s.*)?$/i, VIEW_POLICIES.command, async (ctx, caller) => {
    const { text, asker } = typedArgs(ctx, caller, 'attendance');
    const args = await parseReviewArgs(store, text, clock(), asker);
    if (!args.ok) return args.error.message;
    const out = await history(caller.aadObjectId, args.value, null, 'older');
    return neutral(caller, out.reply, out.refused);
  });

  gatedCommand(app, store, /^\s*review(?!\s+sign[- ]?off\b)(\s.*)?$/i, VIEW_POLICIES.command, async (ctx, caller) => {
    const { text, asker } = typedArgs(ctx, caller, 'review');
    const args = await parseReviewArgs(store, text, clock(), asker);
    if (!args.ok) return args.error.message;
    const out = await review(caller.aadObjectId, { ...lastMonths(clock()), ...args.value }, 12, 0, isPersonal(ctx));
    return neutral(caller, out.reply, out.refused);
  });

  // `flags` alone is the chair routes' (every flag the person may see); with a word, only that force's, area's or panel's.
  gatedCommand(app, store, /^\s*flags\s+\S+\s*$/i, CHAIR_POLICIES.flags, async (ctx, caller) => {
    const { text, asker } = typedArgs(ctx, caller, 'flags');
    const named = await namedScope(store, text.trim().toLowerCase(), asker);
    if (!named.ok) return named.error.message;
    const open = await openFlags(store, caller.aadObjectId, clock(), named.value.scope);
    return open ? flagsCard(open.flags, `Open compliance flags: ${md(named.value.label)}`) : caller.refusal;
  });

  gatedAction(app, store, VERBS.historyPage, VIEW_POLICIES.card, async (_ctx, caller, raw) => {
    const parsed = historyPageData.safeParse(raw);
    if (!parsed.success) return `That page could not be shown: ${issues(parsed.error)}.`;
    const d = parsed.data;
    const cursor = d.cursorStart && d.cursorId ? { start: d.cursorStart, id: d.cursorId } : null;
    const out = await history(caller.aadObjectId, { ...scopeRequest(d.filterScope), ...dayRange(d.filterFrom, d.filterTo) }, cursor, d.direction);
    return neutral(caller, out.reply, out.refused);
  });

  gatedAction(app, store, VERBS.reviewView, VIEW_POLICIES.card, async (ctx, caller, raw) => {
    const parsed = reviewViewData.safeParse(raw);
    if (!parsed.success) return `That review could not be shown: ${issues(parsed.error)}.`;
    const d = parsed.data;
    const out = await review(caller.aadObjectId, { ...scopeRequest(d.filterScope), ...lastMonths(clock(), d.filterMonths) }, d.filterMonths, d.page, isPersonal(ctx));
    return neutral(caller, out.reply, out.refused);
  });
}

const NOT_FOUND = { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'not found' };

/** A CSV export or a review document, as a download nobody keeps, named with the protective marking. */
async function download(docs: DocumentDeps, now: string, id: string, kind: 'csv' | 'docx' | 'pdf'): Promise<HttpResponse> {
  const file = await exportFile(docs, id, now, kind);
  if (!file.ok) return NOT_FOUND;
  const headers = {
    'content-type': file.value.contentType, 'content-disposition': file.value.contentDisposition, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff',
  };
  return { status: 200, headers, body: file.value.body };
}

/** The chart the review card shows: drawn on each request, kept by the viewer's own cache no longer than the link lives. */
async function chartReport(deps: RouteDeps, id: string): Promise<HttpResponse> {
  const chart = await exportChart(deps.store, id, deps.clock());
  if (!chart.ok) return NOT_FOUND;
  const headers = { 'content-type': 'image/png', 'cache-control': `private, max-age=${chart.value.secondsLeft}`, 'x-content-type-options': 'nosniff' };
  return { status: 200, headers, body: chart.value.png };
}

/**
 * `GET /reports/<signed-id>.csv`, `.pdf`, `.docx` and `.png`: the review export, its document and chart; an altered,
 * expired or no-longer-permitted link, or one of another kind, is 404.
 */
export function reviewHttpRoutes(deps: RouteDeps, config: Readonly<AppConfig>): HttpRoute[] {
  const docs: DocumentDeps = { store: deps.store, auditKey: auditKeyFor(config, null), marking: config.protectiveMarking };
  return [
    {
      method: 'GET',
      // A wildcard, because restify's router refuses named parameters longer than 100 characters and a signed id is longer.
      path: '/reports/*',
      handler: async (req) => {
        const file = req.params['*'] ?? '';
        const m = /^(.+)\.(csv|docx|pdf)$/.exec(file);
        if (m) return download(docs, deps.clock(), m[1]!, m[2] as 'csv' | 'docx' | 'pdf');
        if (file.endsWith('.png')) return chartReport(deps, file.slice(0, -4));
        return NOT_FOUND;
      },
    },
  ];
}
