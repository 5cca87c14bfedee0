import { createHash } from 'node:crypto';
import { groupByMeeting } from '../domain/group.js';
import type { Nomination, Panel } from '../domain/types.js';
import type { FeedStamp, MeetingRevision, RemovalReason, SeenMeeting, Store } from '../store/store.js';
import { feedDay, feedWindow, liveContent, removedContent, renderFeedInSlices, type EventContent, type FeedEvent } from './calendar-feed.js';
import { fingerprint, nextSequence } from './feed-sequence.js';
import { viewKey, type FeedTarget, type NominationView } from './feed-targets.js';

export interface FeedVersion {
  etag: string;
  lastModified: string;
  /** The stamp it was made from, so a build that records what it showed can name its own body. */
  stamp: FeedStamp;
}

/** Raised whenever the rendered format changes, so every client's cached copy is replaced. */
const FORMAT = 'feed-v2';
const FEED_DESCRIPTION = 'Channel panel timetable from the Channel panel bot: moves, cancellations and the named police attendee. No case details.';

/** The feed's validators, from one stamp query: answering 304 needs nothing more. */
export async function feedVersion(store: Store, target: FeedTarget, now: string): Promise<FeedVersion> {
  return versionOf(target, await store.feeds.stamp(target.panelIds), now, target.serial);
}

function versionOf(target: FeedTarget, stamp: FeedStamp, now: string, serial: number): FeedVersion {
  // The 24-month window moves daily, so the day is part of what the feed shows; the owner's roles decide whose attendees
  // it names; what the link showed before (its serial) decides its SEQUENCEs and the meetings it shows removed.
  const day = feedDay(now);
  const nominated = target.nominated ? [...target.nominated].sort().join(',') : '';
  const basis = [
    FORMAT, target.scope.kind, target.scope.id, target.title, target.closed ? 'closed' : 'open', target.panelIds.join(','), nominated, viewKey(target.view), stamp.key, day, String(serial),
  ].join('\n');
  const lastModified = stamp.lastModified && stamp.lastModified > day ? stamp.lastModified : day;
  return { etag: `"${createHash('sha256').update(basis).digest('base64url').slice(0, 27)}"`, lastModified, stamp };
}

/** One event before its SEQUENCE: what it shows, what the link will remember of it, and the meeting's revision. */
interface Shown {
  content: EventContent;
  panelId: string;
  panelName: string;
  gone: RemovalReason | null;
  revision: number;
}

/**
 * Renders the feed from the store, and records what it showed: each meeting it lists, and each it showed before and
 * lists no more, shown removed until it is older than the window. Returns the body and the version that names it.
 */
export async function buildFeed(store: Store, target: FeedTarget, version: FeedVersion, now: string, botUrl: string): Promise<{ body: string; version: FeedVersion }> {
  const window = feedWindow(now);
  const [seen, listed, unseen] = await Promise.all([store.feeds.seen(target.hash), listedMeetings(store, target, window), removedBeforeFirstFetch(store, target, window)]);
  const listedIds = new Set(listed.map((l) => l.content.meetingId));
  const unlisted = seen.filter((s) => s.start >= window.from && !listedIds.has(s.meetingId));
  const seenIds = new Set(seen.map((s) => s.meetingId));
  const revisions = await store.feeds.revisions([...listedIds, ...unlisted.filter((s) => s.gone === null || s.gone === 'not-shown').map((s) => s.meetingId)]);
  const shown = [
    ...listed.map((l) => ({ ...l, revision: revisions.get(l.content.meetingId)?.revision ?? 1 })),
    ...unlisted.map((s) => removedAgain(s, revisions.get(s.meetingId))),
    ...unseen.filter((u) => !seenIds.has(u.content.meetingId) && !listedIds.has(u.content.meetingId)),
  ].sort((a, b) => (a.content.start < b.content.start ? -1 : a.content.start > b.content.start ? 1 : a.content.meetingId < b.content.meetingId ? -1 : 1));
  const before = new Map(seen.map((s) => [s.meetingId, s]));
  const events: FeedEvent[] = [];
  const changed: SeenMeeting[] = [];
  for (const e of shown) {
    const prev = before.get(e.content.meetingId);
    const print = fingerprint(e.content);
    const sequence = nextSequence(prev, e.revision, print);
    events.push({ ...e.content, sequence });
    if (prev?.sequence === sequence && prev.fingerprint === print && prev.gone === e.gone) continue;
    changed.push({ meetingId: e.content.meetingId, panelId: e.panelId, panelName: e.panelName, start: e.content.start, end: e.content.end, sequence, fingerprint: print, gone: e.gone });
  }
  const dropped = seen.filter((s) => s.start < window.from).map((s) => s.meetingId);
  const serial = changed.length || dropped.length ? await recorded(() => store.transaction((tx) => tx.feeds.remember(target.hash, changed, dropped))) : target.serial;
  const body = await renderFeedInSlices({ name: target.title, description: FEED_DESCRIPTION, botUrl, stamp: version.lastModified, events });
  return { body, version: versionOf(target, version.stamp, now, serial) };
}

/** Raised when what a feed shows could not be recorded: the body must not be served (its SEQUENCEs could go backwards later). */
export class FeedNotRecorded extends Error {
  constructor(readonly reason: unknown) {
    super('what the calendar feed shows could not be recorded');
  }
}

async function recorded(write: () => Promise<number>): Promise<number> {
  try {
    return await write();
  } catch (err) {
    throw new FeedNotRecorded(err);
  }
}

/** A meeting the link showed that the feed no longer lists: shown removed, its reason decided the first time. */
function removedAgain(s: SeenMeeting, rev: MeetingRevision | undefined): Shown {
  // "May still take place" is told once more, when the meeting is then really gone (its tombstone says why): the
  // reason changes, so its fingerprint does, and its SEQUENCE rises by one. Any other reason is final.
  const upgraded = s.gone === 'not-shown' && rev?.removed != null && rev.removed !== 'not-shown' ? rev.removed : null;
  const reason = upgraded ?? s.gone ?? rev?.removed ?? 'not-shown';
  // Once shown removed it stays exactly so: nothing outside this feed's stamp may move it, its SEQUENCE included.
  const revision = s.gone ? 0 : (rev?.revision ?? s.sequence);
  const content = removedContent({ meetingId: s.meetingId, start: s.start, end: s.end, panelName: s.panelName, reason });
  return { content, panelId: s.panelId, panelName: s.panelName, gone: reason, revision };
}

/**
 * Until a link's first fetch is recorded, the meetings of its panels removed since it was issued: shown removed, so a
 * meeting that went between the link's issue and its first recorded fetch is not silently absent. (A person's feed:
 * only their chaired panels', since re-planning never deletes a meeting someone is named for.)
 */
async function removedBeforeFirstFetch(store: Store, target: FeedTarget, window: { from: string; to: string }): Promise<Shown[]> {
  if (target.serial !== 0 || target.closed) return [];
  const panelIds = target.nominated ? target.panelIds.filter((p) => target.view.chaired.has(p)) : target.panelIds;
  if (!panelIds.length) return [];
  const graves = await store.feeds.tombstones(panelIds, window.from, window.to, target.createdAt);
  if (!graves.length) return [];
  const names = new Map((await store.directory.listPanels({ includeRetired: true })).map((p) => [p.id, p.name]));
  return graves.map((g) => {
    const panelName = names.get(g.panelId) ?? 'Channel panel';
    return { content: removedContent({ meetingId: g.meetingId, start: g.start, end: g.end, panelName, reason: g.reason }), panelId: g.panelId, panelName, gone: g.reason, revision: g.revision };
  });
}

/** The meetings the feed lists now: its panels' in the window (a person's: those they chair or are named for). */
async function listedMeetings(store: Store, target: FeedTarget, window: { from: string; to: string }): Promise<Array<Omit<Shown, 'revision'>>> {
  if (!target.panelIds.length) return [];
  const listed = await store.meetings.list({ panelIds: target.panelIds, from: window.from, to: window.to });
  const meetings = target.nominated ? listed.filter((m) => target.view.chaired.has(m.panelId) || target.nominated!.has(m.id)) : listed;
  const ids = meetings.map((m) => m.id);
  const [nominations, panels, forces, invitations, records, retired] = await Promise.all([
    store.nominations.listForMeetings(ids),
    store.directory.listPanels({ includeRetired: true }),
    store.directory.listForces({ includeRetired: true }),
    store.chairs.invitations(ids),
    store.chairs.meetingRecords(ids),
    store.feeds.retiredAt('panel', target.panelIds),
  ]);
  const invited = groupByMeeting(invitations);
  const notHeld = new Map(records.map((r) => [r.meetingId, r.notHeldReason]));
  const panelById = new Map<string, Panel>(panels.map((p) => [p.id, p]));
  const forceName = new Map(forces.map((f) => [f.id, f.name]));
  const byMeeting = groupByMeeting(nominations);
  return meetings.flatMap((m): Array<Omit<Shown, 'revision'>> => {
    const panel = panelById.get(m.panelId);
    if (!panel) return [];
    const at = retired.get(panel.id);
    // A retired panel's meetings still to come when it was retired will not take place, whatever the store still says.
    if (at !== undefined && m.start >= at && m.status === 'scheduled') {
      return [{ content: removedContent({ meetingId: m.id, start: m.start, end: m.end, panelName: panel.name, reason: 'panel-retired' }), panelId: panel.id, panelName: panel.name, gone: 'panel-retired' }];
    }
    const guests = (invited.get(m.id) ?? []).map((i) => i.forceId);
    const facing = forceLines(target.view, panel, guests, byMeeting.get(m.id) ?? []).map((l) => ({ name: forceName.get(l.forceId) ?? l.forceId, nomination: l.nomination, invited: guests.includes(l.forceId) && !panel.forces.includes(l.forceId) }));
    const content = liveContent({ meeting: m, panelName: panel.name, localAuthority: panel.localAuthority, forces: facing, notHeldReason: notHeld.get(m.id) ?? null });
    return [{ content, panelId: panel.id, panelName: panel.name, gone: null }];
  });
}

/** The forces a meeting's event names, with their nominations: all of them, or only those the owner may see. */
function forceLines(view: NominationView, panel: Panel, invited: string[], named: Nomination[]): Array<{ forceId: string; nomination: Nomination | null }> {
  // A force that named someone stays listed after leaving the panel; an invited force is listed on its one meeting.
  const all = [...new Set([...panel.forces, ...invited, ...named.map((n) => n.forceId)])].map((f) => ({ forceId: f, nomination: named.find((n) => n.forceId === f) ?? null }));
  if (view.everyForce || view.chaired.has(panel.id)) return all;
  // Even "no attendee named yet" is another force's status, so their lines go altogether.
  return all.filter((l) => view.forces.has(l.forceId) || (view.attendee !== null && l.nomination?.aadObjectId === view.attendee));
}
