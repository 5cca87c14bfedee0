// `npm run build`: compiles bot/, cards/, scheduler/ and manifest/ into dist/ (tsconfig.build.json), from empty so no
// file of a deleted source lingers. A stamp is written before the compiler reads anything and, once it has succeeded,
// renamed dist/.built (a rename keeps its time): `panel-bot` runs dist/ only while dist/.built is there and every
// source is older, so a failed or unfinished build, or a file saved during the build, is never run.
// `--out-dir DIR` (relative to the checkout) compiles somewhere else inside it (the production-build test builds its own copy, so it
// never deletes a dist/ that another process is running); the folder must sit below the checkout for the compiled
// code to find node_modules. The output needs no TypeScript tooling: `npm run start:prod` runs it with plain node.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { relative, resolve } from 'node:path';
import process from 'node:process';
import { parseArgs } from 'node:util';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { 'out-dir': { type: 'string', default: 'dist' } } });
const out = resolve(root, values['out-dir']);
if (relative(root, out).startsWith('..') || out === resolve(root)) {
  process.stderr.write(`build: --out-dir must be a folder inside ${root} (the compiled code finds node_modules from there)\n`);
  process.exit(2);
}
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const started = `${out}/.build-started`;
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
writeFileSync(started, `${new Date().toISOString()}\n`);
const { status } = spawnSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`, '--outDir', out], { stdio: 'inherit' });
if (status === 0) renameSync(started, `${out}/.built`);
else rmSync(started, { force: true });
process.exitCode = status ?? 1;
