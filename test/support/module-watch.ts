// Which packages a child process loads: `--import WATCH_MODULES` (before tsx or anything else) appends the file path
// of every module it resolves, ESM imports and CommonJS requires alike, to the file named by MODULE_WATCH_FILE.

/** A Node `--import` argument that records every resolved module's path in $MODULE_WATCH_FILE, one a line. */
export const WATCH_MODULES = `data:text/javascript,${encodeURIComponent(`
import Module, { register } from 'node:module';
import { appendFileSync } from 'node:fs';
const file = process.env.MODULE_WATCH_FILE;
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (...args) {
  const found = resolveFilename.apply(this, args);
  appendFileSync(file, found + '\\n');
  return found;
};
register('data:text/javascript,' + encodeURIComponent(
  'import { appendFileSync } from "node:fs";' +
  'export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(' + JSON.stringify(file) + ', r.url + "\\\\n"); return r; }'));
`)}`;

/** The packages (`botbuilder`, `@microsoft/teams-ai`, …) named in a watched process's record (or a part of it). */
export function loadedPackages(record: string): Set<string> {
  const packages = new Set<string>();
  for (const line of record.split('\n')) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(line);
    if (m) packages.add(m[1]!);
  }
  return packages;
}
