import { areasOf } from '../domain/areas.js';
import { accessFor, actsForAreaPanel, noAccess, ownForces, seesAll, seesArea, seesForce, seesPanel, type Access } from '../people/access.js';
import { feedWindow } from './calendar-feed.js';
import { TOKEN_SHAPE, tokenHash } from './link-token.js';
import type { FeedScope, FeedToken, Store } from '../store/store.js';

/**
 * Whose attendees a feed may name: what its owner may see elsewhere. The review and attendance history show
 * a force lead only their own forces, so a feed must not show them another force's nominee on a joint panel.
 */
export interface NominationView {
  /** National leads and inspectors see every force's. */
  everyForce: boolean;
  /** Panels the owner chairs: every force's there. */
  chaired: Set<string>;
  /** Forces the owner leads, deputises for or reads (a PCC's office, a regional unit). */
  forces: Set<string>;
  /** On a person's own feed, the owner, who may always see their own nomination. */
  attendee: string | null;
}

/** A live link, resolved against the store's current roles. */
export interface FeedTarget {
  hash: string;
  /** Moves whenever what the link has seen changes: part of the ETag, since it is part of what the feed shows. */
  serial: number;
  /** When the link was issued: a meeting removed since, before its first fetch was recorded, is shown removed. */
  createdAt: string;
  scope: FeedScope;
  title: string;
  panelIds: string[];
  /** For a person's feed: the meetings they are named for (their chaired panels' meetings are all in). */
  nominated: Set<string> | null;
  view: NominationView;
  /** The owner may no longer see the scope (or its force was retired): the feed shows what it showed, as removed. */
  closed: boolean;
}

/** What a token opens: a feed, `gone` (its panel or force was retired more than a feed window ago: 410), or nothing (404). */
export type FeedAnswer = FeedTarget | 'gone' | null;

const DAY_MS = 24 * 60 * 60 * 1000;

const viewOf = (access: Access, attendee: string | null): NominationView => ({ everyForce: seesAll(access), chaired: new Set(access.panels), forces: new Set(ownForces(access)), attendee });

/** A stable text of a view, for the ETag: the owner's roles decide whose attendees a feed names. */
export const viewKey = (v: NominationView): string =>
  [v.everyForce ? 'all' : '', [...v.chaired].sort().join(','), [...v.forces].sort().join(','), v.attendee ?? ''].join(';');

type Base = Pick<FeedTarget, 'hash' | 'serial' | 'createdAt' | 'scope'>;

const closed = (base: Base, title: string): FeedTarget => ({ ...base, title, panelIds: [], nominated: new Set(), view: viewOf(noAccess(), null), closed: true });

/**
 * The feed a token opens, re-checked against the owner's current roles. A feed the owner may no longer see still
 * answers while it has something it showed to show as removed; unknown, revoked and never-used ones answer nothing.
 * Recording the use is best effort: when it fails, `onTouchFailed` hears why and the feed answers all the same.
 */
export async function resolveFeed(store: Store, token: string, now: string, onTouchFailed: (err: unknown) => void = () => undefined): Promise<FeedAnswer> {
  if (!TOKEN_SHAPE.test(token)) return null;
  const stored = await store.feeds.byHash(tokenHash(token));
  if (!stored || stored.revokedAt !== null) return null;
  const target = await targetOf(store, stored, now);
  if (target === null || target === 'gone') return target;
  if (target.closed && !(await store.feeds.seen(stored.hash)).some((s) => s.start >= feedWindow(now).from)) return null;
  // Retention deletes links unused for a year; a day's precision is plenty, so a link polled hourly writes once a day.
  // Best effort: a database that cannot take this write still serves the feed (the next day's fetch records the use).
  try {
    await store.feeds.touch(stored.hash, now, new Date(Date.parse(now) - DAY_MS).toISOString());
  } catch (err) {
    onTouchFailed(err);
  }
  return target;
}

async function targetOf(store: Store, stored: FeedToken, now: string): Promise<FeedAnswer> {
  const access = await accessFor(store, stored.owner);
  const base: Base = { hash: stored.hash, serial: stored.seenSerial ?? 0, createdAt: stored.createdAt, scope: stored.scope };
  if (stored.scope.kind === 'panel') return panelTarget(store, access, base, now);
  if (stored.scope.kind === 'force') return forceTarget(store, access, base, now);
  if (stored.scope.kind === 'area') return areaTarget(store, access, base, now);
  if (stored.scope.id !== stored.owner) return null;
  return personTarget(store, access, base, now);
}

/** Whether a panel or force retired more than one feed window before `now` (then its feeds answer 410). */
async function retiredLongAgo(store: Store, kind: 'panel' | 'force', id: string, now: string): Promise<boolean> {
  const at = (await store.feeds.retiredAt(kind, [id])).get(id);
  return at === undefined || at < feedWindow(now).from;
}

async function panelTarget(store: Store, access: Access, base: Base, now: string): Promise<FeedAnswer> {
  const panel = await store.directory.getPanel(base.scope.id);
  if (!panel) return closed(base, 'Channel panel');
  if (panel.retired && (await retiredLongAgo(store, 'panel', panel.id, now))) return 'gone';
  // A retired panel gives its chairs no role, yet its chair's feed still shows its meetings cancelled for a window.
  const chairedRetired = panel.retired && panel.chairs.some((c) => c.aadObjectId === access.aadObjectId);
  if (!seesPanel(access, panel) && !chairedRetired) return closed(base, panel.name);
  const view = viewOf(access, null);
  if (chairedRetired) view.chaired.add(panel.id);
  // An area's team sees its force's attendee on its area's panels, as on the area's feed.
  for (const f of panel.forces) if (actsForAreaPanel(access, f, panel.id)) view.forces.add(f);
  return { ...base, title: panel.name, panelIds: [panel.id], nominated: null, view, closed: false };
}

async function forceTarget(store: Store, access: Access, base: Base, now: string): Promise<FeedAnswer> {
  const force = await store.directory.getForce(base.scope.id);
  const title = `${force?.name ?? 'Police force'}: Channel panels`;
  if (force?.retired) return (await retiredLongAgo(store, 'force', force.id, now)) ? 'gone' : closed(base, title);
  if (!force || !seesForce(access, force.id)) return closed(base, title);
  // Panels retired within the window stay, so their remaining meetings show cancelled rather than vanish.
  const panelIds = await store.feeds.forcePanels(force.id, feedWindow(now).from);
  return { ...base, title, panelIds, nominated: null, view: viewOf(access, null), closed: false };
}

/**
 * An area's feed: its panels, that force's attendees shown as on the force's feed (its own team sees them too). An area
 * gone from the file, or under a retired force, answers as a retired force's feed does; nothing records when an area
 * went, so one whose force is still listed is closed (what it showed, removed) and then answers nothing.
 */
async function areaTarget(store: Store, access: Access, base: Base, now: string): Promise<FeedAnswer> {
  const area = areasOf(await store.directory.listForces({ includeRetired: true })).find((a) => a.id === base.scope.id);
  const title = area ? `${area.name} (${area.forceName}): Channel panels` : 'Police force area: Channel panels';
  const force = area ? await store.directory.getForce(area.forceId) : null;
  if (force?.retired) return (await retiredLongAgo(store, 'force', force.id, now)) ? 'gone' : closed(base, title);
  if (!area || !force || !seesArea(access, area)) return closed(base, title);
  const view = viewOf(access, null);
  if (access.areas.has(area.id)) view.forces.add(area.forceId);
  return { ...base, title, panelIds: [...new Set([...area.panels, ...(await retiredShown(store, base, area.forceId, now))])].sort(), nominated: null, view, closed: false };
}

/**
 * The force's panels retired within the window that this link showed: kept, as on the force's feed, so their meetings
 * still to come show cancelled because the panel was retired (the file drops a retired panel from its area).
 */
async function retiredShown(store: Store, base: Base, forceId: string, now: string): Promise<string[]> {
  const recent = await store.feeds.retiredAt('panel', await store.feeds.forcePanels(forceId, feedWindow(now).from));
  if (!recent.size) return [];
  // Only those it still showed live: a panel moved out of the area before it was retired stays out.
  const shown = new Set((await store.feeds.seen(base.hash)).filter((s) => s.gone === null).map((s) => s.panelId));
  return [...recent.keys()].filter((id) => shown.has(id));
}

async function personTarget(store: Store, access: Access, base: Base, now: string): Promise<FeedTarget> {
  const window = feedWindow(now);
  const [named, panels] = await Promise.all([store.feeds.nominatedMeetings(base.scope.id, window.from, window.to), store.directory.listPanels({ includeRetired: true })]);
  // As on a panel's feed: a panel they chaired, retired within the window, keeps its past as it was and its rest cancelled.
  const retiredChaired = panels.filter((p) => p.retired && p.chairs.some((c) => c.aadObjectId === access.aadObjectId)).map((p) => p.id);
  const retiredAt = await store.feeds.retiredAt('panel', retiredChaired);
  const chairedRetired = retiredChaired.filter((id) => (retiredAt.get(id) ?? '') >= window.from);
  const panelIds = [...new Set([...access.panels, ...chairedRetired, ...named.map((n) => n.panelId)])].sort();
  const view = viewOf(access, base.scope.id);
  for (const id of chairedRetired) view.chaired.add(id);
  return { ...base, title: 'My Channel panel meetings', panelIds, nominated: new Set(named.map((n) => n.meetingId)), view, closed: false };
}
