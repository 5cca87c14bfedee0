import { DateTime } from 'luxon';
import { destination } from 'pino';
import { localDate, toLocalIso } from '../../scheduler/domain/timetable.js';
import { startBot, stopOnSignals, type RunningBot } from '../compose.js';
import { loadConfig, type AppConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { demoConfig, prepareDemoStore, type DemoMarker } from './demo-store.js';

// The entry point of `npm run demo`: the bot exactly as `npm start` runs it, with the real clock, on a database of its
// own (./data/demo) holding a year of invented history that ends today. It reads no .env file, so nothing of a real
// set-up is used or touched.

/** The line a newcomer needs: what this is, where to look and what to try. */
function banner(url: string, m: DemoMarker, fresh: boolean, now: string): string {
  const end = DateTime.fromISO(toLocalIso(m.justEnded.end), { setZone: true });
  const day = end.toISODate() === localDate(now) ? 'today' : 'yesterday';
  const seeded = fresh ? 'seeded now' : 'seeded earlier today, kept';
  return (
    `\nDemo bot on ${url} with a year of INVENTED history for the sample panels (data/demo, ${seeded}). ` +
    'In another terminal run `npm run playground` and open http://127.0.0.1:56150: you are Alex Wilber, a national lead. ' +
    'In Personal Chat type `review` (the figures and the chart), `flags`, `attendance` and `panels`, then `cancel` to cancel or move a coming meeting ' +
    `or to record who attended the ${m.justEnded.panelName} meeting that ended ${day} at ${end.toFormat('HH:mm')}.\n\n`
  );
}

async function main(): Promise<void> {
  let config: Readonly<AppConfig>;
  try {
    config = demoConfig(loadConfig());
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  // Logs written as they happen (pino's default is to write later), so the banner is the last thing on the screen.
  const log = createLogger(config.logLevel, destination({ dest: 1, sync: true }));
  const now = DateTime.utc().toISO();
  let bot: RunningBot;
  let prepared: Awaited<ReturnType<typeof prepareDemoStore>>;
  try {
    prepared = await prepareDemoStore(config, log, now);
    bot = await startBot(config, log);
  } catch (err) {
    log.error({ err }, 'demo start-up failed');
    process.stderr.write(`demo start-up failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
  process.stdout.write(banner(bot.url, prepared.marker, prepared.fresh, now));
  stopOnSignals(bot, log);
}

void main();
