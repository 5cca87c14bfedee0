import type { Log } from './log.js';

/** A job the scheduler runs; `due` decides from the instant of its last run in this process (null: never). */
export interface Job {
  name: string;
  due(now: string, lastRun: string | null): boolean;
  run(now: string): Promise<void>;
}

export interface SchedulerDeps {
  jobs: Job[];
  clock: () => string;
  log: Log;
  /** Asked before each timed pass; false skips it (another process schedules on this SQLite file). */
  mayRun?: () => boolean | Promise<boolean>;
  /** Told of each job run (the shell counts and times them for its metrics); the scheduler itself keeps no clock. */
  observer?: JobObserver;
}

/** Watches job runs: `started` is called as a job starts and returns what to call with its outcome when it ends. */
export interface JobObserver {
  started(job: string): (outcome: 'ok' | 'failed') => void;
}

/** Runs every due job once for `now`, one after another; a failing job is logged and does not stop the others. */
export async function runDueJobs(deps: SchedulerDeps, lastRuns: Map<string, string>, now: string): Promise<string[]> {
  const ran: string[] = [];
  for (const job of deps.jobs) {
    if (!job.due(now, lastRuns.get(job.name) ?? null)) continue;
    const ended = deps.observer?.started(job.name);
    try {
      await job.run(now);
      ended?.('ok');
      lastRuns.set(job.name, now);
      ran.push(job.name);
    } catch (err) {
      ended?.('failed');
      deps.log.error({ err, job: job.name }, 'scheduler job failed; it will be retried on the next pass');
    }
  }
  return ran;
}

export interface RunningScheduler {
  /** Runs one pass now and resolves when it is done. */
  pass(): Promise<string[]>;
  /** Stops the timer and waits for a pass in progress. */
  stop(): Promise<void>;
}

/** Starts the scheduler loop: a pass at once, then one every intervalMs; passes never overlap. */
export function startScheduler(deps: SchedulerDeps, intervalMs: number): RunningScheduler {
  const lastRuns = new Map<string, string>();
  let current: Promise<string[]> = Promise.resolve([]);
  let stopped = false;
  const pass = () => {
    current = current.then(async () => (stopped || !(await (deps.mayRun?.() ?? true)) ? [] : runDueJobs(deps, lastRuns, deps.clock())));
    return current;
  };
  const timer = setInterval(() => void pass(), intervalMs);
  timer.unref();
  void pass();
  return {
    pass,
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

/** Due when it has never run here, or when at least `ms` has passed since it last did. */
export const every =
  (ms: number) =>
  (now: string, lastRun: string | null): boolean =>
    lastRun === null || Date.parse(now) - Date.parse(lastRun) >= ms;
