import { createHash, randomBytes } from 'node:crypto';
import { accessFor, canActForForce, hasRole, seesPanel, visiblePanels, type Access } from '../people/access.js';
import { feedDay, feedWindow, renderFeed, type FeedMeeting } from './calendar-feed.js';
import { groupByMeeting } from '../domain/group.js';
import { echo } from '../domain/text.js';
import { fail, ok, type Nomination, type Panel, type Result } from '../domain/types.js';
import type { FeedScope, FeedToken } from '../store/store.js';
import type { Repos, Store } from '../store/store.js';

/** A feed the person may subscribe to. */
export interface FeedChoice {
  scope: FeedScope;
  title: string;
}

/** A feed with the link token just issued for it; the token is shown once and never stored. */
export interface FeedOffer extends FeedChoice {
  token: string;
}

/** A live link, resolved against the store's current roles. */
export interface FeedTarget {
  scope: FeedScope;
  title: string;
  panelIds: string[];
  /** For a person's feed: the meetings they are named for (their chaired panels' meetings are all in). */
  nominated: Set<string> | null;
  view: NominationView;
}

/**
 * Whose attendees a feed may name: what its owner may see elsewhere. The review and attendance history show
 * a force lead only their own forces, so a feed must not show them another force's nominee on a joint panel.
 */
export interface NominationView {
  /** National leads see every force's. */
  everyForce: boolean;
  /** Panels the owner chairs: every force's there. */
  chaired: Set<string>;
  /** Forces the owner leads or deputises for. */
  forces: Set<string>;
  /** On a person's own feed, the owner, who may always see their own nomination. */
  attendee: string | null;
}

const viewOf = (access: Access, attendee: string | null): NominationView => ({ everyForce: access.national, chaired: access.panels, forces: access.forces, attendee });

const viewKey = (v: NominationView): string =>
  [v.everyForce ? 'all' : '', [...v.chaired].sort().join(','), [...v.forces].sort().join(','), v.attendee ?? ''].join(';');

export interface FeedVersion {
  etag: string;
  lastModified: string;
}

/** 256 random bits, base64url: far past guessing, and safe in a URL path. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Raised whenever the rendered format changes, so every client's cached copy is replaced. */
const FORMAT = 'feed-v1';
const FEED_DESCRIPTION = 'Channel panel timetable from the Channel panel bot: moves, cancellations and the named police attendee. No case details.';

/** The stored form of a link token. */
export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

export const newToken = (): string => randomBytes(32).toString('base64url');

/** Every feed the person's roles let them see: their own meetings, the forces they act for, the panels they chair or face. */
export async function availableFeeds(store: Repos, actor: string, now: string): Promise<FeedChoice[]> {
  const access = await accessFor(store, actor);
  const [forces, panels] = await Promise.all([store.directory.listForces(), store.directory.listPanels()]);
  const window = feedWindow(now);
  const named = access.aadObjectId ? await store.feeds.nominatedMeetings(access.aadObjectId, window.from, window.to) : [];
  return [
    ...(hasRole(access) || named.length ? [{ scope: { kind: 'person' as const, id: access.aadObjectId }, title: 'My Channel panel meetings' }] : []),
    ...forces.filter((f) => canActForForce(access, f.id)).map((f) => ({ scope: { kind: 'force' as const, id: f.id }, title: `${f.name}: every panel` })),
    ...visiblePanels(access, panels).map((p) => ({ scope: { kind: 'panel' as const, id: p.id }, title: p.name })),
  ];
}

/**
 * Issues links for the person's feeds (or the one whose id is `only`, `me` for their own), up to `max`.
 * Earlier links stay valid until `subscribe revoke`: a calendar already subscribed keeps working.
 */
export async function issueFeeds(store: Store, actor: string, now: string, opts: { only?: string; max: number }): Promise<Result<{ offers: FeedOffer[]; more: number }>> {
  // Decided inside the transaction that writes the tokens, so roles are read through (never from the directory cache).
  return store.transaction(async (tx) => {
    const all = await availableFeeds(tx, actor, now);
    if (!all.length) return fail('NO_FEEDS', 'Calendar feeds are for panel chairs, force Prevent leads and their deputies, national leads and named police attendees.');
    const only = opts.only?.toLowerCase();
    const chosen = only ? all.filter((c) => (only === 'me' ? c.scope.kind === 'person' : c.scope.kind !== 'person' && c.scope.id === only)) : all;
    if (!chosen.length) return fail('NOT_VISIBLE', `There is no feed "${echo(opts.only ?? '')}" that you may see. Type \`subscribe\` for the feeds you may see.`);
    const offers = chosen.slice(0, opts.max).map((c) => ({ ...c, token: newToken() }));
    for (const o of offers) await tx.feeds.save({ hash: tokenHash(o.token), owner: actor, scope: o.scope, createdAt: now, revokedAt: null });
    await tx.audit.append([{ at: now, actor, action: 'feed.issued', subject: { owner: actor }, details: { scopes: offers.map((o) => `${o.scope.kind}:${o.scope.id}`) } }]);
    return ok({ offers, more: chosen.length - offers.length });
  });
}

/** Revokes every link the person holds; calendars using them get 404 from then on. */
export async function revokeFeeds(store: Store, actor: string, now: string): Promise<number> {
  return store.transaction(async (tx) => {
    const count = await tx.feeds.revokeAll(actor, now);
    if (count) await tx.audit.append([{ at: now, actor, action: 'feed.revoked', subject: { owner: actor }, details: { count } }]);
    return count;
  });
}

/** The feed a token opens, re-checked against the owner's current roles; null for unknown, revoked or no-longer-allowed. */
export async function resolveFeed(store: Store, token: string, now: string): Promise<FeedTarget | null> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const stored = await store.feeds.byHash(tokenHash(token));
  if (!stored || stored.revokedAt !== null) return null;
  const target = await targetOf(store, stored, now);
  // Retention deletes links unused for a year; a day's precision is plenty, so a link polled hourly writes once a day.
  if (target) await store.feeds.touch(stored.hash, now, new Date(Date.parse(now) - DAY_MS).toISOString());
  return target;
}

const DAY_MS = 24 * 60 * 60 * 1000;

async function targetOf(store: Store, stored: FeedToken, now: string): Promise<FeedTarget | null> {
  const access = await accessFor(store, stored.owner);
  if (stored.scope.kind === 'panel') return panelTarget(store, access, stored.scope.id);
  if (stored.scope.kind === 'force') return forceTarget(store, access, stored.scope.id);
  return personTarget(store, access, stored, now);
}

async function panelTarget(store: Store, access: Access, id: string): Promise<FeedTarget | null> {
  const panel = await store.directory.getPanel(id);
  if (!panel || panel.retired || !seesPanel(access, panel)) return null;
  return { scope: { kind: 'panel', id }, title: panel.name, panelIds: [id], nominated: null, view: viewOf(access, null) };
}

async function forceTarget(store: Store, access: Access, id: string): Promise<FeedTarget | null> {
  const force = await store.directory.getForce(id);
  if (!force || force.retired || !canActForForce(access, id)) return null;
  return { scope: { kind: 'force', id }, title: `${force.name}: Channel panels`, panelIds: await store.feeds.forcePanels(id), nominated: null, view: viewOf(access, null) };
}

async function personTarget(store: Store, access: Access, stored: FeedToken, now: string): Promise<FeedTarget | null> {
  if (stored.scope.id !== stored.owner) return null;
  const window = feedWindow(now);
  const named = await store.feeds.nominatedMeetings(stored.owner, window.from, window.to);
  const panelIds = [...new Set([...access.panels, ...named.map((n) => n.panelId)])].sort();
  return { scope: stored.scope, title: 'My Channel panel meetings', panelIds, nominated: new Set(named.map((n) => n.meetingId)), view: viewOf(access, stored.owner) };
}

/** The feed's validators, from one stamp query: answering 304 needs nothing more. */
export async function feedVersion(store: Store, target: FeedTarget, now: string): Promise<FeedVersion> {
  const stamp = await store.feeds.stamp(target.panelIds);
  // The 24-month window moves daily, so the day is part of what the feed shows; the owner's roles decide whose attendees it names.
  const day = feedDay(now);
  const nominated = target.nominated ? [...target.nominated].sort().join(',') : '';
  const basis = [FORMAT, target.scope.kind, target.scope.id, target.title, target.panelIds.join(','), nominated, viewKey(target.view), stamp.key, day].join('\n');
  const lastModified = stamp.lastModified && stamp.lastModified > day ? stamp.lastModified : day;
  return { etag: `"${createHash('sha256').update(basis).digest('base64url').slice(0, 27)}"`, lastModified };
}

/** Renders the feed from the store. */
export async function buildFeed(store: Store, target: FeedTarget, version: FeedVersion, now: string, botUrl: string): Promise<string> {
  const window = feedWindow(now);
  const listed = await store.meetings.list({ panelIds: target.panelIds, from: window.from, to: window.to });
  const meetings = target.nominated ? listed.filter((m) => target.view.chaired.has(m.panelId) || target.nominated!.has(m.id)) : listed;
  const ids = meetings.map((m) => m.id);
  const [nominations, panels, forces, invitations, records] = await Promise.all([
    store.nominations.listForMeetings(ids),
    store.directory.listPanels({ includeRetired: true }),
    store.directory.listForces({ includeRetired: true }),
    store.chairs.invitations(ids),
    store.chairs.meetingRecords(ids),
  ]);
  const invited = groupByMeeting(invitations);
  const notHeld = new Map(records.map((r) => [r.meetingId, r.notHeldReason]));
  const panelById = new Map<string, Panel>(panels.map((p) => [p.id, p]));
  const forceName = new Map(forces.map((f) => [f.id, f.name]));
  const byMeeting = groupByMeeting(nominations);
  const rows: FeedMeeting[] = meetings.flatMap((m) => {
    const panel = panelById.get(m.panelId);
    if (!panel) return [];
    const guests = (invited.get(m.id) ?? []).map((i) => i.forceId);
    const facing = forceLines(target.view, panel, guests, byMeeting.get(m.id) ?? []).map((l) => ({ name: forceName.get(l.forceId) ?? l.forceId, nomination: l.nomination, invited: guests.includes(l.forceId) && !panel.forces.includes(l.forceId) }));
    return [{ meeting: m, panelName: panel.name, localAuthority: panel.localAuthority, forces: facing, notHeldReason: notHeld.get(m.id) ?? null }];
  });
  return renderFeed({ name: target.title, description: FEED_DESCRIPTION, botUrl, stamp: version.lastModified, meetings: rows });
}

/** The forces a meeting's event names, with their nominations: all of them, or only those the owner may see. */
function forceLines(view: NominationView, panel: Panel, invited: string[], named: Nomination[]): Array<{ forceId: string; nomination: Nomination | null }> {
  // A force that named someone stays listed after leaving the panel, so SEQUENCE never falls; an invited force is listed on its one meeting.
  const all = [...new Set([...panel.forces, ...invited, ...named.map((n) => n.forceId)])].map((f) => ({ forceId: f, nomination: named.find((n) => n.forceId === f) ?? null }));
  if (view.everyForce || view.chaired.has(panel.id)) return all;
  // Even "no attendee named yet" is another force's status, so their lines go altogether.
  return all.filter((l) => view.forces.has(l.forceId) || (view.attendee !== null && l.nomination?.aadObjectId === view.attendee));
}
