import { DateTime } from 'luxon';
import { groupBy } from '../domain/group.js';
import type { NewAuditEntry } from '../domain/audit-chain.js';
import { canonicalJson } from '../domain/audit-chain.js';
import { planDiff, type PlanDiff } from '../domain/planner.js';
import { planOccurrences } from '../domain/timetable.js';
import type { Meeting, Panel } from '../domain/types.js';
import type { Reader, RemovalReason, Repos, Store } from '../store/store.js';
import { feedWindow } from '../calendar/calendar-feed.js';
import { PRESENCE_DAYS } from '../meetings/teams-meeting.js';
import type { ConfigWithReaders } from './panels-config.js';

export const PLANNING_MONTHS = 12;

export interface SyncReport {
  forces: { added: number; changed: number; retired: number };
  panels: { added: number; changed: number; retired: number };
  meetings: { planned: number; replanned: number; unplanned: number };
  /** Audit entries written; 0 means the sync changed nothing. */
  changes: number;
}

type Entity = { id: string; retired: boolean };

/**
 * Loads the config into the store and plans every panel's meetings PLANNING_MONTHS ahead of `now`, in one transaction.
 * Read-only roles the config does not give (one built in code, say) are none: a sync always replaces them.
 */
export async function syncPanels(store: Store, config: ConfigWithReaders, at: string): Promise<SyncReport> {
  const now = normaliseInstant(at);
  return store.transaction(async (tx) => {
    await tx.exclusive('sync');
    const { audit, log } = auditBuffer(now);
    const forces = await reconcile('force', await tx.directory.listForces({ includeRetired: true }),
      config.forces.map((f) => ({ ...withoutReaders(f), retired: false })), (f) => tx.directory.saveForce(f, now), log);
    const panels = await reconcile('panel', await tx.directory.listPanels({ includeRetired: true }),
      config.panels.map((p) => ({ ...p, retired: false })), (p) => tx.directory.savePanel(p, now), log);
    await syncNationalLeads(tx, config, log);
    await syncReaders(tx, config, log);
    const meetings = await planAll(tx, now, log);
    await tx.audit.append(audit);
    return { forces, panels, meetings, changes: audit.length };
  });
}

/** Rolls the planning window forward from the panels already stored: the scheduler's hourly job. */
export async function planMeetings(store: Store, at: string): Promise<SyncReport['meetings'] & { changes: number }> {
  const now = normaliseInstant(at);
  return store.transaction(async (tx) => {
    await tx.exclusive('sync');
    const { audit, log } = auditBuffer(now);
    const meetings = await planAll(tx, now, log);
    await tx.audit.append(audit);
    // Join times from Teams meetings whose attendance was never recorded (a cancelled meeting, say) go in time too.
    await tx.meetingPresence?.forgetBefore(new Date(Date.parse(now) - PRESENCE_DAYS * 86_400_000).toISOString());
    return { ...meetings, changes: audit.length };
  });
}

/** Stored instants are compared as text, so every one has the same shape: UTC with milliseconds. */
export function normaliseInstant(iso: string): string {
  const dt = DateTime.fromISO(iso, { zone: 'utc' });
  if (!dt.isValid) throw new RangeError(`not an ISO-8601 instant: ${iso}`);
  return dt.toUTC().toISO() as string;
}

type LogFn = (action: string, subject: Record<string, string>, details?: Record<string, unknown>) => void;

function auditBuffer(now: string): { audit: NewAuditEntry[]; log: LogFn } {
  const audit: NewAuditEntry[] = [];
  return { audit, log: (action, subject, details = {}) => audit.push({ at: now, actor: 'system', action, subject, details }) };
}

async function reconcile<T extends Entity>(
  kind: 'force' | 'panel',
  stored: T[],
  wanted: T[],
  save: (e: T) => Promise<void>,
  log: LogFn,
): Promise<{ added: number; changed: number; retired: number }> {
  const counts = { added: 0, changed: 0, retired: 0 };
  const before = new Map(stored.map((e) => [e.id, e]));
  const wantedIds = new Set(wanted.map((e) => e.id));
  for (const e of wanted) {
    const old = before.get(e.id);
    if (old && canonicalJson(old) === canonicalJson(e)) continue;
    await save(e);
    counts[old ? 'changed' : 'added'] += 1;
    log(`${kind}.${old ? 'changed' : 'added'}`, { [`${kind}Id`]: e.id }, { fields: changedFields(old, e) });
  }
  for (const old of stored) {
    if (old.retired || wantedIds.has(old.id)) continue;
    await save({ ...old, retired: true });
    counts.retired += 1;
    log(`${kind}.retired`, { [`${kind}Id`]: old.id });
  }
  return counts;
}

/** Names the top-level fields that differ, so the audit says what changed without copying people's names around. */
function changedFields(old: object | undefined, now: object): string[] {
  const o = (old ?? {}) as Record<string, unknown>;
  const n = now as Record<string, unknown>;
  return Object.keys(n).filter((k) => canonicalJson(o[k]) !== canonicalJson(n[k]));
}

async function syncNationalLeads(tx: Repos, config: ConfigWithReaders, log: LogFn) {
  const current = await tx.directory.listNationalLeads();
  if (canonicalJson(current) === canonicalJson(config.nationalLeads)) return;
  await tx.directory.setNationalLeads(config.nationalLeads);
  log('national-leads.changed', {});
}

/** A force as the directory keeps it: its PCC's office is a read-only role, kept with the others; no areas is none (absent). */
function withoutReaders<T extends { pccOffice?: unknown; areas?: unknown[] }>(force: T): Omit<T, 'pccOffice'> {
  const copy = { ...force };
  delete copy.pccOffice;
  if (!copy.areas?.length) delete copy.areas;
  return copy;
}

/** The file's read-only roles as the store keeps them: a region's people once for each of its forces, each role once. */
export function readersOf(config: ConfigWithReaders): Reader[] {
  const all: Reader[] = [
    ...(config.inspectors ?? []).map((person) => ({ role: 'inspector' as const, scopeId: '', person })),
    ...config.forces.flatMap((f) => (f.pccOffice ?? []).map((person) => ({ role: 'pcc-office' as const, scopeId: f.id, person }))),
    ...(config.regions ?? []).flatMap((r) => r.forces.flatMap((scopeId) => r.people.map((person) => ({ role: 'region' as const, scopeId, person })))),
  ];
  const seen = new Set<string>();
  const key = (r: Reader) => `${r.role}|${r.scopeId}|${r.person.aadObjectId}`;
  return byScope(all.filter((r) => !seen.has(key(r)) && seen.add(key(r))));
}

/**
 * By role and scope, keeping the order within each (the file's, or the store's positions): both sides of a comparison
 * sorted here, so the database's collation of ids cannot make an unchanged file look changed.
 */
const byScope = (rs: Reader[]): Reader[] => {
  const order = (r: Reader) => `${r.role}|${r.scopeId}`;
  return [...rs].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
};

/** Replaces the read-only roles when they differ; the audit counts them, and names nobody. */
async function syncReaders(tx: Repos, config: ConfigWithReaders, log: LogFn) {
  const wanted = readersOf(config);
  if (canonicalJson(byScope(await tx.directory.listReaders())) === canonicalJson(wanted)) return;
  await tx.directory.setReaders(wanted);
  const count = (role: Reader['role']) => new Set(wanted.filter((r) => r.role === role).map((r) => r.person.aadObjectId)).size;
  log('readers.changed', {}, { inspectors: count('inspector'), pccOffice: count('pcc-office'), regions: count('region') });
}

async function planAll(tx: Repos, now: string, log: LogFn): Promise<SyncReport['meetings']> {
  const horizon = DateTime.fromISO(now, { zone: 'utc' }).plus({ months: PLANNING_MONTHS }).toISO() ?? now;
  const panels = await tx.directory.listPanels({ includeRetired: true });
  const future = await tx.meetings.list({ from: now });
  const byPanel = groupBy(future, (m) => m.panelId);
  const total = { planned: 0, replanned: 0, unplanned: 0 };
  const create: Meeting[] = [];
  for (const p of panels) {
    const diff = panelDiff(p, byPanel.get(p.id) ?? [], now, horizon);
    create.push(...diff.create);
    for (const m of diff.create) log('meeting.planned', { meetingId: m.id, panelId: p.id }, { start: m.start, end: m.end, moved: m.moved });
    for (const { before, after } of diff.update) {
      if (!(await tx.meetings.replanIfPlain(after, before.version, now))) continue;
      total.replanned += 1;
      log('meeting.replanned', { meetingId: after.id, panelId: p.id }, { from: before.start, start: after.start, end: after.end, moved: after.moved });
    }
    const gone = new Set(diff.remove.length ? await unplan(tx, diff.remove.map((m) => m.id), p.retired ? 'panel-retired' : 'timetable-changed', now) : []);
    for (const m of diff.remove.filter((r) => gone.has(r.id))) {
      log('meeting.unplanned', { meetingId: m.id, panelId: p.id }, { start: m.start, reason: p.retired ? 'panel retired' : 'timetable changed' });
    }
    total.unplanned += gone.size;
    total.planned += diff.create.length;
  }
  await tx.meetings.insertMany(create, now);
  await tx.feeds.pruneTombstones(feedWindow(now).from);
  return total;
}

/**
 * Deletes plain meetings the plan no longer holds and leaves each one deleted a tombstone: calendar feeds that showed it
 * show it cancelled, with why, at a revision above any it had (read before the delete), so one that comes back later
 * counts on from there. A meeting acted on meanwhile is not deleted, and gets no tombstone.
 */
async function unplan(tx: Repos, ids: string[], reason: RemovalReason, now: string): Promise<string[]> {
  const graves = await tx.feeds.graves(ids);
  const gone = await tx.meetings.deleteIfPlain(ids);
  const deleted = new Set(gone);
  await tx.feeds.lay(graves.filter((g) => deleted.has(g.meetingId)), reason, now);
  return gone;
}

function panelDiff(panel: Panel, existing: Meeting[], now: string, horizon: string): PlanDiff {
  // A retired or when-necessary panel plans nothing: its plain future meetings go, its history stays.
  if (panel.retired || panel.timetable.kind !== 'rrule') return planDiff(existing, [], now, '9999-12-31T00:00:00.000Z');
  return planDiff(existing, planOccurrences(panel.id, panel.timetable, now, horizon), now, horizon);
}

/**
 * A panel's timetabled meetings before the bot planned it: those starting from `fromUtc` up to `now` (sync plans
 * from just after it) and before the panel's earliest planned meeting, so a past the bot planned under an earlier
 * timetable is never planned twice. Ids come from the planner, so a later sync agrees. None for a when-necessary panel.
 */
export function pastPlan(panel: Panel, stored: readonly Meeting[], fromUtc: string, now: string): Meeting[] {
  if (panel.timetable.kind !== 'rrule') return [];
  const planned = stored.filter((m) => !m.extra).map((m) => m.start).sort();
  const justAfterNow = new Date(Date.parse(now) + 1).toISOString();
  const upTo = planned[0] && planned[0] < justAfterNow ? planned[0] : justAfterNow;
  const have = new Set(stored.map((m) => m.id));
  return planOccurrences(panel.id, panel.timetable, fromUtc, upTo)
    .filter((p) => !have.has(p.id))
    .map((p) => ({ ...p, status: 'scheduled', extra: false, version: 1, locked: false }));
}

/** Plans a panel's timetable back to `fromUtc` (see pastPlan) inside the caller's transaction; audits each meeting, with `details`. */
export async function planBack(tx: Repos, panel: Panel, fromUtc: string, at: string, details: Record<string, unknown> = {}): Promise<Meeting[]> {
  const now = normaliseInstant(at);
  const missing = pastPlan(panel, await tx.meetings.list({ panelIds: [panel.id] }), normaliseInstant(fromUtc), now);
  await tx.meetings.insertMany(missing, now);
  await tx.audit.append(missing.map((m) => ({ at: now, actor: 'system', action: 'meeting.planned', subject: { meetingId: m.id, panelId: panel.id }, details: { start: m.start, end: m.end, moved: m.moved, ...details } })));
  return missing;
}
