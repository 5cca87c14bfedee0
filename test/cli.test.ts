import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { cliRunner } from './support/cli-runner.js';
import { partlyMigrated } from './support/partly-migrated.js';
import { GENESIS_HASH, legacyEntryHash } from '../scheduler/domain/audit-chain.js';
import { startBot } from '../bot/compose.js';
import { loadConfig } from '../bot/config.js';
import { silentLog } from '../scheduler/log.js';
import { SUMMARY_COLUMNS } from '../scheduler/review/review-outputs.js';

const NOW = '2026-11-22T12:00:00Z';

describe('panel-bot', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-cli-'));
    env = { DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml' };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const run = cliRunner(() => env);
  const auditRows = () => {
    const db = new SQLite(join(dir, 'panels.db'), { readonly: true });
    try {
      return (db.prepare('select count(*) as n from audit_log').get() as { n: number }).n;
    } finally {
      db.close();
    }
  };

  it('syncs, then finds nothing to change', async () => {
    expect(await run('sync', '--now', NOW)).toMatchObject({ code: 0, out: expect.stringMatching(/panels \+10/) });
    expect(await run('sync', '--now', NOW)).toMatchObject({ code: 0, out: 'sync: nothing to change' });
  });

  it('prints the schedule as JSON in the contract shape, oldest first', async () => {
    await run('sync', '--now', NOW);
    const r = await run('schedule', '--panel', 'southampton', '--from', '2027-05-01', '--to', '2027-06-01', '--json');
    expect(r.code).toBe(0);
    const meetings = JSON.parse(r.out);
    expect(meetings).toEqual([
      {
        id: 'southampton.2027-05-03', panelId: 'southampton', panelName: 'Southampton Channel panel', forces: ['hampshire'],
        start: '2027-05-04T10:00:00+01:00', end: '2027-05-04T12:00:00+01:00', status: 'scheduled',
        moved: { from: '2027-05-03T10:00:00+01:00', reason: 'bank holiday: Early May bank holiday' },
        extra: false, version: 1, invited: [], nominations: [], attendance: [], record: null, flags: [],
      },
    ]);
  });

  it('marks moved meetings and when-necessary panels in the text schedule', async () => {
    await run('sync', '--now', NOW);
    const r = await run('schedule', '--force', 'hampshire', '--from', '2027-05-01', '--to', '2027-06-01');
    expect(r.out).toMatch(/2027-05-04 Tue 10:00-12:00\s+southampton.*MOVED from Mon 3 May \(bank holiday: Early May bank holiday\)/);
    const all = await run('schedule', '--from', '2026-11-22');
    expect(all.out).toMatch(/WHEN_NECESSARY_PANEL\): isles-of-scilly/);
  });

  describe('--from and --to, read the same way in every command', () => {
    const starts = async (...argv: string[]) => {
      const r = await run('schedule', '--panel', 'southampton', ...argv, '--json');
      expect(r).toMatchObject({ code: 0, err: '' });
      return (JSON.parse(r.out) as Array<{ start: string }>).map((m) => m.start.slice(0, 10));
    };

    it('`schedule --to DATE` includes meetings on that day, as `review --to DATE` does', async () => {
      await run('sync', '--now', NOW);
      expect(await starts('--from', '2027-05-01', '--to', '2027-05-04')).toEqual(['2027-05-04']);
      expect(await starts('--from', '2027-05-01', '--to', '2027-05-04T10:00+01:00')).toEqual([]); // an instant stays exclusive
      expect(await starts('--from', '2027-05-04T10:00+01:00', '--to', '2027-05')).toEqual(['2027-05-04']);
    });

    it('`schedule --from 2027-Q2 --to 2027-Q2` lists April to June whole', async () => {
      await run('sync', '--now', NOW);
      const days = await starts('--from', '2027-q2', '--to', '2027-Q2');
      expect(days.map((d) => d.slice(0, 7))).toEqual(['2027-04', '2027-05', '2027-06']);
      expect(await starts('--from', '2027-04', '--to', '2027-06')).toEqual(days);
    });

    it('`review --from FY2026 --to FY2026` covers 1 April 2026 to 31 March 2027', async () => {
      await run('sync', '--now', NOW);
      const r = await run('review', '--from', 'FY2026', '--to', 'fy2026', '--format', 'json', '--now', '2027-06-01T12:00:00Z');
      expect(r).toMatchObject({ code: 0, err: '' });
      const { from, to } = JSON.parse(r.out) as { from: string; to: string };
      // Inclusive local dates (the contract), or the instants they stand for: the start and the exclusive end.
      expect([from, to]).toEqual(from.length === 10 ? ['2026-04-01', '2027-03-31'] : ['2026-03-31T23:00:00.000Z', '2027-03-31T23:00:00.000Z']);
    });

    it.each([
      [['schedule', '--to', '2026-Q5'], /^panel-bot: --to "2026-Q5" is not a date, period or instant \(quarters are Q1 to Q4\): use `YYYY-MM-DD`/],
      [['schedule', '--from', '2026-13'], /^panel-bot: --from "2026-13" .*months are 01 to 12/],
      [['schedule', '--to', '2026-02-30'], /^panel-bot: --to "2026-02-30" .*no such day/],
      [['review', '--from', 'FY26'], /^panel-bot: --from "FY26" .*four digits.*`last 6 months`/],
      [['review', '--to', 'next tuesday'], /^panel-bot: --to "next tuesday" .*`YYYY-MM-DD`, `YYYY-MM`, `YYYY-Qn`.*`YYYY`.*`FY2026`/],
      [['review', '--from', '2027', '--to', '2026'], /^panel-bot: --to "2026" ends before --from "2027" begins/],
    ])('%j exits 2 naming the flag and the forms it takes', async (argv, message) => {
      const r = await run(...argv);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(message);
    });
  });

  it.each([
    [['frobnicate']],
    [[]],
    [['schedule', '--colour']],
    [['sync', '--now', 'next tuesday']],
    [['audit']],
    [['schedule', 'extra-positional']],
  ])('exits 2 on bad usage: %j', async (argv) => {
    const r = await run(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^panel-bot: /);
  });

  it('lists the open flags in plain words, and as JSON in the contract shape', async () => {
    await run('sync', '--now', NOW);
    // December 2026 ends with nothing recorded for any panel: one ATTENDANCE_UNRECORDED per timetabled panel for the month.
    const json = await run('flags', '--from', '2026-12', '--to', '2026-12', '--now', '2027-01-05T12:00:00Z', '--json');
    expect(json.code).toBe(0);
    const flags = JSON.parse(json.out) as Array<Record<string, unknown>>;
    const monthly = flags.filter((f) => f.code === 'ATTENDANCE_UNRECORDED' && f.month === '2026-12');
    expect(monthly.length).toBeGreaterThan(0);
    for (const f of flags) {
      expect(Object.keys(f).every((k) => ['code', 'panelId', 'forceId', 'month', 'meetingId', 'apologies', 'facts'].includes(k)), JSON.stringify(f)).toBe(true);
      expect(f).toHaveProperty('forceId');
    }
    const text = await run('flags', '--panel', 'southampton', '--from', '2026-12', '--to', '2026-12', '--now', '2027-01-05T12:00:00Z');
    expect(text.out).toContain('Attendance not recorded (ATTENDANCE_UNRECORDED): southampton: 2026-12:');
    expect((await run('flags', '--to', 'FY26')).code).toBe(2);
  });

  it('prints the summary CSV with one row per panel and force, and a total', async () => {
    await run('sync', '--now', NOW);
    const r = await run('review', '--format', 'summary-csv', '--from', '2026-12', '--to', '2026-12', '--now', '2027-01-05T12:00:00Z');
    expect(r.code).toBe(0);
    const lines = r.out.split('\r\n');
    expect(lines[0]).toBe(SUMMARY_COLUMNS.join(','));
    expect(lines.some((l) => l.startsWith('peterborough-rutland,Peterborough and Rutland Channel panel,cambs,'))).toBe(true);
    expect(lines.some((l) => l.startsWith('peterborough-rutland,Peterborough and Rutland Channel panel,leics,'))).toBe(true);
    expect(lines.at(-1)).toMatch(/^TOTAL,all forces,,no,,/);
  });

  it('refuses an unknown panel with exit 1', async () => {
    await run('sync', '--now', NOW);
    expect(await run('schedule', '--panel', 'atlantis')).toMatchObject({ code: 1, err: 'panel-bot: unknown panel "atlantis"' });
  });

  it('refuses an invalid config file whole and changes nothing', async () => {
    await run('sync', '--now', NOW);
    const before = auditRows();
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'forces:\n  - id: BAD\n    name: x\n    preventLeads: []\npanels: []\n');
    env.PANELS_CONFIG = bad;
    const r = await run('sync', '--now', '2027-01-22T12:00:00Z');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/forces\[0\]\.id/);
    expect(r.err).toMatch(/forces\[0\]\.preventLeads/);
    expect(r.err).toMatch(/nothing was changed/);
    expect(auditRows()).toBe(before);
  });

  it('refuses a bad environment variable with exit 1 naming it', async () => {
    env.DATABASE_URL = 'mysql://nope';
    expect(await run('sync')).toMatchObject({ code: 1, err: expect.stringMatching(/DATABASE_URL/) });
  });

  it('verifies the audit chain and names the first broken entry', async () => {
    await run('sync', '--now', NOW);
    expect(await run('audit', 'verify')).toMatchObject({ code: 0, out: expect.stringMatching(/intact: \d+ entries/) });
    const db = new SQLite(join(dir, 'panels.db'));
    db.exec("drop trigger audit_log_no_update; update audit_log set actor = 'someone' where seq = 7");
    db.close();
    expect(await run('audit', 'verify')).toMatchObject({ code: 1, err: expect.stringMatching(/broken at entry 7: .*altered/) });
  });

  it('ends with a head to keep, and with --head fails when the log no longer reaches it', async () => {
    await run('sync', '--now', NOW);
    const first = await run('audit', 'verify');
    const last = first.out.split('\n').at(-1)!;
    expect(last).toMatch(/^head \d+ [0-9a-f]{64}$/);
    const [, seq, hash] = last.split(' ');
    expect(await run('audit', 'verify', '--head', `${seq}:${hash}`)).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`the log still holds the head you gave \\(entry ${seq}\\)\nhead ${seq} ${hash}$`)) });
    const db = new SQLite(join(dir, 'panels.db'));
    db.exec(`drop trigger audit_log_no_delete; delete from audit_log where seq > ${Number(seq) - 2}`);
    db.close();
    // Truncated, the chain that is left still links; the meetings those entries planned now have none, and the
    // head held outside says exactly what went.
    expect(await run('audit', 'verify')).toMatchObject({ code: 1, err: expect.stringMatching(/^panel-bot: state: meetings row \S+ has no audit entry/) });
    const r = await run('audit', 'verify', '--head', `${seq}:${hash}`);
    expect(r).toMatchObject({ code: 1, out: '' });
    expect(r.err.split('\n')[0]).toBe(`panel-bot: head check failed: the log ends at entry ${Number(seq) - 2}, before entry ${seq} of the head you hold: 2 entries are missing from the end`);
  });

  it.each([['sync'], ['schedule'], ['tick'], ['review'], ['flags'], ['audit', 'verify'], ['audit', 'checkpoint'], ['purge'], ['redact', 'note']])('answers %s --help with its usage and exit 0', async (...command) => {
    const r = await run(...command, '--help');
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(new RegExp(`^usage: panel-bot ${command.join(' ')} \\[options\\]\\n  ${command.join(' ')}\\b`));
    expect(r.out).toMatch(/exit status: 0 success/);
  });

  it.each([['12'], ['12:abc'], ['x:' + 'a'.repeat(64)], ['']])('refuses a malformed --head %j as bad usage', async (head) => {
    const r = await run('audit', 'verify', '--head', head);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--head .* is not SEQ:HASH/);
  });

  it('after an upgrade, leaves the old unkeyed log to the operator to seal with the head verify shows, and starts no server until then', async () => {
    const old = await partlyMigrated('sqlite', '007_evidence');
    const e = { at: NOW, actor: 'system', action: 'national-leads.changed', subject: {}, details: {} };
    const hash = legacyEntryHash(GENESIS_HASH, 1, e);
    await sql`insert into audit_log (seq, at, actor, action, subject_json, details_json, prev_hash, hash) values (1, ${NOW}, 'system', ${e.action}, '{}', '{}', ${GENESIS_HASH}, ${hash})`.execute(old.db);
    await old.db.destroy();
    copyFileSync((old.options as { file: string }).file, join(dir, 'panels.db'));
    await old.dispose();
    const unsealed = await run('audit', 'verify');
    expect(unsealed.code).toBe(1);
    expect(unsealed.err).toContain(`seal them with \`panel-bot audit seal --legacy-head 1:${hash}\``);
    await expect(startBot(loadConfig({ ...env, PORT: '0' }), silentLog)).rejects.toThrow(/not sealed yet.*panel-bot audit seal --legacy-head 1:/s);
    // (The bin prints a thrown error as `panel-bot: …` with exit 1; in process it arrives as the error.)
    await expect(run('sync', '--now', NOW)).rejects.toThrow(/unkeyed and unsealed.*audit seal/);
    expect(await run('audit', 'seal', '--legacy-head', `1:${'0'.repeat(64)}`)).toMatchObject({ code: 1, err: expect.stringMatching(/not at the head you gave: nothing was sealed/) });
    expect(await run('audit', 'seal', '--legacy-head', `1:${hash}`)).toMatchObject({ code: 0, out: expect.stringMatching(/^sealed: entries 1 to 1, .* by entry 2/) });
    expect(await run('sync', '--now', NOW)).toMatchObject({ code: 0 });
    expect(await run('audit', 'verify')).toMatchObject({ code: 0, out: expect.stringMatching(/intact: \d+ entries verified \(1 written before the chain was keyed\)/) });
    expect(await run('audit', 'seal', '--legacy-head', `1:${hash}`)).toMatchObject({ code: 1, err: expect.stringMatching(/no unsealed entries/) });
  });

  it('keeps the local audit key in DATA_DIR, readable by its owner only, and fails at the first entry with another key', async () => {
    await run('sync', '--now', NOW);
    const { statSync } = await import('node:fs');
    expect(statSync(join(dir, 'audit.key')).mode & 0o777).toBe(0o600);
    const r = await cliRunner(() => ({ ...env, AUDIT_KEY: 'a-different-key-altogether-0123456789' }))('audit', 'verify');
    expect(r).toMatchObject({ code: 1, err: expect.stringMatching(/broken at entry 1: .*AUDIT_KEY/) });
  });

  it('runs as the installed bin with the documented exit codes', async () => {
    const exec = promisify(execFile);
    const bin = (args: string[]) => exec('node', ['bin/panel-bot.mjs', ...args], { env: { ...process.env, ...env } });
    await expect(bin(['sync', '--now', NOW])).resolves.toMatchObject({ stdout: expect.stringMatching(/^sync: /) });
    await expect(bin(['nonsense'])).rejects.toMatchObject({ code: 2 });
  });
});
