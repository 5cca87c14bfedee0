import type { ParseArgsConfig } from 'node:util';
import { RECORD_YEARS } from '../../scheduler/domain/types.js';

// The options and help lines of the commands cli.ts parses for, kept apart from the commands themselves so that
// parsing a command line imports none of them: each command's module is imported only when it runs (cli-commands.ts).

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

/** The command's line in `panel-bot --help`. */
export const PURGE_USAGE = `  purge [--now ISO-8601] [--dry-run]    remove what RETENTION_YEARS and the shorter limits say has been kept long enough,
                                        and print what went; --dry-run prints the same and changes nothing
                                        (a real run refuses a --now over an hour ahead of the clock)`;

export const PURGE_OPTIONS: ParseArgsConfig['options'] = {
  now: { type: 'string' },
  'dry-run': { type: 'boolean' },
};

export const REDACT_USAGE = 'panel-bot redact note MEETING_ID --reason TEXT';

/** `redact note`'s options; the meeting is its one positional argument (`meetingId`). */
export const REDACT_OPTIONS: ParseArgsConfig['options'] = {
  reason: { type: 'string' },
};

/** The command's lines in `panel-bot --help`. */
export const SIGNOFF_USAGE = `  review signoff [--force ID] [--json] [--now ISO-8601]
                                        the recorded review sign-offs, newest first, each with its actions and their
                                        state (open, overdue, done, accepted) on that day`;

export const SIGNOFF_OPTIONS: ParseArgsConfig['options'] = {
  force: { type: 'string' },
  json: { type: 'boolean' },
  now: { type: 'string' },
};
