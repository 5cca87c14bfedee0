import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { dayRange } from '../domain/date-range.js';
import { FLAG_WORDS } from '../domain/flag-words.js';
import type { Flag } from '../domain/flags.js';
import { ok, type Result } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { loadReview, OPERATOR } from './review-query.js';
import { flagKey, type SignoffScope } from './signoff-types.js';

/** An open flag of a review as a sign-off answers it: its identity, and what it is in words (names, dates). */
export interface SignoffFlag {
  key: string;
  flag: Flag;
  /** "Police absent: Southampton Channel panel, Mon 3 May 2027": its kind, where, and when (when it has a when). */
  title: string;
  where: string;
  when: string | null;
}

/**
 * One answer on the card: a flag, or flags of the same kind answered together. A card holds only so many rows, so
 * when a period has more open flags, those of one kind at one panel share a row, and failing that those of one kind.
 */
export interface AnswerRow {
  title: string;
  flags: SignoffFlag[];
}

/** The most answers a sign-off card holds and stays under Teams' 28 KB. */
export const MAX_ROWS = 20;

const ZONE = 'Europe/London';
const monthWords = (ym: string) => DateTime.fromFormat(ym, 'yyyy-MM', { zone: ZONE }).toFormat('LLLL yyyy');
const dayWords = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(ZONE).toFormat('ccc d LLL yyyy');

/**
 * The open flags of the review of a scope and period (inclusive local dates), as `panel-bot flags` and the review
 * list them, in words: the panel by name, the force by name in the national view, the month or the meeting's day.
 */
export async function signoffFlags(store: Store, scope: SignoffScope, from: string, to: string, now: string): Promise<Result<SignoffFlag[]>> {
  const r = await loadReview(store, OPERATOR, { ...(scope.kind === 'force' ? { forceId: scope.forceId } : {}), ...dayRange(from, to) }, now);
  if (!r.ok) return r;
  const { review, input } = r.value;
  const panels = new Map(input.panels.map((p) => [p.id, p.name]));
  const forces = new Map((await store.directory.listForces({ includeRetired: true })).map((f) => [f.id, f.name]));
  const starts = new Map(input.meetings.map((m) => [m.id, m.start]));
  return ok(review.flags.map((flag) => {
    const force = scope.kind === 'national' && flag.forceId ? forces.get(flag.forceId) : undefined;
    const where = [panels.get(flag.panelId) ?? 'a panel no longer listed', ...(force ? [force] : [])].join(', ');
    const start = flag.meetingId ? starts.get(flag.meetingId) : undefined;
    const when = flag.month ? monthWords(flag.month) : start ? dayWords(start) : null;
    return { key: flagKey(flag), flag, where, when, title: `${FLAG_WORDS[flag.code].title}: ${where}${when ? `, ${when}` : ''}` };
  }));
}

/** The flags grouped into at most MAX_ROWS answers: one a flag when they fit, else by kind and panel, else by kind. */
export function answerRows(flags: SignoffFlag[], max = MAX_ROWS): AnswerRow[] {
  if (flags.length <= max) return flags.map((f) => ({ title: f.title, flags: [f] }));
  const byPanel = grouped(flags, (f) => [f.flag.code, f.flag.panelId, f.flag.forceId ?? ''].join('|'));
  if (byPanel.length <= max) return byPanel.map((g) => ({ title: g.length === 1 ? g[0]!.title : panelGroupTitle(g), flags: g }));
  return grouped(flags, (f) => f.flag.code).map((g) => ({ title: g.length === 1 ? g[0]!.title : onePanel(g) ? panelGroupTitle(g) : kindGroupTitle(g), flags: g }));
}

function grouped(flags: SignoffFlag[], by: (f: SignoffFlag) => string): SignoffFlag[][] {
  const groups = new Map<string, SignoffFlag[]>();
  for (const f of flags) groups.set(by(f), [...(groups.get(by(f)) ?? []), f]);
  return [...groups.values()];
}

const SHOWN = 4;
const onePanel = (g: SignoffFlag[]) => g.every((f) => f.where === g[0]!.where);

/** "Attendance not recorded: Southampton Channel panel (April 2027, May 2027, June 2027)"; the card says how many. */
function panelGroupTitle(g: SignoffFlag[]): string {
  const whens = g.flatMap((f) => (f.when ? [f.when] : []));
  const more = whens.length > SHOWN ? ` and ${whens.length - SHOWN} more` : '';
  return `${FLAG_WORDS[g[0]!.flag.code].title}: ${g[0]!.where}${whens.length ? ` (${whens.slice(0, SHOWN).join(', ')}${more})` : ''}`;
}

/** "Police absent: at 6 panels". */
function kindGroupTitle(g: SignoffFlag[]): string {
  const panels = new Set(g.map((f) => f.flag.panelId)).size;
  return `${FLAG_WORDS[g[0]!.flag.code].title}: at ${panels} panels`;
}

/**
 * What the card's rows were made from, in their order: answers are matched to rows by position, so a sign-off of
 * other flags, or of the same flags in another order, is refused as stale.
 */
export function flagsFingerprint(flags: SignoffFlag[]): string {
  return createHash('sha256').update(flags.map((f) => f.key).join('\n')).digest('base64url').slice(0, 22);
}
