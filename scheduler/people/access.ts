import { parseAreaScope } from '../domain/areas.js';
import type { Panel } from '../domain/types.js';
import type { DirectoryReads } from '../store/store.js';

/**
 * What one person may do, decided from the store on every request (never from card data). Decide inside the write's
 * transaction (`accessFor(tx, …)`), or, for a write made outside one, from reads straight from the database
 * (`store.pressReads`, with `store.freshDirectory` for anything else). Through the store itself, roles may be up to DIRECTORY_TTL_MS old (the directory cache), which
 * is fine for choosing what to show, not for letting a write happen.
 *
 * Two scopes, kept apart: what a person acts for (`national`, `forces`, `panels`), which every `canActFor*` reads, and
 * what they only read (`readsAll`, `reads`), which only the predicates that decide what is shown read. A read-only
 * role therefore never lets anyone link, nominate, cancel or record, whatever a handler asks.
 */
export interface Access {
  aadObjectId: string;
  national: boolean;
  /** Forces the person leads or deputises for. */
  forces: Set<string>;
  /** Panels the person chairs. */
  panels: Set<string>;
  /** Forces the person may read and not act for: a PCC's office its force, a regional counter terrorism unit its region's. */
  reads: Set<string>;
  /** Reads every force and acts for none: an HMICFRS inspector. */
  readsAll: boolean;
  /**
   * The areas (parts of big forces) the person leads or deputises for, by area id: the force, and the panels they act
   * for on its behalf. Never the whole force: a force's areas are handed to their own teams.
   */
  areas: Map<string, { forceId: string; panels: Set<string> }>;
}

/** Someone with no role at all. */
export const noAccess = (aadObjectId = ''): Access => ({ aadObjectId, national: false, forces: new Set(), panels: new Set(), reads: new Set(), readsAll: false, areas: new Map() });

/**
 * Who is asking, as Teams says: their tenant, beside the deployment's own (HOME_TENANT_ID) and the councils'
 * (PARTNER_TENANT_IDS). Identity is tenant and object id: a role is theirs only when its holder's tenant (the file's
 * `tenantId`, else the home tenant) is theirs, and a council tenant's people hold only the chairs the file names.
 */
export interface CallerTenant {
  tenantId: string | null;
  homeTenantId: string | null;
  partnerTenantIds: readonly string[];
}

/** Whether a role the store holds is this caller's, by tenant (see CallerTenant). */
export function roleTenantMatches(role: string, holderTenant: string | null, who: CallerTenant): boolean {
  const caller = who.tenantId?.toLowerCase() ?? null;
  // No home tenant configured (local mode, the Playground, a deployment that has not set it): object id alone, as
  // before tenants were kept. PARTNER_TENANT_IDS needs a home tenant, so no council tenant is known here.
  if (who.homeTenantId === null) return true;
  const partner = !!caller && who.partnerTenantIds.includes(caller);
  if (partner && role !== 'chair') return false;
  return (holderTenant ?? who.homeTenantId) === caller;
}

/**
 * Loads a person's roles from the store (retired forces and panels confer none). An unknown person, or role, has none.
 * With `who` (the gate, which knows the caller's tenant from Teams), only roles of the caller's tenant count.
 */
export async function accessFor(repos: { directory: Pick<DirectoryReads, 'rolesOf' | 'getForce' | 'getPanel'> }, aadObjectId: string | undefined, who?: CallerTenant): Promise<Access> {
  const access = noAccess((aadObjectId ?? '').toLowerCase());
  if (!access.aadObjectId) return access;
  const roles = (await repos.directory.rolesOf(access.aadObjectId)).filter((r) => !who || roleTenantMatches(r.role, r.tenantId, who));
  for (const { role, scopeId } of roles) {
    if (role === 'national-lead') access.national = true;
    else if (role === 'chair') access.panels.add(scopeId);
    else if (role === 'prevent-lead' || role === 'deputy') access.forces.add(scopeId);
    else if (role === 'inspector') access.readsAll = true;
    else if (role === 'pcc-office' || role === 'region') access.reads.add(scopeId);
    else if (role === 'area-lead' || role === 'area-deputy') await addArea(repos, access, scopeId);
  }
  for (const set of [access.forces, access.reads]) for (const id of set) if ((await repos.directory.getForce(id))?.retired !== false) set.delete(id);
  for (const id of access.panels) if ((await repos.directory.getPanel(id))?.retired !== false) access.panels.delete(id);
  return access;
}

/** An area's role, if the area is still in the file under a force that is not retired. */
async function addArea(repos: { directory: Pick<DirectoryReads, 'getForce'> }, access: Access, scope: string): Promise<void> {
  const at = parseAreaScope(scope);
  const force = at ? await repos.directory.getForce(at.forceId) : null;
  const area = force && !force.retired ? force.areas?.find((a) => a.id === at!.areaId) : undefined;
  if (area) access.areas.set(area.id, { forceId: force!.id, panels: new Set(area.panels) });
}

/** Prevent leads and deputies act for their force (every panel of it); national leads for every force. Never a read-only role. */
export const canActForForce = (a: Access, forceId: string): boolean => a.national || a.forces.has(forceId);

/** Whether someone acts for this force on this panel: its leads, deputies and national leads, or the panel's area team. */
export const canActForForceOn = (a: Access, forceId: string, panelId: string): boolean => canActForForce(a, forceId) || actsForAreaPanel(a, forceId, panelId);

/** An area lead or deputy whose area (of this force) covers the panel. */
export const actsForAreaPanel = (a: Access, forceId: string, panelId: string): boolean => [...a.areas.values()].some((x) => x.forceId === forceId && x.panels.has(panelId));

/** Whether someone acts for an area: the force's leads and deputies, national leads, and the area's own team. */
export const canActForArea = (a: Access, area: { id: string; forceId: string }): boolean => canActForForce(a, area.forceId) || a.areas.has(area.id);

/** Whether someone acts for some part of a force: the whole of it, or one of its areas. */
export const actsInForce = (a: Access, forceId: string): boolean => canActForForce(a, forceId) || [...a.areas.values()].some((x) => x.forceId === forceId);

/** Whether someone reads an area: whoever sees its force, and its own team. */
export const seesArea = (a: Access, area: { id: string; forceId: string }): boolean => seesForce(a, area.forceId) || a.areas.has(area.id);

/** Chairs act for their panel; national leads for every panel. Never a read-only role. */
export const canActForPanel = (a: Access, panelId: string): boolean => a.national || a.panels.has(panelId);

/** Anyone with a role that acts: national lead, force Prevent lead or deputy, area lead or deputy, chair. */
export const hasRole = (a: Access): boolean => a.national || a.forces.size > 0 || a.panels.size > 0 || a.areas.size > 0;

/** Anyone with a role, read-only ones included: who may see some review, history, flags or feed. */
export const mayView = (a: Access): boolean => hasRole(a) || a.readsAll || a.reads.size > 0;

/** National leads and inspectors see every force. */
export const seesAll = (a: Access): boolean => a.national || a.readsAll;

/** Whether a person sees a force's review, history and feeds: its leads and deputies, its readers, and whoever sees all. */
export const seesForce = (a: Access, forceId: string): boolean => seesAll(a) || a.forces.has(forceId) || a.reads.has(forceId);

/** The forces a person sees as their own (acts for or reads), not counting those every-force viewers see. */
export const ownForces = (a: Access): string[] => [...new Set([...a.forces, ...a.reads])].sort();

/** Whether a person may see a panel at all: whoever sees all, its chair, or someone who sees a force it faces. Retired or not is the caller's to decide. */
export const seesPanel = (a: Access, p: Panel): boolean => seesAll(a) || a.panels.has(p.id) || p.forces.some((f) => a.forces.has(f) || a.reads.has(f) || actsForAreaPanel(a, f, p.id));

/** The panels a person may see: a chair their panels, a force's leads and readers its panels, national leads and inspectors all. */
export const visiblePanels = (a: Access, panels: Panel[]): Panel[] => (seesAll(a) ? panels : panels.filter((p) => seesPanel(a, p)));

/** National leads, inspectors and a panel's chairs see every force's part of it (nominees, attendance, flags). */
export const seesEveryForce = (a: Access, panelId: string): boolean => seesAll(a) || a.panels.has(panelId);

/** Whether a person sees one force's part of a panel: every force's, a force they act for or read, or their area's panel. */
export const seesForceOf = (a: Access, panelId: string, forceId: string): boolean => seesEveryForce(a, panelId) || seesForce(a, forceId) || actsForAreaPanel(a, forceId, panelId);

/** The forces of a panel a person sees: null (every one) for national leads, inspectors and its chairs, else only their own. */
export const forcesSeen = (a: Access, p: Panel): string[] | null => (seesEveryForce(a, p.id) ? null : p.forces.filter((f) => seesForceOf(a, p.id, f)));
