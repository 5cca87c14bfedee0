import { FLAG_WORDS } from '../scheduler/domain/flag-words.js';
import type { FlagCode } from '../scheduler/domain/flags.js';
import { cleanText } from '../scheduler/domain/text.js';
import { noticeBlock, type Notice } from './chair-steps.js';
import { card, md, monthWords, shortDate, text, type CardElement } from './format.js';
import { VERBS } from './verbs.js';

/** What the person seeing a flag may do about it from the card. */
export type FlagAction = 'name-attendee' | 'record-attendance';

/** One open flag as the card shows it: everything by name and date, nothing by id or code. */
export interface FlagRow {
  code: FlagCode;
  panelName: string;
  /** The meeting the flag is about (a month's flag: its meeting, when it had one); carried by a button, never shown. */
  meetingId?: string;
  /** The force the flag is about; carried by a button, never shown. */
  forceId?: string;
  /** That force's name, shown. */
  forceName?: string;
  /** The meeting's start as a local ISO time, for a flag about a meeting. */
  meetingStart?: string;
  /** YYYY-MM, for a flag about a month. */
  month?: string;
  /** Police absent: whether the force sent apologies. */
  apologies?: boolean;
  /** What the person may do about it here, decided by the use case from their roles; the server decides again on the press. */
  action?: FlagAction | null;
}

const MAX_ROWS = 40;
/** Buttons under one kind of flag of one panel (Teams folds more than a few into a menu anyway). */
const MAX_BUTTONS = 4;

/** "Tue 4 May 2027, Cambridgeshire Constabulary (no apologies)": when, and which force, as people say it. */
function occurrence(r: FlagRow): string {
  const when = r.meetingStart ? shortDate(r.meetingStart) : r.month ? monthWords(r.month) : '';
  const sent = r.apologies === undefined ? '' : r.apologies ? ' (apologies sent)' : ' (no apologies)';
  return [when, r.forceName ? md(r.forceName) : ''].filter(Boolean).join(', ') + sent;
}

/**
 * A button for a flag the person can act on, with the ids its route reads. Each opens a form, which comes as a new
 * message (`from: 'flags'`): the answer to the press is this list again, so the list is never replaced by the form.
 */
function button(r: FlagRow, withForce: boolean): CardElement[] {
  const day = r.meetingStart ? ` for ${shortDate(r.meetingStart)}` : r.month ? ` for ${monthWords(r.month)}` : '';
  const force = withForce && r.forceName ? ` (${cleanText(r.forceName)})` : ''; // a title is plain text, not Markdown
  if (r.action === 'name-attendee' && r.meetingId && r.forceId) {
    return [{ type: 'Action.Execute', title: `Name attendee${day}${force}`, verb: VERBS.openNomination, data: { meetingId: r.meetingId, forceId: r.forceId, from: 'flags' } }];
  }
  if (r.action === 'record-attendance' && r.meetingId) {
    return [{ type: 'Action.Execute', title: `Record attendance${day}`, verb: VERBS.openAttendance, data: { meetingId: r.meetingId, from: 'flags' } }];
  }
  return [];
}

/** One kind of flag on one panel: its title, why it matters, when and for whom, and a button where one can act. */
function kind(rows: FlagRow[]): CardElement[] {
  const { code } = rows[0]!;
  const when = rows.map(occurrence).filter(Boolean);
  const forces = new Set(rows.map((r) => r.forceName).filter(Boolean));
  const actions = rows.flatMap((r) => button(r, forces.size > 1)).slice(0, MAX_BUTTONS);
  return [
    text(`**${FLAG_WORDS[code].title}**${rows.length > 1 ? ` (${rows.length})` : ''}${when.length ? `: ${when.join('; ')}` : ''}`, { spacing: 'Small' }),
    text(FLAG_WORDS[code].why, { isSubtle: true, size: 'Small', spacing: 'None' }),
    ...(actions.length ? [{ type: 'ActionSet', spacing: 'Small', actions }] : []),
  ];
}

/** A panel's flags, by kind in the order they came (the domain's order: timetable, months, meetings). */
function panel(name: string, rows: FlagRow[]): CardElement[] {
  const codes = [...new Set(rows.map((r) => r.code))];
  return [text(md(name), { weight: 'Bolder', spacing: 'Medium' }), ...codes.flatMap((c) => kind(rows.filter((r) => r.code === c)))];
}

/**
 * The open compliance flags a person may see, grouped by panel, each by its plain title with why it matters and
 * a button where the person can act; long lists are cut with a count (cards stay small). A notice goes on top
 * (after a press: where the form it opened went).
 */
export function flagsCard(rows: FlagRow[], title = 'Open compliance flags', notice?: Notice): Record<string, unknown> {
  if (!rows.length) return card([...noticeBlock(notice), text(title, { weight: 'Bolder', size: 'Medium' }), text('No flags for the panels you can see.')]);
  const shown = rows.slice(0, MAX_ROWS);
  const panels = [...new Set(shown.map((r) => r.panelName))];
  return card([
    ...noticeBlock(notice),
    text(`${title} (${rows.length})`, { weight: 'Bolder', size: 'Medium' }),
    ...panels.flatMap((p) => panel(p, shown.filter((r) => r.panelName === p))),
    ...(rows.length > MAX_ROWS ? [text(`…and ${rows.length - MAX_ROWS} more. The review export lists them all.`, { isSubtle: true })] : []),
  ]);
}
