import { canonicalJson } from '../domain/audit-chain.js';
import type { AuditEntry } from '../domain/types.js';
import { scopeValueOf } from '../review/signoff-types.js';
import type { AuditRepo, StateRows } from '../store/store.js';

/** A state row the chain does not account for, or an entry whose row is missing or says something else. */
export interface StateProblem {
  table: string;
  key: string;
  message: string;
}

/** What the latest entry about one row says the row holds: facts are null when the entry's details were erased. */
interface Expected {
  seq: number;
  facts: Record<string, unknown> | null;
  /** Who wrote it and when: kept by the chain even once the details are erased. */
  by: string;
  at: string;
}

type Table = 'meetings' | 'nominations' | 'attendance' | 'meeting_records' | 'cancellations' | 'apologies' | 'invitations' | 'review_signoffs' | 'review_actions';
const TABLES: Table[] = ['meetings', 'nominations', 'attendance', 'meeting_records', 'cancellations', 'apologies', 'invitations', 'review_signoffs', 'review_actions'];

const keyOf = (...parts: Array<string | undefined>) => parts.map((p) => p ?? '?').join(' / ');

/** The replayed state: per table, what each row should hold; per meeting, its latest not-held entry and confirmations. */
class Replayed {
  readonly rows = new Map<Table, Map<string, Expected>>(TABLES.map((t) => [t, new Map()]));
  /** Confirmations, apart: each names the record version it confirms and is folded in when comparing. */
  readonly confirmations = new Map<string, Expected>();
  readonly withdrawnAt = new Map<string, number>();
  /** Meetings held under the record format from before meeting records existed (migration 007 made none for them). */
  readonly heldBeforeRecords = new Set<string>();

  set(table: Table, key: string, e: AuditEntry, facts: Record<string, unknown> | null): void {
    this.rows.get(table)!.set(key, { seq: e.seq, facts, by: e.actor, at: e.at });
  }

  get(table: Table, key: string): Expected | undefined {
    return this.rows.get(table)!.get(key);
  }

  /** A meeting gone with everything recorded about it (retention, or the planner dropping a plain meeting). */
  forget(meetingId: string): void {
    for (const rows of this.rows.values()) for (const key of [...rows.keys()]) if (key === meetingId || key.startsWith(`${meetingId} / `)) rows.delete(key);
    for (const key of [...this.confirmations.keys()]) if (key.startsWith(`${meetingId} / `)) this.confirmations.delete(key);
    this.withdrawnAt.delete(meetingId);
  }
}

/**
 * Replays the audit log's entries into what each state row should hold (the latest entry about a row wins), then
 * compares with the tables: a row no entry explains, a row that says something else (who and when included), an
 * entry whose row is gone, and a meeting whose status its records do not support.
 */
export function stateReplay() {
  const r = new Replayed();
  return {
    entry(e: AuditEntry) {
      if (e.action === 'retention.purged') for (const id of listed(e.details?.meetings)) r.forget(id);
      else replayEntry(r, e);
    },
    async against(audit: Pick<AuditRepo, 'stateRows'>): Promise<StateProblem[]> {
      return compare(r, await audit.stateRows());
    },
  };
}

const listed = (v: unknown): string[] => (Array.isArray(v) ? v.filter((m): m is string => typeof m === 'string') : []);
const person = (v: unknown) => (v && typeof v === 'object' ? (v as { aadObjectId?: unknown; name?: unknown }) : null);

function replayEntry(r: Replayed, e: AuditEntry): void {
  const { meetingId, forceId } = e.subject;
  const d = e.details;
  const mf = keyOf(meetingId, forceId);
  if (e.action === 'review.signed-off' || e.action === 'review.action-done') return replaySignoff(r, e);
  // Every other state row is a meeting's, or about one: an entry naming no meeting describes none of them.
  if (!meetingId) return;
  switch (e.action) {
    case 'meeting.planned':
    case 'meeting.added':
    case 'meeting.replanned':
    case 'meeting.rescheduled':
      return r.set('meetings', keyOf(meetingId), e, d && { start: d.start, end: d.end, extra: e.action === 'meeting.added' || (r.get('meetings', keyOf(meetingId))?.facts?.extra ?? false) });
    case 'meeting.unplanned':
      return r.forget(meetingId);
    case 'nomination.recorded':
    case 'nomination.changed':
      return r.set('nominations', mf, e, d && { person: person(d.attendee)?.aadObjectId, name: person(d.attendee)?.name, role: d.role, decisionMaker: d.decisionMaker, version: d.version });
    case 'attendance.recorded':
    case 'attendance.corrected':
      if (d && d.outcome === undefined) r.heldBeforeRecords.add(meetingId);
      return r.set('attendance', mf, e, d && (d.outcome === undefined ? legacyAttendance(d) : { outcome: d.outcome, attendees: d.attendees, source: d.source, forceConfirmation: d.forceConfirmation, version: d.version }));
    case 'attendance.confirmed':
    case 'attendance.disputed':
      r.confirmations.set(mf, { seq: e.seq, facts: d && { forceConfirmation: e.action === 'attendance.confirmed' ? 'confirmed' : 'disputed', version: d.recordVersion }, by: e.actor, at: e.at });
      return;
    case 'meeting.held':
    case 'meeting.not-held':
      if (e.action === 'meeting.not-held') r.withdrawnAt.set(meetingId, e.seq);
      return r.set('meeting_records', keyOf(meetingId), e, d && { outcome: d.outcome, notHeldReason: d.notHeldReason ?? null, agencies: d.agencies, source: d.source });
    case 'meeting.cancelled':
      return r.set('cancellations', keyOf(meetingId), e, d && { reason: d.reason, note: d.note ?? '' });
    case 'cancellation.note-redacted':
      return redacted(r, e);
    case 'apologies.sent':
      return r.set('apologies', mf, e, d && { sentBy: person(d.sentBy)?.aadObjectId, sentByName: person(d.sentBy)?.name, substitute: person(d.substitute)?.aadObjectId ?? null });
    case 'meeting.force-invited':
      return r.set('invitations', mf, e, d && {});
  }
}

/** Before migration 007 a force's record was one person, attended or not, with a pre-ticked decision maker (a "yes" then became "unknown"). */
function legacyAttendance(d: Record<string, unknown>): Record<string, unknown> {
  const attended = d.attended === true;
  return { legacy: true, outcome: attended ? 'attended' : 'absent', people: attended ? [person(d.attendee)?.aadObjectId ?? null] : [], decisionMakers: attended ? [d.decisionMaker ? 'unknown' : 'no'] : [], version: d.version };
}

/** A redacted note: the cancellation stands as it was (who and when included), its note now empty. */
function redacted(r: Replayed, e: AuditEntry): void {
  const key = keyOf(e.subject.meetingId);
  const before = r.get('cancellations', key);
  const facts = e.details && { reason: e.details.reason, note: '' };
  r.rows.get('cancellations')!.set(key, { seq: e.seq, facts, by: before?.by ?? e.actor, at: before?.at ?? e.at });
}

/** A sign-off and each of its actions as its entry recorded them; an action marked done since, with who (by name) and when. */
function replaySignoff(r: Replayed, e: AuditEntry): void {
  const d = e.details;
  if (e.action === 'review.signed-off') {
    const id = e.subject.signoffId ?? '?';
    r.set('review_signoffs', id, e, d && { scope: d.scope, from: d.from, to: d.to, conclusion: d.conclusion, signedByName: d.signedByName });
    const actions = Array.isArray(d?.actions) ? (d.actions as unknown[]).filter((a): a is Row => !!a && typeof a === 'object') : [];
    for (const a of actions) r.set('review_actions', String(a.id), e, { ...a, signoffId: id, doneAt: null, doneBy: null });
    return;
  }
  const key = e.subject.actionId ?? '?';
  const before = r.get('review_actions', key);
  // Done for an action no entry recorded: its row, if any, is reported as unexplained.
  if (!before) return;
  const facts = before.facts && d && { ...before.facts, doneAt: e.at, doneBy: d.doneByName };
  r.rows.get('review_actions')!.set(key, { ...before, seq: e.seq, facts });
}

type Row = Record<string, unknown>;

/** Each table's rows as the facts an entry records, keyed as the replay keys them; who and when apart. */
function actualRows(rows: StateRows): Record<Table, Map<string, { facts: Row; by: string; at: string; legacy?: Row }>> {
  const m = <T>(list: T[], key: (x: T) => string, f: (x: T) => { facts: Row; by: string; at: string; legacy?: Row }) => new Map(list.map((x) => [key(x), f(x)]));
  return {
    meetings: m(rows.meetings, (x) => keyOf(x.id), (x) => ({ facts: { start: x.start, end: x.end, extra: x.extra }, by: '', at: '' })),
    nominations: m(rows.nominations, (n) => keyOf(n.meetingId, n.forceId), (n) => ({ facts: { person: n.aadObjectId, name: n.name, role: n.role, decisionMaker: n.decisionMaker, version: n.version }, by: n.nominatedBy, at: n.nominatedAt })),
    attendance: m(rows.attendance, (a) => keyOf(a.meetingId, a.forceId), (a) => ({
      facts: { outcome: a.outcome, attendees: a.attendees, source: a.source, forceConfirmation: a.forceConfirmation, version: a.version, withdrawn: a.withdrawnAt !== null, confirmedBy: a.confirmedBy, confirmedAt: a.confirmedAt },
      legacy: { legacy: true, outcome: a.outcome, people: a.attendees.map((p) => p.aadObjectId), decisionMakers: a.attendees.map((p) => p.decisionMaker), version: a.version, withdrawn: a.withdrawnAt !== null },
      by: a.recordedBy, at: a.recordedAt,
    })),
    meeting_records: m(rows.meetingRecords, (x) => keyOf(x.meetingId), (x) => ({ facts: { outcome: x.outcome, notHeldReason: x.notHeldReason, agencies: x.agencies, source: x.source }, by: x.recordedBy, at: x.recordedAt })),
    cancellations: m(rows.cancellations, (c) => keyOf(c.meetingId), (c) => ({ facts: { reason: c.reason, note: c.note }, by: c.cancelledBy, at: c.cancelledAt })),
    apologies: m(rows.apologies, (a) => keyOf(a.meetingId, a.forceId), (a) => ({ facts: { sentBy: a.sentBy.aadObjectId, sentByName: a.sentBy.name, substitute: a.substitute?.aadObjectId ?? null }, by: '', at: a.sentAt })),
    invitations: m(rows.invitations, (i) => keyOf(i.meetingId, i.forceId), (i) => ({ facts: {}, by: i.invitedBy, at: i.invitedAt })),
    ...signoffRows(rows.signoffs ?? []),
  };
}

/** Sign-offs and their actions as their entries record them, keyed by id. */
function signoffRows(signoffs: NonNullable<StateRows['signoffs']>) {
  const signed = signoffs.map((s) => [s.id, {
    facts: { scope: scopeValueOf(s.scope), from: s.from, to: s.to, conclusion: s.conclusion, signedByName: s.signedBy.name }, by: s.signedBy.aadObjectId, at: s.signedAt,
  }] as const);
  const actions = signoffs.flatMap((s) => s.actions.map((a) => [a.id, { facts: { ...a, signoffId: s.id } as Row, by: '', at: '' }] as const));
  return { review_signoffs: new Map(signed), review_actions: new Map(actions) };
}

/** Tables whose rows always keep who wrote them and when. */
const WHO_AND_WHEN_KEPT = new Set<string>(['review_signoffs']);

function compare(r: Replayed, rows: StateRows): StateProblem[] {
  const problems: StateProblem[] = [];
  const actual = actualRows(rows);
  for (const table of TABLES) {
    const want = table === 'attendance' ? attendanceExpected(r) : r.rows.get(table)!;
    for (const [key, row] of actual[table]) {
      const e = want.get(key);
      const say = (message: string) => problems.push({ table, key, message: `${table} row ${key} ${message}` });
      if (!e) say('has no audit entry: it was written outside the bot');
      else if (e.facts === null) say(`is still there, but the details of its entry ${e.seq} were erased`);
      else {
        const got = e.facts.legacy ? row.legacy! : pick(row.facts, e.facts);
        if (canonicalJson(got) !== canonicalJson(e.facts)) say(`differs from its audit entry ${e.seq}: the table says ${canonicalJson(got)}, the entry ${canonicalJson(e.facts)}`);
        // A sign-off always says who signed and when: blanking either is a change too (elsewhere an empty who or when is a row that does not keep it).
        else if (WHO_AND_WHEN_KEPT.has(table) ? row.by !== e.by || row.at !== e.at : (row.by && row.by !== e.by) || (row.at && row.at !== e.at)) say(`says it was written by ${row.by || '?'} at ${row.at || '?'}, but its audit entry ${e.seq} was by ${e.by} at ${e.at}`);
      }
    }
    for (const [key, e] of want) {
      if (e.facts !== null && !actual[table].has(key)) problems.push({ table, key, message: `${table} row ${key} recorded by audit entry ${e.seq} is missing from the table` });
    }
  }
  problems.push(...meetingStatusProblems(rows, r.heldBeforeRecords));
  return problems;
}

/** Only the facts the entry records: a confirmation's who and when are compared only when the entry names them. */
const pick = (row: Row, facts: Row): Row => Object.fromEntries(Object.keys(row).filter((k) => facts[k] !== undefined).map((k) => [k, row[k]]));

/** Each attendance record as its latest entry, with a later confirmation of that version folded in and a later not-held withdrawal. */
function attendanceExpected(r: Replayed): Map<string, Expected> {
  const out = new Map<string, Expected>();
  for (const [key, e] of r.rows.get('attendance')!) {
    let facts = e.facts;
    const c = r.confirmations.get(key);
    if (facts && !facts.legacy && c && c.seq > e.seq && c.facts && c.facts.version === facts.version) {
      facts = { ...facts, forceConfirmation: c.facts.forceConfirmation, confirmedBy: c.by, confirmedAt: c.at };
    }
    const meetingId = key.split(' / ')[0]!;
    if (facts) facts = { ...facts, withdrawn: (r.withdrawnAt.get(meetingId) ?? 0) > e.seq };
    out.set(key, { ...e, facts });
  }
  return out;
}

/** A meeting's status must agree with its records: cancelled with a cancellation, held or not held with a meeting record. */
function meetingStatusProblems(rows: StateRows, heldBeforeRecords: Set<string>): StateProblem[] {
  const cancelled = new Set(rows.cancellations.map((c) => c.meetingId));
  const records = new Map(rows.meetingRecords.map((x) => [x.meetingId, x.outcome]));
  const problems: StateProblem[] = [];
  for (const m of rows.meetings) {
    const ok = m.status === 'cancelled' ? cancelled.has(m.id)
      : m.status === 'scheduled' ? !records.has(m.id) && !cancelled.has(m.id)
      : records.get(m.id) === m.status || (m.status === 'held' && !records.has(m.id) && heldBeforeRecords.has(m.id));
    if (!ok) problems.push({ table: 'meetings', key: m.id, message: `meeting ${m.id} is "${m.status}" in the meetings table, which its audited records do not support` });
  }
  return problems;
}
