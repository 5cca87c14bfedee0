import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { ConnectorClient } from 'botframework-connector';
import type { CallerTenant } from '../scheduler/people/access.js';
import type { AppConfig } from './config.js';

/** Where the turn keeps who is asking, by tenant: set before every turn (teams-app.ts), read by the gate (routes/gate.ts). */
export const CALLER_TENANT = Symbol('callerTenant');

/** The caller's tenant as the activity gives it, and a way to ask Teams when that may not be their home tenant. */
export interface TurnTenant extends CallerTenant {
  /** Teams' record of the sender's home tenant; null when there is nothing to ask (a personal chat) or no answer. */
  lookup: (() => Promise<string | null>) | null;
}

type From = { id?: string; tenantId?: unknown };

/** The tenant an activity came from, as Teams reports it: the conversation's (the host's in a shared channel). */
export function activityTenant(ctx: TurnContext): string | undefined {
  const a = ctx.activity;
  return (a.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id ?? a.conversation?.tenantId;
}

/**
 * The sender's tenant as the activity says it: `from.tenantId` when present, else the conversation's. In a channel or
 * group chat the conversation's is the host's, which is not the home tenant of a member from another organisation (a
 * council chair in a shared channel, an external user in a federated chat): the gate then asks Teams (lookup), but
 * only when the host's tenant would refuse them, so nobody else's turn costs a call to the Bot Connector.
 */
export function turnTenant(ctx: TurnContext, config: Pick<AppConfig, 'homeTenantId' | 'partnerTenantIds'>): TurnTenant {
  const a = ctx.activity;
  const from = (a.from ?? {}) as From;
  const given = typeof from.tenantId === 'string' && from.tenantId ? from.tenantId.toLowerCase() : null;
  const host = activityTenant(ctx)?.toLowerCase() ?? null;
  const personal = a.conversation?.conversationType === 'personal';
  const askable = !given && !personal && !!from.id && config.homeTenantId !== null;
  return { tenantId: given ?? host, homeTenantId: config.homeTenantId, partnerTenantIds: config.partnerTenantIds, lookup: askable ? () => memberTenant(ctx, from.id!) : null };
}

/**
 * The member's home tenant from Teams: first as a member of this conversation (a shared channel's own members, which
 * the host team's roster does not list; the app needs ChannelMember.Read.Group there), then of the team. Null when
 * Teams does not say; the caller is then judged by the host's tenant, which never grants more.
 */
async function memberTenant(ctx: TurnContext, userId: string): Promise<string | null> {
  const a = ctx.activity;
  const channel = (a.channelData as { channel?: { id?: string } } | undefined)?.channel?.id ?? a.conversation?.id?.split(';')[0];
  const client = ctx.turnState.get<ConnectorClient>(ctx.adapter.ConnectorClientKey);
  try {
    if (client && channel) {
      const member = (await client.conversations.getConversationMember(channel, userId)) as { tenantId?: string };
      if (member.tenantId) return member.tenantId.toLowerCase();
    }
  } catch {
    // Not a member of the conversation as Teams lists it, or no answer: the team's roster, below.
  }
  try {
    return (await TeamsInfo.getMember(ctx, userId)).tenantId?.toLowerCase() ?? null;
  } catch {
    return null;
  }
}

/** Records the caller's tenant on the turn, with the deployment's home and partner tenants, for the gate. */
export function noteCallerTenant(ctx: TurnContext, config: Pick<AppConfig, 'homeTenantId' | 'partnerTenantIds'>): true {
  ctx.turnState.set(CALLER_TENANT, turnTenant(ctx, config));
  return true;
}

/** What noteCallerTenant recorded; undefined outside a Teams turn (the gate then matches on object id alone). */
export const callerTenantOf = (ctx: TurnContext): TurnTenant | undefined => ctx.turnState.get(CALLER_TENANT) as TurnTenant | undefined;
