import { readFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { readPanelsFile } from '../bot/panels-file.js';
import { accessFor, roleTenantMatches, type CallerTenant } from '../scheduler/people/access.js';
import { parsePanelsConfig, type ConfigWithReaders } from '../scheduler/planning/panels-config.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

// Issue 20: identity is tenant and object id. The file may give a person's tenant; the store keeps it with the role;
// a caller's roles are those whose holder is of the caller's tenant, and a council tenant's people are chairs only.

const NOW = '2026-11-22T12:00:00.000Z';
const HOME = '11111111-aaaa-4aaa-8aaa-111111111111';
const COUNCIL = '22222222-bbbb-4bbb-8bbb-222222222222';
const CHAIR = { aadObjectId: 'c0c0c0c0-0001-4c00-8c00-000000000001', name: 'Priya Nair' };
const GARETH = '36f675cc-81e7-4ef5-a8e2-5d940ed90475'; // Hampshire's Prevent lead in the sample

function sample(edit: (doc: any) => void = () => undefined): ConfigWithReaders {
  const doc = parse(readFileSync('config/panels.sample.yaml', 'utf8'));
  edit(doc);
  const r = parsePanelsConfig(doc);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
const councilChair = (doc: any) => {
  doc.panels.find((p: any) => p.id === 'southampton').chairs.push({ ...CHAIR, tenantId: COUNCIL.toUpperCase() });
};
const who = (tenantId: string | null): CallerTenant => ({ tenantId, homeTenantId: HOME, partnerTenantIds: [COUNCIL] });

describe('people of other organisations in the file', () => {
  it('keeps a tenant id, lower-cased, and refuses one that is not a GUID', () => {
    const chairs = sample(councilChair).panels.find((p) => p.id === 'southampton')!.chairs;
    expect(chairs.at(-1)).toEqual({ ...CHAIR, tenantId: COUNCIL });
    expect(chairs[0]).not.toHaveProperty('tenantId');
    const bad = parsePanelsConfig({ ...parse(readFileSync('config/panels.sample.yaml', 'utf8')), nationalLeads: [{ ...CHAIR, tenantId: 'council' }] });
    expect(bad.ok ? [] : bad.problems).toEqual(['nationalLeads[0].tenantId: must be an Entra tenant id (a GUID)']);
  });

  it('refuses a council tenant anywhere but a chair, naming where, when PARTNER_TENANT_IDS lists it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenants-'));
    try {
      const doc = parse(readFileSync('config/panels.sample.yaml', 'utf8'));
      councilChair(doc);
      doc.forces.find((f: any) => f.id === 'hampshire').deputies.push({ ...CHAIR, tenantId: COUNCIL });
      const path = join(dir, 'panels.yaml');
      writeFileSync(path, stringify(doc));
      const r = await readPanelsFile(path, [COUNCIL]);
      expect(r.ok ? '' : r.error.message).toContain(`forces[1].deputies[1].tenantId: "${COUNCIL}" is a council tenant (PARTNER_TENANT_IDS), whose people may only be panel chairs`);
      expect(r.ok ? '' : r.error.message).not.toContain('panels[');
      expect((await readPanelsFile(path, [])).ok).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('decides each role by the caller\'s tenant: the file\'s, else the home tenant; a council\'s people chair only', () => {
    expect(roleTenantMatches('chair', COUNCIL, who(COUNCIL))).toBe(true);
    expect(roleTenantMatches('chair', COUNCIL, who(HOME))).toBe(false);
    expect(roleTenantMatches('prevent-lead', null, who(HOME))).toBe(true);
    expect(roleTenantMatches('prevent-lead', null, who(COUNCIL))).toBe(false);
    expect(roleTenantMatches('prevent-lead', COUNCIL, who(COUNCIL))).toBe(false);
    expect(roleTenantMatches('inspector', null, who('33333333-cccc-4ccc-8ccc-333333333333'))).toBe(false);
    // No home tenant configured: a role the file gives no tenant is matched on object id, as before.
    expect(roleTenantMatches('deputy', null, { tenantId: 'anything', homeTenantId: null, partnerTenantIds: [] })).toBe(true);
  });
});

describe.each(STORE_KINDS)('tenants on %s', (kind) => {
  const t = useFreshStore(kind);

  it('stores a role with its tenant, changes nothing on a second sync, and gives it only to that tenant', async () => {
    await syncPanels(t.store, sample(councilChair), NOW);
    expect((await t.store.directory.getPanel('southampton'))!.chairs.at(-1)).toEqual({ ...CHAIR, tenantId: COUNCIL });
    expect((await syncPanels(t.store, sample(councilChair), NOW)).changes).toBe(0);
    expect([...(await accessFor(t.store, CHAIR.aadObjectId, who(COUNCIL))).panels]).toEqual(['southampton']);
    expect((await accessFor(t.store, CHAIR.aadObjectId, who(HOME))).panels.size).toBe(0);
    expect([...(await accessFor(t.store, GARETH, who(HOME))).forces]).toEqual(['hampshire']);
    expect((await accessFor(t.store, GARETH, who(COUNCIL))).forces.size).toBe(0);
    // Without a caller's tenant (inside a use case, after the gate), roles are read by object id as before.
    expect([...(await accessFor(t.store, CHAIR.aadObjectId)).panels]).toEqual(['southampton']);
  });
});

describe('one object id, one tenant', () => {
  it('refuses the same object id listed with another tenant (or none), naming where', () => {
    const doc = parse(readFileSync('config/panels.sample.yaml', 'utf8'));
    councilChair(doc);
    doc.forces.find((f: any) => f.id === 'hampshire').deputies.push({ ...CHAIR });
    const r = parsePanelsConfig(doc);
    expect(r.ok ? [] : r.problems).toEqual([`panels[2].chairs[1].tenantId: object id ${CHAIR.aadObjectId} is listed elsewhere without a tenantId: one person, one tenant (list a guest account by its own object id)`]);
  });
});
