import type { Force, Panel } from './domain/types.js';
import type { Repos } from './store/store.js';

/** What one person may do, decided from the store on every request (never from card data). */
export interface Access {
  aadObjectId: string;
  national: boolean;
  /** Forces the person leads or deputises for. */
  forces: Set<string>;
  /** Panels the person chairs. */
  panels: Set<string>;
}

const has = (people: Array<{ aadObjectId: string }>, aad: string) => people.some((p) => p.aadObjectId === aad);

/** Loads a person's roles. An unknown person has none. */
export async function accessFor(repos: Pick<Repos, 'directory'>, aadObjectId: string | undefined): Promise<Access> {
  const aad = (aadObjectId ?? '').toLowerCase();
  if (!aad) return { aadObjectId: '', national: false, forces: new Set(), panels: new Set() };
  const [leads, forces, panels] = await Promise.all([
    repos.directory.listNationalLeads(),
    repos.directory.listForces(),
    repos.directory.listPanels(),
  ]);
  return {
    aadObjectId: aad,
    national: has(leads, aad),
    forces: new Set(forces.filter((f: Force) => has(f.preventLeads, aad) || has(f.deputies, aad)).map((f) => f.id)),
    panels: new Set(panels.filter((p: Panel) => has(p.chairs, aad)).map((p) => p.id)),
  };
}

/** Prevent leads and deputies act for their force; national leads for every force. */
export const canActForForce = (a: Access, forceId: string): boolean => a.national || a.forces.has(forceId);

/** Chairs act for their panel; national leads for every panel. */
export const canActForPanel = (a: Access, panelId: string): boolean => a.national || a.panels.has(panelId);
