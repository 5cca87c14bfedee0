import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A loopback TCP proxy whose link can be cut and restored: a database "restart" without touching the database. */
export interface TcpProxy {
  /** Where to connect instead of the target, e.g. `127.0.0.1:51234`. */
  host: string;
  port: number;
  /** Destroys every open connection and closes each new one as soon as it arrives, until restore(). */
  cut(): void;
  /** Forwards new connections to the target again. */
  restore(): void;
  /** Cuts everything and stops listening. */
  close(): Promise<void>;
}

/** Starts a proxy on an ephemeral 127.0.0.1 port forwarding to `targetHost:targetPort`. */
export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const open = new Set<Socket>();
  let down = false;
  const track = (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
    // A reset while cut is expected; without a listener it would be an uncaught error.
    s.on('error', () => undefined);
  };
  const server: Server = createServer((client) => {
    track(client);
    if (down) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: targetHost, port: targetPort });
    track(upstream);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const cutAll = () => {
    for (const s of open) s.destroy();
    open.clear();
  };
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    cut: () => {
      down = true;
      cutAll();
    },
    restore: () => {
      down = false;
    },
    close: async () => {
      down = true;
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
