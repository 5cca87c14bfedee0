import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../bot/cli/cli.js';
import { readPanelsFile } from '../bot/panels-file.js';
import { parsePanelsConfig } from '../scheduler/planning/panels-config.js';
import { storeOptions } from '../scheduler/store/open-store.js';
import { sampleConfig } from './support/sample.js';
import { dumpStore, type StoreDump } from './support/store-dump.js';

const RUNS = { numRuns: 150 };
const NOW = '2027-04-01T08:00:00.000Z';

/** Sets `value` at a random path inside a copy of `doc` (the path picked by `choices`, one index per level). */
function mutate(doc: unknown, choices: number[], value: unknown): unknown {
  if (choices.length === 0 || doc === null || typeof doc !== 'object') return value;
  const copy: Record<string, unknown> = Array.isArray(doc) ? ([...doc] as unknown as Record<string, unknown>) : { ...(doc as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return value;
  const key = keys[choices[0]! % keys.length]!;
  copy[key] = mutate(copy[key], choices.slice(1), value);
  return copy;
}

describe('bad forces-and-panels files', () => {
  let dir: string;
  beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'panel-bot-fuzz-config-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses any document that is not a config, listing problems by path, without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (doc) => {
        const r = parsePanelsConfig(doc);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.problems?.length).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  it('refuses or accepts the sample with one value anywhere changed, never throws, and names the path of each problem', () => {
    const sample = JSON.parse(JSON.stringify(sampleConfig())) as unknown;
    fc.assert(
      fc.property(fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.oneof(fc.jsonValue(), fc.string()), (path, value) => {
        const r = parsePanelsConfig(mutate(sample, path, value));
        if (!r.ok) expect(r.problems!.every((p) => /^[^:]*: /.test(p))).toBe(true);
      }),
      RUNS,
    );
  });

  it('refuses random YAML and JSON files, and alias bombs, with a message naming the file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.jsonValue().map((v) => stringify(v))), fc.constantFrom('yaml', 'json'), async (text, ext) => {
        const file = join(dir, `panels.${ext}`);
        writeFileSync(file, text);
        const r = await readPanelsFile(file);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.error.message).toContain(file);
      }),
      RUNS,
    );
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`)].join('\n');
    writeFileSync(join(dir, 'bomb.yaml'), bomb);
    expect(await readPanelsFile(join(dir, 'bomb.yaml'))).toMatchObject({ ok: false });
  });
});

describe('bad command-line arguments, in process', () => {
  let dir: string;
  let baseline: StoreDump;
  const env = () => ({ DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml' });
  const run = async (argv: string[], e: NodeJS.ProcessEnv = env()) => {
    const err: string[] = [];
    const code = await runCli(argv, { out: () => undefined, err: (s) => err.push(s) }, e);
    return { code, err: err.join('\n') };
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-fuzz-cli-'));
    expect((await run(['sync', '--now', NOW])).code).toBe(0);
    baseline = await dumpStore(storeOptions(null, dir));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses random arguments with exit status 1 or 2 and a message, and changes nothing', async () => {
    // An instant luxon cannot read: sync and tick with a real one legitimately write.
    const notAnInstant = fc.string().filter((s) => !DateTime.fromISO(s).isValid);
    const option = fc.tuple(fc.constantFrom('--now', '--panel', '--force', '--from', '--to', '--json', '--format', '--', '-x', '--help'), fc.oneof(fc.string(), notAnInstant));
    const known = fc.tuple(fc.constantFrom(['sync'], ['tick'], ['schedule'], ['audit', 'verify'], ['audit'], ['review']), fc.array(option, { maxLength: 3 }), notAnInstant);
    const argv = fc.oneof(
      fc.array(fc.string(), { maxLength: 5 }).filter((a) => !['help', '--help', '-h'].includes(a[0] ?? '')),
      known.map(([cmd, opts, bad]) => [...cmd, ...opts.flat(), ...(cmd[0] === 'sync' || cmd[0] === 'tick' ? ['--now', bad] : [])]),
    );
    await fc.assert(
      fc.asyncProperty(argv, async (args) => {
        const r = await run(args);
        // `schedule`, `review` and `audit verify` with harmless options simply answer.
        if (r.code !== 0) {
          expect([1, 2]).toContain(r.code);
          expect(r.err).toMatch(/^panel-bot: /);
        }
      }),
      { numRuns: 100 },
    );
    expect(await dumpStore(storeOptions(null, dir))).toEqual(baseline);
  });

  it('refuses a sync from a broken forces-and-panels file with exit status 1, and changes nothing', async () => {
    const file = join(dir, 'broken.yaml');
    await fc.assert(
      fc.asyncProperty(fc.string(), async (text) => {
        writeFileSync(file, text);
        expect(await run(['sync', '--now', NOW], { ...env(), PANELS_CONFIG: file })).toMatchObject({ code: 1, err: expect.stringContaining(file) });
      }),
      { numRuns: 50 },
    );
    expect(await dumpStore(storeOptions(null, dir))).toEqual(baseline);
  });
});
