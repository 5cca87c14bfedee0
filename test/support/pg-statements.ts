import pg from 'pg';

/** One statement sent to PostgreSQL, and the connection it went on. */
export interface SentStatement {
  client: pg.Client;
  text: string;
  /** The name it was sent under, when it went as a prepared statement (scheduler/store/prepared.ts). */
  name?: string;
  /** How many of the statements sent before it had been answered when it was sent: statements sent together share it. */
  answered: number;
}

/** Every statement sent (by any pg client in this process) while `fn` runs, in the order sent. */
export async function sentStatements(fn: () => Promise<unknown>): Promise<SentStatement[]> {
  const seen: SentStatement[] = [];
  let answered = 0;
  const done = () => void (answered += 1);
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0];
    const named = typeof q === 'object' && q !== null && typeof (q as { name?: unknown }).name === 'string' ? { name: (q as { name: string }).name } : {};
    seen.push({ client: this, text: typeof q === 'string' ? q : String((q as { text?: unknown }).text), ...named, answered });
    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
    if (result && typeof (result as PromiseLike<unknown>).then === 'function') (result as PromiseLike<unknown>).then(done, done);
    return result;
  } as typeof original;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}
