import { CHAIN_START, erasedBy, REFUSED_ACTION, verifyChain, type AuditKey, type ChainBreak } from '../domain/audit-chain.js';
import type { AuditEntry } from '../domain/types.js';
import type { AuditRepo, Store } from '../store/store.js';
import { stateReplay, type StateProblem } from './replay.js';

const PAGE = 2000;

/** A head someone wrote down (`head <seq> <hash>`): the log must still reach it, and hold exactly it there. */
export interface HeldHead {
  seq: number;
  hash: string;
}

export interface AuditReport {
  /** Entries checked before the first break (all of them when none). */
  entries: number;
  /** The last entry: what `audit verify` prints for someone to keep. */
  head: { seq: number; hash: string };
  /** Entries chained before the chain was keyed (checked with unkeyed SHA-256, and sealed by the first keyed one). */
  legacy: number;
  /** Entries whose details were erased, each recorded by an erasure entry. */
  erased: number;
  /** The first place the chain itself is broken, or null. */
  broken: ChainBreak | null;
  /** Why the log does not reach, or does not hold, the head given; null when it does or none was given. */
  headProblem: string | null;
  /** Entries whose details are gone with no erasure entry saying so. */
  unrecordedErasures: number[];
  /** Rows of the state tables the chain does not account for, and entries whose rows are missing or differ. */
  state: StateProblem[];
  /** `audit.refused` entries: rows someone wrote to the queue without the key (or copied), which the chainer refused. */
  refused: number;
  /** Entries committed and waiting to be chained (PostgreSQL, for the moment after a commit): replayed, not yet chained. */
  waiting: number;
  /** Waiting rows the chainer will refuse: their MAC is not the key's, or they copy a row already chained. */
  forgedWaiting: number[];
}

export const reportOk = (r: AuditReport): boolean => !r.broken && !r.headProblem && !r.unrecordedErasures.length && !r.state.length && !r.forgedWaiting.length;

/**
 * Walks the whole audit log in sequence order, page by page: the keyed chain, a head held outside the database,
 * erasures each recorded, and the state tables replayed against the entries that describe them.
 */
export async function verifyAuditLog(store: Store, key: AuditKey, held: HeldHead | null = null): Promise<AuditReport> {
  // What is queued is chained first; a failure to (a wrong key, an altered tail) is what the walk then reports.
  await store.audit.settle().catch(() => undefined);
  // One snapshot: a write landing between reading the log and reading the tables must not look like tampering.
  // Entries committed after the settle wait in the queue inside the same snapshot, and are replayed from there.
  return store.snapshot((reader) => verifyIn(reader.audit, key, held));
}

async function verifyIn(audit: AuditRepo, key: AuditKey, held: HeldHead | null): Promise<AuditReport> {
  let at = CHAIN_START;
  const report: AuditReport = { entries: 0, head: { seq: 0, hash: at.hash }, legacy: 0, erased: 0, broken: null, headProblem: null, unrecordedErasures: [], state: [], refused: 0, waiting: 0, forgedWaiting: [] };
  const erased: number[] = [];
  const recorded = new Set<number>();
  const replay = stateReplay();
  let heldSeen: AuditEntry | null = null;
  for (;;) {
    const page = await audit.page(at.seq, PAGE);
    if (page.length === 0) break;
    const { broken, last } = verifyChain(key, page, at);
    const good = broken ? page.slice(0, page.findIndex((e) => e.seq === broken.seq)) : page;
    for (const e of good) {
      if (e.detailsHash === null) report.legacy += 1;
      if (e.details === null) erased.push(e.seq);
      if (e.action === REFUSED_ACTION) report.refused += 1;
      for (const seq of erasedBy(e)) recorded.add(seq);
      if (held && e.seq === held.seq) heldSeen = e;
      replay.entry(e);
    }
    report.entries += good.length;
    at = last;
    if (broken) {
      report.broken = broken;
      break;
    }
  }
  // Unkeyed entries are only ever a prefix sealed by a keyed one; a log that ends unkeyed was rewritten without the key.
  if (!report.broken && at.seq > 0 && !at.keyed) {
    report.broken = {
      seq: at.seq,
      problem: `entries 1 to ${at.seq} are unkeyed and no keyed entry seals them. If they are this database's history from before the chain was keyed, ` +
        `check that entry ${at.seq} has hash ${at.hash} and seal them with \`panel-bot audit seal --legacy-head ${at.seq}:${at.hash}\`; if the log was sealed before, it was rewritten without the key`,
    };
  }
  report.head = { seq: at.seq, hash: at.hash };
  report.erased = erased.length;
  report.unrecordedErasures = erased.filter((seq) => !recorded.has(seq));
  if (held) report.headProblem = headProblem(held, heldSeen, report);
  // A broken chain makes every later comparison meaningless: the first problem is the one to chase.
  if (!report.broken) {
    const waiting = await audit.waiting();
    report.waiting = waiting.filter((w) => w.accepted).length;
    report.forgedWaiting = waiting.filter((w) => !w.accepted).map((w) => w.id);
    // Each as it will be chained (it has no seq or hash yet): the state its use case wrote is accounted for by it.
    let seq = at.seq;
    for (const w of waiting) if (w.accepted && w.entry) replay.entry({ ...w.entry, seq: ++seq, detailsHash: null, prevHash: '', hash: '' });
    report.state = await replay.against(audit);
  }
  return report;
}

function headProblem(held: HeldHead, seen: AuditEntry | null, report: AuditReport): string | null {
  if (report.broken && report.broken.seq <= held.seq) return null;
  if (held.seq === 0) return held.hash === CHAIN_START.hash ? null : 'entry 0 is the start of every log, whose hash is 64 zeros';
  if (held.seq > report.head.seq) {
    const missing = held.seq - report.head.seq;
    return `the log ends at entry ${report.head.seq}, before entry ${held.seq} of the head you hold: ${missing} ${missing === 1 ? 'entry is' : 'entries are'} missing from the end`;
  }
  if (!seen || seen.hash !== held.hash) return `entry ${held.seq} is not the one in the head you hold (${held.hash.slice(0, 12)}…): the log was rewritten up to there`;
  return null;
}

/** The report as lines for a person: what was checked, then each problem, the first first. */
export function reportLines(r: AuditReport): string[] {
  const problems = [
    ...(r.broken ? [`audit log broken at entry ${r.broken.seq}: ${r.broken.problem}`] : []),
    ...(r.headProblem ? [`head check failed: ${r.headProblem}`] : []),
    ...r.forgedWaiting.slice(0, 20).map((id) => `queued entry (row ${id}) was not written with AUDIT_KEY or copies one already chained: someone wrote to audit_pending directly; it will be chained as audit.refused`),
    ...r.unrecordedErasures.slice(0, 20).map((seq) => `entry ${seq}: its details were erased, but no erasure entry records it`),
    ...r.state.slice(0, 50).map((p) => `state: ${p.message}`),
  ];
  if (r.state.length > 50) problems.push(`state: … and ${r.state.length - 50} more`);
  const legacy = r.legacy ? ` (${r.legacy} written before the chain was keyed)` : '';
  const erased = r.erased ? `; ${r.erased} with details erased, each recorded` : '';
  // Not a break (the chain holds, and records it), but the first thing an inspector should ask about.
  const refused = r.refused ? `; ${r.refused} queued ${r.refused === 1 ? 'entry was' : 'entries were'} refused as not written with the key (see the audit.refused entries)` : '';
  const waiting = r.waiting ? `; ${r.waiting} more committed a moment ago and waiting to be chained` : '';
  return problems.length ? problems : [`audit log intact: ${r.entries} entries verified${legacy}${erased}${refused}${waiting}; the state tables agree with it`];
}
