import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accessFor, canActForForce, canActForPanel } from '../scheduler/people/access.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import type { PanelsConfig } from '../scheduler/domain/types.js';
import { loadCardContext, nominate, nominationCardModel } from '../scheduler/nominations/nominations.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { openStore } from '../scheduler/store/open-store.js';
import type { Store } from '../scheduler/store/store.js';
import { sampleConfig } from './support/sample.js';
import { freshStore, STORE_KINDS, type TestStore } from './support/stores.js';

const MAY = 'southampton.2027-05-03';
const GARETH = '36f675cc-81e7-4ef5-a8e2-5d940ed90475'; // Hampshire's Prevent lead in the sample
const DAWN = '92276658-1e27-41c0-8a6a-63ec24ede6a4'; // chair of Southampton in the sample
const PRIYA = { aadObjectId: 'c2a4e6f8-0b1d-4f3a-9c5e-7a9b1d3f5e70', name: 'Priya Shah' };
const SYNCED = '2027-04-01T08:00:00.000Z';
const NOW = '2027-04-20T08:00:00.000Z';

/** The sample with Gareth no longer Hampshire's lead and Dawn no longer Southampton's chair: Priya holds both. */
function withoutGarethAndDawn(): PanelsConfig {
  const config = sampleConfig();
  return {
    ...config,
    forces: config.forces.map((f) => (f.id === 'hampshire' ? { ...f, preventLeads: [PRIYA] } : f)),
    panels: config.panels.map((p) => (p.id === 'southampton' ? { ...p, chairs: [PRIYA] } : p)),
  };
}

// Issue 13: roles were cached for 5 s even inside a write transaction, so a lead removed by a sync on one instance
// could still act for 5 s through another.
describe.each(STORE_KINDS)('a role removed by another instance on %s', (kind) => {
  let t: TestStore;
  let a: Store; // the instance the removed person presses on
  let b: Store; // the instance that syncs the new config
  beforeEach(async () => {
    t = await freshStore(kind);
    a = t.store;
    b = await openStore(t.options);
    await syncPanels(a, sampleConfig(), SYNCED);
  });
  afterEach(async () => {
    await b.close();
    await t.dispose();
  });

  // The press's own reads too: the card read just before the sync, as a press reads it before nominating (written as
  // read, in one statement, only if who may nominate, read then from the database, allows it).
  it.each(['without', 'with'])('stops a lead nominating at once, though the other instance has just rendered their card (%s the press\'s reads)', async (reads) => {
    // Instance A renders Gareth's card: his roles, the panel and the force are now in A's cache.
    expect(await nominationCardModel(a, MAY, 'hampshire', NOW)).not.toBeNull();
    expect(canActForForce(await accessFor(a, GARETH), 'hampshire')).toBe(true);
    const context = (await loadCardContext(a, MAY, 'hampshire'))!;
    await syncPanels(b, withoutGarethAndDawn(), SYNCED);
    const writes: boolean[] = [];
    const watched: Store = { ...a, writeNomination: async (w, decide) => { const r = await a.writeNomination(w, decide); writes.push(r); return r; } };
    const r = await nominate(watched, {
      meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: { aadObjectId: GARETH, name: 'Gareth Owen' }, role: 'DI', decisionMaker: true,
    }, GARETH, NOW, reads === 'with' ? { context } : undefined);
    // Refused before any write was tried: the decision read the directory afresh.
    expect(writes).toEqual([]);
    expect(r.ok ? 'recorded' : r.error.code).toBe('FORBIDDEN');
    expect(await b.nominations.get(MAY, 'hampshire')).toBeNull();
    // Priya, named by the same sync, may nominate through A at once too.
    const byPriya = await nominate(watched, {
      meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: PRIYA, role: 'DI', decisionMaker: true,
    }, PRIYA.aadObjectId, NOW, reads === 'with' ? { context } : undefined);
    expect(byPriya.ok).toBe(true);
    // With the press's reads, written as read (on PostgreSQL once the store has checked its key, which A's sync did).
    expect(writes).toEqual(reads === 'with' ? [true] : []);
  });

  it('stops a chair cancelling at once, though the other instance has just listed their meetings', async () => {
    expect(canActForPanel(await accessFor(a, DAWN), 'southampton')).toBe(true);
    await syncPanels(b, withoutGarethAndDawn(), SYNCED);
    const r = await cancelMeeting(a, { meetingId: MAY, reason: 'other', note: 'room unavailable' }, DAWN, NOW);
    expect(r.ok ? 'cancelled' : r.error.code).toBe('FORBIDDEN');
    expect((await b.meetings.get(MAY))?.status).toBe('scheduled');
  });
});
