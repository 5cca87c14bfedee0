import type { TurnContext } from 'botbuilder';
import { nominationCard } from '../cards/nomination-card.js';
import { cardRef, nominateData, VERBS } from '../cards/verbs.js';
import { accessFor, canActForForce } from '../scheduler/access.js';
import type { Conversation, LinkScope } from '../scheduler/domain/types.js';
import type { Log } from '../scheduler/log.js';
import { cardChoices, cardModelFrom, loadCardContext, nominate, nominationCardModel } from '../scheduler/nominations.js';
import { forgetConversation, linkConversation, recordConversation } from '../scheduler/presence.js';
import type { Store } from '../scheduler/store/store.js';
import { resolvePickedPerson } from './people.js';
import { activityTenant, type TeamsApp } from './teams-app.js';
import type { AdaptiveCard } from '@microsoft/teams-ai';

/** Our cards are plain JSON built in cards/; teams-ai's type for them is nominal. */
const answer = (reply: string | Record<string, unknown>): string | AdaptiveCard => reply as string | AdaptiveCard;

export interface RouteDeps {
  store: Store;
  log: Log;
  clock: () => string;
  /** Asks the sender to deliver what a handler just queued, without waiting for it. */
  kick: () => void;
}

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

function registerLinks(app: TeamsApp, { store, clock }: RouteDeps): void {
  app.message(/^\s*link\s+(force|panel)\b\s*(\S*)\s*$/i, async (ctx) => {
    const [, scope, id] = /^\s*link\s+(force|panel)\b\s*(\S*)/i.exec(ctx.activity.text ?? '') ?? [];
    if (!id) return void (await ctx.sendActivity(`Say which ${scope?.toLowerCase()}: \`link ${scope?.toLowerCase()} <id>\`.`));
    const c = conversationOf(ctx);
    if (!c) return void (await ctx.sendActivity('I cannot link this conversation.'));
    const r = await linkConversation(store, scope!.toLowerCase() as LinkScope, id.toLowerCase(), c.id, ctx.activity.from?.aadObjectId?.toLowerCase() ?? '', clock());
    await ctx.sendActivity(r.ok ? `Linked: ${scope!.toLowerCase() === 'force' ? 'nomination cards' : 'chair cards'} for ${r.value.name} will come to this conversation.` : r.error.message);
  });
}

const FORBIDDEN = "Only this force's Prevent leads, their deputies and national leads can name the attendee.";

function registerNominations(app: TeamsApp, deps: RouteDeps): void {
  const { store, clock } = deps;
  const mayNominate = async (ctx: TurnContext, forceId: string) => canActForForce(await accessFor(store, ctx.activity.from?.aadObjectId), forceId);
  const current = async (meetingId: string, forceId: string, notice?: string) => {
    const model = await nominationCardModel(store, meetingId, forceId, clock());
    return model ? nominationCard(model, { editable: true, ...(notice ? { notice } : {}) }) : 'That meeting is no longer known to this bot.';
  };

  app.adaptiveCards.actionExecute(VERBS.nominate, async (ctx, _state, raw) => answer(await onNominate(ctx, raw)));
  app.adaptiveCards.actionExecute(VERBS.refreshNomination, async (ctx, _state, raw) => answer(await onRefresh(ctx, raw)));

  async function onNominate(ctx: TurnContext, raw: unknown): Promise<string | Record<string, unknown>> {
    const ref = cardRef.safeParse(raw);
    if (!ref.success) return 'That card could not be read. Type `panels` for a fresh one.';
    const parsed = nominateData.safeParse(raw);
    // Roles and the card's context are read side by side, to save round trips: nothing is shown until access is known.
    // nominate() checks the roles again in its transaction; cardRef and nominateData read the same forceId.
    const [access, context] = await Promise.all([
      accessFor(store, ctx.activity.from?.aadObjectId),
      parsed.success ? loadCardContext(store, parsed.data.meetingId, parsed.data.forceId) : null,
    ]);
    if (!canActForForce(access, ref.data.forceId)) return FORBIDDEN;
    if (!parsed.success) return current(ref.data.meetingId, ref.data.forceId, `Not recorded: ${parsed.error.issues.map((i) => i.message).join('; ')}.`);
    const d = parsed.data;
    if (!context) return 'That meeting is no longer known to this bot.';
    const attendee = await resolvePickedPerson(ctx, cardChoices(context), d.attendee);
    if (!attendee) return current(d.meetingId, d.forceId, 'Not recorded: I could not find that person in this team. Pick them from the list.');
    const input = { meetingId: d.meetingId, forceId: d.forceId, meetingVersion: d.meetingVersion, nominationVersion: d.nominationVersion, attendee, role: d.role, decisionMaker: d.decisionMaker };
    const r = await nominate(store, input, ctx.activity.from?.aadObjectId?.toLowerCase() ?? '', clock());
    if (!r.ok && r.error.code === 'FORBIDDEN') return r.error.message;
    if (!r.ok) return current(d.meetingId, d.forceId, r.error.message);
    // The person who pressed sees the editable card at once, built from what was just recorded and the history read before
    // it (which this nomination does not change); everyone's copy is updated through the outbox.
    const card = nominationCard(cardModelFrom({ ...context, meeting: r.value.meeting, nomination: r.value.nomination }, clock()), { editable: true });
    // Started once the answer is ready, so the delivery's queries do not queue ahead of the answer's.
    if (r.value.changed) deps.kick();
    return card;
  }

  async function onRefresh(ctx: TurnContext, raw: unknown): Promise<string | Record<string, unknown>> {
    const ref = cardRef.safeParse(raw);
    if (!ref.success) return 'That card could not be read.';
    // Card data can be forged: only those who may nominate for the force get its editable card.
    if (!(await mayNominate(ctx, ref.data.forceId))) return FORBIDDEN;
    const model = await nominationCardModel(store, ref.data.meetingId, ref.data.forceId, clock());
    if (!model) return 'That meeting is no longer known to this bot.';
    // No `refresh` in the answer: teams-ai would then replace the card for everyone, not just this person.
    return nominationCard(model, { editable: true });
  }
}

/** Registers the routes of the nomination feature on the Teams application. */
export function registerNominationRoutes(app: TeamsApp, deps: RouteDeps): void {
  registerPresence(app, deps);
  registerLinks(app, deps);
  registerNominations(app, deps);
}
