/**
 * A review sign-off (issue 19): a force lead, or a national lead for the national view, records that the
 * recommendation 7 review for a period was carried out, what they concluded, and for each open flag either an
 * action (what, owner, due date) or "accepted, no action". The next review and its document show the previous
 * sign-off's actions and their state. Nothing here is about a referred person: flags, panels, forces, meetings only.
 */

/** Whose review was signed off: one force, or the national view (every force). */
export type SignoffScope = { kind: 'force'; forceId: string } | { kind: 'national' };

/** An action's state when a later review looks at it. */
export type ActionState =
  /** Marked done (by whom and when is in `doneBy` / `doneAt`). */
  | 'done'
  /** Not marked done, due date not passed. */
  | 'open'
  /** Not marked done, due date passed. */
  | 'overdue'
  /** "Accepted, no action": nothing to do. */
  | 'accepted';

export interface SignoffAction {
  /** `<sign-off id>.<n>`: what `markDone` and the card's "Mark done" name. */
  id: string;
  /**
   * Which answer of the sign-off it came from (0, 1, …). Flags answered together on the card (several months of
   * the same kind at one panel) share one answer, so one "Mark done" marks them all.
   */
  answer: number;
  /** The flag the action answers (its code, panel, force, meeting and month where it has them). */
  flagCode: string;
  panelId: string;
  forceId: string | null;
  meetingId: string | null;
  /** YYYY-MM, for a flag about a calendar month. */
  month: string | null;
  /** The flag in plain words, as the lead saw it when signing off. */
  flagTitle: string;
  /** True for "accepted, no action"; then what/owner/due are null. */
  accepted: boolean;
  what: string | null;
  /** A role or a name, as the lead typed it (an officer or team, never a referred person). */
  owner: string | null;
  /** YYYY-MM-DD (Europe/London). */
  due: string | null;
  /** ISO instant. */
  doneAt: string | null;
  /** The name of who marked it done (the audit log keeps their id). */
  doneBy: string | null;
}

export interface Signoff {
  id: string;
  scope: SignoffScope;
  /** The review's period: inclusive local dates, YYYY-MM-DD. */
  from: string;
  to: string;
  /** The conclusion in a few words. */
  conclusion: string;
  signedBy: { aadObjectId: string; name: string };
  /** ISO instant. */
  signedAt: string;
  actions: SignoffAction[];
}

/** A previous sign-off's action with its state on a given day. */
export interface ActionWithState extends SignoffAction {
  state: ActionState;
}

/** The state of an action on `today` (YYYY-MM-DD). */
export function actionState(a: SignoffAction, today: string): ActionState {
  if (a.accepted) return 'accepted';
  if (a.doneAt) return 'done';
  return a.due !== null && a.due < today ? 'overdue' : 'open';
}

/** A flag's identity within a review: the same flag in the next listing has the same key. */
export const flagKey = (f: { code: string; panelId: string; forceId?: string | null; meetingId?: string | null; month?: string | null }): string =>
  [f.code, f.panelId, f.forceId ?? '', f.meetingId ?? '', f.month ?? ''].join('|');

/** How a scope is stored and written on cards: `force:<id>` or `national`. */
export const scopeValueOf = (s: SignoffScope): string => (s.kind === 'force' ? `force:${s.forceId}` : 'national');

/** The scope a stored or carried value names; null for anything else. */
export function scopeFromValue(value: string): SignoffScope | null {
  if (value === 'national') return { kind: 'national' };
  const m = /^force:([a-z0-9-]{1,64})$/.exec(value);
  return m ? { kind: 'force', forceId: m[1]! } : null;
}
