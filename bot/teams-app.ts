import { ConfigurationServiceClientCredentialFactory, MemoryStorage, type TurnContext } from 'botbuilder';
import { AdaptiveCardActionExecuteResponseType, Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import type { Log } from '../scheduler/log.js';
import { commandOf, helpText } from './commands.js';
import type { AppConfig } from './config.js';

export type TeamsApp = Application<TurnState>;

export interface TeamsAppDeps {
  config: Readonly<AppConfig>;
  log: Log;
  /** Adds the routes of later features; called before the catch-all so theirs match first. */
  register?: (app: TeamsApp) => void;
}

/** The tenant an activity came from, as Teams reports it. */
export function activityTenant(ctx: TurnContext): string | undefined {
  const a = ctx.activity;
  return (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
}

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

/** Builds the CloudAdapter (TeamsAdapter) and the teams-ai Application with the bot's routes. */
export function createTeamsApp({ config, log, register }: TeamsAppDeps): { app: TeamsApp; adapter: TeamsAdapter } {
  // An empty app id turns authentication off (local mode); SingleTenant would refuse to start without one.
  const credentials = {
    MicrosoftAppId: config.appId,
    MicrosoftAppPassword: config.appPassword,
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.appTenantId,
  };
  const adapter = new TeamsAdapter({}, new ConfigurationServiceClientCredentialFactory(credentials));
  const app = new Application<TurnState>({
    storage: new MemoryStorage(),
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

  app.turn('beforeTurn', async (ctx) => admitTenant(ctx, config.allowedTenantIds, log));
  app.turn('beforeTurn', async (ctx) => {
    if (ctx.activity.type === 'message') ctx.activity.text = commandText(ctx);
    return true;
  });

  app.message(/^\s*help\s*$/i, async (ctx) => {
    await ctx.sendActivity(helpText());
  });
  register?.(app);
  // A selector function, not a regex: teams-ai's regex selectors never match a message without text (a bare @mention).
  app.message(async (ctx) => ctx.activity.type === 'message', async (ctx) => {
    await ctx.sendActivity(unknownCommandReply(ctx.activity.text ?? ''));
  });

  app.error(async (ctx, err) => {
    log.error({ err, type: ctx.activity.type, conversation: ctx.activity.conversation?.id }, 'turn failed');
    // Details stay in the log: the user gets an apology without internals.
    await ctx.sendActivity('Sorry, something went wrong on my side. Please try again in a minute.').catch(() => undefined);
  });
  return { app, adapter };
}

/** The tenant gate: with an allow-list, activities from any other tenant (or none) end the turn unanswered. */
function admitTenant(ctx: TurnContext, allowed: readonly string[], log: Log): boolean {
  if (allowed.length === 0) return true;
  const tenant = activityTenant(ctx);
  if (tenant && allowed.includes(tenant)) return true;
  log.warn({ tenant: tenant ?? null, type: ctx.activity.type, conversation: ctx.activity.conversation?.id }, 'activity from a tenant outside ALLOWED_TENANT_IDS refused');
  return false;
}

/** What the bot says to text it does not understand. */
export function unknownCommandReply(text: string): string {
  const known = commandOf(text);
  if (known && !known.ready) return `\`${known.usage}\` is not available in this version yet. Type \`help\` for what works now.`;
  return "I didn't recognise that. Type `help` for the commands I understand.";
}
