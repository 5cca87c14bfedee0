import { areasOf } from '../domain/areas.js';
import { accessFor, hasRole, seesArea, seesForce, visiblePanels } from '../people/access.js';
import { feedWindow } from './calendar-feed.js';
import { newToken, tokenHash } from './link-token.js';
import { echo } from '../domain/text.js';
import { fail, ok, type Panel, type Result } from '../domain/types.js';
import type { FeedScope, Repos, Store } from '../store/store.js';

/** A feed the person may subscribe to. */
export interface FeedChoice {
  scope: FeedScope;
  title: string;
  /** The force it comes under (a panel: the first force it faces), so a long list can be shown force by force. */
  group?: string;
}

/**
 * A feed with its link token. Only the token's hash and the random seed it is derived from (with the deployment's key)
 * are stored, so the same link can be shown again without the database alone ever opening a feed.
 */
export interface FeedOffer extends FeedChoice {
  token: string;
  /** `existing`: the live link shown again; `new`: none was live; `replacement`: `subscribe rotate` turned the old one off. */
  issued: 'existing' | 'new' | 'replacement';
}

// What a token opens, and its hash, for the callers that knew them here.
export { resolveFeed } from './feed-targets.js';
export { newToken, tokenHash } from './link-token.js';

const NO_FEEDS = 'Calendar feeds are for panel chairs, force Prevent leads and their deputies, area leads and their deputies, national leads, those given read-only access and named police attendees.';
const notVisible = (word: string) => `There is no feed "${echo(word)}" that you may see. Type \`subscribe\` for the feeds you may see.`;

/**
 * Every feed the person's roles let them see: their own meetings, then force by force the force's (if they see it
 * all), its areas' they see and its panels' they see (a panel under the first of its forces they see part of). In that
 * order, so a page of links (`subscribe page 2`) holds whole forces where it can.
 */
export async function availableFeeds(store: Repos, actor: string, now: string): Promise<FeedChoice[]> {
  const access = await accessFor(store, actor);
  const [forces, panels] = await Promise.all([store.directory.listForces(), store.directory.listPanels()]);
  const window = feedWindow(now);
  const named = access.aadObjectId ? await store.feeds.nominatedMeetings(access.aadObjectId, window.from, window.to) : [];
  const areas = areasOf(forces).filter((a) => seesArea(access, a));
  const seen = visiblePanels(access, panels);
  const home = (p: Panel) => p.forces.find((f) => seesForce(access, f) || areas.some((a) => a.forceId === f && a.panels.includes(p.id))) ?? p.forces[0];
  const placed = new Set(forces.map((f) => f.id));
  const byForce = forces.flatMap((f): FeedChoice[] => [
    ...(seesForce(access, f.id) ? [{ scope: { kind: 'force' as const, id: f.id }, title: `${f.name}: every panel`, group: f.name }] : []),
    ...areas.filter((a) => a.forceId === f.id).map((a) => ({ scope: { kind: 'area' as const, id: a.id }, title: `${a.name} (${a.forceName}): every panel`, group: f.name })),
    ...seen.filter((p) => home(p) === f.id).map((p) => ({ scope: { kind: 'panel' as const, id: p.id }, title: p.name, group: f.name })),
  ]);
  return [
    ...(hasRole(access) || named.length ? [{ scope: { kind: 'person' as const, id: access.aadObjectId }, title: 'My Channel panel meetings' }] : []),
    ...byForce,
    ...seen.filter((p) => !placed.has(home(p) ?? '')).map((p) => ({ scope: { kind: 'panel' as const, id: p.id }, title: p.name })),
  ];
}

/** The feeds a typed word names: `me` the person's own, else the force's, area's and panel's with that id (a force and a panel may share one). */
const named = (all: FeedChoice[], word: string | undefined): FeedChoice[] => {
  const w = word?.toLowerCase();
  if (w === undefined) return all;
  return all.filter((c) => (w === 'me' ? c.scope.kind === 'person' : c.scope.kind !== 'person' && c.scope.id === w));
};

/** The stored scopes a typed word names, whether or not the person may still see them (a link may always be revoked). */
const scopesNamed = (actor: string, word: string): FeedScope[] =>
  word.toLowerCase() === 'me' ? [{ kind: 'person', id: actor }] : (['panel', 'force', 'area'] as const).map((kind) => ({ kind, id: word.toLowerCase() }));

/**
 * Makes a new link for the scope (`rotate`: in place of the live ones, handed what they showed); when a racing
 * `subscribe` made one first, that one is the link.
 */
async function newLink(tx: Repos, actor: string, scope: FeedScope, now: string, rotate = false): Promise<{ token: string; made: boolean }> {
  const seed = newToken();
  const token = tx.feeds.token(seed);
  const link = { hash: tokenHash(token), owner: actor, scope, createdAt: now, revokedAt: null, seed };
  if (await (rotate ? tx.feeds.rotate(actor, scope, link, now) : tx.feeds.save(link))) return { token, made: true };
  const live = await tx.feeds.liveLink(actor, scope);
  if (!live?.seed) throw new Error(`no live calendar link for ${scope.kind} ${scope.id} after a refused insert`);
  return { token: tx.feeds.token(live.seed), made: false };
}

/** The live link for the scope, or a new one. */
async function linkFor(tx: Repos, actor: string, choice: FeedChoice, now: string): Promise<FeedOffer> {
  const live = await tx.feeds.liveLink(actor, choice.scope);
  if (!live?.seed) {
    // Refused by the one-live-link index: a racing `subscribe` made it, and wrote its audit entry.
    const made = await newLink(tx, actor, choice.scope, now);
    return { ...choice, token: made.token, issued: made.made ? 'new' : 'existing' };
  }
  const token = tx.feeds.token(live.seed);
  // Derived with the audit key, which the audit chain never lets change: a mismatch is a fault, never a link to show.
  if (tokenHash(token) !== live.hash) throw new Error('a calendar link does not match its seed: was AUDIT_KEY changed?');
  return { ...choice, token, issued: 'existing' };
}

const auditScopes = (offers: FeedOffer[]) => offers.map((o) => `${o.scope.kind}:${o.scope.id}`);

/** A page of someone's feeds: the links on it, and what the other pages hold, by force name. */
export interface FeedPage {
  offers: FeedOffer[];
  /** How many of the person's feeds are not on this page. */
  more: number;
  page: number;
  pages: number;
  /** Every page's forces (their names, in order; a force may run over two pages), for the card to point to the others. */
  index: Array<{ page: number; groups: string[] }>;
}

/**
 * The person's links for their feeds (or those `only` names, `me` for their own), `max` to a page (`page`, from 1;
 * past the last, the last): the live link of each scope when there is one, so asking again never multiplies links;
 * a new one otherwise. Only the page's links are made: a national lead's two hundred feeds are not all issued at once.
 */
export async function issueFeeds(store: Store, actor: string, now: string, opts: { only?: string; max: number; page?: number }): Promise<Result<FeedPage>> {
  // Decided inside the transaction that writes the tokens, so roles are read through (never from the directory cache).
  return store.transaction(async (tx) => {
    const all = await availableFeeds(tx, actor, now);
    if (!all.length) return fail('NO_FEEDS', NO_FEEDS);
    const chosen = named(all, opts.only);
    if (!chosen.length) return fail('NOT_VISIBLE', notVisible(opts.only ?? ''));
    const pages = Math.max(1, Math.ceil(chosen.length / opts.max));
    const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pages);
    const from = (page - 1) * opts.max;
    const offers: FeedOffer[] = [];
    for (const c of chosen.slice(from, from + opts.max)) offers.push(await linkFor(tx, actor, c, now));
    const made = offers.filter((o) => o.issued !== 'existing');
    if (made.length) await tx.audit.append([{ at: now, actor, action: 'feed.issued', subject: { owner: actor }, details: { scopes: auditScopes(made) } }]);
    const index = Array.from({ length: pages }, (_, i) => ({ page: i + 1, groups: [...new Set(chosen.slice(i * opts.max, (i + 1) * opts.max).flatMap((c) => (c.group ? [c.group] : [])))] }));
    return ok({ offers, more: chosen.length - offers.length, page, pages, index });
  });
}

/** `subscribe rotate <scope>`: turns off the person's links for the scope and gives a new one (for a link shared by mistake). */
export async function rotateFeeds(store: Store, actor: string, now: string, word: string): Promise<Result<{ offers: FeedOffer[] }>> {
  return store.transaction(async (tx) => {
    const chosen = named(await availableFeeds(tx, actor, now), word);
    if (!chosen.length) return fail('NOT_VISIBLE', notVisible(word));
    const offers: FeedOffer[] = [];
    for (const c of chosen) offers.push({ ...c, token: (await newLink(tx, actor, c.scope, now, true)).token, issued: 'replacement' });
    await tx.audit.append([{ at: now, actor, action: 'feed.rotated', subject: { owner: actor }, details: { scopes: auditScopes(offers) } }]);
    return ok({ offers });
  });
}

/** Revokes the person's links: all of them, or those for the scope `word` names; calendars using them get 404 from then on. */
export async function revokeFeeds(store: Store, actor: string, now: string, word?: string): Promise<number> {
  return store.transaction(async (tx) => {
    const count = word === undefined ? await tx.feeds.revokeAll(actor, now) : await tx.feeds.revokeScopes(actor, scopesNamed(actor, word), now);
    if (count) await tx.audit.append([{ at: now, actor, action: 'feed.revoked', subject: { owner: actor }, details: { count, ...(word === undefined ? {} : { scope: word.toLowerCase() }) } }]);
    return count;
  });
}
