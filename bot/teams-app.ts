import { ConfigurationServiceClientCredentialFactory, MemoryStorage, type Activity, type InvokeResponse, type Storage, type TurnContext } from 'botbuilder';
import type { AuthenticateRequestResult } from 'botframework-connector';
import { AdaptiveCardActionExecuteResponseType, Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import type { Log } from '../scheduler/log.js';
import { commandOf, helpText, usageMarkdown } from './routes/commands.js';
import type { AppConfig } from './config.js';
import { authenticateActivity, authOptions, type Authentication, type Authenticator, type AuthOverrides } from './auth.js';
import { rateLimitGate, type RateLimitOptions } from './rate-limit.js';
import { activityTenant, noteCallerTenant } from './caller-tenant.js';

export type TeamsApp = Application<TurnState>;

export interface TeamsAppDeps {
  config: Readonly<AppConfig>;
  log: Log;
  /** Adds the routes of later features; called before the catch-all so theirs match first. */
  register?: (app: TeamsApp) => void;
  /** Test-only: where inbound tokens are validated (a loopback OpenID document); never from the environment. */
  authOverrides?: AuthOverrides;
  /** Per-person limits on commands and card actions; defaults in rate-limit.ts, real time. */
  rateLimits?: RateLimitOptions;
  /** Where teams-ai keeps conversation and user state; the server passes the database (db-storage.ts) so every instance shares it. */
  storage?: Storage;
}

/** The tenant an activity came from, as Teams reports it (the conversation's: the host's in a shared channel). */
export { activityTenant } from './caller-tenant.js';

/** The message text without the bot's @mention (Teams puts one in front of every command in a Teams channel). */
export function commandText(ctx: TurnContext): string {
  const a = ctx.activity;
  let text = a.text ?? '';
  for (const e of a.entities ?? []) {
    const m = e as { type?: string; text?: unknown; mentioned?: { id?: string } };
    if (m.type === 'mention' && m.mentioned?.id === a.recipient?.id && typeof m.text === 'string') text = text.split(m.text).join(' ');
  }
  // A leading mention the entities do not describe (some clients omit them) is still addressed to the bot.
  return text.replace(/&nbsp;/gi, ' ').replace(/^(\s*<at>[^<]*<\/at>)+/i, '').trim();
}

/**
 * Turn state read from and written to the shared store only on the turns whose handlers keep state. teams-ai loads
 * a turn's state before any gate runs (tenant, rate limit), so a store read on every turn would be paid even by
 * refused and unknown activities. No handler keeps state today (card actions carry what they need in their data),
 * so by default no turn touches the store; a handler that needs conversation state names its turns in `keepsState`.
 */
export class TurnStateWhenUsed extends TurnState {
  constructor(private readonly keepsState: (ctx: TurnContext) => boolean = () => false) {
    super();
  }

  override load(context: TurnContext, storage?: Storage): Promise<boolean> {
    return super.load(context, this.keepsState(context) ? storage : undefined);
  }

  override save(context: TurnContext, storage?: Storage): Promise<void> {
    return super.save(context, this.keepsState(context) ? storage : undefined);
  }
}

/**
 * TeamsAdapter whose turns run with the identity the server already checked (auth.ts), so the Bot Framework JWT is
 * validated once per activity; CloudAdapter.process would validate it a second time.
 */
export class PanelAdapter extends TeamsAdapter {
  /** Checks the token with the adapter's own authentication: the connector it answers with is the one process() would make. */
  authenticate(activity: Activity, authorization: string): Promise<Authentication> {
    return authenticateActivity(this.botFrameworkAuthentication, activity, authorization);
  }

  /** Runs a turn without validating again; answers the invoke response (501 for an unanswered invoke), or none. */
  runAuthenticated(auth: AuthenticateRequestResult, activity: Activity, logic: (ctx: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }
}

/** Builds the CloudAdapter (TeamsAdapter) and the teams-ai Application with the bot's routes. */
export function createTeamsApp({ config, log, register, authOverrides, rateLimits, storage }: TeamsAppDeps): { app: TeamsApp; adapter: PanelAdapter; authenticate: Authenticator } {
  // An empty app id turns authentication off (local mode); SingleTenant would refuse to start without one.
  const credentials = {
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.appTenantId,
  };
  const credentialFactory = new ConfigurationServiceClientCredentialFactory(credentials);
  const adapter = new PanelAdapter(authOptions(authOverrides), credentialFactory);
  const app = new Application<TurnState>({
    storage: storage ?? new MemoryStorage(),
    turnStateFactory: () => new TurnStateWhenUsed(),
    adapter,
    botAppId: config.appId,
    startTypingTimer: false,
    // teams-ai's own removal throws on a message with a mention entity and no text; commandText() replaces it.
    removeRecipientMention: false,
    // Per-person answers: a refresh gives a lead the editable card without replacing everyone's copy
    // (REPLACE_FOR_ALL would PUT the clicker's view over the shared card). When the shared card changes
    // (a nomination), the outbox updates the posted message for all, with retries.
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_INTERACTOR },
  });

  // A refused invoke still needs an answer, or the adapter reports 501 (not implemented) instead of 403.
  // Council tenants (PARTNER_TENANT_IDS) are let in too; what their people may do is decided per person (chairs only).
  const admitted = config.allowedTenantIds.length ? [...config.allowedTenantIds, ...config.partnerTenantIds] : [];
  app.turn('beforeTurn', async (ctx) => admitTenant(ctx, admitted, log) || answerInvoke(ctx, 403));
  app.turn('beforeTurn', rateLimitGate(rateLimits ?? {}, log));
  // Identity is tenant and object id: the gate matches the file's people on both (issue 20).
  app.turn('beforeTurn', async (ctx) => noteCallerTenant(ctx, config));
  app.turn('beforeTurn', async (ctx) => {
    if (ctx.activity.type === 'message') ctx.activity.text = commandText(ctx);
    return true;
  });

  app.message(/^\s*help\s*$/i, async (ctx) => {
    await ctx.sendActivity(helpText());
  });
  register?.(app);
  // Buttons of cards from an older version (or forged verbs) get a reason rather than the adapter's bare 501.
  app.adaptiveCards.actionExecute(async (ctx) => isCardAction(ctx), async () => "That button isn't one I know: the card may be from an older version. Type `help` for what I can do.");
  // A selector function, not a regex: teams-ai's regex selectors never match a message without text (a bare @mention).
  app.message(async (ctx) => ctx.activity.type === 'message', async (ctx) => {
    await ctx.sendActivity(unknownCommandReply(ctx.activity.text ?? ''));
  });

  app.error(async (ctx, err) => {
    log.error({ err, type: ctx.activity.type, conversation: ctx.activity.conversation?.id }, 'turn failed');
    // Details stay in the log. An invoke (card press) is answered 503, not the adapter's bare 501; others get an apology.
    if (ctx.activity.type === 'invoke') await answerInvoke(ctx, 503).catch(() => undefined);
    // An event (a Teams meeting's) is nobody's message: nothing is said into the meeting's chat about it.
    else if (ctx.activity.type !== 'event') await ctx.sendActivity('Sorry, something went wrong on my side. Please try again in a minute.').catch(() => undefined);
  });
  return { app, adapter, authenticate: (activity, authorization) => adapter.authenticate(activity, authorization) };
}

/** The tenant gate: with an allow-list, activities from any other tenant (or none) end the turn unanswered. */
function admitTenant(ctx: TurnContext, allowed: readonly string[], log: Log): boolean {
  if (allowed.length === 0) return true;
  const tenant = activityTenant(ctx);
  // GUIDs are case-insensitive; config holds them lower-cased, and a client may send either case.
  if (tenant && allowed.includes(tenant.toLowerCase())) return true;
  log.warn({ tenant: tenant ?? null, type: ctx.activity.type, conversation: ctx.activity.conversation?.id }, 'activity from a tenant outside ALLOWED_TENANT_IDS refused');
  return false;
}

/** An Action.Execute press, whatever its verb. */
function isCardAction(ctx: TurnContext): boolean {
  const a = ctx.activity;
  return a.type === 'invoke' && a.name === 'adaptiveCard/action' && (a.value as { action?: { type?: unknown } } | undefined)?.action?.type === 'Action.Execute';
}

/** Ends an invoke turn with a bare status; other activities need no answer. Returns false, to end the turn. */
async function answerInvoke(ctx: TurnContext, status: number): Promise<false> {
  if (ctx.activity.type === 'invoke') await ctx.sendActivity({ type: 'invokeResponse', value: { status } });
  return false;
}

/** What the bot says to text it does not understand. */
export function unknownCommandReply(text: string): string {
  const known = commandOf(text);
  // A known command that its route did not take was typed with words it does not understand.
  if (known) return `That is not how \`${known.name}\` is used: ${usageMarkdown(known)}${known.example !== known.name ? `, for example \`${known.example}\`` : ''}. Type \`help\` for every command.`;
  return "I didn't recognise that. Type `help` for the commands I understand.";
}
