import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliRunner } from './support/cli-runner.js';

const NOW = '2026-11-22T12:00:00Z';
const FIXTURE = 'test/fixtures/attendance-import.csv';

describe('panel-bot import attendance', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-import-'));
    env = { DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml' };
    expect((await run('sync', '--now', NOW)).code).toBe(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = cliRunner(() => env);
  const count = (table: string) => {
    const db = new SQLite(join(dir, 'panels.db'), { readonly: true });
    try {
      return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    } finally {
      db.close();
    }
  };
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('imports a file, prints what it stored, and finds nothing to change the second time', async () => {
    const first = await run('import', 'attendance', FIXTURE, '--now', NOW);
    expect(first).toMatchObject({ code: 0, err: '' });
    expect(first.out).toMatch(/^import attendance: 10 rows, 6 meetings; stored:/);
    expect(first.out).toMatch(/planned back: 12 meetings/);
    expect(first.out).toMatch(/recorded: 4 held, 1 not held, 1 cancelled; 0 already recorded as the file says/);
    expect(first.out).toMatch(/force records: 7, naming 5 attendees/);
    const entries = count('audit_log');
    const again = await run('import', 'attendance', FIXTURE, '--now', NOW, '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out)).toMatchObject({ dryRun: false, unchanged: 6, auditEntries: 0 });
    expect(count('audit_log')).toBe(entries);
    expect(await run('audit', 'verify')).toMatchObject({ code: 0 });
  });

  it('stores nothing on a dry run', async () => {
    const [entries, meetings] = [count('audit_log'), count('meetings')];
    const r = await run('import', 'attendance', FIXTURE, '--dry-run', '--now', NOW);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/would store \(dry run: nothing was stored\)/);
    expect([count('audit_log'), count('meetings'), count('attendance')]).toEqual([entries, meetings, 0]);
  });

  it('reads a file saved with a byte-order mark and CRLF line ends', async () => {
    const path = file('excel.csv', `\uFEFF${readFileSync(FIXTURE, 'utf8').replace(/\n/g, '\r\n')}`);
    expect(await run('import', 'attendance', path, '--now', NOW)).toMatchObject({ code: 0, out: expect.stringMatching(/10 rows, 6 meetings/) });
  });

  it('refuses a bad file with exit 1, listing every problem by line on stderr, and stores nothing', async () => {
    const lines = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
    lines[3] = lines[3]!.replace('apologies', 'sent-apologies');
    lines.push('2026-12-08,peterborough-rutland,,cancelled,,,,,,,,no-cases,', '1027-03-02,peterborough-rutland,,cancelled,,,,,,,,no-cases,');
    const path = file('bad.csv', `${lines.join('\n')}\n`);
    const entries = count('audit_log');
    const r = await run('import', 'attendance', path, '--now', NOW);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toMatch(new RegExp(`^panel-bot: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was refused \\(3 problems\\); nothing was stored.\n`));
    expect(r.err).toMatch(/\n {2}line 4: outcome "sent-apologies" is not one of attended, apologies, absent, not-held, cancelled\n/);
    expect(r.err).toMatch(/\n {2}line 12: date 2026-12-08 is not in the past/);
    expect(r.err).toMatch(/\n {2}line 13: date 1027-03-02 is more than 7 years ago: records are kept for 7 years \(the retention period\), so only meetings from 2019-11-22 on can be imported/);
    expect(count('audit_log')).toBe(entries);
    expect(count('attendance')).toBe(0);
  });

  it("imports one force's file for a joint panel, then the other force's, each leaving the other's records", async () => {
    const rows = readFileSync(FIXTURE, 'utf8').trimEnd().split('\n');
    const ofForce = (force: string) => file(`${force}.csv`, `${[rows[0], ...rows.slice(1).filter((r) => r.split(',')[1] === 'peterborough-rutland' && ['', force].includes(r.split(',')[2]!))].join('\n')}\n`);
    const [cambs, leics] = [ofForce('cambs'), ofForce('leics')];
    expect(await run('import', 'attendance', cambs, '--now', NOW)).toMatchObject({ code: 0, out: expect.stringMatching(/force records: 3, naming 3 attendees/) });
    expect(count('attendance')).toBe(3);
    expect(await run('import', 'attendance', leics, '--now', NOW)).toMatchObject({ code: 0, out: expect.stringMatching(/2 already recorded as the file says[\s\S]*force records: 3, naming 1 attendee\n/) });
    expect(count('attendance')).toBe(6);
    const entries = count('audit_log');
    for (const path of [cambs, leics]) expect(JSON.parse((await run('import', 'attendance', path, '--now', NOW, '--json')).out)).toMatchObject({ unchanged: 5, auditEntries: 0 });
    expect(count('audit_log')).toBe(entries);
  });

  it('refuses a file it cannot read with exit 1', async () => {
    expect(await run('import', 'attendance', join(dir, 'missing.csv'), '--now', NOW)).toMatchObject({ code: 1, err: expect.stringMatching(/^panel-bot: cannot read .*missing\.csv: no such file$/) });
    expect(await run('import', 'attendance', dir, '--now', NOW)).toMatchObject({ code: 1, err: expect.stringMatching(/is not a file$/) });
  });

  it.each([
    [['import']],
    [['import', 'attendance']],
    [['import', 'nominations', FIXTURE]],
    [['import', 'attendance', FIXTURE, FIXTURE]],
    [['import', 'attendance', FIXTURE, '--colour']],
    [['import', 'attendance', FIXTURE, '--now', 'next tuesday']],
  ])('exits 2 on bad usage: %j', async (argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^panel-bot: /);
  });

  it('explains itself with --help', async () => {
    const r = await run('import', 'attendance', '--help');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(/^usage: panel-bot import attendance FILE.csv \[--dry-run\]/);
    expect(r.out).toMatch(/date,panel_id,force_id,outcome,attendee_name,attendee_aad_object_id,role_category,role,unit,mode,decision_maker,cancel_reason,not_held_reason/);
    expect((await run('--help')).out).toMatch(/import attendance FILE.csv/);
  });
});
