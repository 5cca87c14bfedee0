import { describe, expect, it } from 'vitest';
import type { Attendance, MeetingRecord } from '../domain/types.js';
import { groupMeetings, storeConflict, toAnswers, type MeetingImport, type StoredMeeting } from './import-meetings.js';
import type { ImportedAttendee, ImportRow } from './import-rows.js';

const person = (n: number, id = true): ImportedAttendee => ({
  person: { aadObjectId: id ? `5b0e9a43-1c52-4d0e-9f0a-1f6a2c7e9d0${n}` : null, name: `Person ${n}`, tenantId: null },
  roleCategory: 'prevent-officer', role: 'DS', unit: 'local', mode: 'online', decisionMaker: 'yes',
});
let nextLine = 2;
const row = (r: Partial<ImportRow>): ImportRow => ({ line: nextLine++, date: '2026-06-09', panelId: 'p1', forceId: 'a', outcome: 'apologies', attendee: null, reason: null, ...r });
const attended = (forceId: string, n: number, r: Partial<ImportRow> = {}) => row({ forceId, outcome: 'attended', attendee: person(n), ...r });
const group = (...rows: ImportRow[]) => groupMeetings(rows);
const messages = (...rows: ImportRow[]) => group(...rows).problems.map((p) => `${p.line}: ${p.message}`);

describe('groupMeetings', () => {
  it('makes one meeting of a panel and date, several attended rows being several attendees, oldest first', () => {
    nextLine = 2;
    const got = group(row({ date: '2026-07-14', outcome: 'cancelled', forceId: null, reason: 'other' }), attended('a', 1), attended('a', 2), row({ forceId: 'b', outcome: 'absent' }));
    expect(got.problems).toEqual([]);
    expect(got.meetings).toEqual([
      { panelId: 'p1', date: '2026-06-09', lines: [3, 4, 5], rows: [{ line: 3, forceId: 'a', outcome: 'attended' }, { line: 4, forceId: 'a', outcome: 'attended' }, { line: 5, forceId: 'b', outcome: 'absent' }], outcome: 'held', reason: null, forces: [
        { forceId: 'a', outcome: 'attended', attendees: [person(1), person(2)], lines: [3, 4] },
        { forceId: 'b', outcome: 'absent', attendees: [], lines: [5] },
      ] },
      { panelId: 'p1', date: '2026-07-14', lines: [2], rows: [{ line: 2, forceId: null, outcome: 'cancelled' }], outcome: 'cancelled', reason: 'other', forces: [] },
    ]);
  });

  it('accepts the same cancellation on several rows (one per force)', () => {
    const got = group(row({ forceId: 'a', outcome: 'cancelled', reason: 'other' }), row({ forceId: 'b', outcome: 'cancelled', reason: 'other' }));
    expect(got.problems).toEqual([]);
    expect(got.meetings).toHaveLength(1);
  });

  it('refuses a meeting both not taking place and given attendance, naming the lines', () => {
    nextLine = 10;
    expect(messages(row({ forceId: null, outcome: 'cancelled', reason: 'no cases to discuss' }), attended('a', 1), row({ forceId: 'b' }))).toEqual([
      '10: the p1 meeting on 2026-06-09: it is recorded as cancelled (no-cases) on line 10 and given police attendance on lines 11, 12; a meeting that did not take place has none',
    ]);
  });

  it('refuses rows that disagree about why a meeting did not take place', () => {
    nextLine = 2;
    expect(messages(row({ outcome: 'cancelled', reason: 'other' }), row({ outcome: 'not-held', reason: 'other' }))).toEqual([
      '2: the p1 meeting on 2026-06-09: lines 2, 3 disagree about it: cancelled (other) or not-held (other)',
    ]);
  });

  it("takes a held meeting with rows for only some of its forces (one force's own file for a joint panel)", () => {
    nextLine = 5;
    const got = group(attended('a', 1), attended('a', 2));
    expect(got.problems).toEqual([]);
    expect(got.meetings).toEqual([
      { panelId: 'p1', date: '2026-06-09', lines: [5, 6], rows: [{ line: 5, forceId: 'a', outcome: 'attended' }, { line: 6, forceId: 'a', outcome: 'attended' }], outcome: 'held', reason: null, forces: [
        { forceId: 'a', outcome: 'attended', attendees: [person(1), person(2)], lines: [5, 6] },
      ] },
    ]);
    expect(group(row({ forceId: 'b', outcome: 'absent' })).meetings[0]!.forces.map((f) => f.forceId)).toEqual(['b']);
  });

  it("still refuses a force's rows that disagree, and a meeting-wide row mixed with one force's rows", () => {
    nextLine = 2;
    expect(messages(row({ forceId: 'b', outcome: 'absent' }), row({ forceId: 'b', outcome: 'apologies' }))).toEqual([
      '2: the p1 meeting on 2026-06-09: b is given more than one outcome (absent, apologies) on lines 2, 3; give one',
    ]);
    nextLine = 2;
    expect(messages(row({ forceId: 'b', outcome: 'not-held', reason: 'not quorate' }), row({ forceId: 'b', outcome: 'absent' }))).toEqual([
      '2: the p1 meeting on 2026-06-09: it is recorded as not-held (not-quorate) on line 2 and given police attendance on line 3; a meeting that did not take place has none',
    ]);
  });

  it('refuses attended with apologies or absent for one force, a repeated apologies and a repeated attendee', () => {
    nextLine = 2;
    expect(messages(attended('a', 1), row({ forceId: 'a', outcome: 'absent' }), row({ forceId: 'b' }))).toEqual([
      '2: the p1 meeting on 2026-06-09: a is given more than one outcome (attended, absent) on lines 2, 3; give one',
    ]);
    nextLine = 2;
    expect(messages(attended('a', 1), row({ forceId: 'b' }), row({ forceId: 'b' }))[0]).toMatch(/b's apologies is repeated on lines 3, 4/);
    nextLine = 2;
    expect(messages(attended('a', 1), attended('a', 1), row({ forceId: 'b' }))[0]).toMatch(/line 3 names the same a attendee as line 2/);
    nextLine = 2;
    const sameName = { ...person(1, false) };
    expect(messages(attended('a', 1, { attendee: sameName }), attended('a', 1, { attendee: { ...sameName, person: { ...sameName.person, name: 'PERSON 1' } } }), row({ forceId: 'b' }))[0]).toMatch(/line 3 names the same a attendee as line 2/);
  });

  it('takes two attendees of one force without an Entra id, told apart by name', () => {
    nextLine = 2;
    expect(messages(attended('a', 1, { attendee: person(1, false) }), attended('a', 2, { attendee: person(2, false) }), row({ forceId: 'b' }))).toEqual([]);
  });

});

const held: MeetingImport = { panelId: 'p1', date: '2026-06-09', lines: [2, 3], rows: [], outcome: 'held', reason: null, forces: [{ forceId: 'a', outcome: 'attended', attendees: [person(1)], lines: [2] }, { forceId: 'b', outcome: 'absent', attendees: [], lines: [3] }] };
const cancelled: MeetingImport = { panelId: 'p1', date: '2026-06-09', lines: [2], rows: [], outcome: 'cancelled', reason: 'no cases to discuss', forces: [] };
const scheduled: StoredMeeting = { status: 'scheduled', cancelReason: null, record: null, attendance: [] };
const record = (source: MeetingRecord['source'], outcome: MeetingRecord['outcome'] = 'held'): MeetingRecord => ({ meetingId: 'm', outcome, notHeldReason: null, agencies: {}, source, recordedBy: 'x', recordedAt: 'y' });
const attendance = (source: Attendance['source'], outcome: Attendance['outcome'], n?: number): Attendance => ({
  meetingId: 'm', forceId: 'a', outcome, source, forceConfirmation: 'not-needed', confirmedBy: null, confirmedAt: null, recordedBy: 'x', recordedAt: 'y', version: 1,
  attendees: n ? [{ aadObjectId: person(n).person.aadObjectId, tenantId: null, name: `Person ${n}`, roleCategory: 'prevent-officer', role: 'DS', unit: 'local', mode: 'online', decisionMaker: 'yes', substitute: false }] : [],
});

describe('storeConflict', () => {
  it('lets the file record a meeting nobody recorded', () => {
    expect(storeConflict(held, scheduled)).toBeNull();
    expect(storeConflict(cancelled, scheduled)).toBeNull();
  });

  it('never turns a cancellation into anything else, nor takes another reason for it', () => {
    const was = { ...scheduled, status: 'cancelled' as const, cancelReason: 'not quorate' as const };
    expect(storeConflict(held, was)).toBe('was cancelled in the bot (not-quorate), so it cannot be imported as held');
    expect(storeConflict(cancelled, was)).toBe('was cancelled in the bot (not-quorate), not for no-cases');
    expect(storeConflict(cancelled, { ...was, cancelReason: 'no cases to discuss' })).toBeNull();
  });

  it('never cancels a meeting recorded as held or not held', () => {
    expect(storeConflict(cancelled, { ...scheduled, status: 'held', record: record('import') })).toBe('is recorded as held in the bot, so it cannot be imported as cancelled');
  });

  it("never contradicts the chair's record, but may add a force it lacks and correct an earlier import", () => {
    expect(storeConflict(held, { ...scheduled, status: 'not-held', record: record('chair', 'not-held') })).toMatch(/^is recorded as not held by the chair; the file says held/);
    expect(storeConflict(held, { ...scheduled, status: 'held', record: record('chair'), attendance: [attendance('chair', 'attended', 2)] })).toMatch(/already has a's attendance recorded by the chair, and the file differs/);
    expect(storeConflict(held, { ...scheduled, status: 'held', record: record('teams-meeting'), attendance: [attendance('teams-meeting', 'attended', 1)] })).toBeNull();
    expect(storeConflict(held, { ...scheduled, status: 'not-held', record: record('import', 'not-held'), attendance: [] })).toBeNull();
    expect(storeConflict(held, { ...scheduled, status: 'held', record: record('import'), attendance: [attendance('import', 'absent')] })).toBeNull();
  });

  const onlyB: MeetingImport = { ...held, lines: [3], forces: [held.forces[1]!] };
  it('takes one force\'s rows for a meeting whose other force someone else recorded, leaving that record alone', () => {
    // The chair (or a Teams meeting) recorded a only: the file may add b.
    expect(storeConflict(onlyB, { ...scheduled, status: 'held', record: record('chair'), attendance: [attendance('chair', 'attended', 2)] })).toBeNull();
    // An earlier import recorded a (its force's own file): b's file leaves it, and may correct its own earlier record.
    expect(storeConflict(onlyB, { ...scheduled, status: 'held', record: record('import'), attendance: [attendance('import', 'attended', 1), { ...attendance('import', 'apologies'), forceId: 'b' }] })).toBeNull();
    // What the chair recorded for b is still never contradicted.
    expect(storeConflict(onlyB, { ...scheduled, status: 'held', record: record('chair'), attendance: [{ ...attendance('chair', 'apologies'), forceId: 'b' }] })).toMatch(/already has b's attendance recorded by the chair, and the file differs/);
  });

  it("never lets a not-held row erase a force's attendance the file does not name", () => {
    const notHeld = (...forceIds: Array<string | null>): MeetingImport => ({
      ...cancelled, outcome: 'not-held', reason: 'not quorate', lines: forceIds.map((_, i) => i + 2), rows: forceIds.map((forceId, i) => ({ line: i + 2, forceId, outcome: 'not-held' })),
    });
    const importedHeld: StoredMeeting = { ...scheduled, status: 'held', record: record('import'), attendance: [attendance('import', 'attended', 1), { ...attendance('import', 'absent'), forceId: 'b' }] };
    expect(storeConflict(notHeld(null), importedHeld)).toBe(
      "has a's and b's attendance from an earlier import, which a not-held row would erase. If it did not take place, give the not-held row for each force recorded (a, b); otherwise leave it out of the file",
    );
    expect(storeConflict(notHeld('b'), importedHeld)).toMatch(/^has a's attendance from an earlier import, which a not-held row would erase/);
    expect(storeConflict(notHeld('a', 'b'), importedHeld)).toBeNull();
    expect(storeConflict(notHeld(null), { ...scheduled, status: 'held', record: record('import'), attendance: [] })).toBeNull();
    // A chair's force record (under an imported meeting record) is never erased, named or not.
    expect(storeConflict(notHeld('a'), { ...importedHeld, attendance: [attendance('chair', 'attended', 1)] })).toBe(
      "has a's attendance recorded by the chair, which a not-held row would erase. Correct it in Teams, or leave it out of the file",
    );
  });
});

describe('toAnswers', () => {
  it("gives the chair's answers, keeping other agencies someone recorded", () => {
    expect(toAnswers(held, { health: 2 })).toEqual({ outcome: 'held', agencies: { health: 2 }, forces: [{ forceId: 'a', outcome: 'attended', attendees: [person(1)] }, { forceId: 'b', outcome: 'absent', attendees: [] }] });
    expect(toAnswers({ ...cancelled, outcome: 'not-held' }, {})).toEqual({ outcome: 'not-held', notHeldReason: 'no cases to discuss', agencies: {}, forces: [] });
  });
});
