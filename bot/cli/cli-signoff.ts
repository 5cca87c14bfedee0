import type { PreviousSignoff } from '../../scheduler/review/signoff.js';
import { scopeValueOf, type ActionWithState } from '../../scheduler/review/signoff-types.js';
import { nowFrom, refuse, withStore, type Command } from './io.js';

/** One sign-off as JSON: the stored sign-off, its scope as `force:<id>` or `national`, each action with its state. */
const asJson = ({ signoff: s, actions }: PreviousSignoff) => ({
  id: s.id, scope: scopeValueOf(s.scope), forceId: s.scope.kind === 'force' ? s.scope.forceId : null, from: s.from, to: s.to,
  conclusion: s.conclusion, signedBy: s.signedBy, signedAt: s.signedAt, actions,
});

/** Actions answered together (one answer on the card) as one line, its flags counted. */
function actionLines(actions: ActionWithState[]): string[] {
  const answers = new Map<number, ActionWithState[]>();
  for (const a of actions) answers.set(a.answer, [...(answers.get(a.answer) ?? []), a]);
  const groups = [...answers.values()];
  const acted = groups.filter((g) => !g[0]!.accepted).map((g) => {
    const a = g[0]!;
    const done = a.state === 'done' ? ` by ${a.doneBy ?? '?'} at ${a.doneAt}` : '';
    return `  ${a.state.padEnd(8)} due ${a.due}  owner: ${a.owner}  what: ${a.what}${done}\n           ${a.flagTitle}${g.length > 1 ? ` (and ${g.length - 1} more flags)` : ''}`;
  });
  const accepted = groups.filter((g) => g[0]!.accepted).flat().length;
  return [...acted, ...(accepted ? [`  accepted, no action: ${accepted} flag${accepted === 1 ? '' : 's'}`] : [])];
}

/** `panel-bot review signoff`: every sign-off (or one force's), newest first, with each action's state. */
export const signoffCommand: Command = async (values, config, io) => {
  const now = nowFrom(values);
  const forceId = typeof values.force === 'string' ? values.force : undefined;
  // Loaded when it runs: cli.ts imports this file for its options on every call.
  const { withStates } = await import('../../scheduler/review/signoff.js');
  return withStore(config, async (store) => {
    if (forceId && !(await store.directory.getForce(forceId))) return refuse(io, `unknown force "${forceId}"`);
    const listed = (await store.signoffs.list(forceId ? { kind: 'force', forceId } : undefined)).map((s) => withStates(s, now));
    if (values.json) io.out(JSON.stringify(listed.map(asJson), null, 2));
    else if (!listed.length) io.out(`No review sign-offs${forceId ? ` for ${forceId}` : ''}.`);
    else {
      io.out(`review sign-offs: ${listed.length}, newest first; action states as of ${now}`);
      for (const p of listed) {
        const s = p.signoff;
        io.out(`\n${scopeValueOf(s.scope)}  ${s.from} to ${s.to}  signed off by ${s.signedBy.name} at ${s.signedAt}  (${s.id})`);
        io.out(`  conclusion: ${s.conclusion}`);
        for (const line of actionLines(p.actions)) io.out(line);
      }
    }
    return 0;
  });
};
