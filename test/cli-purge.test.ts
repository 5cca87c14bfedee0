import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { purgeCommand } from '../bot/cli/cli-purge.js';
import { guarded } from '../bot/cli/io.js';
import { loadConfig } from '../bot/config.js';
import { storeOptions } from '../scheduler/store/open-store.js';
import { cliRunner } from './support/cli-runner.js';
import { dumpStore } from './support/store-dump.js';

// The sample timetables run from 2020: a sync in January 2020 plans a year that two years on is all past the cutoff.
// A real purge may not run as of the future, so the store keeps two years (the least allowed) and runs in the past.
const OLD = '2020-01-15T09:00:00Z';
const RECENT = '2022-09-01T09:00:00Z';
const NOW = '2023-03-16T10:00:00Z';
const FUTURE = '2999-01-01T00:00:00Z';

describe('panel-bot purge', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-purge-'));
    env = { DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml', RETENTION_YEARS: '2' };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = cliRunner(() => env);
  /** The command as the lead wires it (`guarded`), run in process on the configuration `env` gives. */
  const purge = async (...args: string[]) => {
    const values: Record<string, string | boolean> = {};
    for (let i = 0; i < args.length; i += 1) {
      if (args[i] === '--dry-run') values['dry-run'] = true;
      else if (args[i] === '--now') values.now = args[++i]!;
    }
    const out: string[] = [];
    const err: string[] = [];
    const code = await guarded(purgeCommand)(values, loadConfig(env), { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const dump = () => dumpStore(storeOptions(null, dir));

  it('prints on a dry run what a real run then removes, changing nothing, and the log still verifies after', async () => {
    await run('sync', '--now', OLD);
    await run('sync', '--now', RECENT);
    const stored = await dump();
    const dry = await purge('--now', NOW, '--dry-run');
    expect(dry.code).toBe(0);
    expect(await dump()).toEqual(stored);
    const lines = dry.out.split('\n');
    expect(lines[0]).toBe('purge: retention 2 years; meetings that ended before 2021-03-16 (Europe/London)');
    expect(lines[1]).toMatch(/^meetings would go: \d+ \((?:[a-z-]+ \d+, )+[a-z-]+ \d+\)$/);
    expect(lines[1]).toContain('southampton 12');
    expect(lines.at(-1)).toBe('dry run: nothing was changed');

    const real = await purge('--now', NOW);
    expect(real.code).toBe(0);
    expect(real.out.split('\n').slice(0, -1)).toEqual(lines.slice(0, -1).map((l) => l.replace('would go', 'removed')));
    expect(real.out).toMatch(/\nrecorded in audit entry \d+$/);
    expect(await run('audit', 'verify')).toMatchObject({ code: 0, out: expect.stringMatching(/^audit log intact: .* with details erased, each recorded/) });

    const again = await purge('--now', NOW);
    expect(again.out).toMatch(/^meetings removed: 0$/m);
    expect(again.out.split('\n').at(-1)).toBe('nothing to remove');
  });

  it('refuses a real purge as of more than an hour ahead of the clock, changing nothing; a dry run may look ahead', async () => {
    await run('sync', '--now', OLD);
    const stored = await dump();
    const refused = await purge('--now', FUTURE);
    expect(refused).toMatchObject({ code: 2, out: '' });
    expect(refused.err).toMatch(/^panel-bot: --now 2999-01-01T00:00:00\.000Z is more than an hour ahead of the clock \(.+\): .* Use --dry-run to see what a future purge would remove$/);
    expect(await dump()).toEqual(stored);
    const dry = await purge('--now', FUTURE, '--dry-run');
    expect(dry.code).toBe(0);
    expect(dry.out).toMatch(/^meetings would go: [1-9]\d* /m);
    expect(await dump()).toEqual(stored);
  });

  it('lets a real purge run as of a few minutes ahead of the clock (clocks drift), or of the past', async () => {
    const soon = new Date(Date.now() + 30 * 60_000).toISOString();
    expect((await purge('--now', soon)).code).toBe(0);
    expect((await purge('--now', NOW)).code).toBe(0);
    expect((await purge()).code).toBe(0);
  });

  it('refuses a --now that is not an instant, as bad usage', async () => {
    expect(await purge('--now', 'next tuesday')).toMatchObject({ code: 2, err: expect.stringMatching(/--now "next tuesday" is not an ISO-8601 date or instant/) });
  });
});
