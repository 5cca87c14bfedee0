import { areasOf } from '../domain/areas.js';
import { accessFor, canActForArea, canActForForce, canActForPanel, type Access } from './access.js';
import { offerList } from '../domain/closest.js';
import { cleanText, echo } from '../domain/text.js';
import type { Conversation, LinkScope, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import type { Repos, Store } from '../store/store.js';

/** Remembers a conversation the bot is in (and who spoke in it, their name cleaned), so proactive messages can reach it later. */
export async function recordConversation(store: Store, c: Conversation, speaker: { aadObjectId: string; teamsUserId: string; name: string } | null, now: string): Promise<void> {
  const known = await store.teams.getConversation(c.id);
  await store.transaction(async (tx) => {
    await tx.teams.saveConversation(c, now);
    if (speaker) await tx.teams.rememberPerson(speaker.aadObjectId, speaker.teamsUserId, cleanText(speaker.name), now);
    if (!known) await tx.audit.append([{ at: now, actor: speaker?.aadObjectId ?? 'system', action: 'conversation.added', subject: { conversationId: c.id }, details: { kind: c.kind } }]);
  });
}

/** Forgets a conversation the bot was removed from: nothing more is sent there. */
export async function forgetConversation(store: Store, conversationId: string, teamId: string | null, actor: string, now: string): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.teams.removeConversation(conversationId, now, teamId);
    await tx.audit.append([{ at: now, actor, action: 'conversation.removed', subject: { conversationId, ...(teamId ? { teamId } : {}) }, details: {} }]);
  });
}

/**
 * Makes this conversation the place a force's (or a panel chair's) cards go; only those responsible may. A target
 * that does not exist and one the person may not link get the same answer, naming only what they may link.
 */
export async function linkConversation(store: Store, scope: Exclude<LinkScope, 'national'>, scopeId: string, conversationId: string, actor: string, now: string): Promise<Result<{ name: string }>> {
  return store.transaction(async (tx) => {
    const access = await accessFor(tx, actor);
    const target = scope === 'area' ? areaTarget(await tx.directory.listForces(), scopeId) : scope === 'force' ? await tx.directory.getForce(scopeId) : await tx.directory.getPanel(scopeId);
    const allowed = scope === 'area' ? !!target && canActForArea(access, { id: scopeId, forceId: (target as { forceId: string }).forceId }) : scope === 'force' ? canActForForce(access, scopeId) : canActForPanel(access, scopeId);
    if (!target || target.retired || !allowed) return fail('NOT_FOUND', await unknownTarget(tx, access, scope, scopeId));
    await tx.teams.link(scope, scopeId, conversationId, actor, now);
    await tx.audit.append([{ at: now, actor, action: `${scope}.linked`, subject: { [`${scope}Id`]: scopeId, conversationId }, details: {} }]);
    return ok({ name: target.name });
  });
}

/**
 * Why `link force|panel` with what was typed links nothing, with what the person may link instead, nearest to what
 * they typed first. Only what they may act on is offered (a lead their own forces, a chair their panels): nothing
 * here tells anyone that another force or panel exists.
 */
async function unknownTarget(tx: Pick<Repos, 'directory'>, access: Access, scope: Exclude<LinkScope, 'national'>, typed: string): Promise<string> {
  const mine = scope === 'force'
    ? (await tx.directory.listForces()).filter((f) => canActForForce(access, f.id))
    : scope === 'area'
      ? areasOf(await tx.directory.listForces()).filter((a) => canActForArea(access, a))
      : (await tx.directory.listPanels()).filter((p) => canActForPanel(access, p.id));
  const offered = offerList(typed, mine, `link ${scope}`);
  const what = scope === 'force' ? 'Forces you can link' : scope === 'area' ? 'Areas you can link' : 'Panels you can link';
  return `There is no ${scope} "${echo(typed)}" that you can link.${offered ? ` ${what}: ${offered}.` : ' Type `panels` for the meetings you are involved in.'}`;
}

/** An area of a force that is not retired, by id, as a link target. */
function areaTarget(forces: Awaited<ReturnType<Repos['directory']['listForces']>>, areaId: string): { name: string; retired: boolean; forceId: string } | null {
  const area = areasOf(forces).find((a) => a.id === areaId);
  return area ? { name: `${area.name} (${area.forceName})`, retired: false, forceId: area.forceId } : null;
}

/**
 * Makes this conversation the national leads' own: the audit log checkpoints go there. National leads only, and only
 * in a Teams channel or group chat, where every national lead sees the witness (a personal chat is one person's).
 */
export async function linkNational(store: Store, conversation: Conversation, actor: string, now: string): Promise<Result<void>> {
  return store.transaction(async (tx) => {
    if (!(await accessFor(tx, actor)).national) return fail('FORBIDDEN', 'Only a national lead can link the national leads\' conversation.');
    if (conversation.kind === 'personal') return fail('PERSONAL', 'Type `link national` in the national leads\' Teams channel or group chat: the audit log checkpoint goes where every national lead sees it.');
    await tx.teams.link('national', '', conversation.id, actor, now);
    await tx.audit.append([{ at: now, actor, action: 'national.linked', subject: { conversationId: conversation.id }, details: {} }]);
    return ok(undefined);
  });
}
