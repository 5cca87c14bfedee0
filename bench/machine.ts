// What every bench prints about the machine it ran on: the figures are only comparable at a similar load.
import { availableParallelism, loadavg } from 'node:os';

/** The 1, 5 and 15 minute load averages and the core count, as one line's words. */
export function loadAverage(): string {
  const [one, five, fifteen] = loadavg().map((n) => n.toFixed(2));
  return `load average ${one} / ${five} / ${fifteen} (1 / 5 / 15 min) on ${availableParallelism()} cores`;
}

/**
 * Runs one bench between two lines giving the load average at its start and end: the machine is shared, and a
 * figure taken while something else ran says so beside it.
 */
export async function withLoadAverage(name: string, bench: () => Promise<void>): Promise<void> {
  console.log(`[${name}] start: ${loadAverage()}`);
  try {
    await bench();
  } finally {
    console.log(`[${name}] end: ${loadAverage()}`);
  }
}

/** The value of `--name N` or `--name=N` on the command line, else of the environment variable, else the default. */
export function numberOption(flag: string, envName: string, fallback: number): number {
  const argv = process.argv;
  const at = argv.indexOf(`--${flag}`);
  const raw = at >= 0 ? argv[at + 1] : (argv.find((a) => a.startsWith(`--${flag}=`))?.slice(flag.length + 3) ?? process.env[envName]);
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${flag} (or ${envName}) must be a number of 0 or more, not ${JSON.stringify(raw)}`);
  return n;
}
