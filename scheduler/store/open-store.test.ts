import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { auditKey } from '../domain/audit-chain.js';
import { openStore } from './open-store.js';

// Opening a SQLite file that is not a database: a clear error, the file left as it was, and no handle left open on it.

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** How many of this process's file descriptors are open on `file`, where /proc tells (Linux, where CI and production run). */
const handlesOn = (file: string) => {
  const real = realpathSync(file);
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === real;
    } catch {
      return false;
    }
  }).length;
};
const procFds = existsSync('/proc/self/fd');

describe('opening the SQLite store', () => {
  it('refuses a file that is not a database, changes nothing in it and leaves no handle open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panel-bot-open-'));
    dirs.push(dir);
    const file = join(dir, 'panels.db');
    const text = 'this is not a SQLite database, whatever its name says\n'.repeat(200);
    writeFileSync(file, text);
    // The count can see a handle at all: the test's own, open on the file while it is counted.
    if (procFds) {
      const fd = openSync(file, 'r');
      expect(handlesOn(file)).toBe(1);
      closeSync(fd);
    }
    await expect(openStore({ kind: 'sqlite', file, auditKey: auditKey('test-audit-key-for-the-suite-only-0123456789') })).rejects.toThrow(/not a database/);
    if (procFds) expect(handlesOn(file)).toBe(0);
    expect(readdirSync(dir)).toEqual(['panels.db']);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
