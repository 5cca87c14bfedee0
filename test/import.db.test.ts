import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditLog } from '../scheduler/audit/verify.js';
import { importAttendance, type ImportSummary } from '../scheduler/meetings/attendance-import.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { listSchedule } from '../scheduler/planning/schedule-view.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { loadReview, OPERATOR } from '../scheduler/review/review-query.js';
import { sampleConfig } from './support/sample.js';
import { dumpStore } from './support/store-dump.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore, type TestStore } from './support/stores.js';

const NOW = '2026-11-22T12:00:00.000Z';
const FIXTURE = readFileSync('test/fixtures/attendance-import.csv', 'utf8');
const [HEADER, ...ROWS] = FIXTURE.trimEnd().split('\n') as [string, ...string[]];
const SAM = '5b0e9a43-1c52-4d0e-9f0a-1f6a2c7e9d01';
const CHAIR = '8e81973e-0bec-47b0-b898-d190f9ebdacc'; // Joanne Ellis, chair of peterborough-rutland in the sample

const bytes = (text: string) => new TextEncoder().encode(text);
const csv = (...rows: string[]) => bytes(`${HEADER}\n${rows.join('\n')}\n`);
const run = (t: TestStore, file: Uint8Array | string = FIXTURE, dryRun = false, now = NOW) =>
  importAttendance(t.store, typeof file === 'string' ? bytes(file) : file, { now, dryRun });
const audit = async (t: TestStore) => t.store.audit.page(0, 1_000_000);

const FIRST_RUN: ImportSummary = {
  dryRun: false, rows: 10, meetings: 6, plannedBack: 12, extraMeetings: 1, held: 4, notHeld: 1, cancelled: 1, unchanged: 0, forceRecords: 7, attendees: 5,
  // 12 planned back, 1 extra added, 1 cancellation, 5 meeting records and 7 force records by the chair's path, 10 rows.
  auditEntries: 36,
};

describe.each(STORE_KINDS)('attendance import on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: NOW });

  it('stores a valid file as a chair would record it, with source import', async () => {
    expect(await run(t)).toEqual({ ok: true, value: FIRST_RUN });
    const june = (await t.store.chairs.attendance(['peterborough-rutland.2026-06-09'])).sort((a, b) => a.forceId.localeCompare(b.forceId));
    expect(june).toMatchObject([
      { forceId: 'cambs', outcome: 'attended', source: 'import', forceConfirmation: 'not-needed', recordedBy: 'system', recordedAt: NOW, attendees: [
        { aadObjectId: SAM, name: 'Sam Okafor', roleCategory: 'prevent-officer', role: 'Detective Sergeant', unit: 'local', mode: 'in-person', decisionMaker: 'yes' },
        { aadObjectId: '5b0e9a43-1c52-4d0e-9f0a-1f6a2c7e9d02', name: 'Reid, Jo', roleCategory: 'prevent-supervisor', role: 'Inspector, Prevent', unit: 'regional', mode: 'online', decisionMaker: 'unknown' },
      ] },
      { forceId: 'leics', outcome: 'apologies', attendees: [], source: 'import' },
    ]);
    const july = await t.store.chairs.attendance(['peterborough-rutland.2026-07-14']);
    expect(july.find((a) => a.forceId === 'leics')!.attendees).toMatchObject([{ aadObjectId: null, name: 'Chris Patel', roleCategory: 'neighbourhood-officer' }]);
    expect(july.find((a) => a.forceId === 'cambs')).toMatchObject({ outcome: 'absent', attendees: [] });
    expect(await t.store.chairs.meetingRecords(['peterborough-rutland.2026-08-11'])).toMatchObject([{ outcome: 'not-held', notHeldReason: 'not quorate', source: 'import' }]);
    expect(await t.store.chairs.cancellations(['peterborough-rutland.2026-09-08'])).toEqual([
      { meetingId: 'peterborough-rutland.2026-09-08', reason: 'no cases to discuss', note: '', cancelledBy: 'system', noteRedactedAt: null, cancelledAt: NOW },
    ]);
    expect(await t.store.meetings.get('peterborough-rutland.2026-09-23.extra-1000')).toMatchObject({ extra: true, status: 'held', start: '2026-09-23T09:00:00.000Z', end: '2026-09-23T11:00:00.000Z' });
    expect(await verifyAuditLog(t.store, TEST_AUDIT_KEY)).toMatchObject({ broken: null });
  });

  it('plans the timetables back to the earliest date, so months with no row show as unrecorded', async () => {
    await run(t);
    const { meetings } = await listSchedule(t.store, { panelId: 'peterborough-rutland', from: '2026-06-01T00:00:00Z', to: NOW }, NOW);
    expect(meetings.map((m) => [m.start.slice(0, 10), m.status, m.extra])).toEqual([
      ['2026-06-09', 'held', false], ['2026-07-14', 'held', false], ['2026-08-11', 'not-held', false], ['2026-09-08', 'cancelled', false],
      ['2026-09-23', 'held', true], ['2026-10-13', 'scheduled', false], ['2026-11-10', 'scheduled', false],
    ]);
    expect(meetings.find((m) => m.id === 'peterborough-rutland.2026-06-09')!.attendance.map((a) => a.source)).toEqual(['import', 'import']);
    // Nothing before the earliest date is planned: the file says nothing about May.
    expect(await t.store.meetings.get('peterborough-rutland.2026-05-12')).toBeNull();
    const review = async (panelId: string) => {
      const r = await loadReview(t.store, OPERATOR, { panelId, from: '2026-06-01T00:00:00Z', to: '2026-11-22T00:00:00Z' }, NOW);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.review.total;
    };
    // Counted per panel and force: each of the joint panel's two forces sees 6 planned meetings and the held extra one.
    expect(await review('peterborough-rutland')).toMatchObject({ due: 14, held: 6, notHeld: 2, cancelled: 2, unrecorded: 4, extra: 2 });
    expect(await review('cambridgeshire')).toMatchObject({ due: 6, held: 1, unrecorded: 5 });
    // A later sync agrees with what was planned back.
    expect((await syncPanels(t.store, sampleConfig(), NOW)).changes).toBe(0);
  });

  it('writes one attendance.imported audit entry per row, with its line, and no case content', async () => {
    await run(t);
    const rows = (await audit(t)).filter((e) => e.action === 'attendance.imported');
    expect(rows.map((e) => e.details!.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(rows[0]).toMatchObject({ actor: 'system', subject: { meetingId: 'peterborough-rutland.2026-06-09', panelId: 'peterborough-rutland', forceId: 'cambs' }, details: { outcome: 'attended', source: 'import', file: expect.stringMatching(/^[0-9a-f]{64}$/) } });
    expect(rows[5]).toMatchObject({ subject: { meetingId: 'peterborough-rutland.2026-08-11' }, details: { outcome: 'not-held' } });
    expect(rows[5]!.subject).not.toHaveProperty('forceId');
    const cancel = (await audit(t)).find((e) => e.action === 'meeting.cancelled')!;
    expect(cancel.details).toEqual({ reason: 'no cases to discuss', note: '', version: 2, source: 'import' });
  });

  it('changes nothing when run again: no new audit entries, no version bumps', async () => {
    await run(t);
    const before = await dumpStore(t.options);
    expect(await run(t)).toEqual({ ok: true, value: { ...FIRST_RUN, plannedBack: 0, extraMeetings: 0, held: 0, notHeld: 0, cancelled: 0, unchanged: 6, forceRecords: 0, attendees: 0, auditEntries: 0 } });
    expect(await dumpStore(t.options)).toEqual(before);
  });

  it('stores nothing on a dry run, and counts exactly what a run would store', async () => {
    const before = await dumpStore(t.options);
    expect(await run(t, FIXTURE, true)).toEqual({ ok: true, value: { ...FIRST_RUN, dryRun: true } });
    expect(await dumpStore(t.options)).toEqual(before);
    expect(await run(t)).toEqual({ ok: true, value: FIRST_RUN });
  });

  it('matches a meeting moved off a bank holiday by its actual date, and makes every date of a when-necessary panel an extra meeting', async () => {
    const r = await run(t, csv(
      '2026-05-05,southampton,hampshire,absent,,,,,,,,,',
      '2026-10-01,isles-of-scilly,devon-cornwall,apologies,,,,,,,,,',
    ));
    expect(r).toMatchObject({ ok: true, value: { meetings: 2, extraMeetings: 1 } });
    expect(await t.store.meetings.get('southampton.2026-05-04')).toMatchObject({ status: 'held', start: '2026-05-05T09:00:00.000Z', moved: { reason: 'bank holiday: Early May bank holiday' } });
    expect(await t.store.meetings.get('isles-of-scilly.2026-10-01.extra-1000')).toMatchObject({ status: 'held', extra: true });
  });

  it('plans back only the past the bot never planned, with the timetable as it is now', async () => {
    // The bot has planned this panel since January under the second Tuesday; the rule is now the third.
    const config = sampleConfig();
    await syncPanels(t.store, config, '2026-01-01T12:00:00.000Z');
    config.panels.find((p) => p.id === 'peterborough-rutland')!.timetable = { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=3TU', start: '10:00', minutes: 120, from: '2020-01-01' };
    await syncPanels(t.store, config, NOW);
    const r = await run(t, csv('2025-10-21,peterborough-rutland,,cancelled,,,,,,,,no-cases,'));
    expect(r).toMatchObject({ ok: true, value: { plannedBack: 3, cancelled: 1 } });
    const ids = (await t.store.meetings.list({ panelIds: ['peterborough-rutland'], to: '2026-03-01T00:00:00Z' })).map((m) => m.id);
    expect(ids).toEqual(['peterborough-rutland.2025-10-21', 'peterborough-rutland.2025-11-18', 'peterborough-rutland.2025-12-16', 'peterborough-rutland.2026-01-13', 'peterborough-rutland.2026-02-10']);
  });

  describe('refuses a bad file whole, naming each problem by line, and stores nothing', () => {
    let before: Awaited<ReturnType<typeof dumpStore>>;
    beforeEach(async () => {
      before = await dumpStore(t.options);
    });
    const refused = async (file: Uint8Array | string, line: number, message: RegExp) => {
      const r = await run(t, file);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.problems).toContainEqual({ line, message: expect.stringMatching(message) });
      expect(await dumpStore(t.options)).toEqual(before);
    };

    it.each<[string, string[], number, RegExp]>([
      ['a date in the future', [...ROWS, '2026-12-08,peterborough-rutland,,cancelled,,,,,,,,no-cases,'], 12, /not in the past/],
      ['a date that does not exist', [...ROWS, '2026-02-30,peterborough-rutland,,cancelled,,,,,,,,no-cases,'], 12, /not a real date/],
      ['an unknown panel', [...ROWS, '2026-06-10,atlantis,,cancelled,,,,,,,,no-cases,'], 12, /"atlantis" is not a panel/],
      ['a force not asked to the panel', [...ROWS.slice(0, 9), '2026-10-21,cambridgeshire,leics,absent,,,,,,,,,'], 11, /force leics is not asked to cambridgeshire's meetings/],
      ['an unknown outcome', [...ROWS.slice(0, 3), ROWS[3]!.replace('absent', 'missing'), ...ROWS.slice(4)], 5, /outcome "missing" is not one of/],
      ['an attended row without a role', [ROWS[0]!.replace('Detective Sergeant', ''), ...ROWS.slice(1)], 2, /role is required/],
      ['attendee fields on an apologies row', [...ROWS.slice(0, 2), ROWS[2]!.replace('apologies,,', 'apologies,Sam Okafor,'), ...ROWS.slice(3)], 4, /attendee_name must be empty on an apologies row/],
      ['a cancelled row without a reason', [...ROWS.slice(0, 6), ROWS[6]!.replace('no-cases', ''), ...ROWS.slice(7)], 8, /cancel_reason is required/],
      ['a not-held row without a reason', [...ROWS.slice(0, 5), ROWS[5]!.replace('not-quorate', ''), ...ROWS.slice(6)], 7, /not_held_reason is required/],
      ['a cancelled meeting with force rows', [...ROWS, '2026-09-08,peterborough-rutland,cambs,absent,,,,,,,,,'], 8, /recorded as cancelled \(no-cases\) on line 8 and given police attendance on line 12/],
      ['a date more than 7 years back', [...ROWS, '1027-03-02,peterborough-rutland,,cancelled,,,,,,,,no-cases,'], 12, /^date 1027-03-02 is more than 7 years ago: records are kept for 7 years \(the retention period\)/],
      ['a force given two outcomes in its own file', [ROWS[3]!, ROWS[3]!.replace('absent', 'apologies')], 2, /cambs is given more than one outcome \(absent, apologies\) on lines 2, 3/],
      ['attended and apologies for one force', [...ROWS, '2026-06-09,peterborough-rutland,cambs,apologies,,,,,,,,,'], 2, /cambs is given more than one outcome \(attended, apologies\) on lines 2, 3, 12/],
      ['an extra column', [], 1, /column "case_ref" is not part of the format/],
    ])('%s', async (name, rows, line, message) => {
      const file = name === 'an extra column' ? `${HEADER},case_ref\n${ROWS.map((r) => `${r},x`).join('\n')}\n` : csv(...rows);
      await refused(file, line, message);
    });

    it('lists every problem of the file, each with its line', async () => {
      const r = await run(t, csv(...ROWS, '2026-06-10,atlantis,,cancelled,,,,,,,,no-cases,', '2026-06-09,peterborough-rutland,cambs,apologies,,,,,,,,,', 'not,enough'));
      expect(!r.ok && r.problems.map((p) => p.line)).toEqual([2, 12, 14]);
      expect(!r.ok && r.error.message).toMatch(/^The file was refused; nothing was stored.\nline 2: /);
      expect(await dumpStore(t.options)).toEqual(before);
    });
  });

  describe("loads one force's own past for a panel it shares, leaving the other force's records as they are", () => {
    // peterborough-rutland faces cambs and leics; each force's file has its own rows and the meeting-wide ones.
    const ofForce = (force: string) => ROWS.filter((r) => r.split(',')[1] === 'peterborough-rutland' && ['', force].includes(r.split(',')[2]!));
    const CAMBS = csv(...ofForce('cambs'));
    const LEICS = csv(...ofForce('leics'));
    const HELD = ['peterborough-rutland.2026-06-09', 'peterborough-rutland.2026-07-14', 'peterborough-rutland.2026-09-23.extra-1000'];
    const records = async (force: string) => (await t.store.chairs.attendance(HELD)).filter((a) => a.forceId === force).sort((a, b) => a.meetingId.localeCompare(b.meetingId));
    const review = async (forceId: string) => {
      const r = await loadReview(t.store, OPERATOR, { forceId, panelId: 'peterborough-rutland', from: '2026-06-01T00:00:00Z', to: '2026-11-22T00:00:00Z' }, NOW);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.review.total;
    };

    it('takes either force alone, then the other, each recorded as its file says; a re-run of either changes nothing', async () => {
      expect(await run(t, CAMBS)).toMatchObject({ ok: true, value: { rows: 6, meetings: 5, extraMeetings: 1, held: 3, notHeld: 1, cancelled: 1, unchanged: 0, forceRecords: 3, attendees: 3 } });
      const cambs = await records('cambs');
      expect(cambs.map((a) => [a.meetingId, a.outcome, a.attendees.length, a.source, a.version])).toEqual([
        [HELD[0], 'attended', 2, 'import', 1], [HELD[1], 'absent', 0, 'import', 1], [HELD[2], 'attended', 1, 'import', 1],
      ]);
      // Leicestershire has no record of those meetings: each shows as held with its attendance unrecorded.
      expect(await records('leics')).toEqual([]);
      expect(await review('leics')).toMatchObject({ held: 3, notHeld: 1, cancelled: 1, attendanceUnrecorded: 3 });
      expect(await review('cambs')).toMatchObject({ held: 3, attendanceUnrecorded: 0 });

      expect(await run(t, LEICS)).toEqual({
        ok: true,
        // Only Leicestershire's three force records and its three rows are written; the meeting-wide rows agree with what is stored.
        value: { dryRun: false, rows: 5, meetings: 5, plannedBack: 0, extraMeetings: 0, held: 3, notHeld: 0, cancelled: 0, unchanged: 2, forceRecords: 3, attendees: 1, auditEntries: 6 },
      });
      expect(await records('cambs')).toEqual(cambs);
      expect((await records('leics')).map((a) => [a.meetingId, a.outcome, a.attendees.map((p) => p.name), a.source, a.version])).toEqual([
        [HELD[0], 'apologies', [], 'import', 1], [HELD[1], 'attended', ['Chris Patel'], 'import', 1], [HELD[2], 'absent', [], 'import', 1],
      ]);
      expect(await review('leics')).toMatchObject({ held: 3, attendanceUnrecorded: 0 });

      const before = await dumpStore(t.options);
      expect(await run(t, CAMBS)).toMatchObject({ ok: true, value: { meetings: 5, unchanged: 5, forceRecords: 0, auditEntries: 0 } });
      expect(await run(t, LEICS)).toMatchObject({ ok: true, value: { meetings: 5, unchanged: 5, forceRecords: 0, auditEntries: 0 } });
      expect(await dumpStore(t.options)).toEqual(before);
      expect(await verifyAuditLog(t.store, TEST_AUDIT_KEY)).toMatchObject({ broken: null });
    });

    it("lets a force's later file correct only its own earlier import", async () => {
      await run(t, CAMBS);
      await run(t, LEICS);
      const cambs = await records('cambs');
      const corrected = csv(...ofForce('leics').map((r) => (r.startsWith('2026-07-14') ? '2026-07-14,peterborough-rutland,leics,apologies,,,,,,,,,' : r)));
      expect(await run(t, corrected)).toMatchObject({ ok: true, value: { held: 1, unchanged: 4, forceRecords: 1, attendees: 0 } });
      expect(await records('cambs')).toEqual(cambs);
      expect((await records('leics')).find((a) => a.meetingId === HELD[1])).toMatchObject({ outcome: 'apologies', attendees: [], version: 2, source: 'import' });
    });

    it("refuses a not-held row that would erase the other force's imported attendance", async () => {
      await run(t, CAMBS);
      const before = await dumpStore(t.options);
      const notHeld = csv('2026-06-09,peterborough-rutland,leics,not-held,,,,,,,,,not-quorate');
      expect(await run(t, notHeld)).toMatchObject({ ok: false, problems: [{ line: 2, message: expect.stringMatching(/^the peterborough-rutland meeting on 2026-06-09 has cambs's attendance from an earlier import, which a not-held row would erase/) }] });
      expect(await dumpStore(t.options)).toEqual(before);
    });
  });

  it('never imports a meeting cancelled in the bot as held, nor contradicts what the chair recorded', async () => {
    await run(t, csv(ROWS[6]!));
    let before = await dumpStore(t.options);
    const held = csv('2026-09-08,peterborough-rutland,cambs,absent,,,,,,,,,', '2026-09-08,peterborough-rutland,leics,absent,,,,,,,,,');
    expect(await run(t, held)).toMatchObject({ ok: false, problems: [{ line: 2, message: 'the peterborough-rutland meeting on 2026-09-08 was cancelled in the bot (no-cases), so it cannot be imported as held' }] });
    expect(await dumpStore(t.options)).toEqual(before);

    const october = csv(ROWS[7]!.replace('09-23', '10-13'), ROWS[8]!.replace('09-23', '10-13'));
    expect(await run(t, october)).toMatchObject({ ok: true, value: { held: 1 } });
    const chair = await recordAttendance(t.store, 'peterborough-rutland.2026-10-13', {
      outcome: 'held', agencies: { health: 1 }, forces: [
        { forceId: 'cambs', outcome: 'absent', attendees: [] },
        { forceId: 'leics', outcome: 'apologies', attendees: [] },
      ],
    }, CHAIR, NOW);
    expect(chair.ok).toBe(true);
    before = await dumpStore(t.options);
    const differs = await run(t, october);
    expect(differs).toMatchObject({ ok: false, problems: [{ line: 2, message: expect.stringMatching(/already has cambs's attendance recorded by the chair, and the file differs/) }] });
    expect(await dumpStore(t.options)).toEqual(before);
    // One force's rows agreeing with the chair change nothing; disagreeing, they are refused.
    expect(await run(t, csv('2026-10-13,peterborough-rutland,cambs,absent,,,,,,,,,'))).toMatchObject({ ok: true, value: { meetings: 1, unchanged: 1, auditEntries: 0 } });
    expect(await run(t, csv('2026-10-13,peterborough-rutland,leics,absent,,,,,,,,,'))).toMatchObject({ ok: false, problems: [{ line: 2, message: expect.stringMatching(/already has leics's attendance recorded by the chair/) }] });
    expect(await dumpStore(t.options)).toEqual(before);
  });
});
