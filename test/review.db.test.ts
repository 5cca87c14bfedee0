import { beforeEach, describe, expect, it } from 'vitest';
import { attendanceHistory } from '../scheduler/meetings/attendance-history.js';
import type { Meeting } from '../scheduler/domain/types.js';
import { EXPORT_TTL_MS, exportCsv, exportSecret, signExport, verifyExport } from '../scheduler/review/report-links.js';
import { computeReview } from '../scheduler/review/review.js';
import { loadReview, OPERATOR } from '../scheduler/review/review-query.js';
import { CHAIR_2, flagMeetings, LEAD_A, LEAD_B, NATIONAL, NOW, PANELS, PERIOD, seedReviewFixture } from './support/review-fixture.js';
import { STORE_KINDS, useFreshStore } from './support/stores.js';

const STRANGER = 'ffffffff-ffff-4fff-8fff-ffffffffffff';

/** 3 panels x 40 months, p1 and p2 at the same instants, so paging must break ties by id. */
function longHistory(): Meeting[] {
  const out: Meeting[] = [];
  for (let i = 0; i < 40; i++) {
    const day = new Date(Date.UTC(2021, i, 9, 10)).toISOString();
    for (const panelId of ['p1', 'p2', 'p3']) {
      out.push({ id: `${panelId}-h${i}`, panelId, occurrence: null, start: day, end: day.replace('T10', 'T12'), status: 'held', moved: null, extra: false, version: 1, locked: true });
    }
  }
  return out;
}

describe.each(STORE_KINDS)('review repository and use cases on %s', (kind) => {
  const t = useFreshStore(kind);
  beforeEach(async () => {
    await seedReviewFixture(t.store);
  });

  it('loads a period with cancellation reasons, nominations and attendance in set-based reads', async () => {
    const got = await t.store.review.meetingsWithRecords({ panelIds: null, ...PERIOD });
    const want = flagMeetings().sort((a, b) => (a.start === b.start ? (a.id < b.id ? -1 : 1) : a.start < b.start ? -1 : 1));
    expect(got).toEqual(want);
    const p2 = await t.store.review.meetingsWithRecords({ panelIds: ['p2'], ...PERIOD });
    expect(p2.map((m) => m.id)).toEqual(['p2-jan', 'p2-feb', 'p2-mar']);
    expect(await t.store.review.meetingsWithRecords({ panelIds: [], ...PERIOD })).toEqual([]);
  });

  it('loads for a review the meetings whole and exactly the facts its flags and figures read of their records', async () => {
    const byForce = <T extends { forceId: string }>(xs: T[]) => [...xs].sort((a, b) => (a.forceId < b.forceId ? -1 : 1));
    // A record withdrawn (the meeting recorded as not held after all) is not a fact of the meeting any more.
    const [withdrawn] = await t.store.chairs.attendance(['p3-feb']);
    if (!withdrawn) throw new Error('the fixture records p3-feb');
    await t.store.chairs.clearAttendance(withdrawn.meetingId, NOW);
    const whole = await t.store.review.meetingsWithRecords({ panelIds: null, ...PERIOD });
    const want = whole.map((m) => ({
      id: m.id, panelId: m.panelId, occurrence: m.occurrence, start: m.start, end: m.end, status: m.status, moved: m.moved, extra: m.extra, version: m.version, locked: m.locked, createdAt: m.createdAt,
      cancelReason: m.cancelReason, invited: m.invited,
      nominations: byForce(m.nominations.map((n) => ({ forceId: n.forceId, nominatedAt: n.nominatedAt }))),
      attendance: byForce(m.attendance.map((a) => ({ forceId: a.forceId, outcome: a.outcome, attendees: a.attendees, forceConfirmation: a.forceConfirmation, recordedAt: a.recordedAt }))),
    }));
    expect(want.find((m) => m.id === withdrawn.meetingId)?.attendance).toEqual([]);
    expect(want.some((m) => m.nominations.length > 1 && m.attendance.length > 1 && m.cancelReason === null) && want.some((m) => m.cancelReason)).toBe(true);
    const facts = await t.store.review.meetingFacts({ panelIds: null, ...PERIOD });
    expect(facts.map((m) => ({ ...m, nominations: byForce(m.nominations), attendance: byForce(m.attendance) }))).toEqual(want);
    expect((await t.store.review.meetingFacts({ panelIds: ['p2'], ...PERIOD })).map((m) => m.id)).toEqual(['p2-jan', 'p2-feb', 'p2-mar']);
    expect(await t.store.review.meetingFacts({ panelIds: [], ...PERIOD })).toEqual([]);
  });

  it('computes from the store exactly what the hand-checked fixture gives', async () => {
    const r = await loadReview(t.store, NATIONAL.aadObjectId, PERIOD, NOW);
    expect(r.ok && r.value.review).toEqual(computeReview({ scope: { forces: null, panels: null, label: 'all forces' }, panels: PANELS, meetings: flagMeetings(), ...PERIOD, now: NOW }));
  });

  it('shows in the history an ended meeting nobody recorded as such, never as held', async () => {
    const r = await attendanceHistory(t.store, NATIONAL.aadObjectId, { ...PERIOD }, { cursor: null, direction: 'older', limit: 50 }, NOW);
    if (!r.ok) throw new Error(r.error.message);
    const status = new Map(r.value.rows.map((x) => [x.meetingId, x.status]));
    expect(status.get('p1-mar')).toBe('ended, not recorded');
    expect([...status.values()]).toContain('held');
  });

  it('scopes by role from the store and refuses what a person may not see', async () => {
    const scope = async (actor: string | null, req = {}) => {
      const r = await loadReview(t.store, actor, { ...PERIOD, ...req }, NOW);
      return r.ok ? r.value.review.panels.map((p) => p.panelId).join(',') : r.error.code;
    };
    expect(await scope(LEAD_A.aadObjectId)).toBe('p1,p2');
    expect(await scope(LEAD_B.aadObjectId)).toBe('p1,p3');
    expect(await scope(LEAD_A.aadObjectId, { forceId: 'b' })).toBe('FORBIDDEN');
    expect(await scope(LEAD_A.aadObjectId, { panelId: 'p3' })).toBe('FORBIDDEN');
    expect(await scope(CHAIR_2.aadObjectId)).toBe('p2');
    expect(await scope(CHAIR_2.aadObjectId, { forceId: 'a' })).toBe('FORBIDDEN');
    expect(await scope(STRANGER)).toBe('FORBIDDEN');
    expect(await scope(NATIONAL.aadObjectId, { forceId: 'b' })).toBe('p1,p3');
    expect(await scope(OPERATOR, { forceId: 'zz' })).toBe('NOT_FOUND');
  });

  it('pages a long history newest first and back again, without gaps or repeats', async () => {
    const extra = longHistory();
    await t.store.meetings.insertMany(extra, NOW);
    const all = [...extra.map((m) => m.id), ...['p1-jan', 'p1-feb', 'p1-mar', 'p1-extra', 'p2-jan', 'p2-feb', 'p2-mar', 'p2-apr', 'p3-feb']];
    const page = async (cursor: { start: string; id: string } | null, direction: 'older' | 'newer') => {
      const r = await attendanceHistory(t.store, NATIONAL.aadObjectId, {}, { cursor, direction, limit: 7 }, NOW);
      if (!r.ok) throw new Error(r.error.message);
      return { ids: r.value.rows.map((x) => x.meetingId), older: r.value.older, newer: r.value.newer };
    };
    const pages = [await page(null, 'older')];
    while (pages.at(-1)!.older && pages.length < 50) pages.push(await page(pages.at(-1)!.older, 'older'));
    const seen = pages.flatMap((p) => p.ids);
    expect(seen).toHaveLength(all.length);
    expect(new Set(seen)).toEqual(new Set(all));
    expect(pages[0]!.newer).toBeNull();
    expect(pages.slice(0, -1).every((p) => p.ids.length === 7)).toBe(true);
    // Back towards the newest from the oldest page: the same pages, in reverse.
    const back = [pages.at(-1)!];
    while (back.at(-1)!.newer && back.length < 50) back.push(await page(back.at(-1)!.newer, 'newer'));
    expect(back.map((p) => p.ids).reverse()).toEqual(pages.map((p) => p.ids));
  });

  it('keeps one signing secret, whichever of two racing instances writes first', async () => {
    const [a, b] = await Promise.all([t.store.review.setting('s', 'first', NOW), t.store.review.setting('s', 'second', NOW)]);
    expect(a).toBe(b);
    expect(['first', 'second']).toContain(a);
    expect(await t.store.review.setting('s', 'third', NOW)).toBe(a);
    expect(await t.store.review.readSetting('s')).toBe(a);
    expect(await t.store.review.readSetting('never-set')).toBeNull();
  });

  it('serves an export only while the link is intact, unexpired and its holder still has the role', async () => {
    const secret = await exportSecret(t.store, NOW);
    const id = signExport(secret, { aadObjectId: LEAD_A.aadObjectId, request: { forceId: 'a', ...PERIOD }, issuedAt: NOW });
    const csv = await exportCsv(t.store, id, NOW);
    expect(csv.ok && csv.value.split('\r\n').filter(Boolean)).toHaveLength(8);
    const later = new Date(Date.parse(NOW) + EXPORT_TTL_MS).toISOString();
    expect(verifyExport(secret, id, new Date(Date.parse(later) - 1).toISOString())).not.toBeNull();
    expect((await exportCsv(t.store, id, later)).ok).toBe(false);
    const flipped = id.slice(0, 10) + (id[10] === 'A' ? 'B' : 'A') + id.slice(11);
    expect((await exportCsv(t.store, flipped, NOW)).ok).toBe(false);
    await t.store.directory.saveForce({ id: 'a', name: 'Force A', preventLeads: [LEAD_B], deputies: [], teamsChannelId: null, retired: false }, NOW);
    expect((await exportCsv(t.store, id, NOW)).ok).toBe(false);
  });
});
