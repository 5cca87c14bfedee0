import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

interface FilePerson {
  aadObjectId: string;
  name: string;
}

/** The parts of the forces and panels file a test edits. */
export interface SampleFile {
  forces: Array<{ id: string; preventLeads: FilePerson[]; deputies?: FilePerson[] }>;
  panels: Array<{ id: string; forces: string[]; chairs: FilePerson[] }>;
}

/** A forces and panels file written for one test: its path, for PANELS_CONFIG. */
export interface ConfigFile {
  path: string;
  /** Removes it and its folder. */
  remove(): void;
}

/** The shipped sample forces and panels file with `edit` applied, written to a fresh folder. */
export function editedSample(edit: (file: SampleFile) => void): ConfigFile {
  const file = parse(readFileSync('config/panels.sample.yaml', 'utf8')) as SampleFile;
  edit(file);
  const dir = mkdtempSync(join(tmpdir(), 'panel-bot-config-'));
  const path = join(dir, 'panels.yaml');
  writeFileSync(path, stringify(file));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A force or panel of the file, by id; a test naming one that is not there fails here. */
export const byId = <T extends { id: string }>(items: T[], id: string): T => {
  const found = items.find((i) => i.id === id);
  if (!found) throw new Error(`no "${id}" in the sample file`);
  return found;
};
