import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { localDate } from '../../scheduler/domain/timetable.js';
import type { Log } from '../../scheduler/log.js';
import { openStore } from '../../scheduler/store/open-store.js';
import { configuredStore } from '../audit-key.js';
import { isLoopback, type AppConfig } from '../config.js';
import { schedulerLock } from '../scheduler-lock.js';
import { DEMO_PANELS_FILE, seedDemo, type DemoSummary } from '../../demo/seed.js';

/** Where `npm run demo` keeps its database (and its local audit key): never `npm start`'s own ./data files. */
export const DEMO_DATA_DIR = './data/demo';

const MARKER = 'seeded.json';
const markerSchema = z.object({
  day: z.string(), now: z.string(), from: z.string(), meetings: z.number(), steps: z.number(),
  justEnded: z.object({ meetingId: z.string(), panelId: z.string(), panelName: z.string(), end: z.string() }),
});
export type DemoMarker = z.infer<typeof markerSchema>;

/**
 * The configuration `npm run demo` runs with: whatever the environment says about port, logging and timings, but
 * always local mode, SQLite under DEMO_DATA_DIR with the key kept there, and the sample panels the demo is written for.
 */
export function demoConfig(base: Readonly<AppConfig>): Readonly<AppConfig> {
  const host = isLoopback(base.host) ? base.host : '127.0.0.1';
  return Object.freeze({
    ...base, host, appId: '', appPassword: '', appTenantId: '', appType: 'MultiTenant' as const, allowedTenantIds: [], homeTenantId: null, partnerTenantIds: [], localMode: true,
    databaseUrl: null, migrationDatabaseUrl: null, auditKey: null, dataDir: DEMO_DATA_DIR, panelsConfig: DEMO_PANELS_FILE,
    publicBaseUrl: `http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${base.port}`,
  });
}

function readMarker(dir: string): DemoMarker | null {
  try {
    const parsed = markerSchema.safeParse(JSON.parse(readFileSync(join(dir, MARKER), 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Makes sure the demo database holds the invented year ending today: kept when it was seeded today (so what someone
 * did in the Playground survives a restart), otherwise made again from scratch at `now`. Refuses while another demo
 * runs on the same folder. Returns the seeding's summary and whether it was made now.
 */
export async function prepareDemoStore(config: Readonly<AppConfig>, log: Log, now: string): Promise<{ marker: DemoMarker; fresh: boolean }> {
  const dir = config.dataDir;
  const file = join(dir, 'panels.db');
  const kept = readMarker(dir);
  if (kept && kept.day === localDate(now) && existsSync(file)) return { marker: kept, fresh: false };
  mkdirSync(dir, { recursive: true });
  const lock = schedulerLock(`${file}.scheduler.lock`);
  const holder = lock.acquire();
  if (holder) throw new Error(`another demo (process ${holder.pid}) is running on ${dir}; stop it first`);
  try {
    rmSync(join(dir, MARKER), { force: true });
    for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${file}${suffix}`, { force: true });
    log.info({ dir, now }, 'seeding the demo database with a year of invented history');
    // Quietly: the bot warns about the local audit key itself when it starts, a moment later.
    const store = await openStore(configuredStore(config, null));
    let summary: DemoSummary;
    try {
      summary = await seedDemo(store, now);
    } finally {
      await store.close();
    }
    const marker: DemoMarker = { day: localDate(now), now, ...summary };
    writeFileSync(join(dir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
    return { marker, fresh: true };
  } finally {
    lock.release();
  }
}
