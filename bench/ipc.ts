// Benches that measure a server in a process of its own: the parent forks each child through tsx and talks to it
// over Node's IPC channel, one request at a time or several, each answered by id.
import { fork, type ChildProcess } from 'node:child_process';

type Handlers = Record<string, (arg: never) => Promise<unknown>>;

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

/** A child process serving the commands of its entry file. */
export interface BenchChild {
  pid: number;
  /** What the child said when it was ready (its URL, say). */
  ready: unknown;
  call<T>(cmd: string, arg?: unknown): Promise<T>;
  /** Asks the child to stop (its `stop` command), then waits for it to exit; kills it if it has not within 60 s. */
  end(): Promise<void>;
}

const FLAGS = ['--disable-warning=DEP0111', '--import', 'tsx', ...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [])];

/** Forks `entry` (a bench/ TypeScript file that calls serveParent) with `arg` as its JSON argument; resolves once it is ready. */
export function startChild(entry: string, arg: unknown): Promise<BenchChild> {
  const child: ChildProcess = fork(new URL(entry, import.meta.url).pathname, [JSON.stringify(arg)], { execArgv: FLAGS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const err = new Error(`${entry} exited (${code ?? 'signal'})`);
      for (const w of waiting.values()) w.reject(err);
      reject(err);
    });
    child.on('message', (msg: { ready?: unknown } & Reply) => {
      if ('ready' in msg) {
        resolve({
          pid: child.pid!,
          ready: msg.ready,
          call: <T>(cmd: string, a?: unknown) =>
            new Promise<T>((res, rej) => {
              const id = next++;
              waiting.set(id, { resolve: res as (v: unknown) => void, reject: rej });
              child.send({ id, cmd, arg: a });
            }),
          end: async () => {
            const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
            const id = next++;
            waiting.set(id, { resolve: () => undefined, reject: () => undefined });
            if (child.connected) child.send({ id, cmd: 'stop' });
            await exited;
            clearTimeout(timer);
          },
        });
        return;
      }
      const w = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.ok) w?.resolve(msg.value);
      else w?.reject(new Error(msg.error));
    });
  });
}

/** The child's side: says `ready`, then answers each command with its handler; `stop` runs its handler and exits. */
export function serveParent(ready: unknown, handlers: Handlers & { stop: () => Promise<unknown> }): void {
  process.on('message', (msg: { id: number; cmd: string; arg: unknown }) => {
    const handler = handlers[msg.cmd] as ((arg: unknown) => Promise<unknown>) | undefined;
    const run = handler ? handler(msg.arg) : Promise.reject(new Error(`unknown command ${msg.cmd}`));
    run.then(
      (value) => process.send!({ id: msg.id, ok: true, value }, () => msg.cmd === 'stop' && process.exit(0)),
      (err: Error) => process.send!({ id: msg.id, ok: false, error: err.stack ?? err.message }, () => msg.cmd === 'stop' && process.exit(1)),
    );
  });
  process.send!({ ready });
}

/** The JSON argument the parent gave this child. */
export const childArg = <T>(): T => JSON.parse(process.argv[2] ?? '{}') as T;
