import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { accessFor, canActForPanel, type Access } from '../people/access.js';
import { cancellationNote } from '../domain/text.js';
import { toLocalIso } from '../domain/timetable.js';
import type { CancelReason, Meeting, Panel, Result } from '../domain/types.js';
import { fail, ok, RECORD_YEARS } from '../domain/types.js';
import { queueCardUpdates } from '../nominations/card-messages.js';
import { addedNotices, cancelNotices, moveNotices } from './notices.js';
import type { Repos, Store } from '../store/store.js';

/** A meeting a chair may cancel, as the cancel card lists it. */
export interface CancellableMeeting {
  meetingId: string;
  version: number;
  panelName: string;
  start: string; // local ISO
  end: string;
  extra: boolean;
}

const LIST_LIMIT = 20;

/** A panel the person may change, with the snapshot an add button carries. */
export interface ChairPanelView {
  id: string;
  name: string;
  whenNecessary: boolean;
  snapshot: PanelSnapshot;
}

/** An ended meeting a chair may record or correct, as the chair's card lists it. */
export interface PastMeeting {
  meetingId: string;
  panelName: string;
  start: string; // local ISO
  end: string;
  extra: boolean;
  /** Recorded held or not held; an unrecorded one is still `scheduled` after its end. */
  recorded: boolean;
}

const PAST_LIMIT = 100;

/**
 * The panels a person chairs (all panels for a national lead) with their upcoming, still scheduled meetings;
 * their ended meetings that were not cancelled, newest first, to record or correct; and the forces that could
 * be invited to a meeting (those that do not face every one of the panels).
 */
export async function cancellableMeetings(store: Store, actor: string, now: string): Promise<{ access: Access; meetings: CancellableMeeting[]; panels: ChairPanelView[]; past: PastMeeting[]; forces: Array<{ id: string; name: string }> }> {
  const access = await accessFor(store, actor);
  const panels = (await store.directory.listPanels()).filter((p) => canActForPanel(access, p.id));
  if (!panels.length) return { access, meetings: [], panels: [], past: [], forces: [] };
  const byId = new Map(panels.map((p) => [p.id, p]));
  const panelIds = panels.map((p) => p.id);
  const coming = await store.meetings.list({ panelIds, from: now });
  const upcoming = coming.filter((m) => m.status === 'scheduled');
  const ended = (await store.meetings.list({ panelIds, to: now, statuses: ['scheduled', 'held', 'not-held'] })).filter((m) => m.end <= now).reverse();
  const forces = (await store.directory.listForces()).filter((f) => !panels.every((p) => p.forces.includes(f.id)));
  const fingerprint = (panelId: string) => meetingsFingerprint(coming.filter((m) => m.panelId === panelId));
  const local = (m: Meeting) => ({ meetingId: m.id, panelName: byId.get(m.panelId)!.name, start: toLocalIso(m.start), end: toLocalIso(m.end), extra: m.extra });
  return {
    access,
    panels: panels.map((p) => ({ id: p.id, name: p.name, whenNecessary: p.timetable.kind === 'when-necessary', snapshot: { asOf: now, fingerprint: fingerprint(p.id) } })),
    meetings: upcoming.slice(0, LIST_LIMIT).map((m) => ({ ...local(m), version: m.version })),
    past: ended.slice(0, PAST_LIMIT).map((m) => ({ ...local(m), recorded: m.status !== 'scheduled' })),
    forces: forces.map((f) => ({ id: f.id, name: f.name })).sort((a, b) => a.name.localeCompare(b.name)),
  };
}

export interface CancelInput {
  meetingId: string;
  reason: CancelReason;
  /** Optional: the reason category says why; a note is kept as cancellationNote makes it. */
  note?: string | null;
  /** The meeting's version on the card that was pressed (see CardVersion). */
  version?: CardVersion;
}

/**
 * What a card knew of the thing it changes: its version; `null` for a card made before cards carried versions
 * (nothing is done; the current card is shown); unset when the caller is not a card (the command line, tests).
 */
export type CardVersion = number | null;

/**
 * What a stale card's press is told: how the meeting stands now, in a sentence. A card carries the meeting's
 * version; when the stored one differs, someone changed the meeting after the card was made.
 */
export function staleLine(meeting: Meeting, panel: Panel): string {
  const when = DateTime.fromISO(toLocalIso(meeting.start), { setZone: true }).toFormat('ccc d LLL yyyy, HH:mm');
  const now = meeting.status === 'cancelled' ? 'it has since been cancelled'
    : meeting.status !== 'scheduled' ? 'its attendance has since been recorded'
    : meeting.moved ? `it has since been moved to ${when}`
    : `it has changed since (it is on ${when})`;
  return `This card was out of date: the ${panel.name} meeting you chose was changed by someone else, and ${now}. Nothing was done; here is how things stand now.`;
}

const stale = (meeting: Meeting, panel: Panel) => fail('STALE', staleLine(meeting, panel));

/** The words for a press on a card from before cards carried versions. */
export const OUTDATED = 'This card is from an earlier version of the bot, so nothing was done: here is the current one.';

/** Why a card's press may not act on the meeting as it now stands, or null when it may. */
function behind(version: CardVersion | undefined, meeting: Meeting, panel: Panel) {
  if (version === undefined || version === meeting.version) return null;
  return version === null ? fail('OUTDATED', OUTDATED) : stale(meeting, panel);
}

/** A cancellation as its chair sees it: the note as kept ('' for none). */
export type Cancelled = { meeting: Meeting; panel: Panel; changed: boolean; reason: CancelReason; note: string };

/** Cancels a meeting for a chair of its panel or a national lead; its cards change in place and each nominee is told. */
export async function cancelMeeting(store: Store, input: CancelInput, actor: string, now: string): Promise<Result<Cancelled>> {
  // The card's schema applies the same rule; this is for every other caller.
  const checked = cancellationNote(input.note);
  if (!checked.ok) return checked;
  const note = checked.value;
  return store.transaction(async (tx) => {
    const meeting = await tx.meetings.getForUpdate(input.meetingId);
    const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
    if (!meeting || !panel) return fail('NOT_FOUND', 'That meeting is not known to this bot.');
    if (!canActForPanel(await accessFor(tx, actor), panel.id)) return fail('FORBIDDEN', `Only the chairs of ${panel.name} or a national lead can cancel its meetings.`);
    if (meeting.status === 'cancelled') {
      // The same press again (Teams retries invokes) finds its own cancellation: nothing more to do. Anyone else's is news.
      const [done] = await tx.chairs.cancellations([meeting.id]);
      const repeat = done && done.cancelledBy === actor && done.reason === input.reason && done.note === note;
      if (repeat) return ok({ meeting, panel, changed: false, reason: done.reason, note: done.note });
      return input.version === null ? fail('OUTDATED', OUTDATED) : stale(meeting, panel);
    }
    const refused = behind(input.version, meeting, panel);
    if (refused) return refused;
    if (meeting.status !== 'scheduled' || meeting.start <= now) return fail('STARTED', 'That meeting has already started, so it cannot be cancelled.');
    const cancelled: Meeting = { ...meeting, status: 'cancelled', locked: true, version: meeting.version + 1 };
    await tx.meetings.update(cancelled, now);
    await tx.chairs.saveCancellation({ meetingId: meeting.id, reason: input.reason, note, cancelledBy: actor, cancelledAt: now });
    await tx.audit.append([
      { at: now, actor, action: 'meeting.cancelled', subject: { meetingId: meeting.id, panelId: panel.id }, details: { reason: input.reason, note, version: cancelled.version } },
    ]);
    await queueCardUpdates(tx, meeting.id, `v${cancelled.version}`, now);
    await tx.outbox.enqueue(await cancelNotices(tx, cancelled, now));
    return ok({ meeting: cancelled, panel, changed: true, reason: input.reason, note });
  });
}

/** A local date and wall-clock time in Europe/London, as a chair types them. */
export interface LocalSlot {
  date: string; // YYYY-MM-DD
  time: string; // HH:mm
}

function slotToUtc(slot: LocalSlot): string | null {
  const dt = DateTime.fromISO(`${slot.date}T${slot.time}`, { zone: 'Europe/London' });
  return dt.isValid ? (dt.toUTC().toISO() as string) : null;
}

/** Moves a meeting to another date and time; the nomination carries over, the cards change and each nominee is told. */
export async function rescheduleMeeting(store: Store, meetingId: string, slot: LocalSlot, version: CardVersion | undefined, actor: string, now: string): Promise<Result<{ meeting: Meeting; panel: Panel }>> {
  const start = slotToUtc(slot);
  if (!start) return fail('INVALID', 'Give a real date and time.');
  if (start <= now) return fail('INVALID', 'A meeting can only be moved to a time in the future.');
  return store.transaction(async (tx) => {
    const meeting = await tx.meetings.getForUpdate(meetingId);
    const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
    if (!meeting || !panel) return fail('NOT_FOUND', 'That meeting is not known to this bot.');
    if (!canActForPanel(await accessFor(tx, actor), panel.id)) return fail('FORBIDDEN', `Only the chairs of ${panel.name} or a national lead can move its meetings.`);
    // A repeated press finds the meeting already where it was asked to go.
    const refused = behind(version, meeting, panel);
    // The same press again finds the meeting already where it asked it to go.
    if (refused && meeting.status === 'scheduled' && meeting.start === start && meeting.moved) return ok({ meeting, panel });
    if (refused) return refused;
    if (meeting.status !== 'scheduled' || meeting.start <= now) return fail('STARTED', 'Only a meeting that is still to come can be moved.');
    const length = Date.parse(meeting.end) - Date.parse(meeting.start);
    const moved: Meeting = {
      ...meeting, start, end: new Date(Date.parse(start) + length).toISOString(), locked: true, version: meeting.version + 1,
      moved: { from: meeting.moved?.from ?? meeting.start, reason: 'rescheduled by the chair' },
    };
    await tx.meetings.update(moved, now);
    await tx.audit.append([{ at: now, actor, action: 'meeting.rescheduled', subject: { meetingId, panelId: panel.id }, details: { from: meeting.start, start: moved.start, end: moved.end, version: moved.version } }]);
    await queueCardUpdates(tx, meetingId, `v${moved.version}`, now);
    await tx.outbox.enqueue(await moveNotices(tx, moved, meeting.start, now));
    return ok({ meeting: moved, panel });
  });
}

/** What an add button knew of a panel's meetings: a fingerprint of those starting from `asOf`, when the card was made. */
export interface PanelSnapshot {
  asOf: string;
  fingerprint: string;
}

/** A short fingerprint of meetings (ids, versions, statuses): any add, move, cancel or record changes it. */
export function meetingsFingerprint(meetings: readonly Meeting[]): string {
  const lines = meetings.map((m) => `${m.id}:${m.version}:${m.status}`).sort();
  return createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 16);
}

/** The panel's fingerprint now, over the meetings the card's snapshot covered. */
async function panelFingerprint(repos: Repos, panelId: string, asOf: string): Promise<string> {
  return meetingsFingerprint(await repos.meetings.list({ panelIds: [panelId], from: asOf }));
}

/** How far back a chair may add a meeting that took place: the retention period. */

/**
 * Adds an extra meeting to a panel; on a when-necessary panel every meeting is one. It may be one that already
 * took place (up to RECORD_YEARS back), so that its attendance can be recorded. A card's press carries the
 * panel's snapshot: when the panel's meetings changed since the card was made (another chair added or moved one),
 * nothing is added and the chair sees the current list. For one still to come, the forces' leads and deputies are told.
 */
export async function addExtraMeeting(store: Store, panelId: string, slot: LocalSlot, snapshot: PanelSnapshot | null | undefined, actor: string, now: string): Promise<Result<{ meeting: Meeting; panel: Panel }>> {
  const start = slotToUtc(slot);
  if (!start) return fail('INVALID', 'Give a real date and time.');
  if (start < DateTime.fromISO(now, { zone: 'utc' }).minus({ years: RECORD_YEARS }).toISO()!) return fail('INVALID', `An extra meeting can be at most ${RECORD_YEARS} years back.`);
  return store.transaction(async (tx) => {
    const panel = await tx.directory.getPanel(panelId);
    if (!panel || panel.retired) return fail('NOT_FOUND', 'That panel is not known to this bot.');
    if (!canActForPanel(await accessFor(tx, actor), panel.id)) return fail('FORBIDDEN', `Only the chairs of ${panel.name} or a national lead can add meetings to it.`);
    const id = `${panel.id}.${slot.date}.extra-${slot.time.replace(':', '')}`;
    const existing = await tx.meetings.get(id);
    // The same press again (Teams retries invokes) finds the meeting it added (perhaps recorded since, when past).
    if (existing && existing.extra && existing.status !== 'cancelled' && existing.start === start) return ok({ meeting: existing, panel });
    if (snapshot === null) return fail('OUTDATED', OUTDATED);
    if (snapshot && snapshot.fingerprint !== (await panelFingerprint(tx, panel.id, snapshot.asOf))) {
      return fail('STALE', `This card was out of date: ${panel.name}'s meetings were changed by someone else after it was made. Nothing was added; here is how things stand now.`);
    }
    if (existing) return fail('EXISTS', `${panel.name} already has an extra meeting then.`);
    const meeting: Meeting = {
      id, panelId: panel.id, occurrence: null, start, end: new Date(Date.parse(start) + panel.timetable.minutes * 60_000).toISOString(),
      status: 'scheduled', moved: null, extra: true, version: 1, locked: true,
    };
    await tx.meetings.insertMany([meeting], now);
    await tx.audit.append([{ at: now, actor, action: 'meeting.added', subject: { meetingId: id, panelId: panel.id }, details: { start, end: meeting.end, extra: true } }]);
    await tx.outbox.enqueue(await addedNotices(tx, meeting, panel, now));
    return ok({ meeting, panel });
  });
}
