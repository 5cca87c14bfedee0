import { DateTime } from 'luxon';
import type { AttendeeAnswer } from '../domain/attendance-rules.js';
import { AAD_OBJECT_ID } from '../domain/ids.js';
import { cleanText } from '../domain/text.js';
import type { CancelReason, Force, Panel } from '../domain/types.js';
import { ATTENDANCE_OUTCOMES, DECISION_ANSWERS, MODES, REASON_SLUGS, RECORD_YEARS, ROLE_CATEGORIES, UNITS } from '../domain/types.js';
import { parseCsv, type CsvRecord, type LineProblem } from './csv-records.js';

// The attendance import's file, row by row (README, "Importing past attendance"): pure, so every rule has a unit test.
// Nothing here reads the store; what a row is checked against comes in a RowContext.

export const COLUMNS = [
  'date', 'panel_id', 'force_id', 'outcome', 'attendee_name', 'attendee_aad_object_id', 'role_category', 'role', 'unit', 'mode',
  'decision_maker', 'cancel_reason', 'not_held_reason',
] as const;
type Column = (typeof COLUMNS)[number];

export const MAX_FILE_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS = 50_000;
export const MAX_NAME = 120;
export const MAX_ROLE = 80;
/** How far back a row's date may be: the retention period (as for a past meeting a chair adds). */

export const IMPORT_OUTCOMES = [...ATTENDANCE_OUTCOMES, 'not-held', 'cancelled'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];

/** An attendee as a row gives them; an import may not know their Entra object id. */
export type ImportedAttendee = Required<AttendeeAnswer>;

/** One checked data row. */
export interface ImportRow {
  line: number;
  date: string;
  panelId: string;
  /** Null only on a not-held or cancelled row that names no force. */
  forceId: string | null;
  outcome: ImportOutcome;
  attendee: ImportedAttendee | null;
  /** Why a cancelled or not-held meeting did not take place. */
  reason: CancelReason | null;
}

/** What rows are checked against: the directory and the day the import runs. */
export interface RowContext {
  /** The Europe/London date of the import: every row's date must be before it, and not before earliestDate(today). */
  today: string;
  panel(id: string): Panel | undefined;
  force(id: string): Force | undefined;
  /** The forces asked to a panel's meeting on a date: the panel's own, and any invited to that meeting. */
  asked(panelId: string, date: string): readonly string[];
}

const ATTENDEE_COLUMNS = ['attendee_name', 'attendee_aad_object_id', 'role_category', 'role', 'unit', 'mode', 'decision_maker'] as const satisfies readonly Column[];
const SLUGS = Object.keys(REASON_SLUGS) as Array<keyof typeof REASON_SLUGS>;

/** A problem with the whole file rather than one line is reported at line 0. */
const whole = (message: string): LineProblem => ({ line: 0, message });

/**
 * The file's data records, once it is UTF-8 CSV within the size limits whose header is exactly the contract's
 * columns; otherwise every problem found. Extra columns are refused: the format has no room for anything about a
 * referred person, and a column the import would ignore is one nobody notices it ignoring.
 */
export function readImportFile(bytes: Uint8Array): { ok: true; records: CsvRecord[] } | { ok: false; problems: LineProblem[] } {
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, problems: [whole(`the file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it into smaller files (by year or by panel) and import each`)] };
  const text = decodeUtf8(bytes);
  if (typeof text !== 'string') return { ok: false, problems: [text] };
  const csv = parseCsv(text, MAX_ROWS + 1);
  if (csv.tooMany) return { ok: false, problems: [whole(`the file has more than ${MAX_ROWS.toLocaleString('en-GB')} rows; split it into smaller files and import each`)] };
  const [header, ...records] = csv.records;
  const problems = [...(header ? checkHeader(header) : [whole(`the file is empty: it needs the header row ${COLUMNS.join(',')}`)]), ...csv.problems];
  if (header && records.length === 0 && csv.problems.length === 0) problems.push(whole('the file has a header but no rows: there is nothing to import'));
  return problems.length ? { ok: false, problems } : { ok: true, records };
}

/** The text, without a byte-order mark; or the line of the first byte that is not UTF-8. */
function decodeUtf8(bytes: Uint8Array): string | LineProblem {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (let i = 0; i <= bytes.length; i++) {
      if (i < bytes.length && bytes[i] !== 0x0a) continue;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, i));
      } catch {
        break;
      }
      [line, start] = [line + 1, i + 1];
    }
    return { line, message: 'this line is not UTF-8 text: save the file as "CSV UTF-8"' };
  }
}

function checkHeader(header: CsvRecord): LineProblem[] {
  const names = header.fields.map((f) => f.trim());
  const unknown = names.filter((n) => !(COLUMNS as readonly string[]).includes(n));
  const missing = COLUMNS.filter((c) => !names.includes(c));
  const problems = [
    ...unknown.map((n) => `column ${shown(n)} is not part of the format; remove it (nothing but the columns below is ever imported, and nothing about a referred person)`),
    ...missing.map((c) => `column ${c} is missing`),
  ];
  if (!problems.length && names.join(',') !== COLUMNS.join(',')) problems.push('the columns are in another order (or repeated)');
  if (problems.length) problems.push(`the header must be exactly: ${COLUMNS.join(',')}`);
  return problems.map((message) => ({ line: header.line, message }));
}

/** One record checked against the directory: the row, or every problem with it. */
export function checkRow(rec: CsvRecord, ctx: RowContext): { ok: true; row: ImportRow } | { ok: false; problems: string[] } {
  if (rec.fields.length !== COLUMNS.length) return { ok: false, problems: [`has ${rec.fields.length} fields where the header has ${COLUMNS.length}`] };
  const f = Object.fromEntries(COLUMNS.map((c, i) => [c, rec.fields[i]!.trim()])) as Record<Column, string>;
  const problems: string[] = [];
  const date = checkDate(f.date, ctx.today, problems);
  const panel = checkPanel(f.panel_id, ctx, problems);
  const outcome = oneOf('outcome', f.outcome, IMPORT_OUTCOMES, problems);
  const meetingWide = outcome === 'not-held' || outcome === 'cancelled';
  const forceId = checkForce(f.force_id, panel && date ? ctx.asked(panel.id, date) : null, panel, outcome, meetingWide, ctx, problems);
  const attendee = outcome === 'attended' ? checkAttendee(f, problems) : null;
  if (outcome && outcome !== 'attended') mustBeEmpty(f, ATTENDEE_COLUMNS, `${outcome} row (only attended rows name attendees)`, problems);
  const reason = checkReason(f, outcome, problems);
  if (problems.length || !date || !panel || !outcome) return { ok: false, problems };
  return { ok: true, row: { line: rec.line, date, panelId: panel.id, forceId, outcome, attendee, reason } };
}

/** A date YYYY-MM-DD that exists on the calendar. */
export function isRealDate(d: string): boolean {
  const at = /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(`${d}T00:00:00Z`) : null;
  return !!at && !Number.isNaN(at.getTime()) && at.toISOString().startsWith(d);
}

/** The earliest date a file may give on `today`: RECORD_YEARS back to the day (29 February: the 28th). */
export function earliestDate(today: string): string {
  return DateTime.fromISO(today, { zone: 'utc' }).minus({ years: RECORD_YEARS }).toISODate()!;
}

/** A date an import may give on `today`: a real one, before today and within the retention period. */
export const isImportableDate = (d: string, today: string): boolean => isRealDate(d) && d < today && d >= earliestDate(today);

function checkDate(raw: string, today: string, problems: string[]): string | null {
  if (!raw) return no(problems, 'date is required (YYYY-MM-DD)');
  if (!isRealDate(raw)) return no(problems, `date ${shown(raw)} is not a real date written YYYY-MM-DD`);
  if (raw >= today) return no(problems, `date ${raw} is not in the past: only meetings before today (${today}) can be imported`);
  const earliest = earliestDate(today);
  if (raw < earliest) return no(problems, `date ${raw} is more than ${RECORD_YEARS} years ago: records are kept for ${RECORD_YEARS} years (the retention period), so only meetings from ${earliest} on can be imported`);
  return raw;
}

function checkPanel(raw: string, ctx: RowContext, problems: string[]): Panel | null {
  if (!raw) return no(problems, 'panel_id is required');
  const panel = ctx.panel(raw);
  if (!panel) return no(problems, `panel_id ${shown(raw)} is not a panel this bot knows`);
  if (panel.retired) return no(problems, `panel ${panel.id} is retired; its record cannot be added to`);
  return panel;
}

function checkForce(raw: string, asked: readonly string[] | null, panel: Panel | null, outcome: ImportOutcome | null, meetingWide: boolean, ctx: RowContext, problems: string[]): string | null {
  if (!raw) {
    if (outcome && !meetingWide) problems.push(`force_id is required for an ${outcome} row (only not-held and cancelled rows may leave it empty)`);
    return null;
  }
  if (!ctx.force(raw)) return no(problems, `force_id ${shown(raw)} is not a force this bot knows`);
  if (panel && asked && !asked.includes(raw)) problems.push(`force ${raw} is not asked to ${panel.id}'s meetings (its forces: ${asked.join(', ')})`);
  return raw;
}

function checkAttendee(f: Record<Column, string>, problems: string[]): ImportedAttendee | null {
  const at = problems.length;
  const name = text(f.attendee_name, 'attendee_name', MAX_NAME, problems);
  const id = f.attendee_aad_object_id;
  if (id && !AAD_OBJECT_ID.test(id)) problems.push(`attendee_aad_object_id ${shown(id)} is not an Entra object id (a GUID); leave it empty if you do not know it`);
  const roleCategory = required('role_category', f.role_category, ROLE_CATEGORIES, problems);
  const role = text(f.role, 'role', MAX_ROLE, problems);
  const unit = required('unit', f.unit, UNITS, problems);
  const mode = required('mode', f.mode, MODES, problems);
  const decisionMaker = required('decision_maker', f.decision_maker, DECISION_ANSWERS, problems);
  if (problems.length > at || !name || !role || !roleCategory || !unit || !mode || !decisionMaker) return null;
  // Person's type says every person has an Entra id; an imported attendee may not, and is stored with none (Attendee allows it).
  const aadObjectId = id ? id.toLowerCase() : null;
  return { person: { aadObjectId, name, tenantId: null }, roleCategory, role, unit, mode, decisionMaker };
}

function text(raw: string, column: Column, max: number, problems: string[]): string | null {
  const clean = cleanText(raw);
  if (!clean) return no(problems, `${column} is required for an attended row`);
  if ([...clean].length > max) return no(problems, `${column} is longer than ${max} characters`);
  return clean;
}

function required<T extends string>(column: Column, raw: string, allowed: readonly T[], problems: string[]): T | null {
  if (!raw) return no(problems, `${column} is required for an attended row: one of ${allowed.join(', ')}`);
  return oneOf(column, raw, allowed, problems);
}

function oneOf<T extends string>(column: Column, raw: string, allowed: readonly T[], problems: string[]): T | null {
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(raw ? `${column} ${shown(raw)} is not one of ${allowed.join(', ')}` : `${column} is required: one of ${allowed.join(', ')}`);
  return null;
}

function mustBeEmpty(f: Record<Column, string>, columns: readonly Column[], what: string, problems: string[]): void {
  const filled = columns.filter((c) => f[c] !== '');
  if (filled.length) problems.push(`${filled.join(', ')} must be empty on ${article(what)} ${what}`);
}

function checkReason(f: Record<Column, string>, outcome: ImportOutcome | null, problems: string[]): CancelReason | null {
  const [wanted, other] = outcome === 'cancelled' ? (['cancel_reason', 'not_held_reason'] as const) : outcome === 'not-held' ? (['not_held_reason', 'cancel_reason'] as const) : [null, null];
  if (!wanted) {
    if (outcome) mustBeEmpty(f, ['cancel_reason', 'not_held_reason'], `${outcome} row (a reason is for not-held and cancelled rows)`, problems);
    return null;
  }
  if (f[other]) problems.push(`${other} must be empty on a ${outcome} row; give the reason in ${wanted}`);
  if (!f[wanted]) return no(problems, `${wanted} is required for a ${outcome} row: one of ${SLUGS.join(', ')}`);
  const slug = oneOf(wanted, f[wanted], SLUGS, problems);
  return slug && REASON_SLUGS[slug];
}

/** Notes a problem and gives the field no value. */
function no(problems: string[], message: string): null {
  problems.push(message);
  return null;
}

const article = (w: string) => (/^[aeiou]/.test(w) ? 'an' : 'a');

/** A value from the file repeated in a message: cleaned, cut short and quoted, so it cannot disturb a terminal. */
export function shown(raw: string): string {
  const clean = cleanText(raw);
  return JSON.stringify(clean.length > 40 ? `${clean.slice(0, 40)}…` : clean);
}
