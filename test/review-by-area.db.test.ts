import { describe, expect, it } from 'vitest';
import type { Force, Meeting, Panel, Person } from '../scheduler/domain/types.js';
import { attendanceHistory } from '../scheduler/meetings/attendance-history.js';
import { documentModel } from '../scheduler/review/document/model.js';
import { openFlags } from '../scheduler/review/open-flags.js';
import { reviewRows } from '../scheduler/review/review-csv.js';
import { reviewJson, summaryCsv, SUMMARY_COLUMNS } from '../scheduler/review/review-outputs.js';
import { loadReview, OPERATOR } from '../scheduler/review/review-query.js';
import type { PanelReview, ReviewFigures } from '../scheduler/review/review.js';
import { FORCES, LEAD_A, NOW, PANELS, PERIOD, PLANNED_AT, seedReviewFixture } from './support/review-fixture.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

// Issue 24: a big force's review by area. Each area's figures are its panels' figures counted together, exactly as
// the force's are; here checked against the per-panel rows, summed independently, on both databases. Areas' own
// teams read their area (and only it), and an area's review, history and flags hold nothing of the force's other panels.

const person = (n: number, name: string): Person => ({ aadObjectId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, name });
const EAST_LEAD = person(41, 'East Lead');
const WEST_DEPUTY = person(42, 'West Deputy');

/** A fourth panel of force a, with a held meeting the force attended and one cancelled, so the East area has two panels. */
const P4: Panel = { ...PANELS[1]!, id: 'p4', name: 'Panel p4', localAuthority: 'Council p4', chairs: [person(7, 'Chair Four')] };
const meeting = (id: string, day: string, status: Meeting['status']): Meeting => ({
  id, panelId: 'p4', occurrence: day, start: `${day}T10:00:00.000Z`, end: `${day}T12:00:00.000Z`, status, moved: null, extra: false, version: 1, locked: true,
});
const P4_MEETINGS = [meeting('p4-jan', '2026-01-27', 'held'), meeting('p4-feb', '2026-02-24', 'cancelled'), meeting('p4-mar', '2026-03-24', 'scheduled')];

/** Force a: East (p1 and p4), p2 in no area. Force b: West (p3), p1 in no area. */
const AREA_FORCES: Force[] = [
  { ...FORCES[0]!, areas: [{ id: 'a-east', name: 'East', panels: ['p1', 'p4'], leads: [EAST_LEAD], deputies: [] }] },
  { ...FORCES[1]!, areas: [{ id: 'b-west', name: 'West', panels: ['p3'], leads: [], deputies: [WEST_DEPUTY] }] },
];

/** The figures that add up across panels (shares, medians and distinct people do not). */
const ADDITIVE = ['meetings', 'due', 'held', 'cancelled', 'notHeld', 'unrecorded', 'extra', 'moved', 'monthsDue', 'monthsMet', 'attendanceUnrecorded', 'decisionMakerPresent', 'policeAbsent', 'openFlags'] as const;

function summed(rows: PanelReview[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.fromEntries(ADDITIVE.map((k) => [k, rows.reduce((n, p) => n + p.figures[k], 0)]));
  const reasons: Record<string, number> = {};
  for (const p of rows) for (const [k, n] of Object.entries(p.figures.cancelledByReason)) reasons[k] = (reasons[k] ?? 0) + n;
  return { ...out, cancelledByReason: reasons };
}
const additive = (f: ReviewFigures) => ({ ...Object.fromEntries(ADDITIVE.map((k) => [k, f[k]])), cancelledByReason: f.cancelledByReason });

describe.each(STORE_KINDS)('the review by area (%s)', (kind) => {
  const db = useFreshStore(kind);
  const seed = async () => {
    const store = db.store;
    await seedReviewFixture(store);
    await store.directory.savePanel({ ...P4, retired: false }, NOW);
    await store.meetings.insertMany(P4_MEETINGS, PLANNED_AT);
    await store.chairs.saveAttendance({
      meetingId: 'p4-jan', forceId: 'a', outcome: 'attended', source: 'chair', forceConfirmation: 'not-needed', confirmedBy: null, confirmedAt: null,
      attendees: [{ aadObjectId: person(13, 'Officer A3').aadObjectId, tenantId: null, name: 'Officer A3', roleCategory: 'prevent-officer', role: 'DI', unit: 'local', mode: 'in-person', decisionMaker: 'yes', substitute: false }],
      recordedBy: LEAD_A.aadObjectId, recordedAt: '2026-01-27T13:00:00.000Z', version: 1,
    });
    await store.chairs.saveCancellation({ meetingId: 'p4-feb', reason: 'not quorate', note: '', cancelledBy: LEAD_A.aadObjectId, cancelledAt: '2026-02-20T10:00:00.000Z' });
    for (const f of AREA_FORCES) await store.directory.saveForce(f, NOW);
  };

  it("sums each area's panels exactly as the force is counted, with a row for the force's panels in no area", async () => {
    await seed();
    const r = await loadReview(db.store, OPERATOR, { forceId: 'a', ...PERIOD }, NOW);
    if (!r.ok) throw new Error(r.error.message);
    const { review } = r.value;
    expect(review.byArea!.map((a) => [a.areaId, a.name, [...a.panels].sort()])).toEqual([['a-east', 'East', ['p1', 'p4']], [null, 'Not in an area', ['p2']]]);
    // Independently: the per-panel rows of the areas' panels as the file gives them, summed by hand.
    const rows = review.panels.filter((p) => p.forceId === 'a');
    const east = review.byArea!.find((a) => a.areaId === 'a-east')!;
    const rest = review.byArea!.find((a) => a.areaId === null)!;
    expect(additive(east.figures)).toEqual(summed(rows.filter((p) => ['p1', 'p4'].includes(p.panelId))));
    expect(additive(rest.figures)).toEqual(summed(rows.filter((p) => p.panelId === 'p2')));
    // The areas and the rest make up the force, and the figures are not all zero (the test could fail).
    expect(summed(rows)).toEqual(additive(review.total));
    expect(east.figures.held).toBe(3);
    expect(east.figures.decisionMakerPresent).toBeGreaterThan(0);
    expect(east.figures.cancelledByReason).toEqual({ 'no cases to discuss': 1, 'not quorate': 1 });
    // A share is worked out over the area, not averaged over its panels.
    expect(east.figures.decisionMakerShareOfDue).toBeCloseTo(east.figures.decisionMakerPresent / east.figures.due, 3);
  });

  it('gives every force with areas its rows in the national review, and the JSON, summary CSV, export and document carry them', async () => {
    await seed();
    const r = await loadReview(db.store, OPERATOR, PERIOD, NOW, 'whole');
    if (!r.ok) throw new Error(r.error.message);
    const { review, input } = r.value;
    expect(review.byArea!.map((a) => `${a.forceId}:${a.areaId ?? '-'}`)).toEqual(['a:a-east', 'a:-', 'b:b-west', 'b:-']);
    const west = review.byArea!.find((a) => a.areaId === 'b-west')!;
    expect(additive(west.figures)).toEqual(summed(review.panels.filter((p) => p.forceId === 'b' && p.panelId === 'p3')));

    const json = reviewJson(review) as { byArea: Array<Record<string, unknown>> };
    expect(json.byArea.find((a) => a.areaId === 'a-east')).toMatchObject({ forceId: 'a', name: 'East', held: 3 });

    const [header, ...lines] = summaryCsv(review).trimEnd().split('\r\n').map((l) => l.split(','));
    expect(header).toEqual([...SUMMARY_COLUMNS]);
    const col = (name: (typeof SUMMARY_COLUMNS)[number]) => SUMMARY_COLUMNS.indexOf(name);
    const areaRows = lines.filter((l) => l[0] === 'AREA');
    expect(areaRows.map((l) => [l[col('panel_name')], l[col('force_id')], l[col('area_id')]])).toEqual([['East', 'a', 'a-east'], ['Not in an area', 'a', ''], ['West', 'b', 'b-west'], ['Not in an area', 'b', '']]);
    expect(areaRows[0]![col('held')]).toBe('3');
    // Each panel row says its area for its force: p1 is East's for force a and in no area for force b.
    const p1 = lines.filter((l) => l[0] === 'p1').map((l) => `${l[col('force_id')]}:${l[col('area_id')]}`);
    expect(p1.sort()).toEqual(['a:a-east', 'b:']);

    const exported = reviewRows(input);
    expect(exported.filter((x) => x.panel_id === 'p4').every((x) => x.area_id === 'a-east')).toBe(true);
    expect(exported.filter((x) => x.panel_id === 'p1' && x.force_id === 'b').every((x) => x.area_id === '')).toBe(true);

    const doc = documentModel({
      review, forceNames: { a: 'Force A', b: 'Force B' }, marking: 'OFFICIAL', producedAt: NOW, producedBy: 'the test',
      audit: { head: { seq: 0, hash: 'x' }, ok: true, problems: 0 }, previousActions: null,
    });
    const blocks = doc.sections.flatMap((s) => s.blocks);
    const at = blocks.findIndex((b) => b.kind === 'heading' && b.text === 'By area');
    expect(at).toBeGreaterThan(-1);
    const table = blocks.slice(at).find((b) => b.kind === 'table') as { rows: string[][] };
    expect(table.rows.map((row) => row.slice(0, 2))).toEqual([['East', 'Force A'], ['Not in an area', 'Force A'], ['All of Force A', 'Force A'], ['West', 'Force B'], ['Not in an area', 'Force B'], ['All of Force B', 'Force B']]);
  });

  it("shows an area's team their area alone, labelled with its force, and refuses another area's", async () => {
    await seed();
    const mine = await loadReview(db.store, EAST_LEAD.aadObjectId, PERIOD, NOW);
    if (!mine.ok) throw new Error(mine.error.message);
    const r = mine.value.review;
    expect(r.scope.label).toBe('East (Force A)');
    // Only force a's part of the joint panel p1: force b's is not the East area's to see.
    expect(r.panels.map((p) => `${p.panelId}/${p.forceId}`).sort()).toEqual(['p1/a', 'p4/a']);
    expect(r.byArea).toEqual([]);
    const asked = await loadReview(db.store, EAST_LEAD.aadObjectId, { areaId: 'a-east', ...PERIOD }, NOW);
    expect(asked.ok && asked.value.review.total).toEqual(r.total);
    // The force's leads and national leads read the area too; the deputy of another force's area does not.
    expect((await loadReview(db.store, LEAD_A.aadObjectId, { areaId: 'a-east', ...PERIOD }, NOW)).ok).toBe(true);
    const refused = await loadReview(db.store, WEST_DEPUTY.aadObjectId, { areaId: 'a-east', ...PERIOD }, NOW);
    expect(refused.ok ? 'shown' : refused.error.code).toBe('FORBIDDEN');
    // An area's team does not see the whole force.
    const force = await loadReview(db.store, EAST_LEAD.aadObjectId, { forceId: 'a', ...PERIOD }, NOW);
    expect(force.ok ? 'shown' : force.error.code).toBe('FORBIDDEN');
  });

  it("keeps an area's history and flags to its panels, as its force", async () => {
    await seed();
    const history = await attendanceHistory(db.store, EAST_LEAD.aadObjectId, { areaId: 'a-east' }, { cursor: null, direction: 'older', limit: 50 }, NOW);
    if (!history.ok) throw new Error(history.error.message);
    expect(new Set(history.value.rows.map((row) => row.panelId))).toEqual(new Set(['p1', 'p4']));
    expect(history.value.rows.flatMap((row) => row.forces.map((f) => f.forceId)).every((f) => f === 'a')).toBe(true);

    const all = (await openFlags(db.store, LEAD_A.aadObjectId, NOW))!.flags;
    const east = (await openFlags(db.store, LEAD_A.aadObjectId, NOW, { areaId: 'a-east' }))!.flags;
    expect(east.length).toBeGreaterThan(0);
    expect(east.length).toBeLessThan(all.length);
    expect(new Set(east.map((f) => f.panelId))).toEqual(new Set(['p1', 'p4']));
    expect(east.every((f) => !f.forceId || f.forceId === 'a')).toBe(true);
    // The national lead's view of one panel holds every force's flags on it, of no other panel.
    const p1 = (await openFlags(db.store, '00000000-0000-4000-8000-000000000004', NOW, { panelId: 'p1' }))!.flags;
    expect(new Set(p1.map((f) => f.panelId))).toEqual(new Set(['p1']));
    expect(p1.some((f) => f.forceId === 'b')).toBe(true);
  });
});
