import type { Result } from '../scheduler/domain/types.js';

// The demo's year is played, not written: each step is a real use case called at the instant it happens, in time
// order, so every row has its audit entry and the log reads as the year went.

interface Step {
  at: string;
  label: string;
  run: () => Promise<unknown>;
  seq: number;
}

/** Steps in time order (ties in the order added); a step may add later ones. */
export class Timeline {
  private readonly steps: Step[] = [];
  private added = 0;
  ran = 0;

  /** Adds a step at an instant (UTC ISO with milliseconds, so instants compare as text). */
  add(at: string, label: string, run: () => Promise<unknown>): void {
    this.steps.push({ at, label, run, seq: this.added++ });
  }

  /** Runs every step before `end`, earliest first; steps at or after it never happen (they are still to come). */
  async runUntil(end: string): Promise<void> {
    for (;;) {
      let next = -1;
      for (let i = 0; i < this.steps.length; i++) {
        const s = this.steps[i]!;
        if (s.at >= end) continue;
        const best = this.steps[next];
        if (!best || s.at < best.at || (s.at === best.at && s.seq < best.seq)) next = i;
      }
      if (next < 0) return;
      const [step] = this.steps.splice(next, 1);
      await step!.run();
      this.ran += 1;
    }
  }
}

/** A use case's answer, or an error naming the step: the script asked for something the rules refuse. */
export function must<T>(r: Result<T>, label: string): T {
  if (!r.ok) throw new Error(`demo seed: ${label} was refused: ${r.error.message}`);
  return r.value;
}
