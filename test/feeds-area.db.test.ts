import { beforeEach, describe, expect, it } from 'vitest';
import { feedWindow } from '../scheduler/calendar/calendar-feed.js';
import { availableFeeds, issueFeeds, revokeFeeds } from '../scheduler/calendar/feed-tokens.js';
import type { Area, PanelsConfig } from '../scheduler/domain/types.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { eventOf, feedRoute, subscriber, type Subscriber } from './support/feed-subscriber.js';
import { sampleConfig } from './support/sample.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';
import { GARETH, MARCUS, NADIA, type Speaker } from './support/teams-activities.js';

// Issue 24: a big force's areas each get a feed of their panels, offered to whoever sees the area.
const T0 = '2027-03-10T09:00:00.000Z';
const MOVED = '2027-03-20T09:00:00.000Z';
const RETIRED = '2027-04-10T09:00:00.000Z';
const SAM: Speaker = { aadObjectId: '1a2b3c4d-0000-4000-8000-00000000a001', name: 'Sam Patel' }; // South Hampshire area lead
const ROS: Speaker = { aadObjectId: '1a2b3c4d-0000-4000-8000-00000000a002', name: 'Ros Kemp' }; // North Hampshire area lead
const LENA: Speaker = { aadObjectId: '1a2b3c4d-0000-4000-8000-00000000a003', name: 'Lena Price' }; // Cambridgeshire north area lead
const PRIYA: Speaker = { aadObjectId: 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450', name: 'Priya Shah' }; // Cambridgeshire Prevent lead
const ALEX: Speaker = { aadObjectId: '6513270e-269e-4d37-b2a7-4de452e6b438', name: 'Alex Morgan' }; // national lead
const DANA: Speaker = { aadObjectId: '5c2d7e0a-3b1f-4c6e-9a8d-2f4b6e8c0a1d', name: 'Dana Cole' }; // no role
const JOINT = 'peterborough-rutland.2027-04-13';
const SOUTHAMPTON_JULY = 'southampton.2027-07-05';

const area = (id: string, name: string, panels: string[], lead: Speaker): Area => ({ id, name, panels, leads: [lead], deputies: [] });

/** The sample with Hampshire in two areas (South: `south`'s panels) and Cambridgeshire's joint panel in an area of its own. */
function withAreas(south = ['southampton', 'portsmouth'], north = ['hampshire'], drop: string[] = []): PanelsConfig {
  const config = sampleConfig();
  const forces = config.forces.map((f) => {
    if (f.id === 'hampshire') return { ...f, areas: [area('hants-south', 'South Hampshire', south, SAM), area('hants-north', 'North Hampshire', north, ROS)].filter((a) => a.panels.length) };
    if (f.id === 'cambs') return { ...f, areas: [area('cambs-north', 'North Cambridgeshire', ['peterborough-rutland'], LENA)] };
    return f;
  });
  return { ...config, forces, panels: config.panels.filter((p) => !drop.includes(p.id)) };
}

describe.each(STORE_KINDS)('calendar feeds by area, on %s', (kind) => {
  const t = useFreshStore(kind);
  let now = T0;
  const route = () => feedRoute(t.store, () => now);
  const calendarOf = async (who: Speaker, only: string): Promise<Subscriber> => {
    const r = await issueFeeds(t.store, who.aadObjectId, now, { only, max: 1 });
    if (!r.ok) throw new Error(r.error.message);
    return subscriber(route(), r.value.offers[0]!.token, () => now);
  };
  const sync = async (config: PanelsConfig, at: string) => {
    now = at;
    await syncPanels(t.store, config, at);
  };
  const titles = async (who: Speaker) => (await availableFeeds(t.store, who.aadObjectId, now)).map((f) => f.title);
  const meetingsOf = async (panelIds: string[]) => {
    const w = feedWindow(now);
    return (await t.store.meetings.list({ panelIds, from: w.from, to: w.to })).map((m) => `${m.id}@channel-panel-bot`).sort();
  };

  beforeEach(async () => {
    now = T0;
    await syncPanels(t.store, withAreas(), T0);
  });

  it("holds exactly its panels' meetings, and is offered to the area's lead instead of the force's feed", async () => {
    expect((await titles(SAM)).sort()).toEqual(['My Channel panel meetings', 'Portsmouth Channel panel', 'South Hampshire (Hampshire and Isle of Wight Constabulary): every panel', 'Southampton Channel panel']);
    // `hampshire` names the force and a panel of the other area: Sam sees neither, and is told so without either's name.
    const refused = await issueFeeds(t.store, SAM.aadObjectId, now, { only: 'hampshire', max: 5 });
    expect(refused.ok ? 'issued' : refused.error.message).toBe('There is no feed "hampshire" that you may see. Type `subscribe` for the feeds you may see.');
    // The force's lead and a national lead are offered both areas' feeds beside the force's.
    for (const who of [GARETH, ALEX]) {
      expect(await titles(who)).toEqual(expect.arrayContaining(['Hampshire and Isle of Wight Constabulary: every panel', 'South Hampshire (Hampshire and Isle of Wight Constabulary): every panel', 'North Hampshire (Hampshire and Isle of Wight Constabulary): every panel']));
    }
    expect((await titles(DANA))).toEqual([]);
    const events = (await (await calendarOf(SAM, 'hants-south')).fetch()).events;
    expect(events.map((e) => e.uid).sort()).toEqual(await meetingsOf(['southampton', 'portsmouth']));
    expect(events.length).toBeGreaterThan(20);
    expect(events.filter((e) => e.status !== 'CONFIRMED')).toEqual([]);
    // The same feed for the force's lead, and the other area's for its own lead.
    expect((await (await calendarOf(GARETH, 'hants-south')).fetch()).events.map((e) => e.uid).sort()).toEqual(await meetingsOf(['southampton', 'portsmouth']));
    expect((await (await calendarOf(ROS, 'hants-north')).fetch()).events.map((e) => e.uid).sort()).toEqual(await meetingsOf(['hampshire']));
  });

  it("names the area's force's attendee to its own team, never another force's on a joint panel", async () => {
    const name = async (forceId: string, attendee: Speaker, actor: Speaker) => {
      const meetingVersion = (await t.store.meetings.get(JOINT))!.version;
      const r = await nominate(t.store, { meetingId: JOINT, forceId, meetingVersion, nominationVersion: 0, attendee, role: 'Detective Sergeant', decisionMaker: false }, actor.aadObjectId, now);
      expect(r.ok, JSON.stringify(r)).toBe(true);
    };
    await name('cambs', DANA, PRIYA);
    await name('leics', MARCUS, MARCUS);
    const lena = eventOf((await (await calendarOf(LENA, 'cambs-north')).fetch()).events, JOINT)!;
    expect(lena.description).toContain('Dana Cole');
    expect(lena.description).not.toContain('Marcus Reid');
    expect(lena.description).not.toContain('Leicestershire');
    const alex = eventOf((await (await calendarOf(ALEX, 'cambs-north')).fetch()).events, JOINT)!;
    expect(alex.description).toContain('Dana Cole');
    expect(alex.description).toContain('Marcus Reid');
  });

  it('shows a panel moved out of the area as no longer in it, never dropping it silently', async () => {
    const south = await calendarOf(SAM, 'hants-south');
    const north = await calendarOf(ROS, 'hants-north');
    const before = (await south.fetch()).events;
    expect(before.filter((e) => e.uid.startsWith('portsmouth.')).length).toBeGreaterThan(10);
    await north.fetch();
    // Portsmouth moves to the north: gone from the south's feed with a reason (the subscriber checks nothing vanished).
    await sync(withAreas(['southampton'], ['hampshire', 'portsmouth']), MOVED);
    const moved = (await south.fetch()).events;
    const portsmouth = moved.filter((e) => e.uid.startsWith('portsmouth.'));
    expect(portsmouth.map((e) => e.uid).sort()).toEqual(before.filter((e) => e.uid.startsWith('portsmouth.')).map((e) => e.uid).sort());
    expect(new Set(portsmouth.map((e) => `${e.status} ${e.summary}`))).toEqual(new Set(['CANCELLED No longer in this calendar: Portsmouth Channel panel']));
    expect(moved.filter((e) => e.uid.startsWith('southampton.') && e.status !== 'CONFIRMED')).toEqual([]);
    expect((await north.fetch()).events.filter((e) => e.uid.startsWith('portsmouth.') && e.status === 'CONFIRMED').length).toBeGreaterThan(10);
  });

  it('shows the meetings still to come of a panel retired from the area cancelled, exactly as the force feed does', async () => {
    const nominated = await nominate(t.store, { meetingId: SOUTHAMPTON_JULY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'Detective Inspector', decisionMaker: true }, GARETH.aadObjectId, T0);
    expect(nominated.ok).toBe(true);
    const south = await calendarOf(SAM, 'hants-south');
    const force = await calendarOf(GARETH, 'hampshire');
    await south.fetch();
    await force.fetch();
    // Southampton is retired (out of the file, and so of its area); the area keeps Portsmouth.
    await sync(withAreas(['portsmouth'], ['hampshire'], ['southampton']), RETIRED);
    const retired = (await south.fetch()).events.filter((e) => e.uid.startsWith('southampton.'));
    const onForce = (await force.fetch()).events.filter((e) => e.uid.startsWith('southampton.'));
    const ahead = retired.filter((e) => e.start > '2027-04-10 10:00');
    expect(ahead.length).toBeGreaterThan(10);
    expect(ahead.filter((e) => e.status !== 'CANCELLED' || !e.description.includes('the panel was retired')).map((e) => e.uid)).toEqual([]);
    // Even the meeting someone was named for, which re-planning keeps in the store; the past stays as it was.
    expect(eventOf(retired, SOUTHAMPTON_JULY)?.description).toContain('the panel was retired');
    expect(eventOf(retired, 'southampton.2027-04-05')?.status).toBe('CONFIRMED');
    const shown = (es: typeof retired) => es.map((e) => [e.uid, e.status, e.summary, e.description.split('\n\n')[1]]).sort();
    expect(shown(retired)).toEqual(shown(onForce));
  });

  it('closes the feed of an area taken out of the file, and of a lead who is no longer one, showing what it showed removed', async () => {
    const south = await calendarOf(SAM, 'hants-south');
    const lena = await calendarOf(LENA, 'cambs-north');
    const shown = (await south.fetch()).events;
    await lena.fetch();
    const config = withAreas();
    await sync({ ...config, forces: config.forces.map((f) => (f.id === 'hampshire' ? { ...f, areas: f.areas!.filter((a) => a.id !== 'hants-south') } : f.id === 'cambs' ? { ...f, areas: [{ ...f.areas![0]!, leads: [ROS] }] } : f)) }, MOVED);
    for (const c of [south, lena]) {
      const after = await c.fetch();
      expect(after.status).toBe(200);
      expect(after.events.filter((e) => e.status !== 'CANCELLED' || !e.summary.startsWith('No longer in this calendar: '))).toEqual([]);
      expect(after.events.filter((e) => /Police attendee|Dana|Nadia/.test(e.description))).toEqual([]);
    }
    expect((await south.fetch()).events.map((e) => e.uid).sort()).toEqual(shown.map((e) => e.uid).sort());
    expect(await titles(SAM)).toEqual([]);
    // Every meeting it showed is older than the window two years on: nothing is left to say, so the link opens nothing.
    now = '2029-03-21T09:00:00.000Z';
    expect((await south.fetch(404)).status).toBe(404);
  });

  it('revokes an area\'s link by its id', async () => {
    await calendarOf(SAM, 'hants-south');
    expect(await revokeFeeds(t.store, SAM.aadObjectId, now, 'hants-south')).toBe(1);
    expect(await revokeFeeds(t.store, SAM.aadObjectId, now, 'hants-south')).toBe(0);
  });
});
