import type { TurnContext } from 'botbuilder';
import { z } from 'zod';
import { subscribeCard, type SubscribeLink } from '../../cards/subscribe-card.js';
import { buildFeed, FeedNotRecorded, feedVersion, type FeedVersion } from '../../scheduler/calendar/feed-build.js';
import { FEED_CACHE_SIZE, FeedCache, type CachedFeed } from '../../scheduler/calendar/feed-cache.js';
import { resolveFeed } from '../../scheduler/calendar/feed-targets.js';
import { tokenHash } from '../../scheduler/calendar/link-token.js';
import { issueFeeds, revokeFeeds, rotateFeeds, type FeedOffer } from '../../scheduler/calendar/feed-tokens.js';
import type { AppConfig } from '../config.js';
import type { HttpRequest, HttpResponse, HttpRoute } from '../http.js';
import { RateLimiter } from '../rate-limit.js';
import type { RouteDeps } from './deps.js';
import type { TeamsApp } from '../teams-app.js';
import { gatedCommand, type Policy } from './gate.js';

type CalendarConfig = Pick<AppConfig, 'publicBaseUrl' | 'appId'>;

/** How many links one card carries; more are on later pages (`subscribe page 2`) or reached with `subscribe <id>`, so the card stays far under 28 KB. */
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
  return { title: offer.title, webUrl, webcalUrl: webUrl.replace(/^https?:\/\//, 'webcal://'), replaced: offer.issued === 'replacement', ...(offer.group ? { group: offer.group } : {}) };
}

const PERSONAL_ONLY = 'Calendar links are personal (anyone who has one sees that timetable), so I only give them in our personal chat: open a chat with me and type `subscribe` there.';
const ROTATE_USAGE = "Type `subscribe rotate` and the feed's id, for example `subscribe rotate me` for your own meetings: that feed gets a new link, and its old one stops working.";

/** Anyone may ask: the use case offers only the feeds the person may see, and names nothing else. */
export const SUBSCRIBE_POLICY: Policy = { claim: () => ({ kind: 'anyone' }), refusal: '' };

const SCOPE = '(?:\\s+([a-z0-9-]{1,64}))?\\s*$';
// Registered in this order: the first pattern that matches a message handles it, and `subscribe <id>` would match the others.
const REVOKE = new RegExp(`^\\s*subscribe\\s+revoke${SCOPE}`, 'i');
const ROTATE = new RegExp(`^\\s*subscribe\\s+rotate${SCOPE}`, 'i');
const SUBSCRIBE = new RegExp(`^\\s*subscribe${SCOPE}`, 'i');
const PAGE = /^\s*subscribe\s+page\s+(\d{1,3})\s*$/i;

const plural = (n: number) => `${n} calendar link${n === 1 ? '' : 's'}`;

/**
 * `subscribe`, `subscribe page <n>`, `subscribe <panel|force|area|me>`, `subscribe rotate <panel|force|area|me>` and
 * `subscribe revoke [panel|force|area|me]`.
 */
export function registerCalendarRoutes(app: TeamsApp, { store, clock }: RouteDeps, config: CalendarConfig): void {
  const wordIn = (ctx: TurnContext, pattern: RegExp) => pattern.exec(ctx.activity.text ?? '')?.[1];
  // A link is a bearer credential: posted in a Teams channel or group chat, everyone there could use it.
  const personal = (ctx: TurnContext) => ctx.activity.conversation?.conversationType === 'personal';
  gatedCommand(app, store, REVOKE, SUBSCRIBE_POLICY, async (ctx, caller) => {
    const word = wordIn(ctx, REVOKE);
    const count = await revokeFeeds(store, caller.aadObjectId, clock(), word);
    if (word !== undefined) {
      return count ? `Revoked ${plural(count)} for \`${word}\`: calendars using ${count === 1 ? 'it' : 'them'} stop updating. Type \`subscribe ${word}\` for a new link.` : `You have no calendar links for \`${word}\` to revoke.`;
    }
    return count ? `Revoked ${plural(count)}: calendars using ${count === 1 ? 'it' : 'them'} stop updating. Type \`subscribe\` for new links.` : 'You have no calendar links to revoke.';
  });
  gatedCommand(app, store, ROTATE, SUBSCRIBE_POLICY, async (ctx, caller) => {
    if (!personal(ctx)) return PERSONAL_ONLY;
    const word = wordIn(ctx, ROTATE);
    if (word === undefined) return ROTATE_USAGE;
    const r = await rotateFeeds(store, caller.aadObjectId, clock(), word);
    return r.ok ? subscribeCard(r.value.offers.map((o) => feedLinks(o, config.publicBaseUrl))) : r.error.message;
  });
  // `subscribe page 2`: the next links of someone with more feeds than one card carries (a national lead).
  const issue = async (ctx: TurnContext, caller: { aadObjectId: string }, opts: { only?: string; page?: number }) => {
    if (!personal(ctx)) return PERSONAL_ONLY;
    const r = await issueFeeds(store, caller.aadObjectId, clock(), { ...opts, max: MAX_LINKS });
    if (!r.ok) return r.error.message;
    const { offers, more, ...pages } = r.value;
    return subscribeCard(offers.map((o) => feedLinks(o, config.publicBaseUrl)), more, opts.only ? undefined : pages);
  };
  gatedCommand(app, store, PAGE, SUBSCRIBE_POLICY, async (ctx, caller) => issue(ctx, caller, { page: Number(wordIn(ctx, PAGE)) }));
  gatedCommand(app, store, SUBSCRIBE, SUBSCRIBE_POLICY, async (ctx, caller) => {
    const only = wordIn(ctx, SUBSCRIBE);
    return issue(ctx, caller, only ? { only } : {});
  });
}

const params = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{43}\.ics$/) });
const NOT_FOUND: HttpResponse = { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
/** A feed whose panel or force was retired more than a feed window ago: calendars may drop the subscription. */
const GONE: HttpResponse = { status: 410, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Gone' };
const httpDate = (iso: string) => new Date(iso).toUTCString();

/** A feed whose body could not be recorded: served without one (and without an ETag), so the calendar asks again. */
const UNAVAILABLE: HttpResponse = { status: 503, headers: { 'retry-after': '60', 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }, body: 'Try again shortly' };

/**
 * If-None-Match only. If-Modified-Since is ignored: a feed changes with the owner's roles and with what the link showed,
 * neither of which has a modification time, so a date could answer 304 to a changed feed.
 */
export function notModified(headers: HttpRequest['headers'], v: FeedVersion): boolean {
  const inm = headers['if-none-match'];
  return inm !== undefined && inm.split(',').map((t) => t.trim().replace(/^W\//, '')).some((t) => t === '*' || t === v.etag);
}

/**
 * `GET /calendar/<token>.ics`: the feed, 304 from one stamp query when unchanged, the kept body when the link's state is
 * the one it was built for, 429 past the link's rate, 410 once its panel or force has been retired for a feed window,
 * 404 for anything else.
 */
export function calendarRoute({ store, clock, log }: Pick<RouteDeps, 'store' | 'clock'> & Partial<Pick<RouteDeps, 'log'>>, config: CalendarConfig, limit = FEED_RATE_LIMIT, cacheSize = FEED_CACHE_SIZE): HttpRoute {
  // On the bot's clock, unlike people's limits: a feed's rate is part of what it serves, and tests freeze it.
  const limiter = new RateLimiter({ burst: limit.burst, perMinute: limit.perSecond * 60 }, () => Date.parse(clock()));
  const cache = new FeedCache<string>((body) => body.length, { maxSize: cacheSize });
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
      const target = await resolveFeed(store, token, now, (err) => log?.warn({ err }, 'could not record a calendar link\'s use; serving it anyway'));
      if (target === null || target === 'gone') {
        cache.forget(tokenHash(token));
        return target === null ? NOT_FOUND : GONE;
      }
      const version = await feedVersion(store, target, now);
      // private: the link is a secret, so no shared cache may keep it; no-cache: revalidate, which costs one stamp query.
      const headersOf = (v: FeedVersion) => ({ etag: v.etag, 'last-modified': httpDate(v.lastModified), 'cache-control': 'private, no-cache', 'referrer-policy': 'no-referrer' });
      if (notModified(req.headers, version)) return { status: 304, headers: headersOf(version) };
      // Building records what the link showed, which is part of its ETag: the response names the body it carries, and the
      // body is kept under that ETag, which the link's next fetch computes while nothing it shows has changed.
      let built: CachedFeed<string>;
      try {
        built = await cache.through(target.hash, version.etag, async () => {
          const b = await buildFeed(store, target, version, now, botLink(config));
          return { etag: b.version.etag, value: b.body };
        });
      } catch (err) {
        if (!(err instanceof FeedNotRecorded)) throw err;
        log?.warn({ err: err.reason }, 'could not record what a calendar feed shows; answering 503');
        return UNAVAILABLE;
      }
      return { status: 200, headers: { ...headersOf({ ...version, etag: built.etag }), 'content-type': 'text/calendar; charset=utf-8' }, body: built.value };
    },
  };
}
