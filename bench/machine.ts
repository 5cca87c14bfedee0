// What every bench prints about the machine it ran on: the figures are only comparable at a similar load.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
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

// CPU time, where Linux's /proc gives it (null elsewhere): what a process, the database server and the machine used.
const TICK_MS = (() => {
  try {
    return 1000 / Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    return 10;
  }
})();

/**
 * User and system CPU ms from a /proc/<pid>/stat line (utime and stime are its 14th and 15th fields); with `children`,
 * those of its children that have exited and been waited for too (cutime and cstime, the 16th and 17th).
 */
function statCpuMs(stat: string, children = false): number {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  return (fields[11]! + fields[12]! + (children ? fields[13]! + fields[14]! : 0)) * TICK_MS;
}

/** The CPU ms process `pid` has used so far; null without /proc or once it has gone. */
export function processCpuMs(pid: number): number | null {
  try {
    return statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * The CPU ms every process named `comm` (PostgreSQL's server processes: "postgres") has used so far, its exited
 * children's included (a backend whose connection closed mid-phase is in its parent's count, so the figure does not
 * fall when one exits; it would if the server itself stopped mid-phase); null without /proc, or when no such process is to be seen (a database in another container or machine).
 * Every such process on the machine counts, another database server's too.
 */
export function commandCpuMs(comm: string): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  let total = 0;
  let seen = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')) !== comm) continue;
      total += statCpuMs(stat, true);
      seen += 1;
    } catch {
      // Gone between the listing and the read.
    }
  }
  return seen ? total : null;
}

/** The machine's busy and total CPU ms so far, summed over its cores (/proc/stat); null without /proc. */
export function machineCpuMs(): { busy: number; total: number } | null {
  try {
    const [user, nice, system, idle, iowait, irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const busy = user! + nice! + system! + irq! + softirq! + (steal ?? 0);
    return { busy: busy * TICK_MS, total: (busy + idle! + iowait!) * TICK_MS };
  } catch {
    return null;
  }
}
