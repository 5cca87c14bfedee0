import { describe, expect, it } from 'vitest';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { pauseFirstTransaction } from './support/interleave.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

const MAY = 'southampton.2027-05-03';
const GARETH = '36f675cc-81e7-4ef5-a8e2-5d940ed90475';
const DAWN = '92276658-1e27-41c0-8a6a-63ec24ede6a4';
const NOW = '2027-04-20T08:00:00.000Z';
const press = (aad: string, name: string) => ({
  meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: { aadObjectId: aad, name }, role: 'DI', decisionMaker: true,
});

describe.each(STORE_KINDS)('concurrent writers on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: '2027-04-01T08:00:00.000Z' });

  // Each race is made to happen, not hoped for: the first writer stops after its reads, just before it writes, and the
  // second starts then and is seen waiting for it (or finishing without waiting, which the outcome then shows).
  it('records exactly one of two nominations pressed at once from the same card', async () => {
    const race = pauseFirstTransaction(t, 'nominations', 'save');
    const first = nominate(race.store, press('6b0d549b-6f03-475a-9600-a35a099950d8', 'Nadia Rahman'), GARETH, NOW);
    await race.paused;
    const second = nominate(race.store, press(GARETH, 'Gareth Owen'), GARETH, NOW);
    await race.untilBlocked(second);
    race.release();
    const results = await Promise.all([first, second]);
    expect(results.filter((r) => r.ok && r.value.changed)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.error.code === 'STALE')).toHaveLength(1);
    expect((await t.store.audit.page(0, 100_000)).filter((e) => e.action.startsWith('nomination.'))).toHaveLength(1);
  });

  it('never lets a nomination undo a cancellation made at the same moment', async () => {
    const race = pauseFirstTransaction(t, 'nominations', 'save');
    const nominating = nominate(race.store, press(GARETH, 'Gareth Owen'), GARETH, NOW);
    await race.paused;
    const cancelling = cancelMeeting(race.store, { meetingId: MAY, reason: 'other', note: 'room unavailable' }, DAWN, NOW);
    await race.untilBlocked(cancelling);
    race.release();
    await Promise.all([nominating, cancelling]);
    expect((await t.store.meetings.get(MAY))?.status).toBe('cancelled');
  });

  it('keeps the planner off a meeting that was nominated while it planned', async () => {
    await nominate(t.store, press(GARETH, 'Gareth Owen'), GARETH, NOW);
    const m = (await t.store.meetings.get(MAY))!;
    expect(await t.store.meetings.replanIfPlain({ ...m, start: '2027-05-05T09:00:00.000Z', locked: false }, m.version, NOW)).toBe(false);
    expect(await t.store.meetings.deleteIfPlain([MAY])).toEqual([]);
    expect((await t.store.meetings.get(MAY))?.start).toBe(m.start);
  });
});
