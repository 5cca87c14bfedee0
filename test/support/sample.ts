import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { PanelsConfig } from '../../scheduler/domain/types.js';
import { parsePanelsConfig } from '../../scheduler/planning/panels-config.js';

/** The shipped sample forces and panels, parsed and validated. */
export function sampleConfig(): PanelsConfig {
  const r = parsePanelsConfig(parse(readFileSync('config/panels.sample.yaml', 'utf8')));
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}
