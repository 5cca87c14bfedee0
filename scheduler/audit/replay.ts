import { canonicalJson } from '../domain/audit-chain.js';
import type { AuditEntry } from '../domain/types.js';
import type { StateRows, Store } from '../store/store.js';

/** A state row the chain does not account for, or an entry whose row is missing or says something else. */
export interface StateProblem {
  table: string;
  key: string;
  message: string;
}

/** What the latest entry about one row says the row holds: null when the entry's details were erased. */
interface Expected {
  seq: number;
  facts: Record<string, unknown> | null;
  /** Written in a format from before these facts were recorded in full: the row is checked for existence only. */
  partial: boolean;
}

type Table = 'nominations' | 'attendance' | 'meeting_records' | 'cancellations' | 'apologies' | 'invitations';

const keyOf = (...parts: Array<string | undefined>) => parts.map((p) => p ?? '?').join(' / ');

/**
 * Replays the audit log's entries into what each state row should hold (the latest entry about a row wins), then
 * compares with the tables: a row no entry explains, a row that says something else, an entry whose row is gone.
 */
export function stateReplay() {
  const expected = new Map<Table, Map<string, Expected>>();
  const set = (table: Table, key: string, seq: number, facts: Record<string, unknown> | null, partial = false) => {
    if (!expected.has(table)) expected.set(table, new Map());
    expected.get(table)!.set(key, { seq, facts, partial });
  };
  const withdrawn = new Map<string, number>(); // meeting → seq of its latest not-held entry
  // Retention deleted these meetings' rows along with erasing their entries' details: nothing about them is expected any more.
  const forget = (meetingId: string) => {
    for (const rows of expected.values()) for (const key of [...rows.keys()]) if (key === meetingId || key.startsWith(`${meetingId} / `)) rows.delete(key);
    withdrawn.delete(meetingId);
  };
  return {
    entry(e: AuditEntry) {
      if (e.action === 'retention.purged') for (const id of purgedMeetings(e)) forget(id);
      else replayEntry(e, set, withdrawn);
    },
    async against(store: Store): Promise<StateProblem[]> {
      return compare(expected, withdrawn, await store.audit.stateRows());
    },
  };
}

const purgedMeetings = (e: AuditEntry): string[] => (Array.isArray(e.details?.meetings) ? e.details.meetings.filter((m): m is string => typeof m === 'string') : []);

type Setter = (table: Table, key: string, seq: number, facts: Record<string, unknown> | null, partial?: boolean) => void;

function replayEntry(e: AuditEntry, set: Setter, withdrawn: Map<string, number>): void {
  const { meetingId, forceId } = e.subject;
  const d = e.details;
  const mf = keyOf(meetingId, forceId);
  switch (e.action) {
    case 'nomination.recorded':
    case 'nomination.changed': {
      const attendee = d?.attendee as { aadObjectId?: unknown } | undefined;
      return set('nominations', mf, e.seq, d && { person: attendee?.aadObjectId, role: d.role, decisionMaker: d.decisionMaker, version: d.version });
    }
    case 'attendance.recorded':
    case 'attendance.corrected':
      return set('attendance', mf, e.seq, d && { outcome: d.outcome, attendees: d.attendees, source: d.source, forceConfirmation: d.forceConfirmation, version: d.version, withdrawn: false }, d !== null && d.outcome === undefined);
    case 'attendance.confirmed':
    case 'attendance.disputed':
      return confirm(e, set, mf);
    case 'meeting.held':
    case 'meeting.not-held':
      if (e.action === 'meeting.not-held') withdrawn.set(meetingId ?? '', e.seq);
      return set('meeting_records', keyOf(meetingId), e.seq, d && { outcome: d.outcome, notHeldReason: d.notHeldReason ?? null, agencies: d.agencies, source: d.source });
    case 'meeting.cancelled':
      return set('cancellations', keyOf(meetingId), e.seq, d && { reason: d.reason, note: d.note ?? '' });
    case 'cancellation.note-redacted':
      return set('cancellations', keyOf(meetingId), e.seq, d && { reason: d.reason, note: '' });
    case 'apologies.sent': {
      const by = d?.sentBy as { aadObjectId?: unknown } | undefined;
      const sub = d?.substitute as { aadObjectId?: unknown } | null | undefined;
      return set('apologies', mf, e.seq, d && { sentBy: by?.aadObjectId, substitute: sub?.aadObjectId ?? null });
    }
    case 'meeting.force-invited':
      return set('invitations', mf, e.seq, d && {});
  }
}

/** A confirmation changes one fact of the record it names by version; kept apart and folded in when comparing. */
function confirm(e: AuditEntry, set: Setter, mf: string): void {
  set('attendance', `${mf}#confirmation`, e.seq, e.details && { forceConfirmation: e.action === 'attendance.confirmed' ? 'confirmed' : 'disputed', version: e.details.recordVersion });
}

function compare(expected: Map<Table, Map<string, Expected>>, withdrawn: Map<string, number>, rows: StateRows): StateProblem[] {
  const problems: StateProblem[] = [];
  const actual: Record<Table, Map<string, Record<string, unknown>>> = {
    nominations: new Map(rows.nominations.map((n) => [keyOf(n.meetingId, n.forceId), { person: n.aadObjectId, role: n.role, decisionMaker: n.decisionMaker, version: n.version }])),
    attendance: new Map(rows.attendance.map((a) => [keyOf(a.meetingId, a.forceId), { outcome: a.outcome, attendees: a.attendees, source: a.source, forceConfirmation: a.forceConfirmation, version: a.version, withdrawn: a.withdrawnAt !== null }])),
    meeting_records: new Map(rows.meetingRecords.map((r) => [keyOf(r.meetingId), { outcome: r.outcome, notHeldReason: r.notHeldReason, agencies: r.agencies, source: r.source }])),
    cancellations: new Map(rows.cancellations.map((c) => [keyOf(c.meetingId), { reason: c.reason, note: c.note }])),
    apologies: new Map(rows.apologies.map((a) => [keyOf(a.meetingId, a.forceId), { sentBy: a.sentBy.aadObjectId, substitute: a.substitute?.aadObjectId ?? null }])),
    invitations: new Map(rows.invitations.map((i) => [keyOf(i.meetingId, i.forceId), {}])),
  };
  const patched = applyConfirmations(expected, withdrawn);
  for (const table of Object.keys(actual) as Table[]) {
    const want = patched.get(table) ?? new Map<string, Expected>();
    for (const [key, row] of actual[table]) {
      const e = want.get(key);
      if (!e) problems.push({ table, key, message: `${table} row ${key} has no audit entry: it was written outside the bot` });
      else if (e.facts === null) problems.push({ table, key, message: `${table} row ${key} is still there, but the details of its entry ${e.seq} were erased` });
      else if (!e.partial && canonicalJson(row) !== canonicalJson(e.facts)) problems.push({ table, key, message: `${table} row ${key} differs from its audit entry ${e.seq}: the table says ${canonicalJson(row)}, the entry ${canonicalJson(e.facts)}` });
    }
    for (const [key, e] of want) {
      if (e.facts !== null && !actual[table].has(key)) problems.push({ table, key, message: `${table} row ${key} recorded by audit entry ${e.seq} is missing from the table` });
    }
  }
  problems.push(...meetingStatusProblems(rows));
  return problems;
}

/** Folds each confirmation into the attendance it confirms, and marks records of meetings later recorded not held as withdrawn. */
function applyConfirmations(expected: Map<Table, Map<string, Expected>>, withdrawn: Map<string, number>): Map<Table, Map<string, Expected>> {
  const out = new Map(expected);
  const attendance = new Map<string, Expected>();
  for (const [key, e] of expected.get('attendance') ?? []) {
    if (key.endsWith('#confirmation')) continue;
    let facts = e.facts;
    const c = expected.get('attendance')?.get(`${key}#confirmation`);
    if (facts && c && c.seq > e.seq && c.facts && c.facts.version === facts.version) facts = { ...facts, forceConfirmation: c.facts.forceConfirmation };
    const meetingId = key.split(' / ')[0]!;
    if (facts && (withdrawn.get(meetingId) ?? 0) > e.seq) facts = { ...facts, withdrawn: true };
    attendance.set(key, { ...e, facts });
  }
  out.set('attendance', attendance);
  return out;
}

/** A meeting's status must agree with its records: cancelled with a cancellation, held or not held with a meeting record. */
function meetingStatusProblems(rows: StateRows): StateProblem[] {
  const cancelled = new Set(rows.cancellations.map((c) => c.meetingId));
  const records = new Map(rows.meetingRecords.map((r) => [r.meetingId, r.outcome]));
  const problems: StateProblem[] = [];
  for (const m of rows.meetings) {
    const ok = m.status === 'cancelled' ? cancelled.has(m.id) : m.status === 'scheduled' ? !records.has(m.id) && !cancelled.has(m.id) : records.get(m.id) === m.status;
    if (!ok) problems.push({ table: 'meetings', key: m.id, message: `meeting ${m.id} is "${m.status}" in the meetings table, which its audited records do not support` });
  }
  return problems;
}
