// Statements PostgreSQL connections keep prepared. Kysely sends each statement as text to be planned afresh; for the
// few hot statements whose planning costs more than running them (a card's read plans in about 0.7 ms and runs in
// 0.3), open-store.ts hooks each new connection so that those texts go as named, prepared statements instead.

const names = new Map<string, string>();
const texts = new Map<string, string>();

/** Registers a statement's exact text to be kept prepared under `name` on every PostgreSQL connection. */
export function keepPrepared(text: string, name: string): void {
  const known = names.get(text);
  if (known && known !== name) throw new Error(`statement already kept prepared as ${known}`);
  // node-postgres refuses a name it has prepared with another text: a variant of a statement needs a name of its own.
  const other = texts.get(name);
  if (other !== undefined && other !== text) throw new Error(`${name} is already kept prepared for another text`);
  names.set(text, name);
  texts.set(name, text);
}

type Query = (...args: unknown[]) => unknown;

/**
 * The server no longer has the statement (26000: a pooler in front that does not keep prepared statements, a
 * failover, DISCARD ALL) or will not run its cached plan (0A000: a migration changed a column it returns).
 */
const LOST = new Set(['26000', '0A000']);

/**
 * Makes a node-postgres client send registered texts as named statements (prepared once per connection). A
 * connection whose prepared statement is lost answers that query again as text, and sends text from then on: it stays
 * usable, only without the saving (node-postgres would otherwise go on binding the lost statement until a restart).
 */
export function sendRegisteredAsPrepared(client: { query: Query }): void {
  // The class's query, looked up at each call (not bound once), so a test that wraps the class's method still sees every statement.
  const proto = Object.getPrototypeOf(client) as { query: Query };
  let asText = false;
  client.query = (...args: unknown[]) => {
    const name = !asText && typeof args[0] === 'string' ? names.get(args[0]) : undefined;
    if (!name) return proto.query.apply(client, args);
    const sent = proto.query.apply(client, [{ name, text: args[0], values: args[1] }, ...args.slice(2)]);
    // Kysely uses the promise form; a callback's caller gets the error as it came.
    if (!(sent instanceof Promise)) return sent;
    return sent.catch((err: unknown) => {
      if (!LOST.has((err as { code?: unknown } | null)?.code as string)) throw err;
      asText = true;
      return proto.query.apply(client, args);
    });
  };
}
