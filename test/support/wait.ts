/**
 * How long a wait on a condition may last before the test fails naming it. A guard, not a timing: a condition that
 * holds is seen within milliseconds on an idle machine; this is for one that never will, and sits under vitest's
 * testTimeout (vitest.config.ts) so the failure names what was awaited.
 */
export const GUARD_MS = 60_000;

/** Polls until `check` holds; fails naming what it waited for if it still does not after `guardMs` of wall time. */
export async function until(check: () => boolean | Promise<boolean>, what: string, guardMs = GUARD_MS): Promise<void> {
  const deadline = Date.now() + guardMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Resolves with `promise`, or rejects naming what it waited for if it has not settled after `guardMs` of wall time. */
export async function within<T>(promise: Promise<T>, what: string, guardMs = GUARD_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), guardMs);
  });
  try {
    return await Promise.race([promise, guard]);
  } finally {
    clearTimeout(timer);
  }
}
