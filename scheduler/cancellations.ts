import { accessFor, canActForPanel, type Access } from './access.js';
import { toLocalIso } from './domain/timetable.js';
import type { CancelReason, Meeting, Panel, Result } from './domain/types.js';
import { fail, ok } from './domain/types.js';
import { queueCardUpdates } from './nomination-jobs.js';
import type { Store } from './store/store.js';

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

/** The upcoming, still scheduled meetings of the panels a person chairs (all panels for a national lead). */
export async function cancellableMeetings(store: Store, actor: string, now: string): Promise<{ access: Access; meetings: CancellableMeeting[] }> {
  const access = await accessFor(store, actor);
  const panels = (await store.directory.listPanels()).filter((p) => canActForPanel(access, p.id));
  if (!panels.length) return { access, meetings: [] };
  const byId = new Map(panels.map((p) => [p.id, p]));
  const upcoming = await store.meetings.list({ panelIds: panels.map((p) => p.id), from: now, statuses: ['scheduled'] });
  return {
    access,
    meetings: upcoming.slice(0, LIST_LIMIT).map((m) => ({
      meetingId: m.id, version: m.version, panelName: byId.get(m.panelId)!.name, start: toLocalIso(m.start), end: toLocalIso(m.end), extra: m.extra,
    })),
  };
}

export interface CancelInput {
  meetingId: string;
  reason: CancelReason;
  note: string;
}

/** Cancels a meeting for a chair of its panel or a national lead; its cards change in place through the outbox. */
export async function cancelMeeting(store: Store, input: CancelInput, actor: string, now: string): Promise<Result<{ meeting: Meeting; panel: Panel; changed: boolean }>> {
  return store.transaction(async (tx) => {
    const meeting = await tx.meetings.getForUpdate(input.meetingId);
    const panel = meeting && (await tx.directory.getPanel(meeting.panelId));
    if (!meeting || !panel) return fail('NOT_FOUND', 'That meeting is not known to this bot.');
    if (!canActForPanel(await accessFor(tx, actor), panel.id)) return fail('FORBIDDEN', `Only the chairs of ${panel.name} or a national lead can cancel its meetings.`);
    if (meeting.status === 'cancelled') return ok({ meeting, panel, changed: false });
    if (meeting.status !== 'scheduled' || meeting.start <= now) return fail('STARTED', 'That meeting has already started, so it cannot be cancelled.');
    const cancelled: Meeting = { ...meeting, status: 'cancelled', locked: true, version: meeting.version + 1 };
    await tx.meetings.update(cancelled, now);
    await tx.chairs.saveCancellation({ meetingId: meeting.id, reason: input.reason, note: input.note, cancelledBy: actor, cancelledAt: now });
    await tx.audit.append([
      { at: now, actor, action: 'meeting.cancelled', subject: { meetingId: meeting.id, panelId: panel.id }, details: { reason: input.reason, note: input.note, version: cancelled.version } },
    ]);
    await queueCardUpdates(tx, meeting.id, `v${cancelled.version}`, now);
    return ok({ meeting: cancelled, panel, changed: true });
  });
}
