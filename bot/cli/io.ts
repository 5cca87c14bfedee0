import { userInfo } from 'node:os';
import { DateTime } from 'luxon';
import { rollingRange } from '../../scheduler/domain/date-range.js';
import { periodBound } from '../../scheduler/domain/periods.js';
import type { Store } from '../../scheduler/store/store.js';
import { ConfigError, loadConfig, type AppConfig } from '../config.js';

// What every command of the command line (and `npm run package`) shares: where it writes, how it reads its
// configuration and arguments and opens the store, and how refusals and bad usage become exit statuses (1 and 2).

export interface CliIo {
  out(s: string): void;
  err(s: string): void;
}

export type Values = Record<string, string | boolean | undefined>;
export type Command = (values: Values, config: Readonly<AppConfig>, io: CliIo) => Promise<number>;

/** Refused input the user can correct: exit status 2. */
export class BadArgument extends Error {}

/** An instant from `--now` and the like: ISO-8601 with a date; a bare date or local time is read in Europe/London. */
export function parseInstant(value: string, name: string): string {
  const dt = DateTime.fromISO(value, { zone: 'Europe/London', setZone: false });
  if (!dt.isValid) throw new BadArgument(`--${name} "${value}" is not an ISO-8601 date or instant`);
  return dt.toUTC().toISO() as string;
}

/**
 * A `--from` value as an instant: the start of a day or period (`2026-04-01`, `2026-04`, `2026-Q2`, `2026`,
 * `FY2026`), an instant with a time as it is, or, given `now`, the start of `last 6 months`, `this year` and the like.
 */
export function parseFrom(value: string, name = 'from', now?: string): string {
  const bound = periodBound(value, 'from');
  if (bound.ok) return bound.value;
  const rolling = now === undefined ? null : rollingRange(value, now);
  if (rolling?.ok && rolling.value.from) return rolling.value.from;
  if (rolling && !rolling.ok) throw new BadArgument(`--${name} "${value}": ${rolling.error.message}`);
  throw new BadArgument(`--${name} ${bound.error.message}${now === undefined ? '' : '; or `last 6 months`, `this year` and the like'}`);
}

/** A `--to` value as an exclusive instant: the end of its whole day or period, or an instant with a time as it is. */
export function parseTo(value: string, name = 'to'): string {
  const bound = periodBound(value, 'to');
  if (!bound.ok) throw new BadArgument(`--${name} ${bound.error.message}`);
  return bound.value;
}

/** `--from` and `--to` when given, read as `parseFrom` and `parseTo` do; `--to` must end after `--from` begins. */
export function parseBounds(values: Values, now?: string): { from?: string; to?: string } {
  const from = typeof values.from === 'string' ? parseFrom(values.from, 'from', now) : undefined;
  const to = typeof values.to === 'string' ? parseTo(values.to) : undefined;
  if (from && to && to <= from) throw new BadArgument(`--to "${values.to}" ends before --from "${values.from}" begins`);
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** `--now` when given, else the current instant. */
export const nowFrom = (values: Values): string => (typeof values.now === 'string' ? parseInstant(values.now, 'now') : DateTime.utc().toISO());

/** Who ran a command, as the audit log records them: the operating-system account (the command line has no other). */
export function operator(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Runs `fn` with the configured store open, and closes it whatever happens; `--help` and bad usage never load the store's drivers. */
export async function withStore<T>(config: Readonly<AppConfig>, fn: (store: Store) => Promise<T>): Promise<T> {
  const [{ openStore }, { configuredStore }] = await Promise.all([import('../../scheduler/store/open-store.js'), import('../audit-key.js')]);
  const store = await openStore({
    ...configuredStore(config, null),
    // The entries stay queued for the bot's next pass (or the next command); the operator is told, not left guessing.
    onChainError: (err) => process.stderr.write(`warning: audit entries could not be chained yet (${err instanceof Error ? err.message : String(err)}); they stay queued and the bot chains them on its next pass\n`),
  });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** A refused request: the message on stderr, exit status 1. */
export function refuse(io: CliIo, message: string): number {
  io.err(`panel-bot: ${message}`);
  return 1;
}

/** Wraps a command so a bad argument, found however late, exits 2 with its message. */
export const guarded =
  (cmd: Command): Command =>
  async (values, config, io) => {
    try {
      return await cmd(values, config, io);
    } catch (err) {
      if (!(err instanceof BadArgument)) throw err;
      io.err(`panel-bot: ${err.message}`);
      return 2;
    }
  };

/** The configuration (from the process's environment unless `env` is given), or null once its problems are on stderr. */
export function loadConfigOr(io: CliIo, env?: NodeJS.ProcessEnv): Readonly<AppConfig> | null {
  try {
    return loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    refuse(io, err.message);
    return null;
  }
}

/** Runs an entry point on the process's stdout and stderr and exits with its status; anything it throws exits 1, said. */
export async function runMain(main: (io: CliIo) => Promise<number>): Promise<void> {
  const io: CliIo = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) };
  try {
    process.exitCode = await main(io);
  } catch (err) {
    refuse(io, (err as Error).message);
    process.exitCode = 1;
  }
}
