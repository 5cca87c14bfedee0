import { randomUUID } from 'node:crypto';
import type { Notice } from '../../cards/chair-steps.js';
import { signedOffCard, signoffActionsCard, signoffCard } from '../../cards/signoff-card.js';
import { markActionDoneData, signOffData, VERBS } from '../../cards/verbs.js';
import { londonDate } from '../../scheduler/domain/calendar-days.js';
import type { Access } from '../../scheduler/people/access.js';
import { parseReviewArgs, scopeWord } from '../../scheduler/review/review-args.js';
import { markActionDone, recordSignoff, scopeName, signoffForm, signoffPeriod, withStates, type SignoffAnswer } from '../../scheduler/review/signoff.js';
import type { SignoffScope } from '../../scheduler/review/signoff-types.js';
import type { Failure } from '../../scheduler/domain/types.js';
import type { TeamsApp } from '../teams-app.js';
import type { RouteDeps } from './deps.js';
import { fromIds, gatedAction, gatedCommand, type Caller, type Policy, type Reply } from './gate.js';

/** `review signoff [force] [period]` (also `sign-off`, `sign off`); the `review` command must leave it alone. */
export const SIGNOFF_COMMAND = /^\s*review\s+sign[- ]?off(\s.*)?$/i;
const argsOf = (text: string) => text.replace(/^\s*review\s+sign[- ]?off/i, '');

const REFUSAL = "Review sign-off is for force Prevent leads and their deputies (their force's review) and national leads (the national review).";

/** Who may sign off or mark an action done: whoever acts for the force the command or press names; national leads for the national view. */
export const SIGNOFF_POLICIES = {
  command: {
    claim: (text) => {
      const word = scopeWord(argsOf(String(text)));
      return word ? { kind: 'force', forceId: word } : { kind: 'lead' };
    },
    refusal: REFUSAL,
  },
  card: { claim: fromIds(({ forceId }) => (forceId ? { kind: 'force', forceId } : { kind: 'national' })), refusal: REFUSAL },
} satisfies Record<string, Policy>;

const issues = (e: { issues: Array<{ message: string }> }) => e.issues.map((i) => i.message).join('; ');
const attention = (t: string): Notice => ({ text: t, tone: 'attention' });
const scopeOf = (forceId: string | undefined): SignoffScope => (forceId ? { kind: 'force', forceId } : { kind: 'national' });

/**
 * A refusal after the gate: a national lead (who may see every force) is told why; anyone else gets the gate's
 * sentence (their role was removed meanwhile), which names nothing.
 */
const refused = (caller: Caller, e: Failure): string => (e.code === 'FORBIDDEN' && !caller.access.national ? caller.refusal : e.message);

/** Without a force named: a national lead signs the national review off, the lead of one force their force's. */
async function defaultScope({ store }: RouteDeps, access: Access, refusal: string): Promise<SignoffScope | string> {
  if (access.national) return { kind: 'national' };
  const forces = [...access.forces].sort();
  // An area's team acts for part of a force: the review is signed off for the whole force, by its leads.
  if (!forces.length) return refusal;
  if (forces.length === 1) return { kind: 'force', forceId: forces[0]! };
  const named = await Promise.all(forces.map(async (id) => `\`review signoff ${id}\` (${(await store.directory.getForce(id))?.name ?? id})`));
  return `You act for several forces: sign off one review at a time, ${named.join(' or ')}.`;
}

interface Shown {
  notice?: Notice;
  values?: { conclusion?: string; answers?: SignoffAnswer[] };
}

/** The sign-off card for the scope and period as things stand, or why there is none. */
async function formReply({ store, clock }: RouteDeps, caller: Caller, scope: SignoffScope, from: string, to: string, shown: Shown = {}): Promise<Reply> {
  const now = clock();
  const form = await signoffForm(store, caller.aadObjectId, scope, from, to, now);
  if (!form.ok) return refused(caller, form.error);
  // A new press id with every card: a retried press carries its own card's, so it is still found.
  return signoffCard({ form: form.value, today: londonDate(now), submissionId: randomUUID(), ...shown });
}

/** The `review signoff` command, the sign-off card's button and "Mark done". */
export function registerSignoffRoutes(app: TeamsApp, deps: RouteDeps): void {
  const { store, clock } = deps;

  gatedCommand(app, store, SIGNOFF_COMMAND, SIGNOFF_POLICIES.command, async (ctx, caller) => {
    const now = clock();
    const args = await parseReviewArgs(store, argsOf(ctx.activity.text ?? ''), now, { access: caller.access, command: 'review' });
    if (!args.ok) return args.error.message;
    if (args.value.panelId || args.value.areaId) return "A review is signed off for a force or for the national view, not for one panel or area: type `review signoff`, or `review signoff` and a force's id.";
    const scope = args.value.forceId ? scopeOf(args.value.forceId) : await defaultScope(deps, caller.access, caller.refusal);
    if (typeof scope === 'string') return scope;
    const { from, to } = signoffPeriod({ ...(args.value.from ? { from: args.value.from } : {}), ...(args.value.to ? { to: args.value.to } : {}) }, now);
    return formReply(deps, caller, scope, from, to);
  });

  gatedAction(app, store, VERBS.signOffReview, SIGNOFF_POLICIES.card, async (_ctx, caller, raw) => {
    const parsed = signOffData.safeParse(raw);
    if (!parsed.success) return `That sign-off could not be read: ${issues(parsed.error)}.`;
    const d = parsed.data;
    const scope = scopeOf(d.forceId);
    const r = await recordSignoff(store, { scope, from: d.from, to: d.to, conclusion: d.conclusion, answers: d.answers, fingerprint: d.fingerprint, submissionId: d.submissionId }, caller.aadObjectId, clock());
    if (r.ok) return signedOffCard(await scopeName(store, scope), r.value.signoff);
    if (r.error.code !== 'INVALID' && r.error.code !== 'STALE') return refused(caller, r.error);
    // Refused input: the card again, with what was typed (after a change of flags, the rows are new: only the conclusion stays).
    const values = r.error.code === 'STALE' ? { conclusion: d.conclusion } : { conclusion: d.conclusion, answers: d.answers };
    return formReply(deps, caller, scope, d.from, d.to, { notice: attention(r.error.message), values });
  });

  gatedAction(app, store, VERBS.markActionDone, SIGNOFF_POLICIES.card, async (_ctx, caller, raw) => {
    const parsed = markActionDoneData.safeParse(raw);
    if (!parsed.success) return `That action could not be read: ${issues(parsed.error)}.`;
    const now = clock();
    const r = await markActionDone(store, parsed.data.actionId, caller.aadObjectId, now);
    if (!r.ok) return refused(caller, r.error);
    const { signoff, marked } = r.value;
    const action = signoff.actions.find((a) => a.id === parsed.data.actionId)!;
    const notice: Notice = marked
      ? { text: `Marked done: ${action.flagTitle}${marked > 1 ? `, and ${marked - 1} more flags answered with it` : ''}.`, tone: 'good' }
      : { text: `Nothing changed: that action was already marked done by ${action.doneBy ?? 'someone'}.`, tone: 'plain' };
    return signoffActionsCard({ previous: withStates(signoff, now), scopeName: await scopeName(store, signoff.scope), notice });
  });
}
