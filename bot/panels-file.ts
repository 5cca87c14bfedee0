import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Result } from '../scheduler/domain/types.js';
import { fail } from '../scheduler/domain/types.js';
import { parsePanelsConfig, type ConfigWithReaders } from '../scheduler/planning/panels-config.js';

/**
 * Reads and validates the forces-and-panels file (YAML, or JSON by extension); a bad file is refused whole. With the
 * council tenants (PARTNER_TENANT_IDS), a person of one of them anywhere but a panel's `chairs` is refused too.
 */
export async function readPanelsFile(path: string, partnerTenantIds: readonly string[] = []): Promise<Result<ConfigWithReaders>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return fail('CONFIG_UNREADABLE', `cannot read the forces and panels file ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    return fail('CONFIG_SYNTAX', `the forces and panels file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  const parsed = parsePanelsConfig(doc);
  if (!parsed.ok) return fail(parsed.error.code, `${path}: ${parsed.error.message}`);
  const problems = partnerProblems(parsed.value, partnerTenantIds);
  return problems.length ? fail('INVALID_CONFIG', `${path}: the forces and panels file is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`) : parsed;
}

/** Every person the file names outside a panel's chairs, with where: only chairs may come from a council's tenant. */
function partnerProblems(config: ConfigWithReaders, partners: readonly string[]): string[] {
  if (!partners.length) return [];
  type Named = { tenantId?: string | null };
  const at = (where: string, people: readonly Named[] | undefined) =>
    (people ?? []).flatMap((p, i) => (p.tenantId && partners.includes(p.tenantId) ? [`${where}[${i}].tenantId: "${p.tenantId}" is a council tenant (PARTNER_TENANT_IDS), whose people may only be panel chairs`] : []));
  return [
    ...at('nationalLeads', config.nationalLeads),
    ...at('inspectors', config.inspectors),
    ...config.forces.flatMap((f, i) => [
      ...at(`forces[${i}].preventLeads`, f.preventLeads),
      ...at(`forces[${i}].deputies`, f.deputies),
      ...at(`forces[${i}].pccOffice`, f.pccOffice),
      ...(f.areas ?? []).flatMap((a, j) => [...at(`forces[${i}].areas[${j}].leads`, a.leads), ...at(`forces[${i}].areas[${j}].deputies`, a.deputies)]),
    ]),
    ...(config.regions ?? []).flatMap((r, i) => at(`regions[${i}].people`, r.people)),
  ];
}
