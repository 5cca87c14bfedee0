import { describe, expect, it } from 'vitest';
import { csvCell, REVIEW_COLUMNS, reviewCsv, type ReviewRow } from './review-csv.js';

/** What each cell becomes. Issue 13: full-width `＝`, a formula after leading spaces and `;` got through. */
const CELLS: Array<[string, string, string]> = [
  ['a formula', '=1+1', "'=1+1"],
  ['a formula after leading spaces', '  =1+1', "'  =1+1"],
  ['a formula after a full-width space', '\u3000=1+1', "'\u3000=1+1"],
  ['a formula after a no-break space', '\u00a0=1+1', "'\u00a0=1+1"],
  ['a formula after a line feed (quoted too)', '\n=1', `"'\n=1"`],
  ['a leading tab', '\t=1', "'\t=1"],
  ['a tab after a space', ' \tx', "' \tx"],
  ['a leading carriage return (quoted too)', '\r=1', `"'\r=1"`],
  ['a full-width equals sign', '＝1+1', "'＝1+1"],
  ['a full-width plus sign', '＋1', "'＋1"],
  ['a full-width hyphen-minus', '－1', "'－1"],
  ['a full-width at sign', '＠SUM(A1)', "'＠SUM(A1)"],
  ['a small equals sign', '\ufe66A1', "'\ufe66A1"],
  ['a small plus sign', '\ufe62A1', "'\ufe62A1"],
  ['a small hyphen-minus', '\ufe63A1', "'\ufe63A1"],
  ['a minus sign', '\u22121', "'\u22121"],
  ['an at sign', '@SUM', "'@SUM"],
  ['a plus sign', '+1', "'+1"],
  ['a hyphen-minus', '-1', "'-1"],
  ['a semicolon (the list separator in many locales)', 'a;b', '"a;b"'],
  ['a comma', 'a,b', '"a,b"'],
  ['a quote', 'say "hi"', '"say ""hi"""'],
  ['a line break', 'line\nbreak', '"line\nbreak"'],
  ['a carriage return inside', 'line\r\nbreak', '"line\r\nbreak"'],
  ['a formula that also needs quotes', '=HYPERLINK("https://evil.example";"x")', `"'=HYPERLINK(""https://evil.example"";""x"")"`],
  ['a plain name', 'Gareth Owen', 'Gareth Owen'],
  ['a sign later in the cell', 'DI - Hampshire', 'DI - Hampshire'],
  ['a local time with its offset', '2027-05-03T10:00:00+01:00', '2027-05-03T10:00:00+01:00'],
  ['a number of days', '10.0', '10.0'],
  ['spaces only', '   ', '   '],
  ['an empty cell', '', ''],
];

describe('a CSV cell', () => {
  it.each(CELLS)('%s', (_, value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });
});

describe('the review export', () => {
  it('escapes every cell of a row, so a hostile name or role reaches the spreadsheet as text', () => {
    const row = Object.fromEntries(REVIEW_COLUMNS.map((c) => [c, ''])) as unknown as ReviewRow;
    const csv = reviewCsv([{ ...row, meeting_id: 'southampton.2027-05-03', nominee: '＝HYPERLINK("https://evil.example")', nominee_role: ' @SUM(1;2)' }]);
    const [header, line, end] = csv.split('\r\n');
    expect(header).toBe(REVIEW_COLUMNS.join(','));
    expect(end).toBe('');
    const cells = Object.fromEntries(REVIEW_COLUMNS.map((c, i) => [c, line!.split(',')[i]]));
    expect(cells).toMatchObject({ meeting_id: 'southampton.2027-05-03', nominee: `"'＝HYPERLINK(""https://evil.example"")"`, nominee_role: `"' @SUM(1;2)"` });
  });
});
