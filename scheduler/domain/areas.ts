import type { Area, Force, Person } from './types.js';

/** The scope of an area's roles: its force and its id, so a person's roles name the force without another read. */
export const areaScope = (forceId: string, areaId: string): string => `${forceId}/${areaId}`;

/** A role scope's force and area, or null for a scope that is not an area's. Ids never hold '/'. */
export function parseAreaScope(scope: string): { forceId: string; areaId: string } | null {
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+)$/.exec(scope);
  return m ? { forceId: m[1]!, areaId: m[2]! } : null;
}

/** The force's area that covers a panel, if any (a panel is in at most one area of each force). */
export const areaOfPanel = (force: Pick<Force, 'areas'>, panelId: string): Area | undefined => force.areas?.find((a) => a.panels.includes(panelId));

/** Every area of these forces, with the force it belongs to. */
export const areasOf = (forces: readonly Force[]): Array<Area & { forceId: string; forceName: string }> =>
  forces.flatMap((f) => (f.areas ?? []).map((a) => ({ ...a, forceId: f.id, forceName: f.name })));

/**
 * Who acts for a force on one panel, each once: the team of the force's area that covers it (leads, then deputies),
 * then the force's own leads and deputies. Who is told of a change there, suggested on its cards, and named by a card.
 */
export function teamFor(force: Pick<Force, 'areas' | 'preventLeads' | 'deputies'>, panelId: string): Person[] {
  const area = areaOfPanel(force, panelId);
  return eachOnce([...(area?.leads ?? []), ...(area?.deputies ?? []), ...force.preventLeads, ...force.deputies]);
}

/** Who is told personally that nobody is named yet: the area's leads first (the panel is theirs), then the force's, each once. */
export function leadsFor(force: Pick<Force, 'areas' | 'preventLeads'>, panelId: string): Person[] {
  return eachOnce([...(areaOfPanel(force, panelId)?.leads ?? []), ...force.preventLeads]);
}

/** People in order, each once: object ids are GUIDs, compared in any case. */
function eachOnce(people: Person[]): Person[] {
  const seen = new Set<string>();
  return people.filter((p) => {
    const key = p.aadObjectId.toLowerCase();
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
