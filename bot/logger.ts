import { pino, type DestinationStream, type Logger } from 'pino';
import type { Log } from '../scheduler/log.js';
import type { AppConfig } from './config.js';

/** Structured JSON logs (pino) on stdout, or on `destination` for tests; `err` fields keep their stack. */
export function createLogger(level: AppConfig['logLevel'], destination?: DestinationStream): Log & Logger {
  const options = { level, base: { app: 'channel-panel-bot' }, timestamp: pino.stdTimeFunctions.isoTime };
  return destination ? pino(options, destination) : pino(options);
}
