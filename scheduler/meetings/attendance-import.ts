import { createHash } from 'node:crypto';
import type { NewAuditEntry } from '../domain/audit-chain.js';
import { groupBy, groupByMeeting } from '../domain/group.js';
import { localDate, localToUtc } from '../domain/timetable.js';
import type { CancelReason, Failure, Force, Meeting, Panel } from '../domain/types.js';
import { normaliseInstant, pastPlan, planBack } from '../planning/sync.js';
import type { Repos, Store } from '../store/store.js';
import type { CsvRecord, LineProblem } from './csv-records.js';
import { groupMeetings, meetingKey, storeConflict, toAnswers, type MeetingImport, type StoredMeeting } from './import-meetings.js';
import { checkRow, isImportableDate, readImportFile, type ImportRow, type RowContext } from './import-rows.js';
import { recordIn } from './record-attendance.js';

// `panel-bot import attendance`: a force's or a panel's past record loaded from a file, all or nothing, in one
// transaction. The file is checked whole first (every problem, by line); then the panels' timetables are planned back
// to its earliest date, so a month with no row shows as unrecorded, and each meeting is recorded as a chair would record
// it, with source "import", for the forces the file names only: at a panel shared with other forces, their records are
// left as they are (or unrecorded), so each force may import its own past. A re-run finds everything recorded already
// and changes nothing.

/** Who the import acts as in the audit log and on the records it writes. */
const ACTOR = 'system';

/** What an import stored (or, on a dry run, would store). */
export interface ImportSummary {
  dryRun: boolean;
  rows: number;
  meetings: number;
  /** Timetabled meetings added for the past the bot had not planned. */
  plannedBack: number;
  /** Meetings added for dates the timetable does not give. */
  extraMeetings: number;
  held: number;
  notHeld: number;
  cancelled: number;
  /** Meetings the store already had exactly as the file says. */
  unchanged: number;
  /** Force records written (new or corrected), and the attendees they name. */
  forceRecords: number;
  attendees: number;
  auditEntries: number;
}

export type ImportResult = { ok: true; value: ImportSummary } | { ok: false; error: Failure; problems: LineProblem[] };

/** A meeting of the file matched to the store: one it has, one of the timetable's past it will plan, or an extra one. */
interface Target {
  file: MeetingImport;
  meeting: Meeting;
  kind: 'stored' | 'planned' | 'extra';
  stored: StoredMeeting | null;
}

interface Plan {
  rows: number;
  fromUtc: string;
  panels: Panel[];
  targets: Target[];
}

class Rollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super('dry run');
  }
}

class Refused extends Error {
  constructor(readonly problems: LineProblem[]) {
    super('refused');
  }
}

/** Checks the file whole and, unless it has a problem or this is a dry run, stores it in one transaction. */
export async function importAttendance(store: Store, bytes: Uint8Array, options: { now: string; dryRun: boolean }): Promise<ImportResult> {
  const file = readImportFile(bytes);
  if (!file.ok) return refused(file.problems);
  const now = normaliseInstant(options.now);
  const digest = createHash('sha256').update(bytes).digest('hex');
  try {
    return await store.transaction(async (tx) => {
      // Planning back inserts meetings, so it runs one at a time with sync's planning.
      await tx.exclusive('sync');
      const plan = await prepare(tx, file.records, now);
      if (!plan.ok) return refused(plan.problems);
      const summary = await apply(tx, plan.value, now, digest);
      // A dry run does everything a real one does, then rolls it back: its counts are exactly what a run would store.
      if (options.dryRun) throw new Rollback({ ...summary, dryRun: true });
      return { ok: true as const, value: summary };
    });
  } catch (err) {
    if (err instanceof Rollback) return { ok: true, value: err.summary };
    if (err instanceof Refused) return refused(err.problems);
    throw err;
  }
}

function refused(problems: LineProblem[]): ImportResult {
  const sorted = [...problems].sort((a, b) => a.line - b.line);
  const lines = sorted.map((p) => (p.line ? `line ${p.line}: ${p.message}` : p.message));
  return { ok: false, error: { code: 'INVALID_FILE', message: `The file was refused; nothing was stored.\n${lines.join('\n')}` }, problems: sorted };
}

/** Every row checked against the directory and the store; the meetings matched; nothing written. */
async function prepare(tx: Repos, records: CsvRecord[], now: string): Promise<{ ok: true; value: Plan } | { ok: false; problems: LineProblem[] }> {
  const today = localDate(now);
  const panels = new Map((await tx.directory.listPanels({ includeRetired: true })).map((p) => [p.id, p]));
  const forces = new Map<string, Force>((await tx.directory.listForces({ includeRetired: true })).map((f) => [f.id, f]));
  const wanted = candidateMeetings(records, panels, today);
  const earliest = [...wanted.values()].flat().sort()[0] ?? today;
  const fromUtc = localToUtc(earliest, '00:00');
  const found = await findMeetings(tx, wanted, panels, fromUtc, now);
  const ctx: RowContext = { today, panel: (id) => panels.get(id), force: (id) => forces.get(id), asked: (p, d) => found.get(meetingKey(p, d))?.asked ?? panels.get(p)?.forces ?? [] };
  const rows: ImportRow[] = [];
  const problems: LineProblem[] = [];
  for (const rec of records) {
    const r = checkRow(rec, ctx);
    if (r.ok) rows.push(r.row);
    else problems.push(...r.problems.map((message) => ({ line: rec.line, message })));
  }
  // A meeting with a bad row is not checked as a whole: its problems would mostly echo the row's.
  const bad = new Set(problems.map((p) => p.line));
  const badMeetings = new Set(records.filter((r) => bad.has(r.line)).map((r) => meetingKey(r.fields[1]?.trim() ?? '', r.fields[0]?.trim() ?? '')));
  const grouped = groupMeetings(rows.filter((r) => !badMeetings.has(meetingKey(r.panelId, r.date))));
  problems.push(...grouped.problems);
  const targets: Target[] = [];
  for (const m of grouped.meetings) {
    const f = found.get(meetingKey(m.panelId, m.date))!;
    const conflict = f.clash ?? (f.stored && storeConflict(m, f.stored));
    if (conflict) problems.push({ line: m.lines[0]!, message: `the ${m.panelId} meeting on ${m.date} ${conflict}` });
    else targets.push({ file: m, meeting: f.meeting, kind: f.kind, stored: f.stored });
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, value: { rows: rows.length, fromUtc, panels: [...new Set(rows.map((r) => r.panelId))].map((id) => panels.get(id)!), targets } };
}

/** The live panels' dates the file names (only well-formed past dates within the retention period), by panel. */
function candidateMeetings(records: CsvRecord[], panels: Map<string, Panel>, today: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of records) {
    const [date, panelId] = [r.fields[0]?.trim() ?? '', r.fields[1]?.trim() ?? ''];
    const panel = panels.get(panelId);
    if (!panel || panel.retired || !isImportableDate(date, today)) continue;
    const dates = out.get(panelId) ?? [];
    if (!dates.includes(date)) dates.push(date);
    out.set(panelId, dates);
  }
  return out;
}

interface Found {
  meeting: Meeting;
  kind: Target['kind'];
  stored: StoredMeeting | null;
  asked: string[];
  /** Why the date cannot be matched to a meeting, when it cannot. */
  clash: string | null;
}

/**
 * The meeting each panel and date stands for: a stored one starting that local day (a timetabled one before an extra
 * one), else one the timetable gives in the past the bot never planned, else a new extra meeting at the timetable's time.
 */
async function findMeetings(tx: Repos, wanted: Map<string, string[]>, panels: Map<string, Panel>, fromUtc: string, now: string): Promise<Map<string, Found>> {
  const out = new Map<string, Found>();
  for (const [panelId, dates] of wanted) {
    const panel = panels.get(panelId)!;
    const stored = await tx.meetings.list({ panelIds: [panelId] });
    const byDay = groupBy([...stored, ...pastPlan(panel, stored, fromUtc, now)], (m) => localDate(m.start));
    const known = new Set(stored.map((m) => m.id));
    for (const date of dates) {
      const day = (byDay.get(date) ?? []).sort((a, b) => Number(a.extra) - Number(b.extra) || (a.start < b.start ? -1 : 1));
      const meeting = day[0] ?? extraMeeting(panel, date);
      const kind = !day[0] ? 'extra' : known.has(meeting.id) ? 'stored' : 'planned';
      const clash = kind === 'extra' && known.has(meeting.id) ? `cannot be added: ${panelId} already has a meeting with the id ${meeting.id} at another time` : null;
      out.set(meetingKey(panelId, date), { meeting, kind, stored: null, asked: [...panel.forces], clash });
    }
  }
  await loadStored(tx, [...out.values()].filter((f) => f.kind === 'stored'));
  return out;
}

/** A meeting the timetable does not give, at the timetable's time (addExtraMeeting's id scheme). */
function extraMeeting(panel: Panel, date: string): Meeting {
  const start = localToUtc(date, panel.timetable.start);
  return {
    id: `${panel.id}.${date}.extra-${panel.timetable.start.replace(':', '')}`, panelId: panel.id, occurrence: null, start,
    end: new Date(Date.parse(start) + panel.timetable.minutes * 60_000).toISOString(), status: 'scheduled', moved: null, extra: true, version: 1, locked: true,
  };
}

/** What the store holds about the stored meetings: cancellation, record, each force's attendance and invited forces. */
async function loadStored(tx: Repos, found: Found[]): Promise<void> {
  const ids = found.map((f) => f.meeting.id);
  const [cancellations, records, attendance, invitations] = await Promise.all([
    tx.chairs.cancellations(ids), tx.chairs.meetingRecords(ids), tx.chairs.attendance(ids), tx.chairs.invitations(ids),
  ]);
  const [reasons, recorded] = [new Map(cancellations.map((c) => [c.meetingId, c.reason])), new Map(records.map((r) => [r.meetingId, r]))];
  const [forces, invited] = [groupByMeeting(attendance), groupByMeeting(invitations)];
  for (const f of found) {
    const id = f.meeting.id;
    f.stored = { status: f.meeting.status, cancelReason: reasons.get(id) ?? null, record: recorded.get(id) ?? null, attendance: forces.get(id) ?? [] };
    f.asked.push(...(invited.get(id) ?? []).map((i) => i.forceId).filter((x) => !f.asked.includes(x)));
  }
}

/** Plans back, adds extra meetings and records each meeting; counts what changed. */
async function apply(tx: Repos, plan: Plan, now: string, digest: string): Promise<ImportSummary> {
  const s: ImportSummary = {
    dryRun: false, rows: plan.rows, meetings: plan.targets.length, plannedBack: 0, extraMeetings: 0, held: 0, notHeld: 0, cancelled: 0, unchanged: 0, forceRecords: 0, attendees: 0, auditEntries: 0,
  };
  for (const panel of plan.panels) {
    const planned = await planBack(tx, panel, plan.fromUtc, now, { source: 'import' });
    s.plannedBack += planned.length;
    s.auditEntries += planned.length;
  }
  for (const t of plan.targets) {
    const added = t.kind === 'extra' && (await addExtra(tx, t.meeting, now));
    const audited = (added ? 1 : 0) + (t.file.outcome === 'cancelled' ? await cancel(tx, t, now) : await record(tx, t, now, s));
    if (audited === 0) {
      s.unchanged += 1;
      continue;
    }
    s.extraMeetings += added ? 1 : 0;
    s[t.file.outcome === 'not-held' ? 'notHeld' : t.file.outcome] += 1;
    const perRow = rowEntries(t, now, digest);
    await tx.audit.append(perRow);
    s.auditEntries += audited + perRow.length;
  }
  return s;
}

async function addExtra(tx: Repos, m: Meeting, now: string): Promise<boolean> {
  await tx.meetings.insertMany([m], now);
  await tx.audit.append([{ at: now, actor: ACTOR, action: 'meeting.added', subject: { meetingId: m.id, panelId: m.panelId }, details: { start: m.start, end: m.end, extra: true, source: 'import' } }]);
  return true;
}

/**
 * Records a past cancellation as the chair would have made it (cancelMeeting refuses a meeting that has started).
 * The note is left empty: a cancellation's note is the chair's words, and an import has none; the audit entry says
 * where it came from. Returns the audit entries written (0: it was cancelled so already).
 */
async function cancel(tx: Repos, t: Target, now: string): Promise<number> {
  const meeting = (await tx.meetings.getForUpdate(t.meeting.id))!;
  if (meeting.status === 'cancelled') return 0;
  const reason = t.file.reason as CancelReason;
  const cancelled: Meeting = { ...meeting, status: 'cancelled', locked: true, version: meeting.version + 1 };
  await tx.meetings.update(cancelled, now);
  await tx.chairs.saveCancellation({ meetingId: meeting.id, reason, note: '', cancelledBy: ACTOR, cancelledAt: now });
  await tx.audit.append([
    { at: now, actor: ACTOR, action: 'meeting.cancelled', subject: { meetingId: meeting.id, panelId: meeting.panelId }, details: { reason, note: '', version: cancelled.version, source: 'import' } },
  ]);
  return 1;
}

/**
 * Records a held or not-held meeting through the chair's path, for the forces the file names only (the others'
 * records stay as they are); returns the audit entries it wrote (one per record saved).
 */
async function record(tx: Repos, t: Target, now: string, s: ImportSummary): Promise<number> {
  const before = await tx.chairs.attendance([t.meeting.id]);
  const r = await recordIn(tx, t.meeting.id, toAnswers(t.file, t.stored?.record?.agencies ?? {}), ACTOR, now, { source: 'import', onlyNamedForces: true });
  // Checked already, so a refusal here is a rule the file checks missed: refuse the whole file, said plainly.
  if (!r.ok) throw new Refused([{ line: t.file.lines[0]!, message: `the ${t.file.panelId} meeting on ${t.file.date} could not be recorded: ${r.error.message}` }]);
  const written = (await tx.chairs.attendance([t.meeting.id])).filter((a) => !before.some((b) => b.forceId === a.forceId && b.version === a.version));
  s.forceRecords += written.length;
  s.attendees += written.reduce((n, a) => n + a.attendees.length, 0);
  return r.value.changed;
}

/** One audit entry per row of a meeting the import changed: which line of which file said what. */
function rowEntries(t: Target, now: string, digest: string): NewAuditEntry[] {
  return t.file.rows.map(({ line, forceId, outcome }) => ({
    at: now, actor: ACTOR, action: 'attendance.imported',
    subject: { meetingId: t.meeting.id, panelId: t.meeting.panelId, ...(forceId ? { forceId } : {}) },
    details: { line, outcome, file: digest, source: 'import' },
  }));
}
