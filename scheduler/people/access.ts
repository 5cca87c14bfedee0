import type { Panel } from '../domain/types.js';
import type { Repos } from '../store/store.js';

/**
 * What one person may do, decided from the store on every request (never from card data). Decide inside the write's
 * transaction (`accessFor(tx, …)`): there every read goes to the database. Through the store itself, roles may be up to
 * DIRECTORY_TTL_MS old (the directory cache), which is fine for choosing what to show, not for letting a write happen.
 */
export interface Access {
  aadObjectId: string;
  national: boolean;
  /** Forces the person leads or deputises for. */
  forces: Set<string>;
  /** Panels the person chairs. */
  panels: Set<string>;
}

/** Loads a person's roles from the store (retired forces and panels confer none). An unknown person has none. */
export async function accessFor(repos: Pick<Repos, 'directory'>, aadObjectId: string | undefined): Promise<Access> {
  const aad = (aadObjectId ?? '').toLowerCase();
  const access: Access = { aadObjectId: aad, national: false, forces: new Set(), panels: new Set() };
  if (!aad) return access;
  for (const { role, scopeId } of await repos.directory.rolesOf(aad)) {
    if (role === 'national-lead') access.national = true;
    else if (role === 'chair') access.panels.add(scopeId);
    else access.forces.add(scopeId);
  }
  for (const id of access.forces) if ((await repos.directory.getForce(id))?.retired !== false) access.forces.delete(id);
  for (const id of access.panels) if ((await repos.directory.getPanel(id))?.retired !== false) access.panels.delete(id);
  return access;
}

/** Prevent leads and deputies act for their force; national leads for every force. */
export const canActForForce = (a: Access, forceId: string): boolean => a.national || a.forces.has(forceId);

/** Chairs act for their panel; national leads for every panel. */
export const canActForPanel = (a: Access, panelId: string): boolean => a.national || a.panels.has(panelId);

/** Anyone with a role: national lead, force Prevent lead or deputy, chair. */
export const hasRole = (a: Access): boolean => a.national || a.forces.size > 0 || a.panels.size > 0;

/** Whether a person may see a panel at all: national, its chair, or a lead of a force it faces. Retired or not is the caller's to decide. */
export const seesPanel = (a: Access, p: Panel): boolean => a.national || a.panels.has(p.id) || p.forces.some((f) => a.forces.has(f));

/** The panels a person may see: a chair their panels, a force lead their force's, a national lead all. */
export const visiblePanels = (a: Access, panels: Panel[]): Panel[] => (a.national ? panels : panels.filter((p) => seesPanel(a, p)));

/** National leads and a panel's chairs see every force's part of it (nominees, attendance, flags). */
export const seesEveryForce = (a: Access, panelId: string): boolean => a.national || a.panels.has(panelId);

/** Whether a person sees one force's part of a panel: every force's, or their own force's. */
export const seesForceOf = (a: Access, panelId: string, forceId: string): boolean => seesEveryForce(a, panelId) || a.forces.has(forceId);

/** The forces of a panel a person sees: null (every one) for national leads and its chairs, else only their own. */
export const forcesSeen = (a: Access, p: Panel): string[] | null => (seesEveryForce(a, p.id) ? null : p.forces.filter((f) => a.forces.has(f)));
