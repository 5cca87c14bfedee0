import { loadConfig, loadDotEnv, type AppConfig } from './config.js';
import { createLogger } from './logger.js';

// The entry point of `npm start` and `npm run start:prod`: the only module that runs on import, listens and handles
// signals. The rest of the bot is imported only once the configuration is known, so that OpenTelemetry (when
// APPLICATIONINSIGHTS_CONNECTION_STRING is set) is running before the modules it instruments are loaded, and a bot
// without it loads none of it.
async function main(): Promise<void> {
  await compileCache();
  loadDotEnv();
  let config: Readonly<AppConfig>;
  try {
    config = loadConfig();
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  const log = createLogger(config.logLevel);
  let flushTelemetry = async () => undefined as void;
  try {
    if (config.appInsightsConnectionString) {
      const { startAzureMonitor } = await import('./telemetry/azure-monitor.js');
      flushTelemetry = await startAzureMonitor(config.appInsightsConnectionString, log);
    }
    const { startBot, stopOnSignals } = await import('./compose.js');
    const bot = await startBot(config, log);
    stopOnSignals(bot, log, flushTelemetry);
  } catch (err) {
    log.error({ err }, 'start-up failed');
    process.stderr.write(`start-up failed: ${(err as Error).message}\n`);
    process.exit(1);
  }
}

/**
 * On Node 22.1 and later, keeps V8's compiled code of every module loaded from here on in the OS temp folder (or
 * NODE_COMPILE_CACHE), so a restart skips compiling them; Node 20 has no such cache and this does nothing.
 */
async function compileCache(): Promise<void> {
  const { enableCompileCache } = (await import('node:module')) as { enableCompileCache?: () => unknown };
  enableCompileCache?.();
}

void main();
