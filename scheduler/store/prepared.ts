// Statements PostgreSQL connections keep prepared. Kysely sends each statement as text to be planned afresh; for the
// few hot statements whose planning costs more than running them (a card's read plans in about 0.7 ms and runs in
// 0.3), open-store.ts hooks each new connection so that those texts go as named, prepared statements instead.

const names = new Map<string, string>();

/** Registers a statement's exact text to be kept prepared under `name` on every PostgreSQL connection. */
export function keepPrepared(text: string, name: string): void {
  const known = names.get(text);
  if (known && known !== name) throw new Error(`statement already kept prepared as ${known}`);
  names.set(text, name);
}

type Query = (...args: unknown[]) => unknown;

/** Makes a node-postgres client send registered texts as named statements (prepared once per connection). */
export function sendRegisteredAsPrepared(client: { query: Query }): void {
  // The class's query, looked up at each call (not bound once), so a test that wraps the class's method still sees every statement.
  const proto = Object.getPrototypeOf(client) as { query: Query };
  client.query = (...args: unknown[]) => {
    const name = typeof args[0] === 'string' ? names.get(args[0]) : undefined;
    return proto.query.apply(client, name ? [{ name, text: args[0], values: args[1] }, ...args.slice(2)] : args);
  };
}
