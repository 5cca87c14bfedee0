import { loadConfig, loadDotEnv, type AppConfig } from './config.js';
import { startBot, stopOnSignals, type RunningBot } from './compose.js';
import { createLogger } from './logger.js';

// The entry point of `npm start`: the only module that runs on import, listens and handles signals.
async function main(): Promise<void> {
  loadDotEnv();
  let config: Readonly<AppConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  let bot: RunningBot;
  try {
    bot = await startBot(config, log);
  } catch (err) {
    log.error({ err }, 'start-up failed');
    process.stderr.write(`start-up failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
  stopOnSignals(bot, log);
}

void main();
