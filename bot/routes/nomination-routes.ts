import type { TurnContext } from 'botbuilder';
import { confirmCard } from '../../cards/confirm-card.js';
import { nominationCard } from '../../cards/nomination-card.js';
import { linkChoiceCard, linkedCard, linkedLine, type LinkKind } from '../../cards/link-card.js';
import { cardRef, confirmAttendanceData, linkData, nominateData, sendApologiesData, VERBS } from '../../cards/verbs.js';
import { cleanText } from '../../scheduler/domain/text.js';
import type { Conversation, Person } from '../../scheduler/domain/types.js';
import { sendApologies } from '../../scheduler/meetings/apologies.js';
import { linkChoices } from '../../scheduler/meetings/chair-views.js';
import { answerForForce, confirmCardModel } from '../../scheduler/meetings/force-confirmation.js';
import { actsForMeetingForce, cardChoices, cardModelFrom, loadCardContext, nominate, nominationCardModel, type CardContext } from '../../scheduler/nominations/nominations.js';
import { teamFor } from '../../scheduler/domain/areas.js';
import { forgetConversation, linkConversation, linkNational, recordConversation } from '../../scheduler/people/presence.js';
import type { Store } from '../../scheduler/store/store.js';
import { confirmView } from '../evidence-messages.js';
import { resolvePickedPerson } from './people.js';
import { activityTenant, type TeamsApp } from '../teams-app.js';
import type { RouteDeps } from './deps.js';
import { fromIds, gatedAction, gatedCommand, idsOf, type Caller, type Policy, type Reply } from './gate.js';

/** Our own record of the conversation an activity came from; a Teams channel thread counts as its channel. */
export function conversationOf(ctx: TurnContext): Conversation | null {
  const a = ctx.activity;
  if (!a.conversation?.id || !a.serviceUrl || !a.recipient?.id) return null;
  const cd = (a.channelData ?? {}) as { channel?: { id?: string }; team?: { id?: string } };
  const type = a.conversation.conversationType;
  const kind = type === 'channel' ? 'channel' : type === 'groupChat' ? 'groupChat' : 'personal';
  return {
    id: kind === 'channel' ? (cd.channel?.id ?? a.conversation.id.split(';')[0]!) : a.conversation.id,
    tenantId: activityTenant(ctx) ?? '',
    serviceUrl: a.serviceUrl,
    kind,
    teamId: cd.team?.id ?? null,
    userAadObjectId: kind === 'personal' ? (a.from?.aadObjectId?.toLowerCase() ?? null) : null,
    botId: a.recipient.id,
  };
}

const botWasRemoved = (ctx: TurnContext) =>
  (ctx.activity.type === 'installationUpdate' && /^remove/.test(ctx.activity.action ?? '')) ||
  (ctx.activity.membersRemoved ?? []).some((m) => m.id === ctx.activity.recipient?.id);

/** Remembers every conversation the bot hears from, and forgets one it is removed from. */
function registerPresence(app: TeamsApp, { store, clock }: RouteDeps): void {
  // What this process last wrote for a conversation and speaker: a message or a button press that repeats it
  // needs no write. Install and removal events always write, so a re-added bot is always recorded again.
  const written = new Map<string, string>();
  app.turn('beforeTurn', async (ctx) => {
    const c = conversationOf(ctx);
    if (!c) return true;
    const from = ctx.activity.from;
    if (botWasRemoved(ctx)) {
      written.clear();
      await forgetConversation(store, c.id, c.teamId, from?.aadObjectId?.toLowerCase() ?? 'system', clock());
      return true;
    }
    const speaker = from?.aadObjectId && from.id ? { aadObjectId: from.aadObjectId.toLowerCase(), teamsUserId: from.id, name: from.name ?? '' } : null;
    const key = JSON.stringify([c, speaker]);
    const routine = ctx.activity.type === 'message' || ctx.activity.type === 'invoke';
    if (routine && written.get(`${c.id}|${speaker?.aadObjectId ?? ''}`) === key) return true;
    await recordConversation(store, c, speaker, clock());
    if (written.size > 10_000) written.clear();
    written.set(`${c.id}|${speaker?.aadObjectId ?? ''}`, key);
    return true;
  });
  app.activity('installationUpdate', async () => undefined);
  app.conversationUpdate('membersAdded', async () => undefined);
  app.conversationUpdate('membersRemoved', async () => undefined);
}

/** `link force <id>` and `link panel <id>`: the force's leads and deputies, the panel's chairs, national leads. */
export const LINK_POLICY: Policy = {
  // Typed text, not a card's id: whoever acts for some force (or chairs some panel) goes on, and linkConversation answers
  // an id they may not link, whether or not it exists, with what they may link, nearest first (issue 18).
  claim: (text) => (/^\s*link\s+panel\b/i.test(String(text)) ? { kind: 'chair' } : { kind: 'lead' }),
  refusal: "Only a force's Prevent leads and their deputies (for the force or one of its areas), an area's leads and deputies (for the area), a panel's chairs (for the panel) or a national lead can link it to a conversation.",
};

/**
 * The link choice card's button: the same rule as the typed command, for the force or panel chosen on it (the
 * chosen input and the button's `scope` arrive together). Nothing chosen claims only a role; the handler then asks.
 */
export const LINK_CARD_POLICY: Policy = {
  claim: (input) => {
    const scope = input && typeof input === 'object' ? (input as { scope?: unknown }).scope : undefined;
    const { forceId, panelId, malformed } = idsOf(input);
    if (malformed) return { kind: 'national' };
    if (scope === 'force' && forceId) return { kind: 'force', forceId };
    if (scope === 'panel' && panelId) return { kind: 'panel', panelId };
    // An area's team links it: the handler decides (canActForArea) and refuses with what they may link.
    if (scope === 'area') return { kind: 'lead' };
    return { kind: 'role' };
  },
  refusal: LINK_POLICY.refusal,
};

/** `link national`: national leads only; the refusal names nothing. */
export const NATIONAL_LINK_POLICY: Policy = {
  claim: () => ({ kind: 'national' }),
  refusal: 'Only a national lead can link the national leads\' conversation.',
};

function registerLinks(app: TeamsApp, { store, clock }: RouteDeps): void {
  gatedCommand(app, store, /^\s*link\s+national\s*$/i, NATIONAL_LINK_POLICY, async (ctx, caller) => {
    const c = conversationOf(ctx);
    if (!c) return 'I cannot link this conversation.';
    const r = await linkNational(store, c, caller.aadObjectId, clock());
    if (!r.ok) return r.error.code === 'FORBIDDEN' ? caller.refusal : r.error.message;
    return 'Linked: the audit log checkpoint will come to this conversation every week.';
  });

  /** The forces or panels the caller may link, to choose from; none is the route's refusal. */
  const choices = async (caller: Caller, scope: LinkKind, notice?: string): Promise<Reply> => {
    const offered = await linkChoices(store, caller.aadObjectId, scope);
    return offered.length ? linkChoiceCard({ scope, choices: offered, ...(notice ? { notice: { text: notice } } : {}) }) : caller.refusal;
  };

  gatedCommand(app, store, /^\s*link\s+(force|panel|area)\b\s*(\S*)\s*$/i, LINK_POLICY, async (ctx, caller) => {
    const [, scope, id] = /^\s*link\s+(force|panel|area)\b\s*(\S*)/i.exec(ctx.activity.text ?? '') ?? [];
    const kind = scope!.toLowerCase() as LinkKind;
    if (!id) return choices(caller, kind);
    const c = conversationOf(ctx);
    if (!c) return 'I cannot link this conversation.';
    const r = await linkConversation(store, kind, id.toLowerCase(), c.id, caller.aadObjectId, clock());
    if (!r.ok) return r.error.code === 'FORBIDDEN' ? caller.refusal : r.error.message;
    return linkedLine(kind, r.value.name);
  });

  gatedAction(app, store, VERBS.linkConversation, LINK_CARD_POLICY, async (ctx, caller, raw) => {
    const parsed = linkData.safeParse(raw);
    const scope = (raw as { scope?: unknown } | null)?.scope;
    if (!parsed.success) return scope === 'force' || scope === 'panel' || scope === 'area' ? choices(caller, scope, `Not linked: ${issues(parsed.error)}.`) : 'That card could not be read. Type `link force` or `link panel` for a fresh one.';
    const c = conversationOf(ctx);
    if (!c) return 'I cannot link this conversation.';
    const r = await linkConversation(store, parsed.data.scope, parsed.data.id, c.id, caller.aadObjectId, clock());
    if (!r.ok) return r.error.code === 'FORBIDDEN' ? caller.refusal : choices(caller, parsed.data.scope, `Not linked: ${r.error.message}`);
    return linkedCard(parsed.data.scope, r.value.name);
  });
}

const FORBIDDEN = "Only the force's Prevent leads and deputies (or those of its area that handles the panel) and national leads can name its attendee.";

/** Naming a force's attendee: the force's leads and deputies, for a meeting whose panel faces the force. */
export const NOMINATION_POLICY: Policy = {
  claim: fromIds(({ meetingId, forceId }) => (meetingId && forceId ? { kind: 'meeting-force', meetingId, forceId } : { kind: 'lead' })),
  refusal: FORBIDDEN,
};

/** Confirming or disputing the chair's record of a force's people: the force's leads and deputies, and national leads. */
export const CONFIRM_POLICY: Policy = {
  claim: fromIds(({ meetingId, forceId }) => (meetingId && forceId ? { kind: 'meeting-force', meetingId, forceId } : { kind: 'lead' })),
  refusal: "Only the force's Prevent leads and deputies (or those of its area that handles the panel) and national leads can confirm or dispute who attended for it.",
};

/** Apologies in advance: the person named to attend, or the force's leads and deputies, and national leads. */
export const APOLOGIES_POLICY: Policy = {
  claim: fromIds(({ meetingId, forceId }) => (meetingId && forceId ? { kind: 'meeting-force-or-nominee', meetingId, forceId } : { kind: 'lead' })),
  refusal: "Only the person named to attend, the force's Prevent leads and deputies (or those of its area that handles the panel) and national leads can send its apologies.",
};

const issues = (e: { issues: Array<{ message: string }> }) => e.issues.map((i) => i.message).join('; ');

/** The nomination card as it now stands; the form only for those who may nominate (the nominee sees the rest). */
async function currentCard(deps: RouteDeps, meetingId: string, forceId: string, notice?: string, editable = true): Promise<Reply> {
  const model = await nominationCardModel(deps.store, meetingId, forceId, deps.clock());
  return model ? nominationCard(model, { editable, ...(notice ? { notice } : {}) }) : 'That meeting is no longer known to this bot.';
}

function registerNominations(app: TeamsApp, deps: RouteDeps): void {
  const { store, clock } = deps;
  const current = (meetingId: string, forceId: string, notice?: string) => currentCard(deps, meetingId, forceId, notice);

  gatedAction(app, store, VERBS.nominate, NOMINATION_POLICY, onNominate);
  gatedAction(app, store, VERBS.refreshNomination, NOMINATION_POLICY, onRefresh);

  async function onNominate(ctx: TurnContext, caller: Caller, raw: unknown): Promise<Reply> {
    const ref = cardRef.safeParse(raw);
    if (!ref.success) return 'That card could not be read. Type `panels` for a fresh one.';
    const parsed = nominateData.safeParse(raw);
    if (!parsed.success) return current(ref.data.meetingId, ref.data.forceId, `Not recorded: ${parsed.error.issues.map((i) => i.message).join('; ')}.`);
    const d = parsed.data;
    const context = await loadCardContext(store, d.meetingId, d.forceId);
    if (!context) return 'That meeting is no longer known to this bot.';
    const attendee = await resolvePickedPerson(ctx, cardChoices(context), d.attendee);
    if (!attendee) return current(d.meetingId, d.forceId, 'Not recorded: I could not find that person in this team. Pick them from the list.');
    const input = { meetingId: d.meetingId, forceId: d.forceId, meetingVersion: d.meetingVersion, nominationVersion: d.nominationVersion, attendee, role: d.role, decisionMaker: d.decisionMaker };
    // What this press read is passed on: a press it shows recorded is written in one round trip if nothing changed meanwhile.
    const r = await nominate(store, input, caller.aadObjectId, clock(), { context });
    if (!r.ok && r.error.code === 'FORBIDDEN') return caller.refusal;
    if (!r.ok) return current(d.meetingId, d.forceId, r.error.message);
    // The person who pressed sees the editable card at once, built from what was just recorded and the history read before
    // it (which this nomination does not change); everyone's copy is updated through the outbox.
    const card = nominationCard(cardModelFrom({ ...context, meeting: r.value.meeting, nomination: r.value.nomination }, clock()), { editable: true });
    // Started once the answer is ready, so the delivery's queries do not queue ahead of the answer's.
    if (r.value.changed) deps.kick();
    return card;
  }

  async function onRefresh(_ctx: TurnContext, _caller: Caller, raw: unknown): Promise<Reply> {
    const ref = cardRef.safeParse(raw);
    if (!ref.success) return 'That card could not be read.';
    const model = await nominationCardModel(store, ref.data.meetingId, ref.data.forceId, clock());
    if (!model) return 'That meeting is no longer known to this bot.';
    // No `refresh` in the answer: teams-ai would then replace the card for everyone, not just this person.
    return nominationCard(model, { editable: true });
  }
}

/** The caller as the store names them (the nominee, a lead or deputy of the force, a national lead). */
async function callerAsPerson(store: Store, ctx: TurnContext, caller: Caller, c: CardContext): Promise<Person> {
  const known = [...(c.nomination ? [c.nomination] : []), ...teamFor(c.force, c.panel.id), ...(await store.directory.listNationalLeads())];
  const name = known.find((p) => p.aadObjectId.toLowerCase() === caller.aadObjectId)?.name ?? cleanText(ctx.activity.from?.name ?? '');
  return { aadObjectId: caller.aadObjectId, name: name || 'Unknown' };
}

/** The force's side of the attendance evidence: confirming the chair's record, and apologies in advance. */
function registerEvidence(app: TeamsApp, deps: RouteDeps): void {
  const { store, clock } = deps;
  const confirmReply = async (meetingId: string, forceId: string, notice?: string): Promise<Reply> => {
    const model = await confirmCardModel(store, meetingId, forceId);
    return model ? confirmCard(await confirmView(store, model), notice) : 'There is no attendance record for that force at that meeting.';
  };

  gatedAction(app, store, VERBS.confirmAttendance, CONFIRM_POLICY, async (_ctx, caller, raw) => {
    const ref = cardRef.safeParse(raw);
    if (!ref.success) return 'That card could not be read.';
    const parsed = confirmAttendanceData.safeParse(raw);
    if (!parsed.success) return confirmReply(ref.data.meetingId, ref.data.forceId, `Not recorded: ${issues(parsed.error)}.`);
    const d = parsed.data;
    const r = await answerForForce(store, d.meetingId, d.forceId, d.recordVersion, d.answer, caller.aadObjectId, clock());
    if (!r.ok && r.error.code === 'FORBIDDEN') return caller.refusal;
    return confirmReply(d.meetingId, d.forceId, r.ok ? `Recorded: ${d.answer}.` : r.error.message);
  });

  gatedAction(app, store, VERBS.sendApologies, APOLOGIES_POLICY, async (ctx, caller, raw) => {
    const ref = cardRef.safeParse(raw);
    if (!ref.success) return 'That card could not be read. Type `panels` for a fresh one.';
    const editable = await actsForMeetingForce(store, caller.access, ref.data.meetingId, ref.data.forceId);
    const again = (notice: string) => currentCard(deps, ref.data.meetingId, ref.data.forceId, notice, editable);
    const parsed = sendApologiesData.safeParse(raw);
    if (!parsed.success) return again(`Apologies not sent: ${issues(parsed.error)}.`);
    const d = parsed.data;
    const context = await loadCardContext(store, d.meetingId, d.forceId);
    if (!context) return 'That meeting is no longer known to this bot.';
    const substitute = d.substitute ? await resolvePickedPerson(ctx, cardChoices(context), d.substitute) : null;
    if (d.substitute && !substitute) return again('Apologies not sent: I could not find that person in this team. Pick them from the list.');
    const r = await sendApologies(store, d.meetingId, d.forceId, substitute, await callerAsPerson(store, ctx, caller, context), clock());
    if (!r.ok && r.error.code === 'FORBIDDEN') return caller.refusal;
    if (!r.ok) return again(`Apologies not sent: ${r.error.message}`);
    if (r.value.changed) deps.kick();
    return again("Apologies sent: the panel's chair will see them.");
  });
}

/** Registers the routes of the nomination feature on the Teams application. */
export function registerNominationRoutes(app: TeamsApp, deps: RouteDeps): void {
  registerPresence(app, deps);
  registerLinks(app, deps);
  registerNominations(app, deps);
  registerEvidence(app, deps);
}
