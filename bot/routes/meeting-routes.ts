import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { linkMeeting, meetingEnded, meetingStarted, participantsChanged } from '../../scheduler/meetings/teams-meeting.js';
import type { TeamsApp } from '../teams-app.js';
import type { RouteDeps } from './deps.js';
import { gatedCommand, type Policy } from './gate.js';
import { conversationOf } from './nomination-routes.js';

/**
 * A panel meeting held in Teams (issue 20): `link meeting <panel id>` in the meeting's chat, and the meeting's events.
 * The events are routed here by name, not through teams-ai 1.7.4's `app.meetings`: its participantsJoin/Leave listen
 * for `meetingParticipantsJoin/Leave` (plural), which Teams never sends (it sends `meetingParticipantJoin/Leave`), and
 * its start and end types are camelCase where Teams sends PascalCase (`StartTime`): both casings are read. They are
 * Teams' own events, not a person's command, so no gate applies: they only ever touch a meeting someone linked.
 */
const EVENTS = {
  start: 'application/vnd.microsoft.meetingStart',
  end: 'application/vnd.microsoft.meetingEnd',
  join: 'application/vnd.microsoft.meetingParticipantJoin',
  leave: 'application/vnd.microsoft.meetingParticipantLeave',
} as const;
const MEETING_EVENT_NAMES: ReadonlySet<string> = new Set(Object.values(EVENTS));

const isMeetingEvent = (ctx: TurnContext, name?: string) =>
  ctx.activity.type === 'event' && ctx.activity.channelId === 'msteams' && (name ? ctx.activity.name === name : MEETING_EVENT_NAMES.has(ctx.activity.name ?? ''));

/** Teams' id for the meeting, from channelData (never the conversation id, nor the id in the event's value). */
export function teamsMeetingId(ctx: TurnContext): string | null {
  const id = (ctx.activity.channelData as { meeting?: { id?: unknown } } | undefined)?.meeting?.id;
  return typeof id === 'string' && id.length > 0 && id.length <= 1000 ? id : null;
}

const startValue = z.object({ StartTime: z.unknown(), startTime: z.unknown() }).partial().passthrough();
// A Teams meeting holds at most 1,000 people who can take part; more in one event is not Teams.
const participants = z.object({ members: z.array(z.object({ user: z.object({ aadObjectId: z.string().optional() }).passthrough() }).passthrough()).max(1000) }).passthrough();

const YEAR_MS = 366 * 86_400_000;

/** An instant Teams sent, as ISO UTC, within a year of `now`; null when it sent none, nothing readable, or nothing near. */
function instant(v: unknown, now: string): string | null {
  const t = typeof v === 'string' || v instanceof Date ? new Date(v).getTime() : NaN;
  return Number.isFinite(t) && Math.abs(t - Date.parse(now)) <= YEAR_MS ? new Date(t).toISOString() : null;
}

/** The meeting chat an event came from (its base id), to check against the one the meeting was linked in. */
const chatOf = (ctx: TurnContext): string => (ctx.activity.conversation?.id ?? '').split(';')[0]!;

/** The object ids of the people an event names; nothing else of theirs (names included) is read. */
const memberIds = (value: unknown): string[] => {
  const parsed = participants.safeParse(value);
  return parsed.success ? parsed.data.members.flatMap((m) => (m.user.aadObjectId ? [m.user.aadObjectId] : [])) : [];
};

/**
 * `link meeting`: anyone with a role that acts goes on (never a read-only one), and linkMeeting answers a panel they
 * may not link as one that does not exist.
 */
export const MEETING_LINK_POLICY: Policy = {
  claim: () => ({ kind: 'acts' }),
  refusal: "Only a Channel panel's chairs, the Prevent leads and deputies of a force it faces (or of its area that handles the panel) and national leads can link a Teams meeting to it.",
};

const ELSEWHERE = "Type `link meeting` *panel id* in the chat of the panel's Teams meeting, once this app is added to the meeting: who the bot knows joined is then suggested on the chair's attendance card.";

function registerLinkMeeting(app: TeamsApp, { store, clock }: RouteDeps): void {
  gatedCommand(app, store, /^\s*link\s+meeting\b\s*(\S*)\s*$/i, MEETING_LINK_POLICY, async (ctx, caller) => {
    const [, id = ''] = /^\s*link\s+meeting\b\s*(\S*)/i.exec(ctx.activity.text ?? '') ?? [];
    const c = conversationOf(ctx);
    const meetingId = teamsMeetingId(ctx);
    if (!c || c.kind === 'personal' || !meetingId) return ELSEWHERE;
    // Roles are read by object id here, as every use case does after the gate, which matched the caller's tenant.
    const r = await linkMeeting(store, id.toLowerCase(), { teamsMeetingId: meetingId, conversationId: c.id }, caller.aadObjectId, undefined, clock());
    if (!r.ok) return r.error.message;
    return `Linked: this Teams meeting is now ${r.value.name}'s. When it ends, the chair's attendance card will suggest who the bot knows joined and for how long.`;
  });
}

function registerMeetingEvents(app: TeamsApp, { store, clock, kick }: RouteDeps): void {
  // A meeting event is Teams' doing, not a person speaking: its sender is not remembered as someone the bot has seen
  // (presence is recorded only for people the bot already knows). Runs before the conversation is recorded.
  app.turn('beforeTurn', async (ctx) => {
    if (isMeetingEvent(ctx) && ctx.activity.from) ctx.activity.from = { id: ctx.activity.from.id, name: '' };
    return true;
  });
  app.activity(async (ctx) => isMeetingEvent(ctx, EVENTS.start), async (ctx) => {
    const id = teamsMeetingId(ctx);
    const value = startValue.safeParse(ctx.activity.value);
    const now = clock();
    if (id) await meetingStarted(store, { teamsMeetingId: id, conversationId: chatOf(ctx) }, value.success ? instant(value.data.StartTime ?? value.data.startTime, now) : null, now);
  });
  app.activity(async (ctx) => isMeetingEvent(ctx, EVENTS.end), async (ctx) => {
    const id = teamsMeetingId(ctx);
    if (id && (await meetingEnded(store, { teamsMeetingId: id, conversationId: chatOf(ctx) }, clock())).length) kick();
  });
  for (const [name, change] of [[EVENTS.join, 'joined'], [EVENTS.leave, 'left']] as const) {
    app.activity(async (ctx) => isMeetingEvent(ctx, name), async (ctx) => {
      const id = teamsMeetingId(ctx);
      if (id) await participantsChanged(store, { teamsMeetingId: id, conversationId: chatOf(ctx) }, change, memberIds(ctx.activity.value), clock());
    });
  }
}

/** The Teams meeting's routes; registered first, so a meeting event's sender is set aside before anything records it. */
export function registerMeetingRoutes(app: TeamsApp, deps: RouteDeps): void {
  registerMeetingEvents(app, deps);
  registerLinkMeeting(app, deps);
}
