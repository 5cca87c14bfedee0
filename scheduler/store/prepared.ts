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
 * The server no longer has the statement (26000: a failover, DISCARD ALL, a pooler that does not keep prepared
 * statements), has one of that name already (42P05: such a pooler again, handing this client another's session), or
 * will not run its cached plan because a migration changed a column it returns (0A000, that message only).
 */
function lost(err: unknown): boolean {
  const { code, message } = (err ?? {}) as { code?: unknown; message?: unknown };
  if (code === '26000' || code === '42P05') return true;
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan must not change result type');
}

type Client = { query: Query; getTransactionStatus?: () => string | null };

/**
 * Makes a node-postgres client send registered texts as named statements (prepared once per connection). A
 * connection whose prepared statement is lost sends text from then on (node-postgres would otherwise go on binding
 * the lost name until a restart), and answers that query again as text, unless it failed inside a transaction:
 * nothing more runs in that one, so the original error goes to the caller, whose transaction fails as any would.
 */
export function sendRegisteredAsPrepared(client: Client): void {
  // The class's query, looked up at each call (not bound once), so a test that wraps the class's method still sees every statement.
  const proto = Object.getPrototypeOf(client) as { query: Query };
  let asText = false;
  client.query = (...args: unknown[]) => {
    const name = !asText && typeof args[0] === 'string' ? names.get(args[0]) : undefined;
    if (!name) return proto.query.apply(client, args);
    const sent = proto.query.apply(client, [{ name, text: args[0], values: args[1] }, ...args.slice(2)]);
    // Kysely uses the promise form; a callback's caller gets the error as it came.
    if (typeof (sent as { then?: unknown } | null)?.then !== 'function') return sent;
    return (sent as Promise<unknown>).then(undefined, (err: unknown) => {
      if (!lost(err)) throw err;
      asText = true;
      const status = client.getTransactionStatus?.();
      if (status && status !== 'I') throw err;
      return proto.query.apply(client, args);
    });
  };
}
