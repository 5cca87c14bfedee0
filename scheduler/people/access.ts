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
