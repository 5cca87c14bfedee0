import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Chainer } from './chainer.js';

// The audit chainer's runs after commits (PostgreSQL): the bot waits a moment so that a press's answer goes out first
// and the commits of that moment share one run; anything that reads the log flushes at once. Fake timers: nothing
// here waits for real time.

/** A chainer whose runs are counted and each finished (or failed) by the test. */
function counted(delayMs: number) {
  const runs: Array<{ queued: boolean; finish: () => void; fail: (err: Error) => void }> = [];
  const chainer = new Chainer(
    (queued) => new Promise<void>((resolve, reject) => runs.push({ queued, finish: resolve, fail: reject })),
    delayMs,
  );
  return { chainer, runs };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('the audit chainer', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] }));
  afterEach(() => vi.useRealTimers());

  it('runs at once after a commit when there is no delay (the command line)', () => {
    const { chainer, runs } = counted(0);
    chainer.kick();
    expect(runs.map((r) => r.queued)).toEqual([true]);
  });

  it('waits its delay after a commit, and the commits of that moment share one run', async () => {
    const { chainer, runs } = counted(20);
    chainer.kick();
    chainer.kick();
    vi.advanceTimersByTime(19);
    expect(runs).toHaveLength(0);
    chainer.kick();
    vi.advanceTimersByTime(1);
    expect(runs.map((r) => r.queued)).toEqual([true]);
    runs[0]!.finish();
    await settled();
    vi.advanceTimersByTime(100);
    expect(runs).toHaveLength(1);
  });

  it('runs a waiting kick at once when something reads the log, and only once', async () => {
    const { chainer, runs } = counted(20);
    chainer.kick();
    const read = chainer.flush();
    expect(runs.map((r) => r.queued)).toEqual([true]);
    runs[0]!.finish();
    await read;
    vi.advanceTimersByTime(100);
    expect(runs).toHaveLength(1);
  });

  it('reports the failure of a kick a read ran early, to the read and to the kick\'s reporter', async () => {
    const { chainer, runs } = counted(20);
    const reported: unknown[] = [];
    chainer.kick((err) => reported.push(err));
    const read = chainer.flush();
    runs[0]!.fail(new Error('lock wait expired'));
    await expect(read).rejects.toThrow('lock wait expired');
    expect(reported.map(String)).toEqual(['Error: lock wait expired']);
  });

  it('follows a run that was going when a commit queued with one more, after the delay', async () => {
    const { chainer, runs } = counted(20);
    const first = chainer.flush(true);
    chainer.kick();
    vi.advanceTimersByTime(20);
    // The first run may have read the queue before that commit: one more follows it, not alongside it.
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await first;
    await settled();
    expect(runs).toHaveLength(2);
    runs[1]!.finish();
  });

  it('runs a kick a read finds waiting behind a run that is going, after that run and not beside it', async () => {
    const { chainer, runs } = counted(20);
    const going = chainer.flush(true);
    chainer.kick();
    let read = false;
    const reading = chainer.flush().then(() => (read = true));
    expect(vi.getTimerCount()).toBe(0);
    expect(runs).toHaveLength(1);
    runs[0]!.finish();
    await going;
    await settled();
    expect(runs.map((r) => r.queued)).toEqual([true, true]);
    expect(read).toBe(false);
    runs[1]!.finish();
    await reading;
    expect(read).toBe(true);
  });

  it('on close, chains what waits (its failure reported once, by close) and leaves later commits for the next start', async () => {
    const { chainer, runs } = counted(20);
    const reported: unknown[] = [];
    chainer.kick((err) => reported.push(err));
    const closing = chainer.close();
    expect(vi.getTimerCount()).toBe(0);
    expect(runs.map((r) => r.queued)).toEqual([true]);
    runs[0]!.fail(new Error('pool gone'));
    await expect(closing).rejects.toThrow('pool gone');
    expect(reported).toEqual([]);
    chainer.kick((err) => reported.push(err));
    vi.advanceTimersByTime(100);
    expect(runs).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('on close, waits for a run going rather than asking for another (each would wait for the lock), and leaves its failure to its asker', async () => {
    const { chainer, runs } = counted(20);
    const reported: unknown[] = [];
    chainer.kick((err) => reported.push(err));
    vi.advanceTimersByTime(20);
    expect(runs).toHaveLength(1);
    let closed = 'waiting';
    chainer.close().then(() => (closed = 'closed'), () => (closed = 'failed'));
    runs[0]!.fail(new Error('lock wait expired'));
    await settled();
    // Looked at, not awaited: a close that asked for another run would wait for it for ever here.
    expect(runs).toHaveLength(1);
    expect(closed).toBe('closed');
    expect(reported.map(String)).toEqual(['Error: lock wait expired']);
  });

  it('on close with nothing going, looks once for what a failed run left', async () => {
    const { chainer, runs } = counted(20);
    const closing = chainer.close();
    expect(runs.map((r) => r.queued)).toEqual([false]);
    runs[0]!.finish();
    await closing;
  });
});
