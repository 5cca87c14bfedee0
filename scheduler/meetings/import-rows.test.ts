import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Force, Panel } from '../domain/types.js';
import { checkRow, COLUMNS, earliestDate, isImportableDate, MAX_FILE_BYTES, readImportFile, type RowContext } from './import-rows.js';

const HEADER = COLUMNS.join(',');
const SAM = '5b0e9a43-1c52-4d0e-9f0a-1f6a2c7e9d01';

const panel = (id: string, forces: string[], retired = false): Panel => ({
  id, name: id, localAuthority: id, forces, chairs: [], teamsChannelId: null, retired,
  timetable: { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' },
});
const force = (id: string): Force => ({ id, name: id, preventLeads: [], deputies: [], teamsChannelId: null, retired: false });
const panels = new Map([['p1', panel('p1', ['a', 'b'])], ['old', panel('old', ['a'], true)]]);
const forces = new Map(['a', 'b', 'c'].map((f) => [f, force(f)]));
const ctx: RowContext = {
  today: '2026-11-22',
  panel: (id) => panels.get(id),
  force: (id) => forces.get(id),
  // Force c was invited to p1's meeting of 2026-03-10 only.
  asked: (p, d) => [...(panels.get(p)?.forces ?? []), ...(p === 'p1' && d === '2026-03-10' ? ['c'] : [])],
};

type Row = Partial<Record<(typeof COLUMNS)[number], string>>;
const ATTENDED: Row = {
  date: '2026-06-09', panel_id: 'p1', force_id: 'a', outcome: 'attended', attendee_name: 'Sam Okafor', attendee_aad_object_id: SAM,
  role_category: 'prevent-officer', role: 'Detective Sergeant', unit: 'local', mode: 'in-person', decision_maker: 'yes',
};

const check = (r: Row, line = 2) => checkRow({ line, fields: COLUMNS.map((c) => r[c] ?? '') }, ctx);
const problems = (r: Row) => {
  const got = check(r);
  return got.ok ? [] : got.problems;
};

describe('checkRow: a good row', () => {
  it('reads an attended row with a cleaned name and role, and the Entra id in lower case', () => {
    const got = check({ ...ATTENDED, attendee_name: ' Sam\u200B  Okafor ', attendee_aad_object_id: SAM.toUpperCase(), role: 'DS\tPrevent' }, 7);
    expect(got).toEqual({
      ok: true,
      row: {
        line: 7, date: '2026-06-09', panelId: 'p1', forceId: 'a', outcome: 'attended', reason: null,
        attendee: { person: { aadObjectId: SAM, name: 'Sam Okafor', tenantId: null }, roleCategory: 'prevent-officer', role: 'DS Prevent', unit: 'local', mode: 'in-person', decisionMaker: 'yes' },
      },
    });
  });

  it('reads an attended row with no Entra id, apologies, absent, and meeting-wide rows with or without a force', () => {
    expect(check({ ...ATTENDED, attendee_aad_object_id: '' })).toMatchObject({ ok: true, row: { attendee: { person: { aadObjectId: null } } } });
    expect(check({ date: '2026-06-09', panel_id: 'p1', force_id: 'b', outcome: 'apologies' })).toMatchObject({ ok: true, row: { outcome: 'apologies', attendee: null } });
    expect(check({ date: '2026-06-09', panel_id: 'p1', force_id: 'b', outcome: 'absent' })).toMatchObject({ ok: true });
    expect(check({ date: '2026-06-09', panel_id: 'p1', outcome: 'cancelled', cancel_reason: 'no-cases' })).toMatchObject({ ok: true, row: { forceId: null, reason: 'no cases to discuss' } });
    expect(check({ date: '2026-06-09', panel_id: 'p1', force_id: 'a', outcome: 'not-held', not_held_reason: 'chair-unavailable' })).toMatchObject({ ok: true, row: { forceId: 'a', reason: 'chair unavailable' } });
  });

  it('accepts a force invited to that one meeting', () => {
    expect(problems({ ...ATTENDED, date: '2026-03-10', force_id: 'c' })).toEqual([]);
    expect(problems({ ...ATTENDED, date: '2026-04-14', force_id: 'c' })).toEqual(["force c is not asked to p1's meetings (its forces: a, b)"]);
  });
});

describe('checkRow: each kind of bad row', () => {
  it.each<[string, Row, RegExp]>([
    ['a missing date', { ...ATTENDED, date: '' }, /^date is required/],
    ['a date in another format', { ...ATTENDED, date: '09/06/2026' }, /^date "09\/06\/2026" is not a real date/],
    ['a date that does not exist', { ...ATTENDED, date: '2026-02-30' }, /not a real date/],
    ['today', { ...ATTENDED, date: '2026-11-22' }, /not in the past: only meetings before today \(2026-11-22\)/],
    ['a future date', { ...ATTENDED, date: '2027-01-12' }, /not in the past/],
    ['a date a day more than 7 years back', { ...ATTENDED, date: '2019-11-21' }, /^date 2019-11-21 is more than 7 years ago: records are kept for 7 years \(the retention period\), so only meetings from 2019-11-22 on can be imported$/],
    ['a date a thousand years back', { ...ATTENDED, date: '1027-03-02' }, /^date 1027-03-02 is more than 7 years ago/],
    ['no panel', { ...ATTENDED, panel_id: '' }, /^panel_id is required/],
    ['an unknown panel', { ...ATTENDED, panel_id: 'atlantis' }, /^panel_id "atlantis" is not a panel this bot knows/],
    ['a retired panel', { ...ATTENDED, panel_id: 'old' }, /^panel old is retired/],
    ['an unknown force', { ...ATTENDED, force_id: 'mars' }, /^force_id "mars" is not a force this bot knows/],
    ['a force not asked to the panel', { ...ATTENDED, force_id: 'c' }, /^force c is not asked to p1's meetings/],
    ['no force on an attended row', { ...ATTENDED, force_id: '' }, /^force_id is required for an attended row/],
    ['no force on an apologies row', { date: '2026-06-09', panel_id: 'p1', outcome: 'apologies' }, /^force_id is required for an apologies row/],
    ['an unknown outcome', { ...ATTENDED, outcome: 'went' }, /^outcome "went" is not one of attended, apologies, absent, not-held, cancelled/],
    ['no outcome', { ...ATTENDED, outcome: '' }, /^outcome is required/],
    ['no attendee name', { ...ATTENDED, attendee_name: '\u200B ' }, /^attendee_name is required for an attended row/],
    ['a name too long', { ...ATTENDED, attendee_name: 'x'.repeat(121) }, /^attendee_name is longer than 120 characters/],
    ['a malformed Entra id', { ...ATTENDED, attendee_aad_object_id: 'sam@example.org' }, /^attendee_aad_object_id "sam@example.org" is not an Entra object id/],
    ['no role category', { ...ATTENDED, role_category: '' }, /^role_category is required for an attended row: one of prevent-officer/],
    ['an unknown role category', { ...ATTENDED, role_category: 'boss' }, /^role_category "boss" is not one of/],
    ['no role', { ...ATTENDED, role: '' }, /^role is required/],
    ['a role too long', { ...ATTENDED, role: 'r'.repeat(81) }, /^role is longer than 80 characters/],
    ['an unknown unit', { ...ATTENDED, unit: 'national' }, /^unit "national" is not one of local, regional/],
    ['no mode', { ...ATTENDED, mode: '' }, /^mode is required/],
    ['an unknown decision-maker answer', { ...ATTENDED, decision_maker: 'maybe' }, /^decision_maker "maybe" is not one of yes, no, unknown/],
    ['attendee fields on an apologies row', { date: '2026-06-09', panel_id: 'p1', force_id: 'a', outcome: 'apologies', attendee_name: 'Sam', role: 'DS' }, /^attendee_name, role must be empty on an apologies row/],
    ['attendee fields on a cancelled row', { date: '2026-06-09', panel_id: 'p1', outcome: 'cancelled', cancel_reason: 'other', unit: 'local' }, /^unit must be empty on a cancelled row/],
    ['a cancelled row without a reason', { date: '2026-06-09', panel_id: 'p1', outcome: 'cancelled' }, /^cancel_reason is required for a cancelled row: one of no-cases, not-quorate, chair-unavailable, rescheduled, other/],
    ['a cancel reason in words', { date: '2026-06-09', panel_id: 'p1', outcome: 'cancelled', cancel_reason: 'no cases to discuss' }, /^cancel_reason "no cases to discuss" is not one of no-cases/],
    ['a not-held row without a reason', { date: '2026-06-09', panel_id: 'p1', outcome: 'not-held' }, /^not_held_reason is required for a not-held row/],
    ['a not-held row with its reason in cancel_reason', { date: '2026-06-09', panel_id: 'p1', outcome: 'not-held', cancel_reason: 'other', not_held_reason: 'other' }, /^cancel_reason must be empty on a not-held row/],
    ['a reason on an attended row', { ...ATTENDED, cancel_reason: 'no-cases' }, /^cancel_reason must be empty on an attended row/],
    ['a reason on an absent row', { date: '2026-06-09', panel_id: 'p1', force_id: 'a', outcome: 'absent', not_held_reason: 'other' }, /^not_held_reason must be empty on an absent row/],
  ])('%s', (_name, row, message) => {
    const got = problems(row);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatch(message);
  });

  it('takes a date exactly 7 years back (the retention period), and counts years as the calendar does', () => {
    expect(problems({ ...ATTENDED, date: '2019-11-22' })).toEqual([]);
    expect(earliestDate('2026-11-22')).toBe('2019-11-22');
    expect(earliestDate('2028-02-29')).toBe('2021-02-28');
    expect(earliestDate('2027-03-01')).toBe('2020-03-01');
    expect(['2021-02-27', '2021-02-28', '2028-02-28', '2028-02-29', '2021-02-30'].map((d) => isImportableDate(d, '2028-02-29'))).toEqual([false, true, true, false, false]);
  });

  it('lists every problem of a row at once', () => {
    expect(problems({ ...ATTENDED, date: '2026-13-01', force_id: 'mars', role_category: 'x', unit: '', decision_maker: 'y' })).toHaveLength(5);
  });

  it('refuses a row with too few or too many fields', () => {
    expect(checkRow({ line: 3, fields: ['2026-06-09', 'p1'] }, ctx)).toEqual({ ok: false, problems: ['has 2 fields where the header has 13'] });
    expect(checkRow({ line: 3, fields: [...COLUMNS.map(() => ''), 'extra'] }, ctx)).toEqual({ ok: false, problems: ['has 14 fields where the header has 13'] });
  });

  it('quotes what it repeats from the file cleaned and cut short', () => {
    const [p] = problems({ ...ATTENDED, outcome: `\u202Eatt${'x'.repeat(60)}` });
    expect(p).toMatch(/^outcome "attx{37}…" is not one of/);
  });
});

const file = (text: string) => readImportFile(new TextEncoder().encode(text));
const line = (r: Row) => COLUMNS.map((c) => r[c] ?? '').join(',');

describe('readImportFile', () => {
  it('accepts a byte-order mark and CRLF, and gives the records after the header with their lines', () => {
    const got = file(`\uFEFF${HEADER}\r\n${line(ATTENDED)}\r\n\r\n${line({ ...ATTENDED, force_id: 'b' })}\r\n`);
    expect(got.ok && got.records.map((r) => [r.line, r.fields[2]])).toEqual([[2, 'a'], [4, 'b']]);
  });

  it('refuses an extra column, naming it, and a missing one', () => {
    const extra = file(`${HEADER},referred_person\n${line(ATTENDED)},x\n`);
    expect(extra.ok).toBe(false);
    expect(!extra.ok && extra.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^column "referred_person" is not part of the format; remove it .*nothing about a referred person/),
      `the header must be exactly: ${HEADER}`,
    ]);
    const missing = file(`${COLUMNS.slice(0, -1).join(',')}\n`);
    expect(!missing.ok && missing.problems[0]).toEqual({ line: 1, message: 'column not_held_reason is missing' });
    const order = file(`${[...COLUMNS].reverse().join(',')}\n${line(ATTENDED)}\n`);
    expect(!order.ok && order.problems[0]!.message).toMatch(/in another order/);
  });

  it('refuses an empty file, a header with no rows, a file that is not UTF-8, and malformed CSV with its line', () => {
    expect(file('')).toEqual({ ok: false, problems: [{ line: 0, message: expect.stringMatching(/^the file is empty/) }] });
    expect(file(`${HEADER}\n`)).toEqual({ ok: false, problems: [{ line: 0, message: expect.stringMatching(/no rows/) }] });
    const latin1 = new Uint8Array([...new TextEncoder().encode(`${HEADER}\n${line(ATTENDED)}\n2026-06-09,p1,a,attended,Ren`), 0xe9, ...new TextEncoder().encode('e,,x,y,z,z,z,,\n')]);
    expect(readImportFile(latin1)).toEqual({ ok: false, problems: [{ line: 3, message: expect.stringMatching(/not UTF-8/) }] });
    expect(file(`${HEADER}\n"unclosed,p1\n`)).toEqual({ ok: false, problems: [{ line: 2, message: expect.stringMatching(/never closed/) }] });
  });

  it('refuses a file over the size or row limit before reading its rows', () => {
    expect(readImportFile(new Uint8Array(MAX_FILE_BYTES + 1))).toEqual({ ok: false, problems: [{ line: 0, message: expect.stringMatching(/larger than 5 MB/) }] });
    const many = file(`${HEADER}\n${'x\n'.repeat(50_001)}`);
    expect(many).toEqual({ ok: false, problems: [{ line: 0, message: expect.stringMatching(/more than 50,000 rows/) }] });
  });
});

describe('never crashes on bad input', () => {
  it('reads any bytes and checks any record without throwing', () => {
    const csvish = fc.array(fc.constantFrom(',', '"', '\n', '\r', 'a', '2026-06-09', 'p1', 'attended', '\u200B', '\uFEFF', 'é', '-'), { maxLength: 60 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 200 }), csvish.map((s) => new TextEncoder().encode(`${HEADER}\n${s}`))), (bytes) => {
        const got = readImportFile(bytes);
        if (got.ok) for (const r of got.records) checkRow(r, ctx);
      }),
      { numRuns: 300 },
    );
  });
});
