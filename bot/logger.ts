import { pino } from 'pino';
import type { Log } from '../scheduler/log.js';
import type { AppConfig } from './config.js';

/** Structured JSON logs on stdout (pino); `err` fields are serialised with their stack. */
export function createLogger(level: AppConfig['logLevel']): Log {
  return pino({ level, base: { app: 'channel-panel-bot' }, timestamp: pino.stdTimeFunctions.isoTime });
}
