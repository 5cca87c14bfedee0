// `npm run build`: compiles bot/, cards/, scheduler/ and manifest/ into dist/ (tsconfig.build.json), from empty so no
// file of a deleted source lingers. A stamp is written before the compiler reads anything and, once it has succeeded,
// renamed dist/.built (a rename keeps its time): `panel-bot` runs dist/ only while dist/.built is there and every
// source is older, so a failed or unfinished build, or a file saved during the build, is never run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

const started = `${root}dist/.build-started`;
rmSync(`${root}dist`, { recursive: true, force: true });
mkdirSync(`${root}dist`);
writeFileSync(started, `${new Date().toISOString()}\n`);
const { status } = spawnSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], { stdio: 'inherit' });
if (status === 0) renameSync(started, `${root}dist/.built`);
else rmSync(started, { force: true });
process.exitCode = status ?? 1;
