import type { Store } from '../../scheduler/store/store.js';

interface Sleeper {
  at: number;
  order: number;
  wake: () => void;
}

/**
 * A clock for code that takes `clock` and `sleep` (the outbox sender): time stands still while anything it started is
 * running (a database call, a tracked send), and jumps to the next sleeper's wake-up only once every part of it is
 * waiting on the clock. What the code does at each instant is then the same however fast or loaded the machine is,
 * and nothing it does in between two instants (a lane recording a send, then sending it) can be split by time passing.
 */
export class VirtualTime {
  private current: number;
  private sleepers: Sleeper[] = [];
  private busy = 0;
  private started = 0;
  private order = 0;
  private idle: Array<() => void> = [];

  constructor(start = 0) {
    this.current = start;
  }

  /** Milliseconds on the virtual clock. */
  readonly now = (): number => this.current;

  /** Resolves when the virtual clock reaches now + ms (run() moves it). */
  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((wake) => this.sleepers.push({ at: this.current + Math.max(0, ms), order: this.order++, wake }));

  /** Wraps an async function so that no time passes while a call of it is pending. */
  track<A extends unknown[], R>(fn: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args) => {
      this.busy += 1;
      this.started += 1;
      try {
        return await fn(...args);
      } finally {
        this.busy -= 1;
        if (this.busy === 0) for (const r of this.idle.splice(0)) r();
      }
    };
  }

  /** The store with every repository method (and transaction) tracked: a database call takes no virtual time. */
  trackStore(store: Store): Store {
    const wrap = <T extends object>(target: T): T =>
      new Proxy(target, {
        get: (t, key, receiver) => {
          const v = Reflect.get(t, key, receiver);
          if (typeof v === 'function') return this.track((...args: unknown[]) => Promise.resolve(v.apply(t, args)));
          return v && typeof v === 'object' ? wrap(v) : v;
        },
      });
    return wrap(store);
  }

  /**
   * Runs `work` to its end, moving the clock to the next wake-up each time everything is waiting on it. Fails, rather
   * than hangs, when everything is waiting and nobody sleeps: the code under test is stuck on something else.
   */
  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      await this.quiet();
      if (settled) return work;
      const next = this.sleepers.sort((a, b) => a.at - b.at || a.order - b.order)[0];
      if (!next) throw new Error('everything is waiting, but not on the clock');
      this.current = Math.max(this.current, next.at);
      const due = this.sleepers.filter((s) => s.at <= this.current);
      this.sleepers = this.sleepers.filter((s) => s.at > this.current);
      for (const s of due) s.wake();
    }
  }

  /** Resolves once nothing tracked is pending and a full turn of the event loop started nothing new. */
  private async quiet(): Promise<void> {
    for (;;) {
      if (this.busy > 0) await new Promise<void>((r) => this.idle.push(r));
      const seen = this.started;
      await new Promise((r) => setImmediate(r));
      if (this.busy === 0 && this.started === seen) return;
    }
  }
}
