import { describe, expect, it } from 'vitest';
import { silentLog } from './log.js';
import { every, runDueJobs, type Job } from './scheduler.js';

const job = (name: string, calls: string[], opts: { fail?: boolean; due?: Job['due'] } = {}): Job => ({
  name,
  due: opts.due ?? (() => true),
  run: async (now) => {
    calls.push(`${name}@${now}`);
    if (opts.fail) throw new Error('down');
  },
});

describe('runDueJobs', () => {
  it('runs due jobs in order and remembers when each last ran', async () => {
    const calls: string[] = [];
    const last = new Map<string, string>();
    const deps = { jobs: [job('a', calls), job('b', calls, { due: every(3_600_000) })], clock: () => '', log: silentLog };
    expect(await runDueJobs(deps, last, '2027-01-01T10:00:00.000Z')).toEqual(['a', 'b']);
    expect(await runDueJobs(deps, last, '2027-01-01T10:30:00.000Z')).toEqual(['a']);
    expect(await runDueJobs(deps, last, '2027-01-01T11:00:00.000Z')).toEqual(['a', 'b']);
    expect(calls).toEqual([
      'a@2027-01-01T10:00:00.000Z', 'b@2027-01-01T10:00:00.000Z', 'a@2027-01-01T10:30:00.000Z',
      'a@2027-01-01T11:00:00.000Z', 'b@2027-01-01T11:00:00.000Z',
    ]);
  });

  it('keeps going past a failing job and retries it next pass', async () => {
    const calls: string[] = [];
    const last = new Map<string, string>();
    const deps = { jobs: [job('bad', calls, { fail: true, due: every(3_600_000) }), job('good', calls)], clock: () => '', log: silentLog };
    expect(await runDueJobs(deps, last, '2027-01-01T10:00:00.000Z')).toEqual(['good']);
    expect(last.has('bad')).toBe(false);
    expect(await runDueJobs(deps, last, '2027-01-01T10:01:00.000Z')).toEqual(['good']);
    expect(calls.filter((c) => c.startsWith('bad'))).toHaveLength(2);
  });
});
