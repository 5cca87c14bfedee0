import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv-records.js';

const fields = (text: string) => parseCsv(text, 100).records.map((r) => r.fields);

describe('parseCsv (RFC 4180)', () => {
  it('splits records on CRLF, LF or a lone CR, and keeps empty fields', () => {
    expect(fields('a,b,c\r\n1,,3\n,,\r4,5,6')).toEqual([['a', 'b', 'c'], ['1', '', '3'], ['', '', ''], ['4', '5', '6']]);
  });

  it('reads quoted fields holding commas, doubled quotes and line breaks, and counts lines by where records start', () => {
    const r = parseCsv('h1,h2\r\n"Reid, Jo","say ""hi"""\r\n"two\r\nlines",x\r\nlast,""\r\n', 100);
    expect(r.problems).toEqual([]);
    expect(r.records).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['Reid, Jo', 'say "hi"'] },
      { line: 3, fields: ['two\r\nlines', 'x'] },
      { line: 5, fields: ['last', ''] },
    ]);
  });

  it('skips blank lines but not a record of one quoted empty field', () => {
    expect(parseCsv('a\n\n\nb\n""\n', 100).records).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
      { line: 5, fields: [''] },
    ]);
  });

  it('reports a stray quote, text after a closing quote and an unclosed quote by line, and reads on', () => {
    const r = parseCsv('a,b\nx"y,1\n"x"y,2\nok,3\n"never closed,4\nz,5\n', 100);
    expect(r.problems.map((p) => p.line)).toEqual([2, 3, 5]);
    expect(r.problems[0]!.message).toMatch(/must be quoted/);
    expect(r.problems[1]!.message).toMatch(/follows a closing double quote/);
    expect(r.problems[2]!.message).toMatch(/never closed/);
    expect(r.records.map((x) => x.fields[0])).toEqual(['a', 'ok']);
  });

  it('stops after the limit and says so', () => {
    const r = parseCsv('1\n2\n3\n4\n', 3);
    expect(r.tooMany).toBe(true);
    expect(r.records).toHaveLength(3);
    expect(parseCsv('1\n2\n3\n', 3).tooMany).toBe(false);
  });
});
