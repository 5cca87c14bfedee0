import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import type { Log } from '../scheduler/log.js';

/** Who holds the lock, as written in the lock file. */
const holderSchema = z.object({ pid: z.number().int(), host: z.string(), token: z.string(), since: z.string() });
type Holder = z.infer<typeof holderSchema>;

export interface LockDeps {
  pid?: number;
  host?: string;
  /** Wall-clock milliseconds: a lease is about processes being alive, not about the business clock. */
  now?: () => number;
  /** Whether a process with this id runs on this machine. */
  alive?: (pid: number) => boolean;
  /** A holder on another machine (a shared volume) is presumed dead when its heartbeat is older than this. */
  staleMs?: number;
}

export interface SchedulerLock {
  /** Takes the lock if free or abandoned, renews it if ours; returns who holds it now (null: we do). */
  acquire(): Holder | null;
  /** Gives the lock up if we hold it. */
  release(): void;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): Holder | null {
  try {
    const parsed = holderSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The one-scheduler-per-SQLite-file lock: a file beside the database naming the process that schedules.
 * A holder that died (kill -9, power cut) is detected at once on the same machine by its process id, so a
 * restart takes over without waiting out a lease; on another machine, by a heartbeat gone stale.
 */
export function schedulerLock(path: string, deps: LockDeps = {}): SchedulerLock {
  const me: Holder = { pid: deps.pid ?? process.pid, host: deps.host ?? hostname(), token: randomUUID(), since: '' };
  const now = deps.now ?? Date.now;
  const alive = deps.alive ?? pidAlive;
  const staleMs = deps.staleMs ?? 10 * 60_000;
  const abandoned = (h: Holder | null): boolean => {
    if (!h) return true;
    if (h.host === me.host) return !alive(h.pid);
    return now() - statSync(path).mtimeMs > staleMs;
  };
  const tryCreate = (): boolean => {
    try {
      writeFileSync(path, JSON.stringify({ ...me, since: new Date(now()).toISOString() }), { flag: 'wx' });
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
  };
  return {
    acquire() {
      if (tryCreate()) return null;
      const holder = readHolder(path);
      if (holder?.token === me.token) {
        const t = new Date(now());
        utimesSync(path, t, t);
        return null;
      }
      if (!abandoned(holder)) return holder;
      unlinkSync(path);
      return tryCreate() ? null : readHolder(path);
    },
    release() {
      if (readHolder(path)?.token === me.token) unlinkSync(path);
    },
  };
}

/** The scheduler's gate on SQLite: says once when another process schedules, and again when this one takes over. */
export function sqliteSchedulerGate(dbFile: string, log: Log, deps: LockDeps = {}) {
  const lock = schedulerLock(`${dbFile}.scheduler.lock`, deps);
  let standing: 'unknown' | 'owner' | 'standby' = 'unknown';
  return {
    mayRun: (): boolean => {
      const holder = lock.acquire();
      if (holder && standing !== 'standby') {
        log.warn(
          { file: dbFile, holderPid: holder.pid, holderHost: holder.host, since: holder.since },
          'another process is running the scheduler on this SQLite file: SQLite is for one instance (use PostgreSQL for several). This one serves requests but does not schedule, and takes over if that process stops',
        );
      }
      if (!holder && standing === 'standby') log.info({ file: dbFile }, 'the other scheduler stopped; this process schedules now');
      standing = holder ? 'standby' : 'owner';
      return !holder;
    },
    release: () => lock.release(),
  };
}
