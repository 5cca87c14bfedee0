import { z } from 'zod';
import { AAD_OBJECT_ID } from '../domain/ids.js';
import { cleanText } from '../domain/text.js';
import { checkTimetable } from '../domain/timetable-class.js';
import type { PanelsConfig, Person, Result, Timetable } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';

/** Defaults for a when-necessary panel's extra meetings, and the anchor of rules with no `from`. */
export const DEFAULT_START = '10:00';
export const DEFAULT_MINUTES = 120;
export const DEFAULT_FROM = '2020-01-01';

const id = z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and hyphens');
const guid = z
  .string()
  .regex(AAD_OBJECT_ID, 'must be an Entra object id (a GUID)')
  .transform((s) => s.toLowerCase());
/** A name as cards show it: cleaned first, so the limits count what a reader sees. */
const name = z
  .string()
  .transform(cleanText)
  .pipe(z.string().min(1, 'is empty once control and invisible characters are removed').max(120));
const tenantGuid = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be an Entra tenant id (a GUID)')
  .transform((s) => s.toLowerCase());
/** A person: their Entra object id in their own tenant (`tenantId`, a council's say; absent: the force deployment's, HOME_TENANT_ID). */
const person = z
  .object({ aadObjectId: guid, name, tenantId: tenantGuid.optional() })
  .strict()
  .transform(({ tenantId, ...p }) => (tenantId ? { ...p, tenantId } : p));
const teamsChannelId = z
  .string()
  .regex(/^19:[^\s]+$/, 'must be a Teams conversation id such as 19:…@thread.tacv2')
  .nullish()
  .transform((v) => v ?? null);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a local time HH:mm');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a real date');

const rruleTimetable = z
  .object({
    rrule: z.string().trim().min(1),
    start: hhmm,
    minutes: z.number().int().min(15).max(480),
    from: isoDate.default(DEFAULT_FROM),
  })
  .strict()
  .transform((t): Timetable => ({ kind: 'rrule', ...t }));
// Not a z.union: a union reports only "Invalid input", and the user needs the path inside the rule.
const timetable = z.unknown().transform((v, ctx): Timetable => {
  if (v === 'when-necessary') return { kind: 'when-necessary', start: DEFAULT_START, minutes: DEFAULT_MINUTES };
  if (v === null || typeof v !== 'object') {
    ctx.addIssue({ code: 'custom', message: 'must be "when-necessary" or { rrule, start, minutes }' });
    return z.NEVER;
  }
  const parsed = rruleTimetable.safeParse(v);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
});

/** A part of a big force: some of its panels, handled by their own leads and deputies (and Teams channel). */
const area = z
  .object({
    id,
    name,
    panels: z.array(id).min(1, 'an area covers at least one panel'),
    leads: z.array(person).min(1, 'an area needs at least one lead'),
    deputies: z.array(person).default([]),
  })
  .strict();

const force = z
  .object({
    id,
    name,
    preventLeads: z.array(person).min(1, 'a force needs at least one Prevent lead'),
    deputies: z.array(person).default([]),
    /** A force with many panels may hand each area to its own team; without areas its leads handle every panel. */
    areas: z.array(area).optional(),
    /** Read only: the Police and Crime Commissioner's office sees this force's review, history, documents and feeds. */
    pccOffice: z.array(person).default([]),
    teamsChannelId,
  })
  .strict();

/** Read only: a regional counter terrorism unit sees its forces' reviews and gets their weekly digest. */
const region = z
  .object({
    id,
    name,
    forces: z.array(id).min(1, 'a region covers at least one force'),
    people: z.array(person).min(1, 'a region needs at least one person to read for it'),
  })
  .strict();

const panel = z
  .object({
    id,
    name,
    localAuthority: name,
    forces: z.array(id).min(1, 'a panel faces at least one force'),
    chairs: z.array(person).min(1, 'a panel needs at least one chair (the local authority chairs it)'),
    timetable,
    teamsChannelId,
  })
  .strict();

const panelsConfigShape = z
  .object({
    nationalLeads: z.array(person).default([]),
    /** Read only: HMICFRS inspectors see every force, and the audit log's check. */
    inspectors: z.array(person).default([]),
    forces: z.array(force).min(1),
    panels: z.array(panel).default([]),
    regions: z.array(region).default([]),
  })
  .strict();

export const panelsConfigSchema = panelsConfigShape
  .superRefine((cfg, ctx) => {
    duplicates(cfg.forces.map((f) => f.id)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['forces', i, 'id'], message: `duplicate force id "${cfg.forces[i]?.id}"` }),
    );
    duplicates(cfg.panels.map((p) => p.id)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['panels', i, 'id'], message: `duplicate panel id "${cfg.panels[i]?.id}"` }),
    );
    const forceIds = new Set(cfg.forces.map((f) => f.id));
    cfg.panels.forEach((p, i) => {
      p.forces.forEach((f, j) => {
        if (!forceIds.has(f)) ctx.addIssue({ code: 'custom', path: ['panels', i, 'forces', j], message: `unknown force "${f}"` });
      });
      if (p.timetable.kind === 'rrule') {
        const checked = checkTimetable(p.timetable);
        if (!checked.ok) ctx.addIssue({ code: 'custom', path: ['panels', i, 'timetable', 'rrule'], message: checked.error.message });
      }
    });
    duplicates(cfg.regions.map((r) => r.id)).forEach((i) =>
      ctx.addIssue({ code: 'custom', path: ['regions', i, 'id'], message: `duplicate region id "${cfg.regions[i]?.id}"` }),
    );
    cfg.regions.forEach((r, i) => {
      r.forces.forEach((f, j) => {
        if (!forceIds.has(f)) ctx.addIssue({ code: 'custom', path: ['regions', i, 'forces', j], message: `unknown force "${f}"` });
      });
    });
    checkAreas(cfg, ctx);
    checkTenants(cfg, ctx);
  });

/**
 * One object id is one person in one tenant: listed again with another `tenantId` (or none) it would hold that
 * listing's roles from either tenant once a use case reads roles by object id, so the file is refused instead.
 */
function checkTenants(cfg: z.infer<typeof panelsConfigShape>, ctx: z.RefinementCtx): void {
  type P = { aadObjectId: string; tenantId?: string };
  const lists: Array<[Array<string | number>, P[]]> = [
    [['nationalLeads'], cfg.nationalLeads], [['inspectors'], cfg.inspectors],
    ...cfg.forces.flatMap((f, i): Array<[Array<string | number>, P[]]> => [
      [['forces', i, 'preventLeads'], f.preventLeads], [['forces', i, 'deputies'], f.deputies], [['forces', i, 'pccOffice'], f.pccOffice],
      ...(f.areas ?? []).flatMap((a, j): Array<[Array<string | number>, P[]]> => [[['forces', i, 'areas', j, 'leads'], a.leads], [['forces', i, 'areas', j, 'deputies'], a.deputies]]),
    ]),
    ...cfg.panels.map((p, i): [Array<string | number>, P[]] => [['panels', i, 'chairs'], p.chairs]),
    ...cfg.regions.map((r, i): [Array<string | number>, P[]] => [['regions', i, 'people'], r.people]),
  ];
  const tenantOf = new Map<string, string>();
  for (const [path, people] of lists) {
    people.forEach((p, k) => {
      const tenant = p.tenantId ?? '';
      const seen = tenantOf.get(p.aadObjectId);
      if (seen === undefined) tenantOf.set(p.aadObjectId, tenant);
      else if (seen !== tenant) ctx.addIssue({ code: 'custom', path: [...path, k, 'tenantId'], message: `object id ${p.aadObjectId} is listed elsewhere ${seen ? `with tenantId ${seen}` : 'without a tenantId'}: one person, one tenant (list a guest account by its own object id)` });
    });
  }
}

/**
 * Areas: ids unique across the file and unlike any force's or panel's (so `review <id>` means one thing); each panel
 * named once per force, a panel the file has, and one that faces the area's force.
 */
function checkAreas(cfg: z.infer<typeof panelsConfigShape>, ctx: z.RefinementCtx): void {
  const taken = new Set([...cfg.forces.map((f) => f.id), ...cfg.panels.map((p) => p.id)]);
  const panels = new Map(cfg.panels.map((p) => [p.id, p]));
  const seenAreas = new Set<string>();
  cfg.forces.forEach((f, i) => {
    const inArea = new Map<string, string>();
    (f.areas ?? []).forEach((a, j) => {
      const at = ['forces', i, 'areas', j];
      if (seenAreas.has(a.id)) ctx.addIssue({ code: 'custom', path: [...at, 'id'], message: `duplicate area id "${a.id}"` });
      else if (taken.has(a.id)) ctx.addIssue({ code: 'custom', path: [...at, 'id'], message: `area id "${a.id}" is already a force or panel id` });
      seenAreas.add(a.id);
      a.panels.forEach((panelId, k) => {
        const panel = panels.get(panelId);
        const where = [...at, 'panels', k];
        if (!panel) ctx.addIssue({ code: 'custom', path: where, message: `unknown panel "${panelId}"` });
        else if (!panel.forces.includes(f.id)) ctx.addIssue({ code: 'custom', path: where, message: `panel "${panelId}" does not face force "${f.id}"` });
        const other = inArea.get(panelId);
        if (other !== undefined) ctx.addIssue({ code: 'custom', path: where, message: `panel "${panelId}" is already in area "${other}" of this force: a panel belongs to at most one area of each force` });
        else inArea.set(panelId, a.id);
      });
    });
  });
}

/** A region as the file gives it: a regional counter terrorism unit, its forces and the people who read for it. */
export interface RegionConfig {
  id: string;
  name: string;
  forces: string[];
  people: Person[];
}

/**
 * The file's read-only roles, beside what PanelsConfig holds: each is optional, so a configuration built in code
 * without them (tests, the demo, benchmarks) gives nobody a read-only role.
 */
export type ConfigWithReaders = Omit<PanelsConfig, 'forces'> & {
  inspectors?: Person[];
  forces: Array<PanelsConfig['forces'][number] & { pccOffice?: Person[] }>;
  regions?: RegionConfig[];
};

function duplicates(values: string[]): number[] {
  const seen = new Set<string>();
  return values.flatMap((v, i) => (seen.has(v) ? [i] : (seen.add(v), [])));
}

/** Formats a zod path as `panels[2].timetable.rrule`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(root)';
}

/** Validates an already-parsed forces-and-panels document; every problem is listed by path. */
export function parsePanelsConfig(doc: unknown): Result<ConfigWithReaders> & { problems?: string[] } {
  const parsed = panelsConfigSchema.safeParse(doc);
  if (parsed.success) return ok(parsed.data);
  const problems = parsed.error.issues.map((i) => `${formatPath(i.path)}: ${i.message}`);
  return { ...fail('INVALID_CONFIG', `the forces and panels file is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`), problems };
}
