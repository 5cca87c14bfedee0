import pg from 'pg';

/** One statement sent to PostgreSQL, and the connection it went on. */
export interface SentStatement {
  client: pg.Client;
  text: string;
}

/** Every statement sent (by any pg client in this process) while `fn` runs, in the order sent. */
export async function sentStatements(fn: () => Promise<unknown>): Promise<SentStatement[]> {
  const seen: SentStatement[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    const q = args[0];
    seen.push({ client: this, text: typeof q === 'string' ? q : String((q as { text?: unknown }).text) });
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
  try {
    await fn();
  } finally {
    pg.Client.prototype.query = original;
  }
  return seen;
}
