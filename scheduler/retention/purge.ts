import { DateTime } from 'luxon';
import { ERASURE_ACTIONS, SEAL_ACTION } from '../domain/audit-chain.js';
import { londonDate } from '../domain/calendar-days.js';
import type { Log } from '../log.js';
import { every, type Job } from '../scheduler.js';
import type { Repos, Store } from '../store/store.js';
import type { MeetingRowCounts } from './retention-repo.js';

/** How long what is not a meeting's record is kept: finished messages about no stored meeting and Teams ids of people with no role, then calendar links. */
export const MESSAGE_DAYS = 30;
export const PEOPLE_DAYS = 30;
export const IDLE_TOKEN_YEARS = 1;

export interface PurgeOptions {
  now: string;
  retentionYears: number;
  /** Work everything out, then roll it all back. */
  dryRun: boolean;
}

export interface PurgeCounts extends MeetingRowCounts {
  meetings: number;
  peopleSeen: number;
  feedTokens: number;
  /** Review sign-offs (with their actions) signed before the cutoff. */
  signoffs: number;
  /** Audit entries whose details were erased (the chain keeps their hashes). */
  auditDetails: number;
}

export interface PurgeSummary {
  /** Meetings that ended before this instant went: the start of `keptFrom` in Europe/London. */
  cutoff: string;
  /** The first day whose meetings are kept (Europe/London). */
  keptFrom: string;
  retentionYears: number;
  meetings: string[];
  /** Meetings removed per panel, most first. */
  byPanel: Array<{ panelId: string; count: number }>;
  counts: PurgeCounts;
  erased: number[];
  /** The `retention.purged` entry written; null when nothing went, and on a dry run. */
  entrySeq: number | null;
  dryRun: boolean;
}

/** The instants before which each kind of row goes. */
export interface RetentionWindows {
  cutoff: string;
  keptFrom: string;
  messages: string;
  people: string;
  tokens: string;
}

/**
 * Calendar years counted on the Europe/London calendar, as people and the import count them: on 15 March 2026,
 * seven years keeps meetings that ended on or after 15 March 2019 (29 February counts back to the 28th).
 */
export function retentionWindows(now: string, retentionYears: number): RetentionWindows {
  const today = DateTime.fromISO(londonDate(now), { zone: 'Europe/London' });
  const kept = today.minus({ years: retentionYears });
  const utc = DateTime.fromISO(now, { zone: 'utc' });
  return {
    cutoff: kept.toUTC().toISO()!,
    keptFrom: kept.toISODate()!,
    messages: utc.minus({ days: MESSAGE_DAYS }).toISO()!,
    people: utc.minus({ days: PEOPLE_DAYS }).toISO()!,
    tokens: utc.minus({ years: IDLE_TOKEN_YEARS }).toISO()!,
  };
}

/** Carries a dry run's summary out of the transaction it rolls back. */
class DryRun extends Error {
  constructor(readonly summary: PurgeSummary) {
    super('dry run: rolled back');
  }
}

/**
 * Deletes what retention says has been kept long enough, erases the audit details about it, and records that in one
 * `retention.purged` entry, all in one transaction: verify never sees a row whose entry's details are gone, or the reverse.
 * A dry run does the same work and rolls it back, so its figures are exactly what a real run at that instant removes.
 */
export async function purge(store: Store, opts: PurgeOptions): Promise<PurgeSummary> {
  if (!opts.dryRun) return store.transaction((tx) => purgeIn(tx, opts));
  try {
    await store.transaction(async (tx) => {
      throw new DryRun(await purgeIn(tx, opts));
    });
  } catch (err) {
    if (err instanceof DryRun) return err.summary;
    throw err;
  }
  throw new Error('purge: a dry run committed');
}

async function purgeIn(tx: Repos, opts: PurgeOptions): Promise<PurgeSummary> {
  const w = retentionWindows(opts.now, opts.retentionYears);
  const { meetings, rows } = await tx.retention.deleteMeetings(await tx.retention.endedBefore(w.cutoff));
  const ids = meetings.map((m) => m.id);
  const outbox = rows.outbox + (await tx.retention.deleteFinishedMessages(w.messages));
  const peopleSeen = await tx.retention.deletePeopleWithoutRoles(w.people);
  const feedTokens = await tx.retention.deleteIdleFeedTokens(w.tokens);
  const signoffs = await tx.signoffs.deleteSignedBefore(w.cutoff);
  // Entries still queued are chained before any details are chosen: theirs must be erasable like any other's. The
  // chain's lock comes after every row lock the purge takes, as in every use case, and is held only for the erasure.
  await tx.audit.settle();
  const erased = await eraseDetails(tx, ids, w.cutoff);
  const counts: PurgeCounts = { meetings: meetings.length, ...rows, outbox, peopleSeen, feedTokens, signoffs, auditDetails: erased.length };
  const summary: PurgeSummary = {
    cutoff: w.cutoff, keptFrom: w.keptFrom, retentionYears: opts.retentionYears, meetings: ids, byPanel: perPanel(meetings.map((m) => m.panelId)),
    counts, erased, entrySeq: null, dryRun: opts.dryRun,
  };
  if (!Object.values(counts).some((n) => n > 0)) return summary;
  const [entry] = await tx.audit.appendNow([
    { at: opts.now, actor: 'system', action: 'retention.purged', subject: {}, details: { cutoff: w.cutoff, meetings: ids, erased, counts } },
  ]);
  return { ...summary, entrySeq: opts.dryRun ? null : entry!.seq };
}

/**
 * The removed meetings' entries, whatever their age, and every other entry written before the cutoff that no kept
 * meeting needs. Erasure entries keep their details: verify reads in them which erasures were recorded. So does the
 * seal of the entries written before the chain was keyed: verify checks those entries against it.
 */
async function eraseDetails(tx: Repos, meetingIds: string[], cutoff: string): Promise<number[]> {
  const except = [...ERASURE_ACTIONS, SEAL_ACTION];
  const seqs = new Set([
    ...(await tx.retention.meetingEntries(meetingIds, except)),
    ...(await tx.audit.erasable({ before: cutoff, exceptActions: except })),
    ...(await tx.retention.orphanedEntries(cutoff, except)),
  ]);
  return seqs.size ? tx.audit.erase([...seqs].sort((a, b) => a - b)) : [];
}

function perPanel(panelIds: string[]): Array<{ panelId: string; count: number }> {
  const counts = new Map<string, number>();
  for (const id of panelIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  return [...counts].map(([panelId, count]) => ({ panelId, count })).sort((a, b) => b.count - a.count || (a.panelId < b.panelId ? -1 : 1));
}

/** One real purge at `now`, logged when it removed anything: what the daily job runs. */
export async function runRetention(store: Store, now: string, retentionYears: number, log: Log): Promise<PurgeSummary> {
  const summary = await purge(store, { now, retentionYears, dryRun: false });
  if (summary.entrySeq !== null) log.info({ job: 'retention', cutoff: summary.cutoff, ...summary.counts }, 'retention: old records removed');
  return summary;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The scheduler job: once a day per process (and once at start; a second run the same day finds nothing). */
export const retentionJob = (store: Store, retentionYears: number, log: Log): Job => ({
  name: 'retention',
  due: every(DAY_MS),
  run: async (now) => void (await runRetention(store, now, retentionYears, log)),
});
