import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
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

/** How many of this process's file descriptors are open on `file` (Linux). */
const handlesOn = (file: string) => readdirSync('/proc/self/fd').filter((fd) => {
  try {
    return readlinkSync(`/proc/self/fd/${fd}`) === file;
  } catch {
    return false;
  }
}).length;

describe('opening the SQLite store', () => {
  it('refuses a file that is not a database, changes nothing in it and leaves no handle open', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'panel-bot-open-'));
    dirs.push(dir);
    const file = join(dir, 'panels.db');
    const text = 'this is not a SQLite database, whatever its name says\n'.repeat(200);
    writeFileSync(file, text);
    await expect(openStore({ kind: 'sqlite', file, auditKey: auditKey('test-audit-key-for-the-suite-only-0123456789') })).rejects.toThrow(/not a database/);
    expect(handlesOn(file)).toBe(0);
    expect(readdirSync(dir)).toEqual(['panels.db']);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
