import { describe, expect, it } from 'vitest';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { heldWith, present } from './support/answers.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { listSchedule } from '../scheduler/planning/schedule-view.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

const DAWN = '92276658-1e27-41c0-8a6a-63ec24ede6a4';
const SAM = { aadObjectId: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'DS Sam Price' };

describe.each(STORE_KINDS)('the schedule view on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });

  it('shows cancellations, attendance and the flags derived from them', async () => {
    await cancelMeeting(t.store, { meetingId: 'southampton.2027-05-03', reason: 'no cases to discuss', note: 'quiet month' }, DAWN, '2027-04-20T08:00:00.000Z');
    await recordAttendance(t.store, 'southampton.2027-04-05', heldWith({ hampshire: [present(SAM, 'no')] }), DAWN, '2027-04-05T12:00:00.000Z');
    const { meetings } = await listSchedule(t.store, { panelId: 'southampton', from: '2027-04-01T00:00:00.000Z', to: '2027-06-01T00:00:00.000Z' }, '2027-05-20T08:00:00.000Z');
    const april = meetings.find((m) => m.id === 'southampton.2027-04-05')!;
    const may = meetings.find((m) => m.id === 'southampton.2027-05-03')!;
    expect(april).toMatchObject({
      status: 'held',
      attendance: [{
        forceId: 'hampshire', outcome: 'attended', source: 'chair', forceConfirmation: 'pending',
        // Hampshire named nobody, so whoever came is a substitute the force is asked to confirm.
        attendees: [{ aadObjectId: SAM.aadObjectId, name: SAM.name, roleCategory: 'prevent-officer', role: 'Detective Sergeant', unit: 'local', mode: 'in-person', decisionMaker: 'no', substitute: true }],
      }],
      record: { outcome: 'held', notHeldReason: null, agencies: {}, source: 'chair' },
    });
    // Hampshire named nobody (the meeting was planned in time to), and has not answered for Sam in the 10 working days since.
    expect(april.flags).toEqual(['NO_NOMINATION', 'NOT_DECISION_MAKER', 'SUBSTITUTE_UNCONFIRMED']);
    // May is not judged until it ends; then its cancellation for want of cases is one flag, not three.
    expect(may).toMatchObject({ status: 'cancelled', flags: [] });
    // 1 May 00:00 in London (BST) to 1 June: May is listed whole, so it is judged.
    const june = await listSchedule(t.store, { panelId: 'southampton', from: '2027-04-30T23:00:00.000Z', to: '2027-05-31T23:00:00.000Z' }, '2027-06-02T08:00:00.000Z');
    expect(june.meetings.find((m) => m.id === 'southampton.2027-05-03')!.flags).toEqual(['CANCELLED_NO_CASES']);
  });
});
