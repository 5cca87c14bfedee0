import { beforeEach, describe, expect, it } from 'vitest';
import { issueFeeds } from '../scheduler/calendar/feed-tokens.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { eventOf, feedRoute, subscriber } from './support/feed-subscriber.js';
import { sampleConfig } from './support/sample.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';
import { GARETH, MARCUS, NADIA, type Speaker } from './support/teams-activities.js';

// Regression tests for issue 23: a feed whose owner's roles narrowed showed less at a lower SEQUENCE, or dropped meetings.
const T0 = '2027-03-10T09:00:00.000Z';
const JULY = 'southampton.2027-07-05';
const APRIL = 'southampton.2027-04-05';
const JOINT = 'peterborough-rutland.2027-04-13';
const ALEX: Speaker = { aadObjectId: '6513270e-269e-4d37-b2a7-4de452e6b438', name: 'Alex Morgan' }; // national lead
const PRIYA: Speaker = { aadObjectId: 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450', name: 'Priya Shah' }; // Cambridgeshire Prevent lead
const DANA: Speaker = { aadObjectId: '5c2d7e0a-3b1f-4c6e-9a8d-2f4b6e8c0a1d', name: 'Dana Cole' }; // no role

describe.each(STORE_KINDS)('what a feed shows when only its owner\'s view changes, on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: T0 });
  let now = T0;
  const route = () => feedRoute(t.store, () => now);
  const calendarOf = async (who: Speaker, only: string) => {
    const r = await issueFeeds(t.store, who.aadObjectId, now, { only, max: 1 });
    if (!r.ok) throw new Error(r.error.message);
    return subscriber(route(), r.value.offers[0]!.token, () => now);
  };
  const name = async (meetingId: string, forceId: string, attendee: Speaker, actor: Speaker, nominationVersion = 0) => {
    const meetingVersion = (await t.store.meetings.get(meetingId))!.version;
    const r = await nominate(t.store, { meetingId, forceId, meetingVersion, nominationVersion, attendee, role: 'Detective Sergeant', decisionMaker: false }, actor.aadObjectId, now);
    expect(r.ok, JSON.stringify(r)).toBe(true);
  };
  const leads = (forceId: string) => sampleConfig().forces.find((f) => f.id === forceId)!;

  beforeEach(() => {
    now = T0;
  });

  it('raises SEQUENCE when a national lead becomes one force\'s lead and sees one force\'s attendee, and again when widened', async () => {
    await name(JOINT, 'cambs', DANA, PRIYA);
    await name(JOINT, 'leics', MARCUS, MARCUS);
    const alex = await calendarOf(ALEX, 'peterborough-rutland');
    const wide = eventOf((await alex.fetch()).events, JOINT)!;
    expect(wide.description).toContain('Dana Cole');
    const nationals = await t.store.directory.listNationalLeads();
    await t.store.directory.setNationalLeads(nationals.filter((p) => p.aadObjectId !== ALEX.aadObjectId));
    await t.store.directory.saveForce({ ...leads('leics'), preventLeads: [MARCUS, ALEX], deputies: [], teamsChannelId: null, retired: false }, T0);
    const narrow = eventOf((await alex.fetch()).events, JOINT)!;
    expect(narrow.description).not.toContain('Dana Cole');
    expect(narrow.description).toContain('Marcus Reid');
    expect(narrow.sequence).toBeGreaterThan(wide.sequence);
    await t.store.directory.setNationalLeads(nationals);
    const widened = eventOf((await alex.fetch()).events, JOINT)!;
    expect(widened.description).toContain('Dana Cole');
    expect(widened.sequence).toBeGreaterThan(narrow.sequence);
  });

  it('shows a lead who is no longer one every meeting their feed showed as no longer in it, naming nobody, until older than the window', async () => {
    await name(JULY, 'hampshire', NADIA, GARETH);
    const gareth = await calendarOf(GARETH, 'hampshire');
    const before = await gareth.fetch();
    expect(before.events.length).toBeGreaterThan(20);
    await t.store.directory.saveForce({ ...leads('hampshire'), preventLeads: [NADIA], deputies: [], teamsChannelId: null, retired: false }, T0);
    const after = await gareth.fetch();
    expect(after.status).toBe(200);
    expect(after.events.map((e) => e.uid).sort()).toEqual(before.events.map((e) => e.uid).sort());
    expect(after.events.filter((e) => e.status !== 'CANCELLED' || !e.summary.startsWith('No longer in this calendar: '))).toEqual([]);
    expect(after.events.filter((e) => /Nadia|Police attendee/.test(e.description))).toEqual([]);
    // Every meeting it showed is older than the window a year on: nothing is left to say, so the link opens nothing.
    now = '2029-03-11T09:00:00.000Z';
    expect((await gareth.fetch(404)).status).toBe(404);
  });

  it('shows a nominee a meeting they are no longer named for as no longer in their feed, and back when named again', async () => {
    await name(JULY, 'hampshire', NADIA, GARETH);
    const nadia = await calendarOf(NADIA, 'me');
    const named = eventOf((await nadia.fetch()).events, JULY)!;
    expect(named.status).toBe('CONFIRMED');
    await name(JULY, 'hampshire', DANA, GARETH, 1);
    const dropped = eventOf((await nadia.fetch()).events, JULY)!;
    expect([dropped.status, dropped.summary]).toEqual(['CANCELLED', 'No longer in this calendar: Southampton Channel panel']);
    expect(dropped.description).not.toContain('Dana');
    await name(JULY, 'hampshire', NADIA, GARETH, 2);
    const again = eventOf((await nadia.fetch()).events, JULY)!;
    expect(again.status).toBe('CONFIRMED');
    expect(again.sequence).toBeGreaterThan(dropped.sequence);
  });

  // Regression: "the meeting itself may still take place" stuck after the meeting was really gone.
  it('tells a calendar once more, one SEQUENCE up, when a meeting it showed as no longer in it is then really cancelled', async () => {
    const gareth = await calendarOf(GARETH, 'hampshire');
    await gareth.fetch();
    await t.store.directory.saveForce({ ...leads('hampshire'), preventLeads: [NADIA], deputies: [], teamsChannelId: null, retired: false }, T0);
    const hidden = eventOf((await gareth.fetch()).events, APRIL)!;
    expect(hidden.summary).toBe('No longer in this calendar: Southampton Channel panel');
    await t.store.transaction(async (tx) => {
      await tx.feeds.bury([APRIL], 'timetable-changed', T0);
      await tx.meetings.deleteMany([APRIL]);
    });
    now = '2027-03-11T09:00:00.000Z';
    const gone = eventOf((await gareth.fetch()).events, APRIL)!;
    expect([gone.summary, gone.sequence]).toEqual(['Cancelled: Southampton Channel panel', hidden.sequence + 1]);
    expect(gone.description).toContain("the panel's timetable changed");
    now = '2027-03-12T09:00:00.000Z';
    expect(eventOf((await gareth.fetch()).events, APRIL)).toEqual(gone);
  });
});
