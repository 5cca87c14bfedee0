/** One CSV record: its fields, and the file line it starts on (1 is the first line of the file). */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** Something wrong with the file at a line, in words for the person who wrote it. */
export interface LineProblem {
  line: number;
  message: string;
}

export interface CsvParse {
  records: CsvRecord[];
  problems: LineProblem[];
  /** More than `maxRecords` records: parsing stopped there. */
  tooMany: boolean;
}

/**
 * Reads RFC 4180 CSV: fields split by commas, records by CRLF (LF or a lone CR accepted too); a quoted field may
 * hold commas, line breaks and doubled quotes. Blank lines are skipped. A malformed record is reported by the line
 * it starts on and left out, and reading goes on at the next line, so one slip does not hide the file's other problems.
 */
export function parseCsv(text: string, maxRecords: number): CsvParse {
  const out: CsvParse = { records: [], problems: [], tooMany: false };
  const reader = { text, at: 0, line: 1 };
  while (reader.at < text.length) {
    const line = reader.line;
    const record = readRecord(reader);
    if ('problem' in record) {
      out.problems.push({ line, message: record.problem });
      skipToNextLine(reader);
      continue;
    }
    if (record.fields.length === 1 && record.fields[0] === '' && !record.quoted) continue;
    if (out.records.length === maxRecords) {
      out.tooMany = true;
      break;
    }
    out.records.push({ line, fields: record.fields });
  }
  return out;
}

interface Reader {
  text: string;
  at: number;
  line: number;
}

type Read = { fields: string[]; quoted: boolean } | { problem: string };

function readRecord(r: Reader): Read {
  const fields: string[] = [];
  let quoted = false;
  for (;;) {
    const isQuoted = r.text[r.at] === '"';
    const field = isQuoted ? readQuoted(r) : readPlain(r);
    if (typeof field !== 'string') return field;
    quoted ||= isQuoted;
    fields.push(field);
    const c = r.text[r.at];
    if (c === ',') {
      r.at += 1;
      continue;
    }
    endLine(r);
    return { fields, quoted };
  }
}

function readPlain(r: Reader): string | { problem: string } {
  const start = r.at;
  while (r.at < r.text.length && !',\r\n'.includes(r.text[r.at]!)) r.at += 1;
  const field = r.text.slice(start, r.at);
  return field.includes('"') ? { problem: 'a field that holds a double quote must be quoted, with the quote doubled ("")' } : field;
}

function readQuoted(r: Reader): string | { problem: string } {
  const parts: string[] = [];
  r.at += 1;
  for (;;) {
    const close = r.text.indexOf('"', r.at);
    if (close < 0) {
      r.at = r.text.length;
      return { problem: 'a quoted field starting on this line is never closed (a double quote is missing)' };
    }
    const chunk = r.text.slice(r.at, close);
    r.line += countLineBreaks(chunk);
    parts.push(chunk);
    r.at = close + 1;
    if (r.text[r.at] !== '"') break;
    parts.push('"');
    r.at += 1;
  }
  const next = r.text[r.at];
  if (next !== undefined && !',\r\n'.includes(next)) return { problem: 'text follows a closing double quote; quote the whole field and double any quote inside it' };
  return parts.join('');
}

/** Line breaks as records count them: CRLF, LF or a lone CR is one. */
const countLineBreaks = (s: string): number => s.match(/\r\n|\r|\n/g)?.length ?? 0;

function endLine(r: Reader): void {
  const c = r.text[r.at];
  if (c === '\r') r.at += r.text[r.at + 1] === '\n' ? 2 : 1;
  else if (c === '\n') r.at += 1;
  else return; // the end of the text
  r.line += 1;
}

function skipToNextLine(r: Reader): void {
  while (r.at < r.text.length && !'\r\n'.includes(r.text[r.at]!)) r.at += 1;
  endLine(r);
}
