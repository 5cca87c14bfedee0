import restify from 'restify';
import { z } from 'zod';
import type { Activity, InvokeResponse } from 'botbuilder';
import type { Log } from '../scheduler/log.js';
import { isLoopback, type AppConfig } from './config.js';
import type { Authenticator } from './auth.js';
import type { PanelAdapter, TeamsApp } from './teams-app.js';

/** A request as route handlers outside the framework see it: no restify types leak past this file. */
export interface HttpRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  /** Text, or bytes (a PNG). */
  body?: string | Uint8Array;
}

/** A framework-neutral GET route; restify path syntax (`/calendar/:token`, `/reports/:id.csv`). */
export interface HttpRoute {
  method: 'GET';
  path: string;
  handler: (req: HttpRequest) => Promise<HttpResponse>;
}

export interface HttpDeps {
  config: Readonly<AppConfig>;
  log: Log;
  /** Only these two are used, so compose.ts can hand over stand-ins that import the Teams side on first use. */
  adapter: Pick<PanelAdapter, 'authenticate' | 'runAuthenticated'>;
  app: Pick<TeamsApp, 'run'>;
  health: () => Promise<boolean>;
  /** Checks the activity's Bot Framework token before the turn runs (see auth.ts for why); default: the adapter's own check. */
  authenticate?: Authenticator;
  /** The routes of later features (calendar feeds, report exports), mounted beside the bot's own. */
  routes?: readonly HttpRoute[];
  /** How long /healthz waits for `health()` before answering 503. */
  healthTimeoutMs?: number;
  /** How long close() lets requests in flight finish before cutting their connections. */
  closeGraceMs?: number;
  /** Told of each invoke and each feature-route fetch, for the metrics. */
  observe?: HttpObserver;
}

/**
 * Watches requests: each method is called as one starts and returns what to call with the status answered. It is
 * given only what the labels may be made from (the invoke's name and verb, the route's path template and the file
 * asked for); it decides what of that to keep.
 */
export interface HttpObserver {
  invoke(name: string | undefined, verb: unknown): (status: number) => void;
  fetch(pathTemplate: string, requested: string): (status: number) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Bot Framework activities are small; anything larger is refused before it is parsed. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The least an activity must have before the adapter sees it; the rest is the adapter's and the routes' to check. */
const activityShape = z
  .object({
    type: z.string().min(1).max(64),
    channelId: z.string().min(1).max(64),
    serviceUrl: z.string().url().max(2048),
    conversation: z.object({ id: z.string().min(1).max(1024) }).passthrough(),
    from: z.object({ id: z.string().min(1).max(1024) }).passthrough(),
    // teams-ai's turn state is keyed by the recipient; without it every turn fails inside the SDK.
    recipient: z.object({ id: z.string().min(1).max(1024) }).passthrough(),
  })
  .passthrough();

/** Why a POST to /api/messages is refused before it reaches the adapter, or null when it may pass. */
export function refuseActivity(contentType: string | undefined, body: unknown): string | null {
  if (!/^application\/json\b/i.test(contentType ?? '')) return 'activities must be sent as application/json';
  const parsed = activityShape.safeParse(body);
  if (!parsed.success) return `not a Bot Framework activity: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'body'} ${i.message}`).join('; ')}`;
  return null;
}

function neutral(req: restify.Request): HttpRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(', ') : v;
  const query: Record<string, string> = {};
  for (const [k, v] of Object.entries((req.query ?? {}) as Record<string, unknown>)) if (typeof v === 'string') query[k] = v;
  return { params: { ...(req.params as Record<string, string>) }, query, headers };
}

/** Adapts a framework-neutral route to restify; a handler that throws answers 500 (no details) and is logged. */
function mount(server: restify.Server, route: HttpRoute, log: Log, observe?: HttpObserver): void {
  server.get(route.path, async (req: restify.Request, res: restify.Response) => {
    const answered = observe?.fetch(route.path, req.path());
    try {
      const out = await route.handler(neutral(req));
      res.writeHead(out.status, out.headers ?? {});
      res.end(out.body ?? '');
    } catch (err) {
      log.error({ err, path: route.path }, 'route failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    } finally {
      answered?.(res.statusCode);
    }
  });
}

/** True when `health()` says so within the time limit; a throw, a rejection or a hang counts as unhealthy. */
async function healthy(health: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  try {
    return (await Promise.race([Promise.resolve().then(health), late])) === true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * What CloudAdapter.process does to a body before its turn: timestamps become Dates, their text kept beside them
 * (botbuilder's validateAndFixActivity, which it does not export).
 */
function toActivity(body: Record<string, unknown>): Activity {
  const activity: Record<string, unknown> = { ...body };
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const text = activity[field];
    if (typeof text === 'string') Object.assign(activity, { [raw]: text, [field]: new Date(text) });
  }
  return activity as unknown as Activity;
}

/** Writes what CloudAdapter.process would: an invoke's status and JSON body, or a bare 200 for other activities. */
function writeTurnAnswer(res: restify.Response, answer: InvokeResponse | undefined): void {
  const status = answer?.status ?? 200;
  if (answer?.body === undefined || answer.body === null) {
    res.writeHead(status);
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(answer.body));
}

/** POST /api/messages: shape, then token (validated once), then the turn with the identity that check produced. */
async function handleActivity(deps: HttpDeps, req: restify.Request, res: restify.Response): Promise<void> {
  const { log } = deps;
  const refused = refuseActivity(req.header('content-type'), req.body);
  if (refused) {
    log.warn({ reason: refused }, 'activity refused');
    res.send(400, { error: refused });
    return;
  }
  const activity = toActivity(req.body as Record<string, unknown>);
  const answered = activity.type === 'invoke' ? deps.observe?.invoke(activity.name, (activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb) : undefined;
  try {
    await runTurn(deps, activity, req, res);
  } finally {
    answered?.(res.statusCode);
  }
}

/** The token check and the turn, answered on `res`. */
async function runTurn(deps: HttpDeps, activity: Activity, req: restify.Request, res: restify.Response): Promise<void> {
  const { log, adapter, app } = deps;
  const authenticate = deps.authenticate ?? ((a: Activity, h: string) => adapter.authenticate(a, h));
  let auth: Awaited<ReturnType<typeof authenticate>>;
  try {
    auth = await authenticate(activity, req.header('authorization') ?? '');
  } catch (err) {
    // The check itself failed (the Teams side could not be loaded): logged here, and nothing of it told to the caller.
    log.error({ err }, 'activity failed before its token was checked');
    if (!res.headersSent) res.send(503, { error: 'unavailable' });
    return;
  }
  if (!auth.ok) {
    log.warn({ reason: auth.error.message }, 'activity refused: token not accepted');
    res.send(401, { error: 'unauthorized' });
    return;
  }
  try {
    writeTurnAnswer(res, await adapter.runAuthenticated(auth.value, activity, (ctx) => app.run(ctx).then(() => undefined)));
  } catch (err) {
    log.error({ err }, 'activity failed');
    if (!res.headersSent) res.send(500, { error: 'internal error' });
  }
}

/** The bot's own routes: activities in, health out. */
function mountBotRoutes(server: restify.Server, deps: HttpDeps): void {
  server.post('/api/messages', async (req: restify.Request, res: restify.Response) => handleActivity(deps, req, res));
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    const ok = await healthy(deps.health, deps.healthTimeoutMs ?? 5_000);
    res.send(ok ? 200 : 503, { status: ok ? 'ok' : 'unavailable' });
  });
}

/** True for a Host header naming localhost or a loopback address (IPv6 in brackets), with any port or none. */
export function isLoopbackHost(host: string | undefined): boolean {
  const name = /^(\[[^\]]*\]|[^:[\]]+)(?::\d{1,5})?$/.exec(host ?? '')?.[1];
  return name !== undefined && isLoopback(name.toLowerCase());
}

/**
 * Local mode answers only requests addressed to a loopback name. A web page whose own DNS name an attacker rebinds
 * to 127.0.0.1 reaches this port from the developer's browser, but its requests carry that name as their Host.
 */
function loopbackHostsOnly(server: restify.Server, log: Log): void {
  server.pre((req: restify.Request, res: restify.Response, next: restify.Next) => {
    if (isLoopbackHost(req.headers.host)) return next();
    log.warn({ host: req.headers.host ?? null, path: req.path() }, 'request refused: local mode answers only a loopback Host');
    res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('misdirected request: in local mode this server answers only to localhost, 127.0.0.1 and [::1]\n');
    return next(false);
  });
}

/** Starts restify with the bot's routes and `deps.routes` on config.host:config.port (port 0 picks a free one). */
export async function startHttpServer(deps: HttpDeps): Promise<RunningServer> {
  const { config, log } = deps;
  // Uncaught-exception handling in restify relies on domains; errors are caught per route instead.
  const server = restify.createServer({ name: 'channel-panel-bot', handleUncaughtExceptions: false });
  if (config.localMode) loopbackHostsOnly(server, log);
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ maxBodySize: MAX_BODY_BYTES, mapParams: false, mapFiles: false, rejectUnknown: false }));
  mountBotRoutes(server, deps);
  for (const route of deps.routes ?? []) mount(server, route, log, deps.observe);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  let closing: Promise<void> | undefined;
  // Idempotent: shutdown paths (signal, failed start, tests) may each call close().
  return { url, port: address.port, close: () => (closing ??= closeGracefully(server, deps.closeGraceMs ?? 10_000)) };
}

/** Stops accepting connections, lets requests in flight finish, then cuts whatever is left after the grace period. */
function closeGracefully(server: restify.Server, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const force = setTimeout(() => server.server.closeAllConnections(), graceMs);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      resolve();
    });
    // Idle keep-alive connections would otherwise hold close() open until the client drops them.
    server.server.closeIdleConnections();
  });
}
