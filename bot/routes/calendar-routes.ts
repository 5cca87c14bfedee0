import { z } from 'zod';
import { subscribeCard, type SubscribeLink } from '../../cards/subscribe-card.js';
import { buildFeed, feedVersion, issueFeeds, resolveFeed, revokeFeeds, type FeedOffer, type FeedVersion } from '../../scheduler/calendar/feed-tokens.js';
import type { AppConfig } from '../config.js';
import type { HttpRequest, HttpResponse, HttpRoute } from '../http.js';
import { RateLimiter } from '../rate-limit.js';
import type { RouteDeps } from './deps.js';
import type { TeamsApp } from '../teams-app.js';
import { gatedCommand, type Policy } from './gate.js';

type CalendarConfig = Pick<AppConfig, 'publicBaseUrl' | 'appId'>;

/** How many links one card carries; more are reached with `subscribe <id>`, so the card stays far under 28 KB. */
export const MAX_LINKS = 20;

/** Per token: a burst of 30, then one every 2 s. Calendar clients poll every few hours; a loop or a leaked link does not. */
export interface RateLimit {
  burst: number;
  perSecond: number;
}
export const FEED_RATE_LIMIT: RateLimit = { burst: 30, perSecond: 0.5 };

/** Where a feed's events point back to: the bot's chat in Teams, or the public origin in local mode (no app id). */
export function botLink(config: CalendarConfig): string {
  return config.appId ? `https://teams.microsoft.com/l/chat/0/0?users=28:${encodeURIComponent(config.appId)}` : config.publicBaseUrl;
}

/** The https (or, locally, http) and webcal forms of a feed's address. */
export function feedLinks(offer: FeedOffer, publicBaseUrl: string): SubscribeLink {
  const webUrl = `${publicBaseUrl}/calendar/${offer.token}.ics`;
  return { title: offer.title, webUrl, webcalUrl: webUrl.replace(/^https?:\/\//, 'webcal://') };
}

const PERSONAL_ONLY = 'Calendar links are personal (anyone who has one sees that timetable), so I only give them in our personal chat: open a chat with me and type `subscribe` there.';

/** Anyone may ask: the use case offers only the feeds the person may see, and names nothing else. */
export const SUBSCRIBE_POLICY: Policy = { claim: () => ({ kind: 'anyone' }), refusal: '' };

/** `subscribe`, `subscribe <panel|force|me>` and `subscribe revoke`. */
export function registerCalendarRoutes(app: TeamsApp, { store, clock }: RouteDeps, config: CalendarConfig): void {
  gatedCommand(app, store, /^\s*subscribe\s+revoke\s*$/i, SUBSCRIBE_POLICY, async (_ctx, caller) => {
    const count = await revokeFeeds(store, caller.aadObjectId, clock());
    return count ? `Revoked ${count} calendar link${count === 1 ? '' : 's'}: calendars using them stop updating. Type \`subscribe\` for new links.` : 'You have no calendar links to revoke.';
  });
  gatedCommand(app, store, /^\s*subscribe(?:\s+([a-z0-9-]{1,64}))?\s*$/i, SUBSCRIBE_POLICY, async (ctx, caller) => {
    // A link is a bearer credential: posted in a Teams channel or group chat, everyone there could use it.
    if (ctx.activity.conversation?.conversationType !== 'personal') return PERSONAL_ONLY;
    const only = /^\s*subscribe\s+(\S+)/i.exec(ctx.activity.text ?? '')?.[1];
    const r = await issueFeeds(store, caller.aadObjectId, clock(), { ...(only ? { only } : {}), max: MAX_LINKS });
    if (!r.ok) return r.error.message;
    return subscribeCard(r.value.offers.map((o) => feedLinks(o, config.publicBaseUrl)), r.value.more);
  });
}

const params = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}\.ics$/) });
const NOT_FOUND: HttpResponse = { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
const httpDate = (iso: string) => new Date(iso).toUTCString();

/** RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since, to the second. */
export function notModified(headers: HttpRequest['headers'], v: FeedVersion): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) return inm.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === v.etag);
  const ims = Date.parse(headers['if-modified-since'] ?? '');
  return Number.isFinite(ims) && Math.floor(Date.parse(v.lastModified) / 1000) * 1000 <= ims;
}

/** `GET /calendar/<token>.ics`: the feed, 304 from one stamp query when unchanged, 429 past the link's rate, 404 for anything else. */
export function calendarRoute({ store, clock }: Pick<RouteDeps, 'store' | 'clock'>, config: CalendarConfig, limit = FEED_RATE_LIMIT): HttpRoute {
  // On the bot's clock, unlike people's limits: a feed's rate is part of what it serves, and tests freeze it.
  const limiter = new RateLimiter({ burst: limit.burst, perMinute: limit.perSecond * 60 }, () => Date.parse(clock()));
  return {
    method: 'GET',
    path: '/calendar/:token',
    handler: async (req) => {
      const parsed = params.safeParse(req.params);
      if (!parsed.success) return NOT_FOUND;
      const token = parsed.data.token.slice(0, -'.ics'.length);
      if (limiter.take(token) !== 'ok') {
        return { status: 429, headers: { 'retry-after': String(Math.max(1, limiter.waitSeconds(token))), 'content-type': 'text/plain; charset=utf-8' }, body: 'Too many requests' };
      }
      const now = clock();
      const target = await resolveFeed(store, token, now);
      if (!target) return NOT_FOUND;
      const version = await feedVersion(store, target, now);
      // private: the link is a secret, so no shared cache may keep it; no-cache: revalidate, which costs one stamp query.
      const headers = { etag: version.etag, 'last-modified': httpDate(version.lastModified), 'cache-control': 'private, no-cache', 'referrer-policy': 'no-referrer' };
      if (notModified(req.headers, version)) return { status: 304, headers };
      const body = await buildFeed(store, target, version, now, botLink(config));
      return { status: 200, headers: { ...headers, 'content-type': 'text/calendar; charset=utf-8' }, body };
    },
  };
}
