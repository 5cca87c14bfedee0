import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** Lints a snippet as if it lived at `filePath` and returns the rule ids it breaks. */
async function broken(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('the lint rule that keeps the domain core pure', () => {
  it.each([
    ["import pg from 'pg';", 'pg driver'],
    ["import { CloudAdapter } from 'botbuilder';", 'botbuilder'],
    ["import { Application } from '@microsoft/teams-ai';", 'teams-ai'],
    ["import { loadConfig } from '../../bot/config.js';", 'the shell'],
  ])('refuses %s in scheduler/domain (%s)', async (code) => {
    expect(await broken(`${code}\nexport const x = 1;`, 'scheduler/domain/example.ts')).toContain('no-restricted-imports');
  });

  it('refuses process and a hidden clock in the domain', async () => {
    const rules = await broken('export const a = process.env.X;\nexport const b = new Date();\nexport const c = Date.now();', 'scheduler/domain/example.ts');
    expect(rules).toEqual(['no-restricted-globals', 'no-restricted-syntax', 'no-restricted-syntax']);
  });

  it('keeps SDK imports inside bot/', async () => {
    expect(await broken("import restify from 'restify';\nexport const x = restify;", 'cards/example.ts')).toContain('no-restricted-imports');
    expect(await broken("import restify from 'restify';\nexport const x = restify;", 'bot/example.ts')).toEqual([]);
  });

  it('lets the store use its drivers but not the shell', async () => {
    expect(await broken("import pg from 'pg';\nexport const x = pg;", 'scheduler/store/example.ts')).toEqual([]);
    expect(await broken("import { x } from '../../bot/config.js';\nexport const y = x;", 'scheduler/store/example.ts')).toContain('no-restricted-imports');
  });
});

describe('the lint rule against import loops (house rule 13)', () => {
  it('refuses two modules that import each other, and accepts the same two without the loop', async () => {
    // Files on disk: a loop is only seen by following real imports. Removed whatever happens.
    const dir = join('scheduler', `cycle-probe-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    try {
      writeFileSync(join(dir, 'a.ts'), "import { b } from './b.js';\nexport const a = (): unknown => b;\n");
      writeFileSync(join(dir, 'b.ts'), "import { a } from './a.js';\nexport const b = (): unknown => a;\n");
      const looped = await eslint.lintFiles([dir]);
      expect(looped.flatMap((r) => r.messages.map((m) => m.ruleId))).toEqual(['import-x/no-cycle', 'import-x/no-cycle']);
      writeFileSync(join(dir, 'b.ts'), 'export const b = (): unknown => 1;\n');
      const fresh = new ESLint({ cwd: process.cwd() });
      expect((await fresh.lintFiles([dir])).flatMap((r) => r.messages)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
