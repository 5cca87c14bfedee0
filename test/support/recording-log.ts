import type { Log } from '../../scheduler/log.js';

export interface LogLine {
  level: 'info' | 'warn' | 'error' | 'debug';
  obj: object;
  msg: string;
}

/** A Log that keeps every line, so a test can assert on what an operator would read. */
export function recordingLog(): Log & { lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at = (level: LogLine['level']) => (obj: object, msg = '') => void lines.push({ level, obj, msg });
  const log = { lines, info: at('info'), warn: at('warn'), error: at('error'), debug: at('debug'), child: () => log };
  return log;
}
