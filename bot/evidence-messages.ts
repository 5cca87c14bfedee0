import { confirmCard, type ConfirmView } from '../cards/confirm-card.js';
import { md, meetingWhen } from '../cards/format.js';
import { toLocalIso } from '../scheduler/domain/timetable.js';
import type { OutboxMessage } from '../scheduler/domain/types.js';
import { attendanceCardModel } from '../scheduler/meetings/attendance.js';
import { confirmCardModel, type ConfirmCardModel } from '../scheduler/meetings/force-confirmation.js';
import type { Repos, Store } from '../scheduler/store/store.js';
import type { Plan } from './outbox-plan.js';

/** The force's confirm-or-dispute card and the chair's note of apologies, rendered from the store when sent. */
export async function planEvidence(store: Store, m: OutboxMessage): Promise<Plan> {
  return m.kind === 'confirm-attendance' ? planConfirm(store, m) : planApologies(store, m);
}

/** The record version a confirm message was queued for (`confirm:<meeting>:<force>:v<n>`, perhaps `:<lead>` after). */
const queuedVersion = (m: Pick<OutboxMessage, 'id' | 'meetingId' | 'forceId'>): number | null => {
  const prefix = `confirm:${m.meetingId}:${m.forceId}:v`;
  const n = m.id.startsWith(prefix) ? /^\d+/.exec(m.id.slice(prefix.length)) : null;
  return n ? Number(n[0]) : null;
};

async function planConfirm(store: Store, m: OutboxMessage): Promise<Plan> {
  const model = await confirmCardModel(store, m.meetingId, m.forceId);
  if (!model) return { kind: 'skip', reason: 'the record no longer exists' };
  if (model.record.forceConfirmation === 'not-needed') return { kind: 'skip', reason: 'nothing to confirm' };
  // The force's own answer also moves the version on; only a later card (the chair changed the record) replaces this one.
  const version = queuedVersion(m) ?? 0;
  const later = (await store.outbox.list({ meetingId: m.meetingId })).some((o) => o.kind === 'confirm-attendance' && o.forceId === m.forceId && (queuedVersion(o) ?? 0) > version);
  if (later) return { kind: 'skip', reason: 'a later record was sent for confirmation' };
  return { kind: 'send', message: { card: confirmCard(await confirmView(store, model)) } };
}

/** The confirm card's view of the model: names, not ids. */
export async function confirmView(repos: Repos, model: ConfirmCardModel): Promise<ConfirmView> {
  const r = model.record;
  return {
    meetingId: model.meeting.id,
    forceId: model.force.id,
    forceName: model.force.name,
    panelName: model.panel.name,
    start: toLocalIso(model.meeting.start),
    end: toLocalIso(model.meeting.end),
    recordVersion: r.version,
    nominee: model.nominee && { name: model.nominee.name, decisionMaker: model.nominee.decisionMaker },
    outcome: r.outcome,
    attendees: r.attendees,
    confirmation: r.forceConfirmation,
    answeredBy: r.confirmedBy ? await nameOf(repos, model.force.id, r.confirmedBy) : null,
    answeredAt: r.confirmedAt ? toLocalIso(r.confirmedAt) : null,
  };
}

/** The name the store holds for someone who acts for the force (lead, deputy, national lead). */
async function nameOf(repos: Repos, forceId: string, aadObjectId: string): Promise<string> {
  const force = await repos.directory.getForce(forceId);
  // Every area's team too: the name is of whoever acted, on whichever of the force's panels.
  const areaPeople = (force?.areas ?? []).flatMap((a) => [...a.leads, ...a.deputies]);
  const people = [...(force?.preventLeads ?? []), ...(force?.deputies ?? []), ...areaPeople, ...(await repos.directory.listNationalLeads())];
  return people.find((p) => p.aadObjectId.toLowerCase() === aadObjectId.toLowerCase())?.name ?? 'someone who no longer acts for the force';
}

async function planApologies(store: Store, m: OutboxMessage): Promise<Plan> {
  const model = await attendanceCardModel(store, m.meetingId);
  const force = model?.forces.find((f) => f.id === m.forceId);
  const apology = force?.apology;
  if (!model || !force || !apology) return { kind: 'skip', reason: 'no apologies to tell' };
  if (model.meeting.status === 'cancelled') return { kind: 'skip', reason: 'the meeting was cancelled' };
  // Sent again before this note went: the later note says what stands, so this one says nothing.
  const later = (await store.outbox.list({ meetingId: m.meetingId })).some((o) => o.kind === 'apologies' && o.forceId === m.forceId && o.createdAt > m.createdAt);
  if (later) return { kind: 'skip', reason: 'superseded by later apologies' };
  const offered = apology.substitute ? `substitute offered: ${md(apology.substitute.name)}` : 'no substitute offered';
  const when = meetingWhen(toLocalIso(model.meeting.start), toLocalIso(model.meeting.end));
  return { kind: 'send', message: { text: `Apologies from ${md(force.name)} for ${md(model.panel.name)} on ${when}: ${md(apology.sentBy.name)} sent apologies; ${offered}.` } };
}
