import { accessFor, forcesSeen, mayView, noAccess, ownForces, seesAll, seesForce, seesPanel, type Access } from '../people/access.js';
import { lastMonths } from '../domain/date-range.js';
import { fail, ok, type Panel, type Result } from '../domain/types.js';
import { computeReview, loadFrom, type Review, type ReviewInput, type ReviewScope } from './review.js';
import type { Store } from '../store/store.js';

/** What someone asked to review; every field narrows. Instants are ISO UTC, `to` exclusive. */
export interface ReviewRequest {
  forceId?: string;
  panelId?: string;
  from?: string;
  to?: string;
}

/** The operator at the command line sees everything, like a national lead. */
export const OPERATOR = null;

const NATIONAL: Access = { ...noAccess(), national: true };

/** Whom a review or history was decided for: their roles, and every panel (retired too) as read to decide it. */
export interface Viewer {
  access: Access;
  panels: Panel[];
}

/** What a person's review covers, and the viewer it was decided for (so a render need not read them again). */
export interface Scoped {
  scope: ReviewScope;
  panels: Panel[];
  viewer: Viewer;
}

/**
 * Decides, from the store, what a person's review covers. Asking for a force or panel they may not see is a
 * refusal (never an empty report), so nobody mistakes "not yours" for "nothing happened".
 */
export async function reviewScope(store: Store, actor: string | null, req: ReviewRequest): Promise<Result<Scoped>> {
  const access = actor === OPERATOR ? NATIONAL : await accessFor(store, actor);
  if (!mayView(access)) {
    return fail('FORBIDDEN', 'The attendance review is for panel chairs, force Prevent leads and their deputies, national leads, and those given read-only access.');
  }
  const all = await store.directory.listPanels({ includeRetired: true });
  const scoped = await scopeOf(store, access, all, req);
  return scoped.ok ? ok({ ...scoped.value, viewer: { access, panels: all } }) : scoped;
}

async function scopeOf(store: Store, access: Access, all: Panel[], req: ReviewRequest): Promise<Result<{ scope: ReviewScope; panels: Panel[] }>> {
  if (req.forceId) return forceScope(store, access, all, req);
  if (req.panelId) {
    const panel = all.find((p) => p.id === req.panelId);
    if (!panel) return fail('NOT_FOUND', `There is no panel "${req.panelId}".`);
    if (!seesPanel(access, panel)) return fail('FORBIDDEN', `You cannot review ${panel.name}: it is not one of your panels or forces.`);
    return ok({ scope: { forces: forcesSeen(access, panel), panels: [panel.id], label: panel.name }, panels: [panel] });
  }
  if (seesAll(access)) return ok({ scope: { forces: null, panels: null, label: 'all forces' }, panels: all });
  // A force's leads and its read-only viewers (a PCC's office, a regional unit) see its panels, as far as that force goes.
  const forces = ownForces(access);
  if (forces.length) {
    const names = await Promise.all(forces.map(async (f) => (await store.directory.getForce(f))?.name ?? f));
    const panels = all.filter((p) => p.forces.some((f) => forces.includes(f)));
    return ok({ scope: { forces, panels: panels.map((p) => p.id), label: names.join(', ') }, panels });
  }
  const panels = all.filter((p) => access.panels.has(p.id));
  return ok({ scope: { forces: null, panels: panels.map((p) => p.id), label: panels.map((p) => p.name).join(', ') }, panels });
}

async function forceScope(store: Store, access: Access, all: Panel[], req: ReviewRequest): Promise<Result<{ scope: ReviewScope; panels: Panel[] }>> {
  const force = await store.directory.getForce(req.forceId!);
  if (!force) return fail('NOT_FOUND', `There is no force "${req.forceId}".`);
  if (!seesForce(access, force.id)) {
    return fail('FORBIDDEN', `You cannot review ${force.name}: only its Prevent leads, their deputies, national leads and its read-only viewers can.`);
  }
  let panels = all.filter((p) => p.forces.includes(force.id));
  if (req.panelId) {
    panels = panels.filter((p) => p.id === req.panelId);
    if (!panels.length) return fail('NOT_FOUND', `Panel "${req.panelId}" does not face ${force.name}.`);
  }
  return ok({ scope: { forces: [force.id], panels: panels.map((p) => p.id), label: force.name }, panels });
}

/** Loads what a review needs in a few set-based queries, then computes it. Default period: the last 12 months. */
export async function loadReview(store: Store, actor: string | null, req: ReviewRequest, now: string): Promise<Result<{ review: Review; input: ReviewInput; viewer: Viewer }>> {
  const scoped = await reviewScope(store, actor, req);
  if (!scoped.ok) return scoped;
  const { scope, panels, viewer } = scoped.value;
  const period = lastMonths(now);
  const from = req.from ?? period.from!;
  const to = req.to ?? now;
  if (to <= from) return fail('BAD_RANGE', 'The period ends before it starts.');
  // Earlier meetings too, for the previous period and the same period a year before; and any panel a force in scope
  // was invited to a meeting of.
  const guests = await invitedPanels(store, scope, panels);
  const meetings = await store.review.meetingsWithRecords({ panelIds: scope.panels && [...scope.panels, ...guests.map((p) => p.id)], from: loadFrom(from, to), to });
  // A retired panel stays for the history it has in the period or in the periods it is compared with.
  const present = new Set(meetings.map((m) => m.panelId));
  const input: ReviewInput = { scope, panels: [...panels, ...guests].filter((p) => !p.retired || present.has(p.id)), meetings, from, to, now };
  return ok({ review: computeReview(input), input, viewer });
}

/** Panels outside the scope's own that a force in scope was invited to a meeting of (its review counts those meetings). */
async function invitedPanels(store: Store, scope: ReviewScope, panels: Panel[]): Promise<Panel[]> {
  if (!scope.forces || !scope.panels) return [];
  const ids = (await Promise.all(scope.forces.map((f) => store.chairs.invitedMeetings(f)))).flat();
  const meetings = await Promise.all([...new Set(ids)].map((id) => store.meetings.get(id)));
  const extra = new Set(meetings.flatMap((m) => (m && !scope.panels!.includes(m.panelId) ? [m.panelId] : [])));
  return extra.size ? (await store.directory.listPanels({ includeRetired: true })).filter((p) => extra.has(p.id) && !panels.some((x) => x.id === p.id)) : [];
}

/**
 * The forces and panels a person may pick in a filter (a national lead: every force, and panels when few), from
 * the viewer a review or history was just decided for: only the force list is read.
 */
export async function visibleScopes(store: Store, { access, panels }: Viewer): Promise<{ forces: Array<{ id: string; name: string }>; panels: Array<{ id: string; name: string }> }> {
  const forces = await store.directory.listForces();
  return {
    forces: forces.filter((f) => seesForce(access, f.id)).map((f) => ({ id: f.id, name: f.name })),
    // Retired panels are kept for the review's history, but are not offered as a filter.
    panels: panels.filter((p) => !p.retired && seesPanel(access, p)).map((p) => ({ id: p.id, name: p.name })),
  };
}
