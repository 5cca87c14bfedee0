/**
 * Runs the audit chainer one run at a time. `flush` resolves once a run that started after it was called has ended
 * (so everything committed before the call is chained); `kick` asks for one and reports, rather than throws, a failure.
 */
export class Chainer {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  /** Whether a caller waiting for `next` knows something is queued (a commit that queued). */
  private nextQueued = false;

  /** A kick waiting for its moment, and whom it tells of a failure. */
  private timer: ReturnType<typeof setTimeout> | null = null;
  private kickError: ((err: unknown) => void) | undefined;
  /** The store is closing: a kick from a commit that lands now is left queued for the next start. */
  private closed = false;

  constructor(
    private readonly run: (queued: boolean) => Promise<void>,
    private readonly delayMs = 0,
  ) {}

  /** `queued`: the caller committed entries to the queue, so the run need not look first. */
  flush(queued = false): Promise<void> {
    if (this.takeWaitingKick()) {
      // A kick waiting for its moment: this run serves it now, and its failure is reported as the kick's would be.
      const onError = this.kickError;
      const run = this.request(true);
      run.catch((err: unknown) => onError?.(err));
      return run;
    }
    return this.request(queued);
  }

  private request(queued: boolean): Promise<void> {
    // A run already asked for (it starts when the current one ends) serves this call too.
    if (this.next) {
      this.nextQueued ||= queued;
      return this.next;
    }
    if (!this.running) return this.start(queued);
    // A run is going: it may have read the queue before the caller's commit, so one more follows it (shared by all who ask meanwhile).
    this.nextQueued = queued;
    this.next = this.running.then(
      () => undefined,
      () => undefined,
    ).then(() => {
      this.next = null;
      return this.start(this.nextQueued);
    });
    return this.next;
  }

  /** Asks for a run after a commit that queued: at once, or `delayMs` later (commits meanwhile share it); a flush before then runs it. */
  kick(onError?: (err: unknown) => void): void {
    if (this.closed) return;
    if (this.delayMs <= 0) {
      this.flush(true).catch((err: unknown) => onError?.(err));
      return;
    }
    this.kickError = onError;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.request(true).catch((err: unknown) => this.kickError?.(err));
    }, this.delayMs);
    // The store's close flushes; a waiting kick must not keep the process alive on its own.
    this.timer.unref?.();
  }

  /**
   * Stops taking kicks and chains what waits: a waiting kick runs now, its failure reported once (by the promise, not
   * to the kick's reporter too); a run going, or asked for, is waited for, never doubled (each waits for the chain's
   * lock). A commit that lands later stays queued for the next start.
   */
  close(): Promise<void> {
    this.closed = true;
    if (this.takeWaitingKick()) return this.request(true);
    // A run asked for already covers every commit before now; one going, whose asker reports its failure, too.
    if (this.next) return this.next;
    if (this.running) return this.running.catch(() => undefined);
    // Nothing going: look once for what a failed run left (one statement when nothing is queued).
    return this.request(false);
  }

  /** Cancels a kick waiting for its moment, if there is one, for the caller to run now; false when none waits. */
  private takeWaitingKick(): boolean {
    if (!this.timer) return false;
    clearTimeout(this.timer);
    this.timer = null;
    return true;
  }

  private start(queued: boolean): Promise<void> {
    const run = this.run(queued).finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }
}
