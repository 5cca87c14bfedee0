import { CardFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
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

/** Sends proactive messages through the CloudAdapter: with no app id (local mode) it posts without a token. */
export function teamsMessenger(adapter: CloudAdapter, appId: string): Messenger {
  return {
    async send(c, message, threadOf) {
      let id: string | null = null;
      try {
        await adapter.continueConversationAsync(appId, reference(c, threadOf), async (ctx) => {
          id = (await ctx.sendActivity(toActivity(message)))?.id ?? null;
        });
      } catch (err) {
        throw classify(err);
      }
      return id;
    },
    async update(c, activityId, message) {
      try {
        await adapter.continueConversationAsync(appId, reference(c), async (ctx) => {
          await ctx.updateActivity({ ...toActivity(message), id: activityId });
        });
      } catch (err) {
        throw classify(err);
      }
    },
  };
}
