import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { verifyAuditLog } from '../scheduler/audit/verify.js';
import { accessFor, canActForArea, canActForForce, canActForForceOn, seesArea, seesPanel } from '../scheduler/people/access.js';
import { parsePanelsConfig, type ConfigWithReaders } from '../scheduler/planning/panels-config.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore } from './support/stores.js';

// Issue 24: areas of a big force are kept with the force, their teams are roles, and a sync of an unchanged file
// changes nothing. What an area's team may do is decided from the store, like every other role.

const NOW = '2026-11-22T12:00:00.000Z';
const SOUTH_LEAD = { aadObjectId: '5d1a0c1e-0001-4a00-8a00-000000000001', name: 'Sian Lloyd' };
const SOUTH_DEPUTY = { aadObjectId: '5d1a0c1e-0002-4a00-8a00-000000000002', name: 'Ravi Patel' };
const EAST_LEAD = { aadObjectId: '5d1a0c1e-0003-4a00-8a00-000000000003', name: 'Erin Doyle' };

function config(areas: unknown[] | undefined): ConfigWithReaders {
  const doc = parse(readFileSync('config/panels.sample.yaml', 'utf8'));
  const hampshire = doc.forces.find((f: { id: string }) => f.id === 'hampshire');
  if (areas) hampshire.areas = areas;
  const r = parsePanelsConfig(doc);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const twoAreas = () => config([
  { id: 'hants-south', name: 'South Hampshire', panels: ['southampton'], leads: [SOUTH_LEAD], deputies: [SOUTH_DEPUTY] },
  { id: 'hants-east', name: 'East Hampshire and Portsmouth', panels: ['portsmouth'], leads: [EAST_LEAD] },
]);

describe.each(STORE_KINDS)('areas on %s', (kind) => {
  const t = useFreshStore(kind);

  it('keeps areas with their force, and a second sync of the same file changes nothing', async () => {
    await syncPanels(t.store, twoAreas(), NOW);
    expect((await t.store.directory.getForce('hampshire'))!.areas).toEqual([
      { id: 'hants-south', name: 'South Hampshire', panels: ['southampton'], leads: [SOUTH_LEAD], deputies: [SOUTH_DEPUTY] },
      { id: 'hants-east', name: 'East Hampshire and Portsmouth', panels: ['portsmouth'], leads: [EAST_LEAD], deputies: [] },
    ]);
    expect((await t.store.directory.getForce('cambs'))!).not.toHaveProperty('areas');
    expect((await syncPanels(t.store, twoAreas(), NOW)).changes).toBe(0);
    expect(await verifyAuditLog(t.store, TEST_AUDIT_KEY)).toMatchObject({ broken: null, state: [] });
  });

  it("gives an area's team its panels only, never the whole force, and takes it away with the area", async () => {
    await syncPanels(t.store, twoAreas(), NOW);
    const deputy = await accessFor(t.store, SOUTH_DEPUTY.aadObjectId);
    expect(canActForForceOn(deputy, 'hampshire', 'southampton')).toBe(true);
    expect(canActForForceOn(deputy, 'hampshire', 'portsmouth')).toBe(false);
    expect(canActForForceOn(deputy, 'hampshire', 'hampshire')).toBe(false);
    expect(canActForForce(deputy, 'hampshire')).toBe(false);
    expect(canActForArea(deputy, { id: 'hants-south', forceId: 'hampshire' })).toBe(true);
    expect(canActForArea(deputy, { id: 'hants-east', forceId: 'hampshire' })).toBe(false);
    expect(seesArea(deputy, { id: 'hants-east', forceId: 'hampshire' })).toBe(false);
    const portsmouth = (await t.store.directory.getPanel('portsmouth'))!;
    const southampton = (await t.store.directory.getPanel('southampton'))!;
    expect([seesPanel(deputy, southampton), seesPanel(deputy, portsmouth)]).toEqual([true, false]);
    // The force's lead keeps the whole force, areas included.
    const gareth = await accessFor(t.store, '36f675cc-81e7-4ef5-a8e2-5d940ed90475');
    expect(canActForForceOn(gareth, 'hampshire', 'portsmouth') && canActForArea(gareth, { id: 'hants-east', forceId: 'hampshire' })).toBe(true);

    // Southampton moves to East: the South team loses it; then the areas go, and so do their roles.
    await syncPanels(t.store, config([
      { id: 'hants-south', name: 'South Hampshire', panels: ['hampshire'], leads: [SOUTH_LEAD], deputies: [SOUTH_DEPUTY] },
      { id: 'hants-east', name: 'East Hampshire and Portsmouth', panels: ['portsmouth', 'southampton'], leads: [EAST_LEAD] },
    ]), NOW);
    expect(canActForForceOn(await accessFor(t.store, SOUTH_DEPUTY.aadObjectId), 'hampshire', 'southampton')).toBe(false);
    expect(canActForForceOn(await accessFor(t.store, EAST_LEAD.aadObjectId), 'hampshire', 'southampton')).toBe(true);
    const report = await syncPanels(t.store, config(undefined), NOW);
    expect(report.forces.changed).toBe(1);
    expect(await t.store.directory.rolesOf(SOUTH_DEPUTY.aadObjectId)).toEqual([]);
    expect((await accessFor(t.store, EAST_LEAD.aadObjectId)).areas.size).toBe(0);
    expect((await t.store.directory.getForce('hampshire'))!).not.toHaveProperty('areas');
  });

  it("gives no area role once the force is retired", async () => {
    await syncPanels(t.store, twoAreas(), NOW);
    const without = twoAreas();
    without.forces = without.forces.filter((f) => f.id !== 'hampshire');
    without.panels = without.panels.filter((p) => !p.forces.includes('hampshire'));
    await syncPanels(t.store, without, NOW);
    expect((await accessFor(t.store, SOUTH_LEAD.aadObjectId)).areas.size).toBe(0);
  });
});
