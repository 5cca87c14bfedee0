import { attended, decisionMakerPresent } from '../domain/attendance-rules.js';
import { localDate, toLocalIso } from '../domain/timetable.js';
import type { FlagMeeting } from '../domain/flags.js';
import type { AgencyCounts, Attendance, Attendee } from '../domain/types.js';
import { outcome, slices, timetabled, type ReviewInput } from './review.js';

/** One meeting as one force saw it: the export's row. Nothing about a referred person, and no free-text notes. */
export interface ReviewRow {
  meeting_id: string;
  panel_id: string;
  panel_name: string;
  force_id: string;
  date: string;
  start: string;
  /** held (the chair recorded attendance), cancelled, not-held, or unrecorded (ended, nobody recorded it). */
  status: string;
  timetabled: string;
  extra: string;
  moved_from: string;
  moved_reason: string;
  cancel_reason: string;
  nominee: string;
  nominee_role: string;
  nominee_decision_maker: string;
  nominated_at: string;
  days_nominated_ahead: string;
  not_held_reason: string;
  /** attended, apologies, absent (no apologies), or unrecorded; empty when the meeting was not held. */
  attendance: string;
  /** One entry per attendee, in the same order in each attendee_ column, separated by "; ". */
  attendees: string;
  attendee_role_categories: string;
  attendee_roles: string;
  attendee_units: string;
  attendee_modes: string;
  attendee_decision_makers: string;
  substitute: string;
  decision_maker_present: string;
  /** Where the record came from (chair, import, teams-meeting) and the force's word on it. */
  source: string;
  force_confirmation: string;
  /** Other agencies present, as counts by type ("local-authority:2; health:1"): never names. */
  agencies_present: string;
  flags: string;
  /** The force's area the panel is in (a big force's part); empty when none. Added last, so earlier columns keep their places. */
  area_id: string;
}

/** The export's columns, in order (documented in the README). */
export const REVIEW_COLUMNS: ReadonlyArray<keyof ReviewRow> = [
  'meeting_id', 'panel_id', 'panel_name', 'force_id', 'date', 'start', 'status', 'timetabled', 'extra', 'moved_from', 'moved_reason',
  'cancel_reason', 'nominee', 'nominee_role', 'nominee_decision_maker', 'nominated_at', 'days_nominated_ahead', 'not_held_reason', 'attendance', 'attendees',
  'attendee_role_categories', 'attendee_roles', 'attendee_units', 'attendee_modes', 'attendee_decision_makers', 'substitute', 'decision_maker_present',
  'source', 'force_confirmation', 'agencies_present', 'flags', 'area_id',
];

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

const joined = (a: Attendance | undefined, pick: (p: Attendee) => string | null) => (a?.attendees ?? []).map((p) => pick(p) ?? 'not recorded').join('; ');

function attendeeColumns(a: Attendance | undefined) {
  return {
    attendees: joined(a, (p) => p.name), attendee_role_categories: joined(a, (p) => p.roleCategory), attendee_roles: joined(a, (p) => p.role || null),
    attendee_units: joined(a, (p) => p.unit), attendee_modes: joined(a, (p) => p.mode), attendee_decision_makers: joined(a, (p) => p.decisionMaker),
  };
}

const agencies = (c: AgencyCounts) => Object.entries(c).filter(([, n]) => n).map(([k, n]) => `${k}:${n}`).join('; ');

/** One meeting as one force saw it. */
function row(panel: { id: string; name: string }, forceId: string, m: FlagMeeting, codes: string[], areaId: string): ReviewRow {
  const status = outcome(m);
  const held = status === 'held';
  const n = m.nominations.find((x) => x.forceId === forceId);
  const a = m.attendance.find((x) => x.forceId === forceId);
  return {
    meeting_id: m.id, panel_id: panel.id, panel_name: panel.name, force_id: forceId, date: localDate(m.start), start: toLocalIso(m.start),
    status, timetabled: yesNo(timetabled(m)), extra: yesNo(m.extra),
    moved_from: m.moved ? toLocalIso(m.moved.from) : '', moved_reason: m.moved?.reason ?? '',
    cancel_reason: m.status === 'cancelled' ? (m.cancelReason ?? 'no reason recorded') : '',
    nominee: n?.name ?? '', nominee_role: n?.role ?? '', nominee_decision_maker: n ? yesNo(n.decisionMaker) : '', nominated_at: n ? toLocalIso(n.nominatedAt) : '',
    days_nominated_ahead: n ? ((Date.parse(m.start) - Date.parse(n.nominatedAt)) / 86_400_000).toFixed(1) : '',
    not_held_reason: m.status === 'not-held' ? (m.meetingRecord?.notHeldReason ?? 'no reason recorded') : '',
    attendance: status === 'unrecorded' ? 'unrecorded' : !held ? '' : !a ? 'unrecorded' : a.outcome,
    ...attendeeColumns(a),
    substitute: a && attended(a) ? yesNo(a.attendees.some((p) => p.substitute)) : '', decision_maker_present: held ? yesNo(decisionMakerPresent(a)) : '',
    source: a?.source ?? '', force_confirmation: a?.forceConfirmation ?? '',
    agencies_present: held || m.status === 'not-held' ? agencies(m.meetingRecord?.agencies ?? {}) : '',
    flags: codes.join(' '),
    area_id: areaId,
  };
}

/** One row per meeting and force in scope, oldest first: the same meetings the review's figures count. */
export function reviewRows(input: ReviewInput<FlagMeeting>): ReviewRow[] {
  const areaOf = (forceId: string, panelId: string) => input.areas?.find((a) => a.forceId === forceId && a.panels.includes(panelId))?.id ?? '';
  const rows = slices(input).flatMap(({ panel, forceId, meetings, flags }) =>
    meetings.map((m) => row(panel, forceId, m, flags.filter((f) => f.meetingId === m.id && (!f.forceId || f.forceId === forceId)).map((f) => f.code), areaOf(forceId, panel.id))),
  );
  return rows.sort((x, y) => (x.start === y.start ? (x.meeting_id + x.force_id < y.meeting_id + y.force_id ? -1 : 1) : Date.parse(x.start) - Date.parse(y.start)));
}

/** What a spreadsheet passes over before it looks for a formula: spaces of every width, line feeds, zero-width marks. */
const LEADING_BLANKS = /^[\p{Zs}\n\v\f\u200b-\u200d\u2060\ufeff]*/u;
/**
 * A cell whose first non-blank character is one of these is run as a formula (tab and CR start one in some
 * spreadsheets). Full-width and small forms (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫) are folded to these by NFKC first; the minus
 * sign U+2212 is not, so it is listed.
 */
const FORMULA_START = /^[=+\-@\t\r\u2212]/;
/** Cells holding these are quoted: `;` as well as `,`, because Excel splits on `;` where that is the list separator. */
const NEEDS_QUOTES = /[",;\r\n]/;

/**
 * One cell of a CSV the bot writes (every export goes through here): a cell a spreadsheet would run as a formula
 * is prefixed with `'`; RFC 4180 quoting, quotes doubled. Applied to every cell alike: no column the bot writes
 * holds a negative number (days nominated ahead cannot be: nominations close when a meeting starts, and a meeting
 * moves only into the future).
 */
export function csvCell(value: string): string {
  const first = value.replace(LEADING_BLANKS, '').slice(0, 1).normalize('NFKC');
  const safe = FORMULA_START.test(first) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The export: a header line, then one line per row, CRLF-terminated. */
export function reviewCsv(rows: ReviewRow[]): string {
  const lines = [REVIEW_COLUMNS.join(','), ...rows.map((r) => REVIEW_COLUMNS.map((c) => csvCell(r[c])).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
