import { samePeople, toAttendees, type MeetingAnswers } from '../domain/attendance-rules.js';
import { groupBy } from '../domain/group.js';
import type { AgencyCounts, Attendance, AttendanceOutcome, CancelReason, MeetingRecord, MeetingStatus } from '../domain/types.js';
import { slugOf } from '../domain/types.js';
import type { LineProblem } from './csv-records.js';
import type { ImportedAttendee, ImportRow } from './import-rows.js';

// The import's rows put together into meetings (one panel on one date), and checked as meetings: pure.

/** One force's part in a held meeting, from its rows (several attended rows are several attendees). */
export interface ForceImport {
  forceId: string;
  outcome: AttendanceOutcome;
  attendees: ImportedAttendee[];
  lines: number[];
}

/** What the file says about one meeting. */
export interface MeetingImport {
  panelId: string;
  date: string;
  lines: number[];
  /** Each row as the audit log records it: its line, the force it names (if any) and what it says. */
  rows: Array<Pick<ImportRow, 'line' | 'forceId' | 'outcome'>>;
  outcome: 'held' | 'not-held' | 'cancelled';
  reason: CancelReason | null;
  forces: ForceImport[];
}

export const meetingKey = (panelId: string, date: string): string => `${panelId} ${date}`;

const list = (items: readonly string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);
const lineList = (lines: readonly number[]) => (lines.length === 1 ? `line ${lines[0]}` : `lines ${lines.join(', ')}`);
const saidOf = (r: ImportRow) => (r.outcome === 'cancelled' || r.outcome === 'not-held' ? `${r.outcome} (${slugOf(r.reason!)})` : r.outcome);

/**
 * Rows grouped into meetings, oldest first, each checked as a whole: a meeting that did not take place has no force
 * rows and one reason, and a held one has one outcome for each force the file names for it. A held meeting needs
 * rows only for the forces the file names: a force's own file for a panel it shares gives only its own rows, and
 * the other forces' records are left as they are (or unrecorded).
 */
export function groupMeetings(rows: readonly ImportRow[]): { meetings: MeetingImport[]; problems: LineProblem[] } {
  const meetings: MeetingImport[] = [];
  const problems: LineProblem[] = [];
  for (const group of groupBy(rows, (r) => meetingKey(r.panelId, r.date)).values()) {
    const found: string[] = [];
    const meeting = checkMeeting(group, found);
    const where = `the ${group[0]!.panelId} meeting on ${group[0]!.date}`;
    problems.push(...found.map((message) => ({ line: group[0]!.line, message: `${where}: ${message}` })));
    if (meeting) meetings.push(meeting);
  }
  meetings.sort((a, b) => (a.date === b.date ? (a.panelId < b.panelId ? -1 : 1) : a.date < b.date ? -1 : 1));
  return { meetings, problems };
}

function checkMeeting(rows: ImportRow[], problems: string[]): MeetingImport | null {
  const { panelId, date } = rows[0]!;
  const lines = rows.map((r) => r.line);
  const said = rows.map(({ line, forceId, outcome }) => ({ line, forceId, outcome }));
  const wide = rows.filter((r) => r.outcome === 'cancelled' || r.outcome === 'not-held');
  const forceRows = rows.filter((r) => !wide.includes(r));
  if (wide.length && forceRows.length) {
    problems.push(`it is recorded as ${saidOf(wide[0]!)} on ${lineList(wide.map((r) => r.line))} and given police attendance on ${lineList(forceRows.map((r) => r.line))}; a meeting that did not take place has none`);
    return null;
  }
  if (wide.length) {
    const answers = new Set(wide.map(saidOf));
    if (answers.size > 1) {
      problems.push(`${lineList(lines)} disagree about it: ${[...answers].join(' or ')}`);
      return null;
    }
    const first = wide[0]!;
    return { panelId, date, lines, rows: said, outcome: first.outcome as 'cancelled' | 'not-held', reason: first.reason, forces: [] };
  }
  const forces = [...groupBy(forceRows, (r) => r.forceId!).entries()].map(([forceId, fr]) => checkForce(forceId, fr, problems));
  if (problems.length || forces.some((f) => !f)) return null;
  return { panelId, date, lines, rows: said, outcome: 'held', reason: null, forces: forces as ForceImport[] };
}

function checkForce(forceId: string, rows: ImportRow[], problems: string[]): ForceImport | null {
  const lines = rows.map((r) => r.line);
  const outcomes = new Set(rows.map((r) => r.outcome));
  if (outcomes.size > 1) {
    problems.push(`${forceId} is given more than one outcome (${[...outcomes].join(', ')}) on ${lineList(lines)}; give one`);
    return null;
  }
  const outcome = rows[0]!.outcome as AttendanceOutcome;
  if (outcome !== 'attended' && rows.length > 1) {
    problems.push(`${forceId}'s ${outcome} is repeated on ${lineList(lines)}; give it once`);
    return null;
  }
  const seen = new Map<string, number>();
  for (const r of outcome === 'attended' ? rows : []) {
    const a = r.attendee!;
    const key = a.person.aadObjectId ?? `name ${a.person.name.toLowerCase()}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) problems.push(`line ${r.line} names the same ${forceId} attendee as line ${earlier}; name each attendee once`);
    seen.set(key, r.line);
  }
  return { forceId, outcome, attendees: outcome === 'attended' ? rows.map((r) => r.attendee!) : [], lines };
}

/** A meeting as the store has it, for checking the file against. */
export interface StoredMeeting {
  status: MeetingStatus;
  cancelReason: CancelReason | null;
  record: MeetingRecord | null;
  attendance: readonly Attendance[];
}

/**
 * Why the file may not change a meeting the store already has, or null. A cancellation is never turned into
 * anything else, nor a recorded meeting into a cancellation; what a chair (or a Teams meeting) recorded is never
 * contradicted, though a force it did not record may be added. An earlier import's record may be corrected, a
 * force's row replacing only that force's record; but a not-held row never erases a force's attendance that the
 * file does not name (another force's import, or anyone's record but an import's).
 */
export function storeConflict(m: MeetingImport, s: StoredMeeting): string | null {
  const was = s.status === 'not-held' ? 'recorded as not held' : `recorded as ${s.status}`;
  if (s.status === 'cancelled') {
    const reason = s.cancelReason ? ` (${slugOf(s.cancelReason)})` : '';
    if (m.outcome !== 'cancelled') return `was cancelled in the bot${reason}, so it cannot be imported as ${m.outcome}`;
    return s.cancelReason === m.reason ? null : `was cancelled in the bot${reason}, not for ${slugOf(m.reason!)}`;
  }
  if (m.outcome === 'cancelled') return s.status === 'scheduled' ? null : `is ${was} in the bot, so it cannot be imported as cancelled`;
  const by = (source: string) => (source === 'chair' ? 'the chair' : 'its Teams meeting');
  if (s.record && s.record.source !== 'import' && (s.record.outcome !== m.outcome || s.record.notHeldReason !== m.reason)) {
    return `is ${was} by ${by(s.record.source)}; the file says ${m.outcome}. Correct it in Teams, or leave it out of the file`;
  }
  if (m.outcome === 'not-held') {
    const named = new Set(m.rows.map((r) => r.forceId));
    const kept = s.attendance.filter((a) => a.source !== 'import' || !named.has(a.forceId));
    const recorded = kept.filter((a) => a.source !== 'import');
    if (recorded.length) {
      return `has ${list(recorded.map((a) => `${a.forceId}'s`))} attendance recorded ${new Set(recorded.map((a) => a.source)).size === 1 ? `by ${by(recorded[0]!.source)}` : 'in Teams'}, which a not-held row would erase. Correct it in Teams, or leave it out of the file`;
    }
    if (kept.length) {
      const all = s.attendance.map((a) => a.forceId);
      return `has ${list(kept.map((a) => `${a.forceId}'s`))} attendance from an earlier import, which a not-held row would erase. If it did not take place, give the not-held row for each force recorded (${all.join(', ')}); otherwise leave it out of the file`;
    }
  }
  for (const f of m.forces) {
    const stored = s.attendance.find((a) => a.forceId === f.forceId);
    if (!stored || stored.source === 'import') continue;
    if (stored.outcome !== f.outcome || !samePeople(stored.attendees, toAttendees(f.attendees, null))) {
      return `already has ${f.forceId}'s attendance recorded by ${by(stored.source)}, and the file differs. Correct it in Teams, or leave it out of the file`;
    }
  }
  return null;
}

/** The file's meeting as a chair's answers, keeping the other agencies present that someone already recorded. */
export function toAnswers(m: MeetingImport, agencies: AgencyCounts): MeetingAnswers {
  if (m.outcome === 'not-held') return { outcome: 'not-held', notHeldReason: m.reason!, agencies, forces: [] };
  return { outcome: 'held', agencies, forces: m.forces.map((f) => ({ forceId: f.forceId, outcome: f.outcome, attendees: f.attendees })) };
}
