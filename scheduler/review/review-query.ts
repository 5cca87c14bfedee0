import { accessFor, forcesSeen, mayView, noAccess, ownForces, seesAll, seesArea, seesForce, seesPanel, type Access } from '../people/access.js';
import { areasOf } from '../domain/areas.js';
import { lastMonths } from '../domain/date-range.js';
import type { FlagFacts, FlagMeeting } from '../domain/flags.js';
import { fail, ok, type Force, type Panel, type Result } from '../domain/types.js';
import { areaLabel, computeReview, loadFrom, type Review, type ReviewArea, type ReviewInput, type ReviewScope } from './review.js';
import type { Store } from '../store/store.js';

/** What someone asked to review; every field narrows. Instants are ISO UTC, `to` exclusive. */
export interface ReviewRequest {
  forceId?: string;
  /** An area of a force (its panels, as that force): never with forceId or panelId. */
  areaId?: string;
  panelId?: string;
  from?: string;
  to?: string;
}

type Named = { id: string; name: string };

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
  if (req.areaId) return areaScope(store, access, all, req.areaId);
  if (req.panelId) {
    const panel = all.find((p) => p.id === req.panelId);
    if (!panel) return fail('NOT_FOUND', `There is no panel "${req.panelId}".`);
    if (!seesPanel(access, panel)) return fail('FORBIDDEN', `You cannot review ${panel.name}: it is not one of your panels or forces.`);
    return ok({ scope: { forces: forcesSeen(access, panel), panels: [panel.id], label: panel.name }, panels: [panel] });
  }
  if (seesAll(access)) return ok({ scope: { forces: null, panels: null, label: 'all forces' }, panels: all });
  // A force's leads and its read-only viewers (a PCC's office, a regional unit) see its panels, as far as that force
  // goes; an area's team its area's panels, as far as the area's force goes.
  const forces = ownForces(access);
  const areas = await ownAreas(store, access, forces);
  if (forces.length || areas.length) {
    const names = await Promise.all(forces.map(async (f) => (await store.directory.getForce(f))?.name ?? f));
    const panels = all.filter((p) => p.forces.some((f) => forces.includes(f)) || areas.some((a) => a.panels.includes(p.id)));
    const forcePanels = Object.fromEntries([...new Set(areas.map((a) => a.forceId))].map((f) => [f, areas.filter((a) => a.forceId === f).flatMap((a) => a.panels)]));
    const scope: ReviewScope = {
      forces: [...new Set([...forces, ...areas.map((a) => a.forceId)])].sort(), panels: panels.map((p) => p.id), label: [...names, ...areas.map((a) => a.label)].join(', '),
      ...(areas.length ? { forcePanels } : {}), ...(!forces.length && areas.length === 1 ? { areaId: areas[0]!.id } : {}),
    };
    return ok({ scope, panels });
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

/** The areas a person is on the team of, outside the forces they see whole, with their labels. */
async function ownAreas(store: Store, access: Access, forces: string[]): Promise<Array<ReviewArea & { label: string }>> {
  if (!access.areas.size) return [];
  const mine = areasOf(await store.directory.listForces()).filter((a) => access.areas.has(a.id) && !forces.includes(a.forceId));
  return mine.map((a) => ({ id: a.id, name: a.name, forceId: a.forceId, panels: a.panels, label: areaLabel(a.name, a.forceName) }));
}

/** An area's review: its panels, as its force; for whoever sees the force, and the area's own team. */
async function areaScope(store: Store, access: Access, all: Panel[], areaId: string): Promise<Result<{ scope: ReviewScope; panels: Panel[] }>> {
  const area = areasOf(await store.directory.listForces()).find((a) => a.id === areaId);
  if (!area) return fail('NOT_FOUND', `There is no area "${areaId}".`);
  if (!seesArea(access, area)) return fail('FORBIDDEN', `You cannot review ${area.name}: only its own leads and deputies, its force's, national leads and its force's read-only viewers can.`);
  const panels = all.filter((p) => area.panels.includes(p.id) && p.forces.includes(area.forceId));
  const ids = panels.map((p) => p.id);
  return ok({ scope: { forces: [area.forceId], panels: ids, label: areaLabel(area.name, area.forceName), forcePanels: { [area.forceId]: ids }, areaId: area.id }, panels });
}

/** The areas of the forces a review covers (for its table by area, and its export rows' areas). */
const reviewAreas = (forces: Force[], scope: ReviewScope): ReviewArea[] =>
  areasOf(forces).filter((a) => !scope.forces || scope.forces.includes(a.forceId)).map(({ id, name, forceId, panels }) => ({ id, name, forceId, panels }));

/**
 * How much of each meeting's records a review loads: `facts`, what its figures and flags read (the default), or
 * `whole`, for the CSV export's rows (names, roles, sources, other agencies).
 */
export type ReviewRecords = 'facts' | 'whole';
export type MeetingsOf<R extends ReviewRecords> = R extends 'whole' ? FlagMeeting : FlagFacts;

/** A review computed, what it was computed from, and whom for. */
export type LoadedReview<M extends FlagFacts = FlagFacts> = { review: Review; input: ReviewInput<M>; viewer: Viewer };

/**
 * Loads what a review needs in a few set-based queries, then computes it. Default period: the last 12 months.
 * Records are loaded whole only when asked for by name, so the type always says what was loaded.
 */
export function loadReview(store: Store, actor: string | null, req: ReviewRequest, now: string, records?: 'facts'): Promise<Result<LoadedReview>>;
export function loadReview(store: Store, actor: string | null, req: ReviewRequest, now: string, records: 'whole'): Promise<Result<LoadedReview<FlagMeeting>>>;
export function loadReview<R extends ReviewRecords>(store: Store, actor: string | null, req: ReviewRequest, now: string, records: R): Promise<Result<LoadedReview<MeetingsOf<R>>>>;
export async function loadReview(store: Store, actor: string | null, req: ReviewRequest, now: string, records: ReviewRecords = 'facts'): Promise<Result<LoadedReview>> {
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
  const slice = { panelIds: scope.panels && [...scope.panels, ...guests.map((p) => p.id)], from: loadFrom(from, to), to };
  const meetings: FlagFacts[] = records === 'whole' ? await store.review.meetingsWithRecords(slice) : await store.review.meetingFacts(slice);
  // A retired panel stays for the history it has in the period or in the periods it is compared with.
  const present = new Set(meetings.map((m) => m.panelId));
  const areas = reviewAreas(await store.directory.listForces(), scope);
  // A review narrowed to one area or panel has no table by area: its one row would be its total.
  const input: ReviewInput = { scope, panels: [...panels, ...guests].filter((p) => !p.retired || present.has(p.id)), meetings, from, to, now, areas, byArea: !req.panelId && !scope.areaId };
  return ok({ review: computeReview(input), input, viewer });
}

/** Panels outside the scope's own that a force in scope was invited to a meeting of (its review counts those meetings). */
async function invitedPanels(store: Store, scope: ReviewScope, panels: Panel[]): Promise<Panel[]> {
  if (!scope.forces || !scope.panels) return [];
  // A force seen only in part (an area's) is judged on its area's panels alone, never on meetings it was invited to.
  const whole = scope.forces.filter((f) => !scope.forcePanels?.[f]);
  const ids = (await Promise.all(whole.map((f) => store.chairs.invitedMeetings(f)))).flat();
  const meetings = await Promise.all([...new Set(ids)].map((id) => store.meetings.get(id)));
  const extra = new Set(meetings.flatMap((m) => (m && !scope.panels!.includes(m.panelId) ? [m.panelId] : [])));
  return extra.size ? (await store.directory.listPanels({ includeRetired: true })).filter((p) => extra.has(p.id) && !panels.some((x) => x.id === p.id)) : [];
}

/**
 * The forces, areas and panels a person may pick in a filter (a national lead: every force and area, and panels
 * when few), from the viewer a review or history was just decided for: only the force list is read.
 */
export async function visibleScopes(store: Store, { access, panels }: Viewer): Promise<{ forces: Named[]; areas: Named[]; panels: Named[] }> {
  const forces = await store.directory.listForces();
  return {
    forces: forces.filter((f) => seesForce(access, f.id)).map((f) => ({ id: f.id, name: f.name })),
    areas: areasOf(forces).filter((a) => seesArea(access, a)).map((a) => ({ id: a.id, name: areaLabel(a.name, a.forceName) })),
    // Retired panels are kept for the review's history, but are not offered as a filter.
    panels: panels.filter((p) => !p.retired && seesPanel(access, p)).map((p) => ({ id: p.id, name: p.name })),
  };
}
