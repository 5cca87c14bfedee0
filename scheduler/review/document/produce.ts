import type { AuditKey } from '../../domain/audit-chain.js';
import { ok, type Result } from '../../domain/types.js';
import { reportLines, reportOk, verifyAuditLog } from '../../audit/verify.js';
import type { Store } from '../../store/store.js';
import { reviewChartSpec } from '../chart.js';
import { loadReview, OPERATOR, type ReviewRequest } from '../review-query.js';
import type { Review } from '../review.js';
import { previousSignoff, signoffScopeOf } from '../signoff.js';
import type { PreviousActions } from './blocks.js';
import { reportFileName } from './file-name.js';
import { documentModel } from './model.js';

export const DOCUMENT_FORMATS = ['docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

export const CONTENT_TYPES: Record<DocumentFormat, string> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
};

/**
 * The previous sign-off of a review's scope with its actions' state at `now`, or null when none is recorded (or the
 * scope, a panel's or several forces', is not one a sign-off is recorded for). The sign-off feature provides it
 * (`signoffScopeOf` and `previousSignoff` in ../signoff.ts); it is read from the same store the review was.
 */
export type PreviousActionsLookup = (store: Store, review: Review, request: ReviewRequest, now: string) => Promise<PreviousActions>;

/** The review's previous sign-off, for a force's or the national view (a panel's, an area's or a mixed scope has none). */
export const LATEST_SIGNOFF: PreviousActionsLookup = async (store, review, request, now) => {
  // An area's review (a force seen in part) is not its force's: the force's sign-off is not shown on it.
  const scope = signoffScopeOf(review.scope, !!request.panelId || !!review.scope.forcePanels);
  return scope ? previousSignoff(store, scope, review.from, now, review.to) : null;
};

export interface DocumentDeps {
  store: Store;
  /** The audit chain's key: the document verifies the whole log when it is made and prints its head. */
  auditKey: AuditKey;
  /** PROTECTIVE_MARKING. */
  marking: string;
  previousActions?: PreviousActionsLookup;
}

export interface MadeDocument {
  bytes: Buffer;
  contentType: string;
  fileName: string;
}

/** Who made a document, in words: the command line's operator, or the person by the name the forces and panels file gives. */
async function producerName(store: Store, actor: string | null): Promise<string> {
  if (actor === OPERATOR) return 'the command line operator';
  const aad = actor.toLowerCase();
  const named = (people: Array<{ aadObjectId: string; name: string }>) => people.find((p) => p.aadObjectId.toLowerCase() === aad)?.name;
  const [leads, forces, panels, readers] = await Promise.all([
    store.directory.listNationalLeads(), store.directory.listForces(), store.directory.listPanels(), store.directory.listReaders(),
  ]);
  return named(leads) ?? forces.map((f) => named([...f.preventLeads, ...f.deputies])).find(Boolean) ?? panels.map((p) => named(p.chairs)).find(Boolean) ??
    named(readers.map((r) => r.person)) ?? 'a person with a role in the bot';
}

/**
 * The document of a review already loaded (and so already authorised) for `actor`: the audit log verified now, the
 * previous sign-off's actions, the chart drawn from the card's own spec, then rendered. `now` is when it is made.
 */
export async function documentOf(deps: DocumentDeps, actor: string | null, request: ReviewRequest, review: Review, format: DocumentFormat, now: string): Promise<MadeDocument> {
  const { store } = deps;
  // vega, resvg and the renderers take a while to load: loaded by the first document asked for, not by every start.
  const [{ chartPng }, render] = await Promise.all([import('../chart-render.js'), format === 'pdf' ? import('./pdf.js') : import('./docx.js')]);
  const [report, previousActions, producedBy, forces, panels, png] = await Promise.all([
    verifyAuditLog(store, deps.auditKey),
    (deps.previousActions ?? LATEST_SIGNOFF)(store, review, request, now),
    producerName(store, actor),
    store.directory.listForces({ includeRetired: true }),
    store.directory.listPanels({ includeRetired: true }),
    chartPng(reviewChartSpec(review)),
  ]);
  const model = documentModel({
    review, forceNames: Object.fromEntries(forces.map((f) => [f.id, f.name])), panelNames: Object.fromEntries(panels.map((p) => [p.id, p.name])), marking: deps.marking, producedAt: now, producedBy,
    audit: { head: report.head, ok: reportOk(report), problems: reportOk(report) ? 0 : reportLines(report).length }, previousActions,
  });
  const bytes = 'renderPdf' in render ? await render.renderPdf(model, png, now) : await render.renderDocx(model, png, now, producedBy);
  return { bytes, contentType: CONTENT_TYPES[format], fileName: reportFileName(deps.marking, review, request, format) };
}

/** `review --format docx|pdf`: the review of `request` as `actor` may see it at `now`, as a document. */
export async function makeReviewDocument(deps: DocumentDeps, actor: string | null, request: ReviewRequest, format: DocumentFormat, now: string): Promise<Result<MadeDocument>> {
  const loaded = await loadReview(deps.store, actor, request, now);
  if (!loaded.ok) return loaded;
  return ok(await documentOf(deps, actor, request, loaded.value.review, format, now));
}
