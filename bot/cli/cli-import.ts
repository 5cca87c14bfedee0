import { readFile, stat } from 'node:fs/promises';
import type { ParseArgsConfig } from 'node:util';
import { importAttendance, type ImportSummary } from '../../scheduler/meetings/attendance-import.js';
import { RECORD_YEARS } from '../../scheduler/domain/types.js';
import { MAX_FILE_BYTES } from '../../scheduler/meetings/import-rows.js';
import { BadArgument, nowFrom, refuse, withStore, type Command, type CliIo } from './io.js';

export const IMPORT_USAGE = `usage: panel-bot import attendance FILE.csv [--dry-run] [--now ISO-8601] [--json]

Loads past meetings' outcomes from a UTF-8 CSV file whose header is
  date,panel_id,force_id,outcome,attendee_name,attendee_aad_object_id,role_category,role,unit,mode,decision_maker,cancel_reason,not_held_reason
(README, "Importing past attendance", describes each column). The whole file is checked first: any problem refuses it,
listing every problem by line, and nothing is stored. A file may give one force's rows for a panel it shares with
other forces: their records are left as they are. The panels' timetables are planned back to the file's
earliest date, so a month with no row shows as unrecorded. Running it again changes nothing.

  --dry-run      check the file and print what would be stored; store nothing
  --now ISO      the instant to import at (default: now); every date must be before its day, and not more
                 than ${RECORD_YEARS} years before it (the retention period)
  --json         print the summary as JSON

exit status: 0 imported (or nothing to change), 1 refused (problems on stderr), 2 bad usage`;

export const IMPORT_OPTIONS: ParseArgsConfig['options'] = {
  'dry-run': { type: 'boolean' },
  now: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean' },
};

/** `panel-bot import attendance FILE.csv`: all or nothing, every problem of a refused file on stderr by line. */
export const importAttendanceCommand: Command = async (values, config, io) => {
  if (values.help) {
    io.out(IMPORT_USAGE);
    return 0;
  }
  const file = values.file;
  if (typeof file !== 'string' || !file) throw new BadArgument('import attendance needs the file: panel-bot import attendance FILE.csv');
  const now = nowFrom(values);
  const bytes = await readSmallFile(file);
  if (typeof bytes === 'string') return refuse(io, bytes);
  return withStore(config, async (store) => {
    const r = await importAttendance(store, bytes, { now, dryRun: values['dry-run'] === true });
    if (!r.ok) {
      const count = r.problems.length === 1 ? 'a problem' : `${r.problems.length} problems`;
      return refuse(io, `${file} was refused (${count}); nothing was stored.\n${r.problems.map((p) => `  ${p.line ? `line ${p.line}: ` : ''}${p.message}`).join('\n')}`);
    }
    printSummary(io, r.value, values.json === true);
    return 0;
  });
};

/** The file's bytes, or why they cannot be read; a file over the limit is refused before it is read. */
async function readSmallFile(path: string): Promise<Uint8Array | string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) return `${path} is not a file`;
    if (info.size > MAX_FILE_BYTES) return `${path} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; split it into smaller files (by year or by panel) and import each. Nothing was stored.`;
    return await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message}`;
  }
}

function printSummary(io: CliIo, s: ImportSummary, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(s, null, 2));
    return;
  }
  const meetings = (n: number) => `${n} meeting${n === 1 ? '' : 's'}`;
  const { meetings: total } = s; // (the lint reads \`.meetings\` as the Teams meetings API)
  const stored = s.dryRun ? 'would store (dry run: nothing was stored)' : 'stored';
  io.out([
    `import attendance: ${s.rows} rows, ${meetings(total)}; ${stored}:`,
    `  planned back: ${meetings(s.plannedBack)} (a month with no row shows as unrecorded)`,
    `  extra meetings added: ${s.extraMeetings}`,
    `  recorded: ${s.held} held, ${s.notHeld} not held, ${s.cancelled} cancelled; ${s.unchanged} already recorded as the file says (left as they were)`,
    `  force records: ${s.forceRecords}, naming ${s.attendees} attendee${s.attendees === 1 ? '' : 's'}`,
    `  audit entries: ${s.auditEntries}`,
  ].join('\n'));
}
