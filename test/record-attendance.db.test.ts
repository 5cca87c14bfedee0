import { describe, expect, it } from 'vitest';
import { answerForForce } from '../scheduler/meetings/force-confirmation.js';
import { sendApologies } from '../scheduler/meetings/apologies.js';
import { inviteForce } from '../scheduler/meetings/invitations.js';
import { attendanceVersion, recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { myMeetings } from '../scheduler/planning/my-panels.js';
import { heldWith, notHeld, present } from './support/answers.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';
import { pauseFirstTransaction } from './support/interleave.js';
import { sampleConfig } from './support/sample.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { DAWN, GARETH, MARCUS, NADIA, STRANGER } from './support/teams-activities.js';

const MAY = 'southampton.2027-05-03'; // Tue 4 May 2027, 10:00-12:00 local
const AFTER = '2027-05-04T12:00:00.000Z';
const SAM = { aadObjectId: '5a1b2c3d-0000-4000-8000-000000000001', name: 'Sam Cole' };
const PAT = { aadObjectId: '5a1b2c3d-0000-4000-8000-000000000002', name: 'Pat Lowe' };

describe.each(STORE_KINDS)('recording what happened at a meeting, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });
  const named = () => nominate(t.store, { meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, '2027-04-20T08:00:00.000Z');
  const channel = { id: '19:hampshire@thread.tacv2', tenantId: 't', serviceUrl: 'http://127.0.0.1:1/', kind: 'channel' as const, teamId: 'team', userAadObjectId: null, botId: 'bot' };
  const linkHampshire = async () => {
    await t.store.teams.saveConversation(channel, AFTER);
    await t.store.teams.link('force', 'hampshire', channel.id, GARETH.aadObjectId, AFTER);
  };
  const audit = async () => (await t.store.audit.page(0, 1000)).map((e) => e.action);

  it('records several attendees as answered, marks the meeting held, and audits each part', async () => {
    await named();
    await linkHampshire();
    const r = await recordAttendance(t.store, MAY, heldWith({ hampshire: [present(NADIA), present(SAM, 'unknown', { unit: 'regional', roleCategory: 'regional-ctu-officer' })] }, { 'local-authority': 2 }), DAWN.aadObjectId, AFTER);
    expect(r.ok).toBe(true);
    const [a] = await t.store.chairs.attendance([MAY]);
    expect(a!.attendees.map((p) => [p.name, p.decisionMaker, p.unit, p.substitute])).toEqual([['Nadia Rahman', 'yes', 'local', false], ['Sam Cole', 'unknown', 'regional', true]]);
    expect(a).toMatchObject({ outcome: 'attended', source: 'chair', forceConfirmation: 'pending', recordedBy: DAWN.aadObjectId });
    expect((await t.store.meetings.get(MAY))!.status).toBe('held');
    expect((await t.store.chairs.meetingRecords([MAY]))[0]!.agencies).toEqual({ 'local-authority': 2 });
    expect((await audit()).filter((x) => /^(meeting\.(held|not-held)|attendance\.)/.test(x))).toEqual(['meeting.held', 'attendance.recorded']);
    // The force is asked about Sam, whom it did not name, in its linked Teams channel.
    const asked = (await t.store.outbox.list({ meetingId: MAY })).filter((m) => m.kind === 'confirm-attendance');
    expect(asked.map((m) => [m.id, m.conversationId])).toEqual([[`confirm:${MAY}:hampshire:v1`, channel.id]]);
  });

  it('stores nothing and says what is missing when an answer is missing', async () => {
    const before = await audit();
    const r = await recordAttendance(t.store, MAY, { outcome: 'held', agencies: {}, forces: [{ forceId: 'hampshire', outcome: 'attended', attendees: [{ person: NADIA, role: 'DI' }] }] }, DAWN.aadObjectId, AFTER);
    expect(r.ok ? '' : r.error.message).toMatch(/Nadia Rahman: answer role category, local force or regional unit, in person or online, decision maker/);
    expect(await t.store.chairs.attendance([MAY])).toEqual([]);
    expect((await t.store.meetings.get(MAY))!.status).toBe('scheduled');
    expect(await audit()).toEqual(before);
  });

  it('changes nothing when the same answers are sent again', async () => {
    await named();
    await recordAttendance(t.store, MAY, heldWith({ hampshire: [present(NADIA)] }), DAWN.aadObjectId, AFTER);
    const before = await audit();
    const again = await recordAttendance(t.store, MAY, heldWith({ hampshire: [present(NADIA)] }), DAWN.aadObjectId, '2027-05-05T12:00:00.000Z');
    expect(again.ok && again.value.changed).toBe(0);
    expect(await audit()).toEqual(before);
  });

  it('records a meeting that did not take place, and drops force records made earlier', async () => {
    await recordAttendance(t.store, MAY, heldWith({ hampshire: 'apologies' }), DAWN.aadObjectId, AFTER);
    const r = await recordAttendance(t.store, MAY, notHeld('not quorate', { health: 1 }), DAWN.aadObjectId, '2027-05-05T12:00:00.000Z');
    expect(r.ok).toBe(true);
    expect((await t.store.meetings.get(MAY))!.status).toBe('not-held');
    expect(await t.store.chairs.attendance([MAY])).toEqual([]);
    expect((await t.store.chairs.meetingRecords([MAY]))[0]).toMatchObject({ outcome: 'not-held', notHeldReason: 'not quorate', agencies: { health: 1 } });
  });

  it('refuses a card made before someone else changed the record', async () => {
    const meeting = (await t.store.meetings.get(MAY))!;
    const old = attendanceVersion(meeting, ['hampshire'], []);
    await recordAttendance(t.store, MAY, heldWith({ hampshire: 'absent' }), DAWN.aadObjectId, AFTER, { source: 'chair', cardVersion: old });
    const r = await recordAttendance(t.store, MAY, heldWith({ hampshire: 'apologies' }), DAWN.aadObjectId, AFTER, { source: 'chair', cardVersion: old });
    expect(r.ok ? '' : r.error.code).toBe('STALE');
    expect((await t.store.chairs.attendance([MAY]))[0]!.outcome).toBe('absent');
  });

  it('lets the force confirm or dispute a substitute, and asks again when the chair changes the people', async () => {
    await named();
    await recordAttendance(t.store, MAY, heldWith({ hampshire: [present(SAM)] }), DAWN.aadObjectId, AFTER);
    const refused = await answerForForce(t.store, MAY, 'hampshire', 1, 'confirmed', STRANGER.aadObjectId, AFTER);
    expect(refused.ok ? '' : refused.error.code).toBe('FORBIDDEN');
    const ok = await answerForForce(t.store, MAY, 'hampshire', 1, 'disputed', GARETH.aadObjectId, AFTER);
    expect(ok.ok).toBe(true);
    expect((await t.store.chairs.attendance([MAY]))[0]).toMatchObject({ forceConfirmation: 'disputed', confirmedBy: GARETH.aadObjectId, version: 1 });
    // Another lead's copy of the same card is still current: the force may change its word.
    expect((await answerForForce(t.store, MAY, 'hampshire', 1, 'confirmed', NADIA.aadObjectId, AFTER)).ok).toBe(true);
    // The chair corrects Sam's answer: the force's word no longer applies, and a card of the old record is stale.
    await recordAttendance(t.store, MAY, heldWith({ hampshire: [present(SAM, 'no')] }), DAWN.aadObjectId, '2027-05-05T12:00:00.000Z');
    expect((await t.store.chairs.attendance([MAY]))[0]).toMatchObject({ forceConfirmation: 'pending', confirmedBy: null, version: 2 });
    const stale = await answerForForce(t.store, MAY, 'hampshire', 1, 'confirmed', GARETH.aadObjectId, AFTER);
    expect(stale.ok ? '' : stale.error.code).toBe('STALE');
    expect(await audit()).toContain('attendance.disputed');
  });

  it('never repeats a force record’s version: held, then not held, then held again asks the force afresh', async () => {
    await linkHampshire();
    await recordAttendance(t.store, MAY, heldWith({ hampshire: [present(SAM)] }), DAWN.aadObjectId, AFTER);
    await recordAttendance(t.store, MAY, notHeld(), DAWN.aadObjectId, '2027-05-05T09:00:00.000Z');
    await recordAttendance(t.store, MAY, heldWith({ hampshire: [present(PAT)] }), DAWN.aadObjectId, '2027-05-05T10:00:00.000Z');
    const [a] = await t.store.chairs.attendance([MAY]);
    expect(a).toMatchObject({ version: 2, forceConfirmation: 'pending' });
    const asked = (await t.store.outbox.list({ meetingId: MAY })).filter((m) => m.kind === 'confirm-attendance').map((m) => m.id);
    expect(asked).toEqual([`confirm:${MAY}:hampshire:v1`, `confirm:${MAY}:hampshire:v2`]);
    // The card about Sam cannot confirm Pat.
    const old = await answerForForce(t.store, MAY, 'hampshire', 1, 'confirmed', GARETH.aadObjectId, '2027-05-05T11:00:00.000Z');
    expect(old.ok ? '' : old.error.code).toBe('STALE');
  });

  it('orders a force’s confirmation after a chair’s correction it raced with: the correction stands, the old card is stale', async () => {
    await recordAttendance(t.store, MAY, heldWith({ hampshire: [present(SAM)] }), DAWN.aadObjectId, AFTER);
    const race = pauseFirstTransaction(t, 'chairs', 'saveAttendance');
    const correction = recordAttendance(race.store, MAY, heldWith({ hampshire: [present(PAT)] }), DAWN.aadObjectId, '2027-05-05T09:00:00.000Z');
    await race.paused;
    const answer = answerForForce(race.store, MAY, 'hampshire', 1, 'confirmed', GARETH.aadObjectId, '2027-05-05T09:00:01.000Z');
    await race.untilBlocked(answer);
    race.release();
    expect((await correction).ok).toBe(true);
    const r = await answer;
    expect(r.ok ? '' : r.error.code).toBe('STALE');
    const [a] = await t.store.chairs.attendance([MAY]);
    expect(a).toMatchObject({ version: 2, forceConfirmation: 'pending', confirmedBy: null });
    expect(a!.attendees.map((p) => p.name)).toEqual([PAT.name]);
  });

  it('keeps a meeting with apologies when the timetable changes, so the next sync still succeeds', async () => {
    expect((await sendApologies(t.store, MAY, 'hampshire', null, GARETH, '2027-04-02T08:00:00.000Z')).ok).toBe(true);
    const config = sampleConfig();
    const changed = { ...config, panels: config.panels.map((p) => (p.id === 'southampton' ? { ...p, timetable: { ...p.timetable, rrule: 'FREQ=MONTHLY;BYDAY=2TU' } as typeof p.timetable } : p)) };
    await syncPanels(t.store, changed, '2027-04-03T08:00:00.000Z');
    await syncPanels(t.store, changed, '2027-04-04T08:00:00.000Z');
    expect((await t.store.meetings.get(MAY))!.status).toBe('scheduled');
    expect((await t.store.chairs.apologies([MAY])).map((a) => a.sentBy.name)).toEqual([GARETH.name]);
  });

  it('takes apologies in advance from the nominee or a lead, never after the start or from a stranger', async () => {
    await named();
    const before = '2027-05-01T08:00:00.000Z';
    expect((await sendApologies(t.store, MAY, 'hampshire', SAM, NADIA, before)).ok).toBe(true);
    expect(await t.store.chairs.apologies([MAY])).toEqual([{ meetingId: MAY, forceId: 'hampshire', sentBy: NADIA, substitute: SAM, sentAt: before }]);
    const stranger = await sendApologies(t.store, MAY, 'hampshire', null, STRANGER, before);
    expect(stranger.ok ? '' : stranger.error.code).toBe('FORBIDDEN');
    const late = await sendApologies(t.store, MAY, 'hampshire', null, GARETH, AFTER);
    expect(late.ok ? '' : late.error.code).toBe('STALE');
  });

  it('invites a force to one meeting: asked about it, and about no other', async () => {
    const r = await inviteForce(t.store, MAY, 'leics', DAWN.aadObjectId, '2027-04-02T08:00:00.000Z');
    expect(r.ok && r.value.changed).toBe(true);
    // Leicestershire's lead sees that one Southampton meeting among their next meetings, and may name for it.
    const mine = (await myMeetings(t.store, MARCUS.aadObjectId, '2027-04-02T08:00:00.000Z', 2))!.filter((m) => m.panelId === 'southampton');
    expect(mine.map((m) => [m.id, m.canNominateFor])).toEqual([[MAY, ['leics']]]);
    expect((await inviteForce(t.store, MAY, 'leics', DAWN.aadObjectId, '2027-04-02T09:00:00.000Z')).ok).toBe(true);
    const stranger = await inviteForce(t.store, MAY, 'leics', MARCUS.aadObjectId, '2027-04-02T08:00:00.000Z');
    expect(stranger.ok ? '' : stranger.error.code).toBe('FORBIDDEN');
    // Recording the meeting now needs Leicestershire's answer too.
    const missing = await recordAttendance(t.store, MAY, heldWith({ hampshire: 'absent' }), DAWN.aadObjectId, AFTER);
    expect(missing.ok ? '' : missing.error.message).toMatch(/Leicestershire Police: say whether the police attended/);
    expect((await recordAttendance(t.store, MAY, heldWith({ hampshire: 'absent', leics: 'apologies' }), DAWN.aadObjectId, AFTER)).ok).toBe(true);
    expect((await t.store.meetings.list({ forceId: 'leics', panelIds: ['southampton'] })).map((m) => m.id)).toEqual([MAY]);
  });
});
