import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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

/** A stand-in for the Bot Connector: records what the bot sends and answers like the real one. */
export class FakeConnector {
  readonly calls: Recorded[] = [];
  private server: Server | null = null;
  private next = 1;
  private faults: Array<{ status: number; headers?: Record<string, string> }> = [];
  /** Team and chat members the fake knows, by Teams user id, for `GET …/members/{id}` (TeamsInfo.getMember). */
  readonly members = new Map<string, { aadObjectId: string; name: string }>();
  /** Decides, call by call, whether an activity call answers with a failure (after any `failNext` faults). */
  faultFor: ((call: Recorded) => { status: number; headers?: Record<string, string> } | undefined) | null = null;
  url = '';

  /** `now` stamps each call's `at`: a test on a shifted clock can pass its own. */
  constructor(private readonly now: () => number = Date.now) {}

  /** The next calls answer these statuses instead of succeeding (they are still recorded, as `failed`). */
  failNext(...faults: Array<{ status: number; headers?: Record<string, string> }>): void {
    this.faults.push(...faults);
  }

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/`;
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const head = (status: number, headers: Record<string, string>) => res.writeHead(status, headers);
    const end = (body: string) => res.end(body);
    let text = '';
    for await (const chunk of req) text += chunk;
    const member = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)$/.exec(req.url ?? '');
    if (req.method === 'GET' && member) {
      const id = decodeURIComponent(member[1]!);
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
    if (fault) {
      this.calls.push({ ...call, failed: fault.status });
      head(fault.status, { 'content-type': 'application/json', ...fault.headers });
      return end(JSON.stringify({ error: { code: 'Fault', message: `injected ${fault.status}` } }));
    }
    this.calls.push(call);
    head(200, { 'content-type': 'application/json' });
    // A post (new or a reply in a thread) gets a new id; an update keeps its own.
    end(JSON.stringify({ id: req.method === 'PUT' && call.activityId ? call.activityId : `activity-${this.next++}` }));
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
    await new Promise<void>((r) => this.server?.close(() => r()) ?? r());
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
