import { DateTime } from 'luxon';
import { areasOf } from '../domain/areas.js';
import { accessFor, canActForArea, canActForForce, canActForPanel } from '../people/access.js';
import { toLocalIso } from '../domain/timetable.js';
import type { LinkScope, Meeting, Panel, Result } from '../domain/types.js';
import { fail, ok, RECORD_YEARS } from '../domain/types.js';
import type { Store } from '../store/store.js';
import { meetingsFingerprint, OUTDATED, staleLine, type CardVersion, type LocalSlot, type PanelSnapshot } from './cancellations.js';

/**
 * What the confirm step of each change names, read without changing anything: the question ("Cancel the
 * Southampton Channel panel meeting on …?") is asked about the meeting as it stands, and a card that is already
 * out of date is told so before the chair confirms. The change itself (cancellations.ts) checks all of it again
 * inside its transaction, so these are a courtesy, never the guard.
 */

/** A meeting as a confirm question names it: local times with their offset. */
export interface MeetingWhen {
  meetingId: string;
  panelId: string;
  panelName: string;
  start: string;
  end: string;
}

const when = (m: Meeting, panel: Panel): MeetingWhen => ({ meetingId: m.id, panelId: panel.id, panelName: panel.name, start: toLocalIso(m.start), end: toLocalIso(m.end) });

/** The same refusals, in the same words, as the change would give for a card made from an older state. */
function behind(version: CardVersion | undefined, meeting: Meeting, panel: Panel): Result<never> | null {
  if (version === undefined || version === meeting.version) return null;
  return version === null ? fail('OUTDATED', OUTDATED) : fail('STALE', staleLine(meeting, panel));
}

async function load(store: Store, meetingId: string): Promise<{ meeting: Meeting; panel: Panel } | null> {
  const meeting = await store.meetings.get(meetingId);
  const panel = meeting && (await store.directory.getPanel(meeting.panelId));
  return meeting && panel ? { meeting, panel } : null;
}

/** The meeting a cancel press names, when it may still be cancelled from that card. */
export async function cancelPreview(store: Store, meetingId: string, version: CardVersion | undefined, now: string): Promise<Result<MeetingWhen>> {
  const found = await load(store, meetingId);
  if (!found) return fail('NOT_FOUND', 'That meeting is not known to this bot.');
  const { meeting, panel } = found;
  // A cancelled meeting is news to any card, whatever version it carries.
  if (meeting.status === 'cancelled') return version === null ? fail('OUTDATED', OUTDATED) : fail('STALE', staleLine(meeting, panel));
  const refused = behind(version, meeting, panel);
  if (refused) return refused;
  if (meeting.status !== 'scheduled' || meeting.start <= now) return fail('STARTED', 'That meeting has already started, so it cannot be cancelled.');
  return ok(when(meeting, panel));
}

/** A local date and time in Europe/London as a UTC instant, or null when there is no such time. */
export function slotToUtc(slot: LocalSlot): string | null {
  const dt = DateTime.fromISO(`${slot.date}T${slot.time}`, { zone: 'Europe/London' });
  return dt.isValid ? (dt.toUTC().toISO() as string) : null;
}

/** The meeting a move press names and where it would go, when it may still be moved from that card. */
export async function movePreview(store: Store, meetingId: string, slot: LocalSlot, version: CardVersion | undefined, now: string): Promise<Result<MeetingWhen & { to: { start: string; end: string } }>> {
  const start = slotToUtc(slot);
  if (!start) return fail('INVALID', 'Give a real date and time.');
  if (start <= now) return fail('INVALID', 'A meeting can only be moved to a time in the future.');
  const found = await load(store, meetingId);
  if (!found) return fail('NOT_FOUND', 'That meeting is not known to this bot.');
  const { meeting, panel } = found;
  const refused = behind(version, meeting, panel);
  if (refused) return refused;
  if (meeting.status !== 'scheduled' || meeting.start <= now) return fail('STARTED', 'Only a meeting that is still to come can be moved.');
  const end = new Date(Date.parse(start) + Date.parse(meeting.end) - Date.parse(meeting.start)).toISOString();
  return ok({ ...when(meeting, panel), to: { start: toLocalIso(start), end: toLocalIso(end) } });
}

/** An extra meeting as the add question names it; `ended` when it already took place (it is then recorded next). */
export interface AddPreview {
  panelId: string;
  panelName: string;
  start: string;
  end: string;
  ended: boolean;
}

/** The extra meeting an add press would make, when the panel's meetings are still as the card saw them. */
export async function addPreview(store: Store, panelId: string, slot: LocalSlot, snapshot: PanelSnapshot | null | undefined, now: string): Promise<Result<AddPreview>> {
  const start = slotToUtc(slot);
  if (!start) return fail('INVALID', 'Give a real date and time.');
  if (start < DateTime.fromISO(now, { zone: 'utc' }).minus({ years: RECORD_YEARS }).toISO()!) return fail('INVALID', `An extra meeting can be at most ${RECORD_YEARS} years back.`);
  const panel = await store.directory.getPanel(panelId);
  if (!panel || panel.retired) return fail('NOT_FOUND', 'That panel is not known to this bot.');
  if (snapshot === null) return fail('OUTDATED', OUTDATED);
  if (snapshot && snapshot.fingerprint !== meetingsFingerprint(await store.meetings.list({ panelIds: [panel.id], from: snapshot.asOf }))) {
    return fail('STALE', `This card was out of date: ${panel.name}'s meetings were changed by someone else after it was made. Nothing was added; here is how things stand now.`);
  }
  const existing = await store.meetings.get(`${panel.id}.${slot.date}.extra-${slot.time.replace(':', '')}`);
  if (existing) return fail('EXISTS', `${panel.name} already has an extra meeting then.`);
  const end = new Date(Date.parse(start) + panel.timetable.minutes * 60_000).toISOString();
  return ok({ panelId: panel.id, panelName: panel.name, start: toLocalIso(start), end: toLocalIso(end), ended: end <= now });
}

/**
 * What `link force` or `link panel` without an id offers: the forces (or panels) this person may link, by name.
 * Only those: the list tells nobody that another force or panel exists.
 */
export async function linkChoices(store: Store, actor: string, scope: Exclude<LinkScope, 'national'>): Promise<Array<{ id: string; name: string }>> {
  const access = await accessFor(store, actor);
  const all = scope === 'force'
    ? (await store.directory.listForces()).filter((f) => canActForForce(access, f.id))
    : scope === 'area'
      ? areasOf(await store.directory.listForces()).filter((a) => canActForArea(access, a)).map((a) => ({ id: a.id, name: `${a.name} (${a.forceName})` }))
      : (await store.directory.listPanels()).filter((p) => canActForPanel(access, p.id));
  return all.map((x) => ({ id: x.id, name: x.name })).sort((a, b) => a.name.localeCompare(b.name));
}
