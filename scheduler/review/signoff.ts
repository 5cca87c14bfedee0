import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { lastIncludedDay, lastMonths, type DateRange } from '../domain/date-range.js';
import { londonDate } from '../domain/calendar-days.js';
import { characters, cleanText } from '../domain/text.js';
import { fail, ok, type Person, type Result } from '../domain/types.js';
import { accessFor, type Access } from '../people/access.js';
import type { Repos, Store } from '../store/store.js';
import type { ReviewScope } from './review.js';
import { answerRows, flagsFingerprint, signoffFlags, type AnswerRow } from './signoff-flags.js';
import { actionState, type ActionWithState, type Signoff, type SignoffAction, type SignoffScope } from './signoff-types.js';

/** One answer on the card, as typed: every field may be missing (the card sends what was filled in). */
export interface SignoffAnswer {
  decision?: string;
  what?: string;
  owner?: string;
  due?: string;
}

/** A lead's sign-off as submitted: the period (inclusive local dates), a conclusion, and one answer per row of the form. */
export interface SignoffSubmission {
  scope: SignoffScope;
  from: string;
  to: string;
  conclusion: string;
  answers: SignoffAnswer[];
  /** The form's flagsFingerprint: the rows the answers are in the order of. */
  fingerprint: string;
  /** The card press's own id: pressing twice (Teams retries) records once. */
  submissionId?: string | null;
}

/** The previous sign-off of a scope, its actions with their state today. */
export interface PreviousSignoff {
  signoff: Signoff;
  actions: ActionWithState[];
}

/** What the sign-off card is made from. */
export interface SignoffForm {
  scope: SignoffScope;
  scopeName: string;
  from: string;
  to: string;
  rows: AnswerRow[];
  fingerprint: string;
  previous: PreviousSignoff | null;
  /** This very period's latest sign-off, when it was signed off already. */
  signedAlready: Signoff | null;
}

export const CONCLUSION_LIMITS = { min: 3, max: 500 };
const WHAT_LIMITS = { min: 3, max: 300 };
const OWNER_LIMITS = { min: 2, max: 120 };

/** C0 and C1 controls other than the tab and line breaks a multi-line box sends (cleanText folds those to spaces). */
const hasControl = (s: string) => [...s].some((c) => {
  const n = c.codePointAt(0)!;
  return (n < 0x20 && n !== 0x09 && n !== 0x0a && n !== 0x0d) || (n >= 0x7f && n <= 0x9f);
});

/** Text a person typed: no control characters, cleaned, then counted in characters. */
const typed = (name: string, { min, max }: { min: number; max: number }) =>
  z.string({ required_error: `give ${name}`, invalid_type_error: `give ${name}` })
    .refine((s) => !hasControl(s), `${name} may not contain control characters`)
    .transform(cleanText)
    .refine((s) => characters(s) >= min, min <= 3 ? `give ${name}` : `give ${name} in at least ${min} characters`)
    .refine((s) => characters(s) <= max, `keep ${name} to ${max} characters or fewer`);

const isDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s, { zone: 'Europe/London' }).isValid;
const day = (what: string) => z.string({ required_error: `give ${what}` }).refine(isDay, `give ${what} as a real date`);

/** The period and conclusion, checked against today (YYYY-MM-DD). */
const submissionSchema = (today: string) =>
  z.object({ from: day('the first day of the period'), to: day('the last day of the period'), conclusion: typed('the conclusion', CONCLUSION_LIMITS) })
    .refine((s) => s.from <= s.to, 'the period ends before it starts')
    .refine((s) => s.to <= today, 'the period has not ended yet: sign off a period that ends today or before');

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);
const DECISION = z.enum(['action', 'accepted'], { errorMap: () => ({ message: 'choose an action, or "accepted, no action"' }) });
const actionSchema = (today: string) =>
  z.object({ what: typed('what will be done', WHAT_LIMITS), owner: typed("the action's owner", OWNER_LIMITS), due: day('a due date').refine((d) => !isDay(d) || d >= today, 'the due date is before today') });

type Answered = Pick<SignoffAction, 'accepted' | 'what' | 'owner' | 'due'>;

/** One row's answer, or what is missing from it (each problem said with the row's title). */
function readAnswer(row: AnswerRow, a: SignoffAnswer | undefined, today: string): Answered | string[] {
  const say = (issues: Array<{ message: string }>) => issues.map((i) => `${row.title}: ${i.message}`);
  const decision = DECISION.safeParse(blank(a?.decision));
  if (!decision.success) return say(decision.error.issues);
  if (decision.data === 'accepted') return { accepted: true, what: null, owner: null, due: null };
  const action = actionSchema(today).safeParse({ what: blank(a?.what), owner: blank(a?.owner), due: blank(a?.due) });
  return action.success ? { accepted: false, ...action.data } : say(action.error.issues);
}

/** Whether the person may sign off (and mark done) for the scope: the force's leads and deputies; national leads for the national view. */
const signsFor = (access: Access, scope: SignoffScope): boolean => (scope.kind === 'national' ? access.national : access.forces.has(scope.forceId));

async function refusal(repos: Pick<Repos, 'directory'>, scope: SignoffScope) {
  if (scope.kind === 'national') return fail('FORBIDDEN', 'Only a national lead can sign off the national review.');
  const force = await repos.directory.getForce(scope.forceId);
  return fail('FORBIDDEN', `Only the Prevent leads and deputies of ${force?.name ?? 'that force'} can sign off its review.`);
}

/** The person as the directory names them for the scope (they were just allowed, so they are there). */
async function signer(repos: Pick<Repos, 'directory'>, scope: SignoffScope, aadObjectId: string): Promise<Person> {
  const force = scope.kind === 'force' ? await repos.directory.getForce(scope.forceId) : null;
  const people = force ? [...force.preventLeads, ...force.deputies] : await repos.directory.listNationalLeads();
  const id = aadObjectId.toLowerCase();
  return { aadObjectId: id, name: people.find((p) => p.aadObjectId.toLowerCase() === id)?.name ?? 'a lead no longer listed' };
}

/** The scope's name: the force's, or the national view's. */
export async function scopeName(store: Pick<Repos, 'directory'>, scope: SignoffScope): Promise<string> {
  return scope.kind === 'national' ? 'All forces (the national review)' : (await store.directory.getForce(scope.forceId))?.name ?? 'a force no longer listed';
}

/** A period as a review reads it (instants, `to` exclusive) as inclusive local dates; none given is the last 12 months. */
export function signoffPeriod(range: DateRange, now: string): { from: string; to: string } {
  const r = { ...lastMonths(now), ...range };
  return { from: londonDate(r.from!), to: lastIncludedDay(r.to!) };
}

/** The form for a lead's sign-off: the open flags of the period's review in rows, the previous sign-off and its actions. */
export async function signoffForm(store: Store, actor: string, scope: SignoffScope, from: string, to: string, now: string): Promise<Result<SignoffForm>> {
  if (!signsFor(await accessFor(store, actor), scope)) return refusal(store, scope);
  const period = submissionSchema(londonDate(now)).safeParse({ from, to, conclusion: 'unused' });
  if (!period.success) return fail('INVALID', `That period cannot be signed off: ${period.error.issues.map((i) => i.message).join('; ')}.`);
  const flags = await signoffFlags(store, scope, from, to, now);
  if (!flags.ok) return flags;
  const same = (await store.signoffs.list(scope)).find((s) => s.from === from && s.to === to) ?? null;
  return ok({
    scope, scopeName: await scopeName(store, scope), from, to, rows: answerRows(flags.value), fingerprint: flagsFingerprint(flags.value),
    previous: await previousSignoff(store, scope, from, now, to), signedAlready: same,
  });
}

/**
 * Records a sign-off: a conclusion and, for every open flag of the period's review, an action (what, owner, due
 * date from today) or "accepted, no action". Anything missing is refused, all of it said at once, and nothing is
 * stored; so is a card whose flags changed since it was made.
 */
export async function recordSignoff(store: Store, sub: SignoffSubmission, actor: string, now: string): Promise<Result<{ signoff: Signoff; repeat: boolean }>> {
  const today = londonDate(now);
  const repeat = await pressedBefore(store, sub.submissionId, actor);
  if (repeat) return repeat;
  if (!signsFor(await accessFor(store, actor), sub.scope)) return refusal(store, sub.scope);
  const head = submissionSchema(today).safeParse(sub);
  if (!head.success) return fail('INVALID', `Not signed off: ${head.error.issues.map((i) => i.message).join('; ')}.`);
  const flags = await signoffFlags(store, sub.scope, head.data.from, head.data.to, now);
  if (!flags.ok) return flags;
  const rows = answerRows(flags.value);
  if (sub.fingerprint !== flagsFingerprint(flags.value) || sub.answers.length !== rows.length) {
    return fail('STALE', 'Not signed off: the open flags of this period changed after the card was made. Here they are as they stand now: answer them again.');
  }
  const answers = rows.map((row, i) => readAnswer(row, sub.answers[i], today));
  const problems = answers.flatMap((a) => (Array.isArray(a) ? a : []));
  if (problems.length) return fail('INVALID', `Not signed off: ${problems.join('; ')}.`);
  const id = randomUUID();
  const actions = rows.flatMap((row, answer) => row.flags.map((f) => ({ answer, f, a: answers[answer] as Answered }))).map(({ answer, f, a }, n): SignoffAction => ({
    id: `${id}.${n}`, answer, flagCode: f.flag.code, panelId: f.flag.panelId, forceId: f.flag.forceId ?? null, meetingId: f.flag.meetingId ?? null,
    month: f.flag.month ?? null, flagTitle: f.title, ...a, doneAt: null, doneBy: null,
  }));
  try {
    return await store.transaction(async (tx) => {
      // Decided again where it is written: roles read through the transaction, not the directory cache.
      if (!signsFor(await accessFor(tx, actor), sub.scope)) return refusal(tx, sub.scope);
      const again = await pressedBefore(tx, sub.submissionId, actor);
      if (again) return again;
      const signedBy = await signer(tx, sub.scope, actor);
      const signoff: Signoff = { id, scope: sub.scope, from: head.data.from, to: head.data.to, conclusion: head.data.conclusion, signedBy, signedAt: now, actions };
      await tx.signoffs.record(signoff, sub.submissionId ?? null);
      return ok({ signoff, repeat: false });
    });
  } catch (err) {
    // Two deliveries of one press at once (PostgreSQL runs them side by side): the second meets the first's
    // submission id and answers as a repeat, as it would have a moment later.
    const again = await pressedBefore(store, sub.submissionId, actor);
    if (again) return again;
    throw err;
  }
}

/** The sign-off this card press recorded already (Teams retries a press), or null; someone else's press is not theirs to repeat. */
async function pressedBefore(repos: Pick<Repos, 'signoffs'>, submissionId: string | null | undefined, actor: string) {
  const s = submissionId ? await repos.signoffs.bySubmission(submissionId) : null;
  if (!s) return null;
  return s.signedBy.aadObjectId === actor.toLowerCase() ? ok({ signoff: s, repeat: true }) : fail('STALE', 'That card was used already: type `review signoff` for a new one.');
}

/**
 * Marks an action of a sign-off done, with every flag answered together with it (one action on the card), for
 * whoever may sign off that scope; audited. Done already is no change, and says by whom.
 */
export async function markActionDone(store: Store, actionId: string, actor: string, now: string): Promise<Result<{ signoff: Signoff; marked: number }>> {
  const signoffId = actionId.slice(0, Math.max(0, actionId.lastIndexOf('.')));
  return store.transaction(async (tx) => {
    const signoff = signoffId ? await tx.signoffs.get(signoffId) : null;
    const action = signoff?.actions.find((a) => a.id === actionId);
    if (!signoff || !action) return fail('NOT_FOUND', 'That action is not known to this bot.');
    if (!signsFor(await accessFor(tx, actor), signoff.scope)) return refusal(tx, signoff.scope);
    if (action.accepted) return fail('INVALID', 'That flag was accepted with no action: there is nothing to mark done.');
    const by = await signer(tx, signoff.scope, actor);
    const open = signoff.actions.filter((a) => a.answer === action.answer && !a.accepted && !a.doneAt);
    for (const a of open) await tx.signoffs.markDone(a.id, by, now);
    return ok({ signoff: (await tx.signoffs.get(signoffId))!, marked: open.length });
  });
}

const localDay = (v: string, end: boolean) => (/^\d{4}-\d{2}-\d{2}$/.test(v) ? v : end ? lastIncludedDay(v) : londonDate(v));

/**
 * The sign-off of the review before this one (see SignoffRepo.latestBefore) and its actions' state today: what the
 * review card and document show as "actions agreed at the last review". `from` and `to` are the review's (instants,
 * `to` exclusive, as a Review has them; or inclusive local dates); without `to`, any other period's latest counts.
 */
export async function previousSignoff(store: Pick<Repos, 'signoffs'>, scope: SignoffScope, from: string, now: string, to?: string): Promise<PreviousSignoff | null> {
  const s = await store.signoffs.latestBefore(scope, localDay(from, false), to === undefined ? undefined : localDay(to, true));
  return s && withStates(s, now);
}

/** A sign-off with its actions' state at `now`. */
export function withStates(s: Signoff, now: string): PreviousSignoff {
  const today = londonDate(now);
  return { signoff: s, actions: s.actions.map((a) => ({ ...a, state: actionState(a, today) })) };
}

/** The sign-off scope of a review: the national view, or one force's whole review; null for a panel's or several forces'. */
export function signoffScopeOf(scope: ReviewScope, panelFiltered = false): SignoffScope | null {
  if (panelFiltered) return null;
  if (scope.forces === null) return scope.panels === null ? { kind: 'national' } : null;
  return scope.forces.length === 1 ? { kind: 'force', forceId: scope.forces[0]! } : null;
}
