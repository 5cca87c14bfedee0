import { ConfigurationServiceClientCredentialFactory, MemoryStorage, type TurnContext } from 'botbuilder';
import { AdaptiveCardActionExecuteResponseType, Application, TeamsAdapter, type TurnState } from '@microsoft/teams-ai';
import type { Log } from '../scheduler/log.js';
import { COMMANDS, helpText } from './commands.js';
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
    removeRecipientMention: true,
    // Per-person answers: a refresh gives a lead the editable card without replacing everyone's copy. When the
    // shared card changes (a nomination), the outbox updates the posted message for all, with retries.
    adaptiveCards: { actionExecuteResponseType: AdaptiveCardActionExecuteResponseType.REPLACE_FOR_INTERACTOR },
  });

  app.turn('beforeTurn', async (ctx) => {
    if (config.allowedTenantIds.length === 0) return true;
    const tenant = activityTenant(ctx);
    if (tenant && config.allowedTenantIds.includes(tenant)) return true;
    log.warn({ tenant: tenant ?? null, type: ctx.activity.type, conversation: ctx.activity.conversation?.id }, 'activity from a tenant outside ALLOWED_TENANT_IDS refused');
    return false;
  });

  app.message(/^\s*help\s*$/i, async (ctx) => {
    await ctx.sendActivity(helpText());
  });
  register?.(app);
  app.message(/[\s\S]*/, async (ctx) => {
    await ctx.sendActivity(unknownCommandReply(ctx.activity.text ?? ''));
  });

  app.error(async (ctx, err) => {
    log.error({ err, type: ctx.activity.type, conversation: ctx.activity.conversation?.id }, 'turn failed');
    // Details stay in the log: the user gets an apology without internals.
    await ctx.sendActivity('Sorry, something went wrong on my side. Please try again in a minute.').catch(() => undefined);
  });
  return { app, adapter };
}

/** What the bot says to text it does not understand. */
export function unknownCommandReply(text: string): string {
  const word = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
  const known = COMMANDS.find((c) => c.title.split(' ')[0] === word);
  if (known && !known.ready) return `\`${known.usage}\` is not available in this version yet. Type \`help\` for what works now.`;
  return "I didn't recognise that. Type `help` for the commands I understand.";
}
