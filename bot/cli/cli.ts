import { parseArgs, type ParseArgsConfig } from 'node:util';
import { cliCommands } from './cli-commands.js';
import { IMPORT_OPTIONS, PURGE_OPTIONS, PURGE_USAGE, REDACT_OPTIONS, SIGNOFF_OPTIONS, SIGNOFF_USAGE } from './cli-options.js';
import { loadConfigOr, runMain, type CliIo } from './io.js';

export const USAGE = `usage: panel-bot <command> [options]

commands:
  sync [--now ISO-8601]                 load PANELS_CONFIG into the store and plan meetings 12 months ahead
  schedule [--panel ID] [--force ID] [--from P] [--to P] [--json]
                                        list meetings with status, nominee and flags
  tick [--now ISO-8601]                 run every scheduler job due at that instant once, send, and exit
  review [--force ID] [--area ID] [--panel ID] [--from P] [--to P] [--format text|csv|summary-csv|json|docx|pdf] [--out FILE] [--now ISO-8601]
                                        the recommendation 7 attendance review (default: last 12 months)
${SIGNOFF_USAGE}
  flags [--force ID] [--area ID] [--panel ID] [--from P] [--to P] [--json] [--now ISO-8601]
                                        the open compliance flags in scope, in plain words
  audit verify [--head SEQ:HASH]        check the audit log's keyed chain end to end and against the state tables;
                                        the last line is \`head <seq> <hash>\`: keep it, and give it back as --head SEQ:HASH
  audit seal --legacy-head SEQ:HASH     once, after upgrading: seal the entries written before the chain was keyed
  audit checkpoint [--now ISO-8601]     post the audit log's head to the national leads in Teams now (the conversation
                                        linked with \`link national\`, else their personal chats)
${PURGE_USAGE}
  redact note MEETING_ID --reason TEXT  erase a cancellation's note from its row and the audit log's details, audited
  import attendance FILE.csv [--dry-run] [--now ISO-8601] [--json]
                                        load past meetings' outcomes from a CSV file, all or nothing (--help: the format)

periods P: YYYY-MM-DD, YYYY-MM, YYYY-Qn, YYYY or FY2026 (1 April 2026 to 31 March 2027), Europe/London;
  --to includes its whole day or period; an ISO-8601 instant with a time is exact

exit status: 0 success, 1 refused (message on stderr), 2 bad usage`;

export class UsageError extends Error {}

const OPTIONS: Record<string, ParseArgsConfig['options']> = {
  sync: { now: { type: 'string' } },
  schedule: {
    panel: { type: 'string' },
    force: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
  },
  tick: { now: { type: 'string' } },
  review: {
    force: { type: 'string' },
    area: { type: 'string' },
    panel: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    now: { type: 'string' },
  },
  flags: {
    force: { type: 'string' },
    area: { type: 'string' },
    panel: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
    now: { type: 'string' },
  },
  'review signoff': SIGNOFF_OPTIONS,
  'audit verify': { head: { type: 'string' } },
  'audit checkpoint': { now: { type: 'string' } },
  'audit seal': { 'legacy-head': { type: 'string' } },
  'import attendance': IMPORT_OPTIONS,
  'redact note': REDACT_OPTIONS,
  purge: PURGE_OPTIONS,
};

/** Commands named by two words (`audit verify`, `redact note`). */
const TWO_WORDS = ['audit', 'import', 'redact'];

/** The command argv names: two words for `audit verify` and the like, and `review signoff`; else the first. */
const commandName = (argv: string[]): string =>
  TWO_WORDS.includes(argv[0] ?? '') || (argv[0] === 'review' && argv[1] === 'signoff') ? `${argv[0]} ${argv[1] ?? ''}`.trim() : (argv[0] ?? '');

/** Commands that take one positional argument, and the name its value goes by. */
const POSITIONAL: Record<string, string> = { 'import attendance': 'file', 'redact note': 'meetingId' };

/** Splits argv into a known command and its validated options; throws UsageError on anything else. */
export function parseCommand(argv: string[]): { command: string; values: Record<string, string | boolean | undefined> } {
  const command = commandName(argv);
  const rest = argv.slice(command.split(' ').length);
  const options = OPTIONS[command];
  if (!options) throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  try {
    const positional = POSITIONAL[command];
    const { values, positionals } = parseArgs({ args: rest, options, strict: true, allowPositionals: !!positional });
    if (positionals.length > 1) throw new UsageError(`${command} takes one ${positional}, not ${positionals.length}`);
    return { command, values: { ...(values as Record<string, string | boolean | undefined>), ...(positional ? { [positional]: positionals[0] } : {}) } };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/**
 * `panel-bot <command> --help`: the command's lines of the usage, and the periods and exit statuses. A command
 * with help of its own (`import attendance` prints its file format) takes `--help` as its option instead.
 */
export function commandHelp(argv: string[]): string | null {
  if (!argv.includes('--help') && !argv.includes('-h')) return null;
  const command = commandName(argv);
  if (!OPTIONS[command] || OPTIONS[command]?.help) return null;
  const [, rest = ''] = USAGE.split('\ncommands:\n');
  const [commands = '', ...notes] = rest.split('\n\n');
  const mine = commands.split(/\n(?= {2}\S)/).filter((b) => b.trimStart().startsWith(`${command} `) || b.trim() === command);
  return [`usage: panel-bot ${command} [options]`, ...mine, '', ...notes.join('\n\n').split('\n')].join('\n');
}

/** Runs one CLI invocation and returns its exit status; never calls process.exit itself. */
export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv): Promise<number> {
  if (argv[0] === '--help' || argv[0] === 'help' || argv[0] === '-h') {
    io.out(USAGE);
    return 0;
  }
  const help = commandHelp(argv);
  if (help) {
    io.out(help);
    return 0;
  }
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    io.err(`panel-bot: ${err.message}\n\n${USAGE}`);
    return 2;
  }
  const config = loadConfigOr(io, env);
  if (!config) return 1;
  return cliCommands[parsed.command]!(parsed.values, config, io);
}

/** The `panel-bot` entry point: wires runCli to the process. */
export function cliMain(): Promise<void> {
  return runMain((io) => runCli(process.argv.slice(2), io, process.env));
}
