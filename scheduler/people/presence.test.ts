import { describe, expect, it } from 'vitest';
import type { Store } from '../store/store.js';
import { linkConversation } from './presence.js';

const NOW = '2027-05-20T08:00:00.000Z';
const FORCES = [
  { id: 'cambs', name: 'Cambridgeshire Constabulary', retired: false },
  { id: 'cumbria', name: 'Cumbria Constabulary', retired: false },
  { id: 'leics', name: 'Leicestershire Police', retired: false },
];
const PANELS = [
  { id: 'peterborough-rutland', name: 'Peterborough and Rutland Channel panel', forces: ['cambs', 'leics'], retired: false },
  { id: 'cambridgeshire', name: 'Cambridgeshire Channel panel', forces: ['cambs'], retired: false },
];
const ROLES: Record<string, Array<{ role: string; scopeId: string }>> = {
  national: [{ role: 'national-lead', scopeId: '' }],
  chair: [{ role: 'chair', scopeId: 'cambridgeshire' }],
};

// Only what a refused link reads: the directory, inside the transaction.
const directory = {
  getForce: async (id: string) => FORCES.find((f) => f.id === id) ?? null,
  getPanel: async (id: string) => PANELS.find((p) => p.id === id) ?? null,
  listForces: async () => FORCES,
  listPanels: async () => PANELS,
  rolesOf: async (aad: string) => ROLES[aad] ?? [],
};
const store = { transaction: (fn: (tx: unknown) => Promise<unknown>) => fn({ directory }) } as unknown as Store;
const refusal = async (scope: 'force' | 'panel', typed: string, actor: string) => {
  const r = await linkConversation(store, scope, typed, 'a:conversation', actor, NOW);
  return r.ok ? 'linked' : r.error.message;
};

describe('linking a conversation to a force or panel that is not there', () => {
  it('offers what the person may link, by name with the command, nearest to what they typed first', async () => {
    expect(await refusal('force', 'cambz', 'national')).toBe(
      'There is no force "cambz" that you can link. Forces you can link: Cambridgeshire Constabulary (`link force cambs`), Cumbria Constabulary (`link force cumbria`), Leicestershire Police (`link force leics`).',
    );
    expect(await refusal('force', 'leicester', 'national')).toMatch(/^There is no force "leicester" that you can link\. Forces you can link: Leicestershire Police \(`link force leics`\), Cambridgeshire/);
  });

  it("offers a chair only their own panels, and never another's", async () => {
    const shown = await refusal('panel', 'peterborough', 'chair');
    expect(shown).toBe('There is no panel "peterborough" that you can link. Panels you can link: Cambridgeshire Channel panel (`link panel cambridgeshire`).');
    expect(await refusal('force', 'cambs-x', 'chair')).toBe('There is no force "cambs-x" that you can link. Type `panels` for the meetings you are involved in.');
  });

  it("answers a real panel the person may not link exactly as one that does not exist", async () => {
    const real = await refusal('panel', 'peterborough-rutland', 'chair');
    expect(real.replaceAll('peterborough-rutland', 'nosuch')).toBe(await refusal('panel', 'nosuch', 'chair'));
    expect(real).not.toContain('Peterborough and Rutland');
  });

  it('repeats what was typed only as plain letters', async () => {
    expect(await refusal('force', '[x](https://evil.example)', 'national')).toMatch(/^There is no force "xhttpsevilexample" that you can link\./);
  });
});
