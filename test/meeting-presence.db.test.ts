import { describe, expect, it } from 'vitest';
import type { MeetingPresenceRepo } from '../scheduler/meetings/meeting-presence-repo.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

// Issue 20: who joined a panel meeting's Teams meeting, per person, kept until the chair records attendance.
const MAY = 'southampton.2027-05-03';
const JUNE = 'southampton.2027-06-07';
const NADIA = '6b0d549b-6f03-475a-9600-a35a099950d8';
const GARETH = '36f675cc-81e7-4ef5-a8e2-5d940ed90475';
const at = (hhmm: string) => `2027-05-04T${hhmm}:00.000Z`;

describe.each(STORE_KINDS)('the Teams meeting presence repository, on %s', (kind) => {
  const t = useFreshStore(kind);
  const repo = (): MeetingPresenceRepo => t.store.meetingPresence!;

  it('links a Teams meeting to a panel, and a new link forgets the panel meeting chosen before', async () => {
    expect(await repo().linkOf('tm-1')).toBeNull();
    await repo().link({ teamsMeetingId: 'tm-1', conversationId: '19:meeting_a@thread.v2', panelId: 'southampton', linkedBy: NADIA, linkedAt: at('08:00') });
    await repo().setMeeting('tm-1', MAY);
    expect(await repo().linkOf('tm-1')).toEqual({ teamsMeetingId: 'tm-1', conversationId: '19:meeting_a@thread.v2', panelId: 'southampton', meetingId: MAY, linkedBy: NADIA, linkedAt: at('08:00') });
    await repo().link({ teamsMeetingId: 'tm-1', conversationId: '19:meeting_a@thread.v2', panelId: 'portsmouth', linkedBy: GARETH, linkedAt: at('08:30') });
    expect(await repo().linkOf('tm-1')).toMatchObject({ panelId: 'portsmouth', meetingId: null, linkedBy: GARETH });
  });

  it('sums join-to-leave stays, ignores a second join and a leave without a join, and the end closes open stays', async () => {
    await repo().left(MAY, GARETH, at('08:55')); // never joined: ignored
    await repo().joined(MAY, NADIA, at('09:00'));
    await repo().joined(MAY, NADIA, at('09:10')); // already in: the stay still began at 09:00
    await repo().left(MAY, NADIA, at('09:30'));
    await repo().left(MAY, NADIA, at('09:35')); // already out: ignored
    await repo().joined(MAY, NADIA, at('09:40'));
    await repo().joined(MAY, GARETH, at('10:00'));
    expect((await repo().list(MAY)).map((p) => [p.aadObjectId, p.presentSeconds, p.openSince])).toEqual([[NADIA, 1800, at('09:40')], [GARETH, 0, at('10:00')]]);
    await repo().closeAll(MAY, at('11:00'));
    expect(await repo().list(MAY)).toEqual([
      { meetingId: MAY, aadObjectId: NADIA, firstJoined: at('09:00'), lastLeft: at('11:00'), openSince: null, presentSeconds: 110 * 60 },
      { meetingId: MAY, aadObjectId: GARETH, firstJoined: at('10:00'), lastLeft: at('11:00'), openSince: null, presentSeconds: 60 * 60 },
    ]);
  });

  it('forgets one meeting\'s rows when its attendance is recorded, and rows first joined before an instant', async () => {
    await repo().joined(MAY, NADIA, at('09:00'));
    await repo().joined(JUNE, NADIA, '2027-06-07T09:00:00.000Z');
    expect(await repo().forget(MAY)).toBe(1);
    expect(await repo().list(MAY)).toEqual([]);
    expect(await repo().list(JUNE)).toHaveLength(1);
    expect(await repo().forgetBefore('2027-06-07T09:00:00.000Z')).toBe(0);
    expect(await repo().forgetBefore('2027-07-01T00:00:00.000Z')).toBe(1);
    expect(await repo().list(JUNE)).toEqual([]);
  });
});
