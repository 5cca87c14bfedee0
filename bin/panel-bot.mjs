#!/usr/bin/env node
// The `panel-bot` command. It runs the JavaScript `npm run build` compiled into dist/ when that build succeeded and
// started after the last change to any source, because loading it is quicker than compiling as it loads; otherwise
// (no build, a failed one, or a source saved since) it runs the TypeScript through tsx, so a stale build never runs
// and no build is needed. PANEL_BOT_RUN=source or PANEL_BOT_RUN=dist picks one (the benchmark measures both).
import { existsSync, readdirSync, statSync } from 'node:fs';
import process from 'node:process';
import { fileURLToPath, pathToFileURL, URL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const CLI_JS = `${root}dist/bot/cli/cli.js`;
/** scripts/build.mjs's stamp of a build that succeeded, dated when that build started. */
const STAMP = `${root}dist/.built`;

/**
 * restify's spdy loads http-deceiver, which calls process.binding('http_parser') and so prints DEP0111 twice
 * on every run. Node's own printer is swapped for one that skips that code, before anything is imported, so
 * warnings raised while modules load are filtered too. With --no-warnings there is no printer to swap, and with
 * --trace-deprecation whoever runs it asked to see them.
 */
function hideDep0111() {
  if (process.listenerCount('warning') === 0 || process.traceDeprecation) return;
  process.removeAllListeners('warning');
  process.on('warning', (w) => {
    if (w.code === 'DEP0111') return;
    process.stderr.write(`(node:${process.pid}) ${w.code ? `[${w.code}] ` : ''}${w.name}: ${w.message}\n`);
  });
}

/**
 * True when a build that succeeded holds the CLI and every .ts file it compiled is older than that build's start:
 * each folder in dist/ (bot, cards, scheduler, and whatever else they import) is checked against its source folder.
 */
function builtIsFresh() {
  if (!existsSync(CLI_JS) || !existsSync(STAMP)) return false;
  const started = statSync(STAMP).mtimeMs;
  const compiled = readdirSync(`${root}dist`, { withFileTypes: true }).filter((e) => e.isDirectory() && existsSync(`${root}${e.name}`));
  return compiled.map((e) => e.name).every((dir) =>
    readdirSync(`${root}${dir}`, { recursive: true }).every(
      (f) => !f.endsWith('.ts') || f.endsWith('.test.ts') || statSync(`${root}${dir}/${f}`).mtimeMs < started,
    ),
  );
}

/** The entry module to run: dist/ when asked for or fresh, else the TypeScript (tsx registered first). */
async function entry() {
  const choice = process.env.PANEL_BOT_RUN || undefined;
  if (choice !== undefined && choice !== 'source' && choice !== 'dist') {
    throw new Error(`PANEL_BOT_RUN is "${choice}"; it takes "source" or "dist"`);
  }
  if (choice === 'dist' && !existsSync(CLI_JS)) throw new Error('PANEL_BOT_RUN=dist but dist/ is not built: run `npm run build`');
  if (choice === 'dist' || (choice === undefined && builtIsFresh())) return CLI_JS;
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch (err) {
    if (err.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    // A production install (npm prune --omit=dev) has no tsx: the build is all there is to run.
    if (existsSync(CLI_JS)) return CLI_JS;
    throw new Error('dist/ is not built and tsx is not installed (a production install): run `npm ci && npm run build` first');
  }
  register();
  return `${root}bot/cli/cli.ts`;
}

hideDep0111();
// Node 22.1 and later keep compiled code between runs (in the OS temp folder, or NODE_COMPILE_CACHE); Node 20 cannot.
(await import('node:module')).enableCompileCache?.();
let path;
try {
  path = await entry();
} catch (err) {
  process.stderr.write(`panel-bot: ${err.message}\n`);
  process.exit(2);
}
const { cliMain } = await import(pathToFileURL(path).href);
await cliMain();
