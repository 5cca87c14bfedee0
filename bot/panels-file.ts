import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Result } from '../scheduler/domain/types.js';
import { fail } from '../scheduler/domain/types.js';
import { parsePanelsConfig, type ConfigWithReaders } from '../scheduler/planning/panels-config.js';

/** Reads and validates the forces-and-panels file (YAML, or JSON by extension); a bad file is refused whole. */
export async function readPanelsFile(path: string): Promise<Result<ConfigWithReaders>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    return fail('CONFIG_UNREADABLE', `cannot read the forces and panels file ${path}: ${(err as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
  } catch (err) {
    return fail('CONFIG_SYNTAX', `the forces and panels file ${path} is not valid ${extname(path) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  const parsed = parsePanelsConfig(doc);
  return parsed.ok ? parsed : fail(parsed.error.code, `${path}: ${parsed.error.message}`);
}
