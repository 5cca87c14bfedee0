import { describe, expect, it } from 'vitest';
import type { Person } from '../scheduler/domain/types.js';
import { cancelMeeting } from '../scheduler/meetings/cancellations.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { accessFor, canActForForce, canActForPanel, seesForce } from '../scheduler/people/access.js';
import { linkConversation } from '../scheduler/people/presence.js';
import type { ConfigWithReaders } from '../scheduler/planning/panels-config.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { digestFlags, queueDigests } from '../scheduler/review/open-flags.js';
import { loadReview } from '../scheduler/review/review-query.js';
import { sampleConfig } from './support/sample.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

// Issue 19: the read-only roles as the store keeps them (both databases): loaded by sync, audited without names,
// read into Access apart from what a person acts for, refused by the use cases themselves (not only by the gate),
// and a region's people sent their forces' Monday digest.

const SYNCED = '2027-04-01T08:00:00.000Z';
const MONDAY = '2027-05-17T08:30:00.000Z'; // 09:30 in London
const PCC = 'e3a95b17-62c4-4d0f-b1f8-7c24a9d0e586';
const INSPECTOR = '4c1e8a52-7d3b-4f6e-9a20-b85d1c3e7f94';
const REGION = 'b7f2d930-1a64-4c8e-8e5b-3d09f6a2c147';
const FORCES = ['cambs', 'cumbria', 'devon-cornwall', 'hampshire', 'leics', 'notts'];
const SOMEONE: Person = { aadObjectId: '12345678-1234-4234-8234-123456789abc', name: 'Someone New' };

const sample = (): ConfigWithReaders => sampleConfig() as ConfigWithReaders;

describe.each(STORE_KINDS)('read-only roles in the store, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: SYNCED });

  it('loads each from the file, a region once for each of its forces', async () => {
    expect((await t.store.directory.listReaders()).map((r) => `${r.role}:${r.scopeId}:${r.person.name}`)).toEqual([
      'inspector::Rebecca Lowe', 'pcc-office:cambs:Hannah Brooks', 'region:leics:Daniel Okafor', 'region:notts:Daniel Okafor',
    ]);
    expect((await t.store.directory.rolesOf(REGION)).map((r) => `${r.role}:${r.scopeId}`).sort()).toEqual(['region:leics', 'region:notts']);
    // A force keeps no read-only field of its own: the directory's forces read as before.
    expect(Object.keys((await t.store.directory.getForce('cambs'))!).sort()).toEqual(['deputies', 'id', 'name', 'preventLeads', 'retired', 'teamsChannelId']);
  });

  it('reads into Access apart from what acts: every canActFor* stays false', async () => {
    const panels = await t.store.directory.listPanels();
    for (const [aad, seen] of [[PCC, ['cambs']], [INSPECTOR, FORCES], [REGION, ['leics', 'notts']]] as const) {
      const a = await accessFor(t.store, aad);
      expect(FORCES.filter((f) => seesForce(a, f))).toEqual(seen);
      expect(FORCES.filter((f) => canActForForce(a, f))).toEqual([]);
      expect(panels.filter((p) => canActForPanel(a, p.id))).toEqual([]);
      expect([a.national, a.forces.size, a.panels.size]).toEqual([false, 0, 0]);
    }
  });

  it('gives the review of their scope, and refuses any other force as it refuses a lead', async () => {
    const pcc = await loadReview(t.store, PCC, {}, MONDAY);
    expect(pcc.ok && pcc.value.review.scope).toMatchObject({ forces: ['cambs'], label: 'Cambridgeshire Constabulary' });
    const region = await loadReview(t.store, REGION, {}, MONDAY);
    expect(region.ok && region.value.review.scope).toMatchObject({ forces: ['leics', 'notts'] });
    const inspector = await loadReview(t.store, INSPECTOR, {}, MONDAY);
    expect(inspector.ok && inspector.value.review.scope).toMatchObject({ forces: null, panels: null, label: 'all forces' });
    expect(await loadReview(t.store, PCC, { forceId: 'hampshire' }, MONDAY)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await loadReview(t.store, REGION, { panelId: 'cambridgeshire' }, MONDAY)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('is refused by the use cases that write, whatever the gate did, and nothing is written', async () => {
    const entries = (await t.store.audit.page(0, 1_000_000)).length;
    const meetingId = 'peterborough-rutland.2027-05-11';
    for (const actor of [PCC, INSPECTOR, REGION]) {
      const named = await nominate(t.store, { meetingId, forceId: 'leics', meetingVersion: 1, nominationVersion: 0, attendee: SOMEONE, role: 'DI', decisionMaker: true }, actor, SYNCED);
      expect(named.ok ? 'named' : named.error.code).toBe('FORBIDDEN');
      const cancelled = await cancelMeeting(t.store, { meetingId, reason: 'other' }, actor, SYNCED);
      expect(cancelled.ok ? 'cancelled' : cancelled.error.code).toBe('FORBIDDEN');
      const linked = await linkConversation(t.store, 'force', 'cambs', 'a:chat', actor, SYNCED);
      expect(linked.ok ? 'linked' : linked.error.message).toBe('There is no force "cambs" that you can link. Type `panels` for the meetings you are involved in.');
    }
    expect((await t.store.audit.page(0, 1_000_000)).length).toBe(entries);
  });

  it('changes nothing on a second sync; a change is audited with counts and no names, and takes the role away', async () => {
    expect((await syncPanels(t.store, sample(), SYNCED)).changes).toBe(0);
    const config = sample();
    config.regions = config.regions!.map((r) => ({ ...r, forces: ['notts'], people: [...r.people, SOMEONE] }));
    config.inspectors = [];
    expect((await syncPanels(t.store, config, SYNCED)).changes).toBe(1);
    const last = (await t.store.audit.page(0, 1_000_000)).at(-1)!;
    expect([last.action, last.details]).toEqual(['readers.changed', { inspectors: 0, pccOffice: 1, regions: 2 }]);
    expect(JSON.stringify(last)).not.toMatch(/Daniel|Someone|Rebecca/);
    expect([...(await accessFor(t.store, REGION)).reads]).toEqual(['notts']);
    expect((await accessFor(t.store, INSPECTOR)).readsAll).toBe(false);
  });

  it("confers nothing through a retired force", async () => {
    const config = sample();
    config.forces = config.forces.filter((f) => f.id !== 'cambs');
    config.panels = config.panels.filter((p) => !p.forces.includes('cambs'));
    await syncPanels(t.store, config, SYNCED);
    expect((await accessFor(t.store, PCC)).reads.size).toBe(0);
  });

  it("sends a region's people each of its forces' Monday digest in their personal chat, and stops when they leave it", async () => {
    const chat = { id: 'a:daniel', tenantId: 't', serviceUrl: 'http://127.0.0.1:1/', kind: 'personal' as const, teamId: null, userAadObjectId: REGION, botId: 'b' };
    // Nobody's personal chat is known yet, and no force is linked: nothing to send.
    expect(await queueDigests(t.store, MONDAY, async () => null)).toEqual([]);
    await t.store.teams.saveConversation(chat, SYNCED);
    const queued = await queueDigests(t.store, MONDAY, async () => null);
    expect(queued.sort()).toEqual([`digest:leics:2027-05-17:${REGION}`, `digest:notts:2027-05-17:${REGION}`]);
    expect(await queueDigests(t.store, MONDAY, async () => null)).toEqual([]);
    const message = (await t.store.outbox.get(queued[0]!))!;
    expect(message).toMatchObject({ kind: 'digest', conversationId: 'a:daniel', personAadObjectId: REGION });
    expect(await digestFlags(t.store, message, MONDAY)).not.toBeNull();
    const config = sample();
    config.regions = [];
    await syncPanels(t.store, config, SYNCED);
    expect(await digestFlags(t.store, message, MONDAY)).toBeNull();
    // The force's own digest (to its linked Teams channel) is for the force, whoever reads it.
    expect(await digestFlags(t.store, { ...message, personAadObjectId: null }, MONDAY)).not.toBeNull();
  });
});
