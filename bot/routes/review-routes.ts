import type { TurnContext } from 'botbuilder';
import { attendanceHistoryCard } from '../../cards/attendance-history-card.js';
import { reviewCard } from '../../cards/review-card.js';
import { scopeChoices } from '../../cards/table.js';
import { historyPageData, reviewViewData, VERBS } from '../../cards/verbs.js';
import { attendanceHistory } from '../../scheduler/meetings/attendance-history.js';
import { dayRange, lastIncludedDay, lastMonths } from '../../scheduler/domain/date-range.js';
import { localDate } from '../../scheduler/domain/timetable.js';
import { exportChart, exportCsv, exportSecret, signExport } from '../../scheduler/review/report-links.js';
import { parseReviewArgs, scopeRequest, scopeValue, scopeWord } from '../../scheduler/review/review-args.js';
import { loadReview, visibleScopes, type ReviewRequest, type Viewer } from '../../scheduler/review/review-query.js';
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
    return scopeChoices(v.forces, v.panels);
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
      // Names for the forces the review mentions, retired ones too: the card shows names, not ids.
      const mentioned = new Set(r.value.review.panels.map((p) => p.forceId));
      const forceNames = Object.fromEntries((await store.directory.listForces({ includeRetired: true })).filter((f) => mentioned.has(f.id)).map((f) => [f.id, f.name]));
      const model = { review: r.value.review, forceNames, exportUrl, chartUrl, scopeChoices: await choices(r.value.viewer), filterScope: scopeValue(req), months, page };
      return { reply: reviewCard(model), refused: false };
    },
  };
}

const isPersonal = (ctx: TurnContext) => ctx.activity.conversation?.conversationType === 'personal';

const VIEW_REFUSAL = 'Attendance and the review are for panel chairs, force Prevent leads and their deputies, and national leads, and cover only the panels and forces they may see. Type `review` for yours.';

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

/** The `attendance` and `review` commands and their cards' buttons. */
export function registerReviewRoutes(app: TeamsApp, deps: RouteDeps, config: Readonly<AppConfig>): void {
  const { store, clock } = deps;
  const { history, review } = reviewViews(deps, config);

  gatedCommand(app, store, /^\s*attendance(\s.*)?$/i, VIEW_POLICIES.command, async (ctx, caller) => {
    const args = await parseReviewArgs(store, (ctx.activity.text ?? '').replace(/^\s*attendance/i, ''), clock());
    if (!args.ok) return args.error.message;
    const out = await history(caller.aadObjectId, args.value, null, 'older');
    return neutral(caller, out.reply, out.refused);
  });

  gatedCommand(app, store, /^\s*review(\s.*)?$/i, VIEW_POLICIES.command, async (ctx, caller) => {
    const args = await parseReviewArgs(store, (ctx.activity.text ?? '').replace(/^\s*review/i, ''), clock());
    if (!args.ok) return args.error.message;
    const out = await review(caller.aadObjectId, { ...lastMonths(clock()), ...args.value }, 12, 0, isPersonal(ctx));
    return neutral(caller, out.reply, out.refused);
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

/** The CSV export, as a download nobody keeps. */
async function csvReport(deps: RouteDeps, id: string): Promise<HttpResponse> {
  const csv = await exportCsv(deps.store, id, deps.clock());
  if (!csv.ok) return NOT_FOUND;
  const headers = {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': 'attachment; filename="recommendation-7-review.csv"',
    'cache-control': 'private, no-store',
  };
  return { status: 200, headers, body: csv.value };
}

/** The chart the review card shows: drawn on each request, kept by the viewer's own cache no longer than the link lives. */
async function chartReport(deps: RouteDeps, id: string): Promise<HttpResponse> {
  const chart = await exportChart(deps.store, id, deps.clock());
  if (!chart.ok) return NOT_FOUND;
  const headers = { 'content-type': 'image/png', 'cache-control': `private, max-age=${chart.value.secondsLeft}`, 'x-content-type-options': 'nosniff' };
  return { status: 200, headers, body: chart.value.png };
}

/** `GET /reports/<signed-id>.csv` and `.png`: the review export and chart; an altered, expired or no-longer-permitted link is 404. */
export function reviewHttpRoutes(deps: RouteDeps): HttpRoute[] {
  return [
    {
      method: 'GET',
      // A wildcard, because restify's router refuses named parameters longer than 100 characters and a signed id is longer.
      path: '/reports/*',
      handler: async (req) => {
        const file = req.params['*'] ?? '';
        if (file.endsWith('.csv')) return csvReport(deps, file.slice(0, -4));
        if (file.endsWith('.png')) return chartReport(deps, file.slice(0, -4));
        return NOT_FOUND;
      },
    },
  ];
}
