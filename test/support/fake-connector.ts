import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { until } from './wait.js';

export interface Recorded {
  method: string;
  path: string;
  conversationId: string;
  activityId?: string;
  body: any;
  authorization?: string;
  /** When the call arrived (ms since the epoch). */
  at: number;
  /** Set when the fake answered with an injected failure. */
  failed?: number;
}

/** Activity calls the fake has taken and recorded but not answered: the senders wait until the test releases them. */
export interface Gate {
  /** The calls held so far, in the order they arrived. */
  readonly held: readonly Recorded[];
  /** Resolves with the held calls once `n` are held at once (held calls stay held until release). */
  waitForHeld(n: number): Promise<Recorded[]>;
  /** Answers every held call whose sender is still there, and holds no more. */
  release(): void;
}

interface Holding {
  which: (call: Recorded) => boolean;
  held: Recorded[];
  released: Promise<void>;
}

/** A stand-in for the Bot Connector: records what the bot sends and answers like the real one. */
export class FakeConnector {
  readonly calls: Recorded[] = [];
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  /** Requests that arrived and are not recorded yet (their bodies are still being read). */
  private reading = 0;
  private holding: Holding | null = null;
  private next = 1;
  private faults: Array<{ status: number; headers?: Record<string, string> }> = [];
  /** Team and chat members the fake knows, by Teams user id, for `GET …/members/{id}` (TeamsInfo.getMember). */
  readonly members = new Map<string, { aadObjectId: string; name: string; tenantId?: string }>();
  /** The Teams user ids the bot asked about (`GET …/members/{id}`), in order. */
  readonly memberLookups: string[] = [];
  /** The conversations those lookups asked in (a team's, or a channel's own members), in the same order. */
  readonly memberLookupConversations: string[] = [];
  /** Decides, call by call, whether an activity call answers with a failure (after any `failNext` faults). */
  faultFor: ((call: Recorded) => { status: number; headers?: Record<string, string> } | undefined) | null = null;
  url = '';

  /** `now` stamps each call's `at`: a test on a shifted clock can pass its own. */
  constructor(private readonly now: () => number = Date.now) {}

  /** The next calls answer these statuses instead of succeeding (they are still recorded, as `failed`). */
  failNext(...faults: Array<{ status: number; headers?: Record<string, string> }>): void {
    this.faults.push(...faults);
  }

  /**
   * From now until release(), answers no activity call that `which` picks (every one, unless told): each is recorded
   * as it arrives (with its injected fault, if any) and its sender waits. This is how a test knows sends are in flight
   * at once, or stops a sender in the middle of a send, without depending on how fast anything runs.
   */
  hold(which: (call: Recorded) => boolean = () => true): Gate {
    let open!: () => void;
    const holding: Holding = { which, held: [], released: new Promise<void>((r) => (open = r)) };
    this.holding = holding;
    return {
      held: holding.held,
      waitForHeld: async (n) => {
        await until(() => holding.held.length >= n, `${n} sends held at the fake connector`).catch((err: Error) => {
          throw new Error(`${err.message} (${holding.held.length} were)`);
        });
        return [...holding.held];
      },
      release: () => {
        if (this.holding === holding) this.holding = null;
        open();
      },
    };
  }

  /**
   * Resolves once no client is connected and every request that reached the fake is recorded: after a sender is
   * killed, everything it managed to send has been seen.
   */
  async disconnected(): Promise<void> {
    await until(() => this.sockets.size === 0 && this.reading === 0, 'every connection to the fake connector to close');
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  /** The whole body, or null when the sender went away before it finished sending it (nothing arrived, then). */
  private async body(req: IncomingMessage): Promise<string | null> {
    let text = '';
    try {
      for await (const chunk of req) text += chunk;
    } catch {
      return null;
    }
    return req.complete ? text : null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    this.reading += 1;
    const text = await this.body(req);
    try {
      if (text === null) return void res.destroy();
      this.answer(req, res, text);
    } finally {
      this.reading -= 1;
    }
  }

  /** Records the call at once; answers it now, or when the test releases it if it is held. */
  private answer(req: IncomingMessage, res: ServerResponse, text: string) {
    const head = (status: number, headers: Record<string, string>) => res.writeHead(status, headers);
    const end = (body: string) => res.end(body);
    const member = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && member) {
      const id = decodeURIComponent(member[1]!);
      this.memberLookups.push(id);
      this.memberLookupConversations.push(decodeURIComponent(/^\/v3\/conversations\/([^/]+)\//.exec(req.url ?? '')![1]!));
      const known = this.members.get(id);
      head(known ? 200 : 404, { 'content-type': 'application/json' });
      return end(JSON.stringify(known ? { id, ...known } : { error: { code: 'MemberNotFoundInConversation', message: 'Member not found' } }));
    }
    const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    if (!m) {
      head(404, {});
      return end('{}');
    }
    const call: Recorded = {
      at: this.now(),
      method: req.method ?? '',
      path: req.url ?? '',
      conversationId: decodeURIComponent(m[1]!),
      body: text ? JSON.parse(text) : null,
      ...(m[2] ? { activityId: decodeURIComponent(m[2]) } : {}),
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    };
    const fault = this.faults.shift() ?? this.faultFor?.(call);
    const recorded: Recorded = fault ? { ...call, failed: fault.status } : call;
    this.calls.push(recorded);
    const respond = () => {
      if (res.destroyed) return;
      if (fault) {
        head(fault.status, { 'content-type': 'application/json', ...fault.headers });
        return end(JSON.stringify({ error: { code: 'Fault', message: `injected ${fault.status}` } }));
      }
      head(200, { 'content-type': 'application/json' });
      // A post (new or a reply in a thread) gets a new id; an update keeps its own.
      end(JSON.stringify({ id: req.method === 'PUT' && call.activityId ? call.activityId : `activity-${this.next++}` }));
    };
    const holding = this.holding;
    if (!holding?.which(recorded)) return respond();
    holding.held.push(recorded);
    void holding.released.then(respond);
  }

  /** Messages the bot posted successfully (not updates), in order. */
  posts(): Recorded[] {
    return this.calls.filter((c) => c.method === 'POST' && !c.failed);
  }

  /** Successful posts that carry an Adaptive Card, with the card. */
  cards(): Array<Recorded & { card: any }> {
    return this.posts().flatMap((c) => {
      const card = c.body?.attachments?.find((a: any) => a.contentType === 'application/vnd.microsoft.card.adaptive')?.content;
      return card ? [{ ...c, card }] : [];
    });
  }

  async stop(): Promise<void> {
    this.holding = null;
    await new Promise<void>((r) => (this.server ? (this.server.close(() => r()), this.server.closeAllConnections()) : r()));
  }
}

/** A Teams message activity as the Teams service posts it to the bot. */
export function teamsMessage(serviceUrl: string, text: string, opts: { tenant?: string; aadObjectId?: string; conversationId?: string } = {}) {
  return {
    type: 'message',
    id: `msg-${Math.random().toString(16).slice(2)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl,
    from: { id: '29:user-mri', name: 'Test User', aadObjectId: opts.aadObjectId ?? '11111111-1111-4111-8111-111111111111' },
    recipient: { id: '28:bot-id', name: 'Channel panel bot' },
    conversation: { id: opts.conversationId ?? 'a:personal-chat', conversationType: 'personal', tenantId: opts.tenant ?? 'tenant-a' },
    channelData: { tenant: { id: opts.tenant ?? 'tenant-a' } },
    text,
    textFormat: 'plain',
    locale: 'en-GB',
  };
}
