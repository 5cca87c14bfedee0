import { CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { Conversation } from '../scheduler/domain/types.js';
import { SendError, type Messenger, type OutgoingMessage } from '../scheduler/messenger.js';

type Activity = Record<string, unknown>;

function toActivity(m: OutgoingMessage): Activity {
  return {
    type: 'message',
    ...(m.text ? { text: m.text, textFormat: 'markdown' } : {}),
    ...(m.card ? { attachments: [CardFactory.adaptiveCard(m.card)] } : {}),
    ...(m.mentions?.length
      ? { entities: m.mentions.map((p) => ({ type: 'mention', text: `<at>${p.name}</at>`, mentioned: { id: p.aadObjectId, name: p.name } })) }
      : {}),
  };
}

/** Our own conversation record as the reference Bot Framework needs; a thread reply targets `<id>;messageid=<root>`. */
function reference(c: Conversation, threadOf?: string): Partial<ConversationReference> {
  const id = threadOf && c.kind === 'channel' ? `${c.id};messageid=${threadOf}` : c.id;
  return {
    channelId: 'msteams',
    serviceUrl: c.serviceUrl,
    bot: { id: c.botId, name: 'Channel panel bot' },
    conversation: { id, conversationType: c.kind, tenantId: c.tenantId, isGroup: c.kind !== 'personal', name: '' },
  };
}

/** Turns a Bot Connector failure into a SendError the outbox can classify. */
function classify(err: unknown): SendError {
  const e = err as { statusCode?: number; message?: string; response?: { headers?: { get?: (h: string) => string | undefined } } };
  const retryAfter = e.response?.headers?.get?.('retry-after');
  const seconds = retryAfter !== undefined ? Number(retryAfter) : NaN;
  return new SendError(e.message ?? String(err), typeof e.statusCode === 'number' ? e.statusCode : null, Number.isFinite(seconds) ? seconds * 1000 : null);
}

/**
 * The outbox is the one place a proactive send is retried: bounded, paced, after any Retry-After, and on record.
 * botbuilder's HTTP pipeline would otherwise retry 429 and 5xx three more times on its own, unpaced and unseen, holding
 * the sender's lane through each Retry-After. So the turn's connector client loses its retry phase.
 */
function withoutPipelineRetries(adapter: CloudAdapter, ctx: TurnContext): void {
  // `client` is botbuilder-stdlib's @azure/core-client ServiceClient, private in its typings; its pipeline is public API.
  const connector = ctx.turnState.get(adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy(o: { phase: 'Retry' }): unknown } } } | undefined;
  connector?.client?.pipeline?.removePolicy({ phase: 'Retry' });
}

/**
 * Runs `work` in a proactive turn and rethrows what it threw. An error left to escape the turn would go to the adapter's
 * onTurnError, which posts an apology into the conversation and swallows the error: the outbox would then record a card
 * that never arrived as sent (test/connector-faults.test.ts caught this).
 */
async function inTurn(adapter: CloudAdapter, appId: string, ref: Partial<ConversationReference>, work: (ctx: TurnContext) => Promise<void>): Promise<void> {
  let failure: { error: unknown } | null = null;
  try {
    await adapter.continueConversationAsync(appId, ref, async (ctx) => {
      withoutPipelineRetries(adapter, ctx);
      try {
        await work(ctx);
      } catch (error) {
        failure = { error };
      }
    });
  } catch (error) {
    throw classify(error);
  }
  if (failure) throw classify((failure as { error: unknown }).error);
}

/** Sends proactive messages through the CloudAdapter: with no app id (local mode) it posts without a token. */
export function teamsMessenger(adapter: CloudAdapter, appId: string): Messenger {
  return {
    async send(c, message, threadOf) {
      let id: string | null = null;
      await inTurn(adapter, appId, reference(c, threadOf), async (ctx) => {
        id = (await ctx.sendActivity(toActivity(message)))?.id ?? null;
      });
      return id;
    },
    async update(c, activityId, message) {
      await inTurn(adapter, appId, reference(c), async (ctx) => {
        await ctx.updateActivity({ ...toActivity(message), id: activityId });
      });
    },
  };
}
