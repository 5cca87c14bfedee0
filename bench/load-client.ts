// The load bench's client, a child process of its own (bench/ipc.ts), so neither the bot's nor the echo's work lands
// on its timings, nor its own on theirs. It presses posted cards as Teams clients would, keeping the versions each
// answer shows, and times each answer.
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { VERBS } from '../cards/verbs.js';
import { cardAction } from '../test/support/teams-activities.js';
import { serveParent } from './ipc.js';
import type { DriveRequest, DriveResult, Sample, Target } from './load-shared.js';

const ROLES = ['Prevent lead', 'Detective sergeant', 'Prevent officer', 'Counter-terrorism case officer'];
let targets: Target[] = [];
let serviceUrl = '';
const busy = new Set<number>();
/** How many nominations each card has been sent: each names the next of its people, so none repeats the last. */
const named = new Map<number, number>();

/**
 * The i-th press: two nominations to every refresh, spread over cards and pressers, on a card no other press holds.
 * A nomination names the card's next person in turn, so it is always a change (a repeat would be recorded as nothing).
 */
function press(i: number): { verb: string; k: number; body: string; sent: number } {
  let k = (i * 7919) % targets.length;
  while (busy.has(k)) k = (k + 1) % targets.length;
  const t = targets[k]!;
  const who = t.editors[i % t.editors.length]!;
  const ref = { meetingId: t.meetingId, forceId: t.forceId, meetingVersion: t.meetingVersion, nominationVersion: t.nominationVersion };
  const verb = i % 3 === 2 ? VERBS.refreshNomination : VERBS.nominate;
  const n = verb === VERBS.nominate ? (named.get(k) ?? 0) : 0;
  if (verb === VERBS.nominate) named.set(k, n + 1);
  const data = verb === VERBS.nominate ? { ...ref, attendee: t.picks[n % t.picks.length]!.aadObjectId, role: ROLES[i % ROLES.length]!, decisionMaker: i % 2 ? 'true' : 'false' } : ref;
  return { verb, k, body: JSON.stringify(cardAction(serviceUrl, who, verb, data)), sent: t.nominationVersion };
}

/** POSTs one activity; resolves with the status and body. node:http rather than fetch: less client work per press. */
function post(agent: Agent, url: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/messages`, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    // A kept-alive socket the server closed as idle just as this press went out on it (two instances: a socket to one waits
    // while every press is at the other) fails before the bot reads anything: sent again, as Node's documentation advises.
    req.on('error', (err: NodeJS.ErrnoException) => (req.reusedSocket && err.code === 'ECONNRESET' ? post(agent, url, body).then(resolve, reject) : reject(err)));
    req.end(body);
  });
}

/** Sends the phase's presses; a press answered other than 200 ends the run, with what it said. */
async function drive({ urls, count, inFlight }: DriveRequest): Promise<DriveResult> {
  // Connections of its own, closed at the end: a keep-alive socket left idle between phases may be closed by the
  // server just as the next phase sends on it ("socket hang up").
  const agent = new Agent({ keepAlive: true, maxSockets: inFlight });
  try {
    return await pressAll(agent, urls, count, inFlight);
  } finally {
    agent.destroy();
  }
}

async function pressAll(agent: Agent, urls: string[], count: number, inFlight: number): Promise<DriveResult> {
  const samples: Sample[] = [];
  let next = 0;
  let recorded = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const { verb, k, body, sent } = press(i);
      busy.add(k);
      const s = performance.now();
      const res = await post(agent, urls[i % urls.length]!, body).finally(() => busy.delete(k));
      samples.push({ verb, ms: performance.now() - s });
      if (res.status !== 200) throw new Error(`${verb} answered ${res.status}: ${res.text.slice(0, 200)}`);
      const mv = /"meetingVersion":(\d+)/.exec(res.text);
      const nv = /"nominationVersion":(\d+)/.exec(res.text);
      if (!mv || !nv) continue;
      if (verb === VERBS.nominate && Number(nv[1]) > sent) recorded += 1;
      Object.assign(targets[k]!, { meetingVersion: Number(mv[1]), nominationVersion: Number(nv[1]) });
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { samples, seconds: (performance.now() - t0) / 1000, recorded };
}

serveParent(
  { pid: process.pid },
  {
    targets: async (arg: { targets: Target[]; serviceUrl: string }) => {
      targets = arg.targets;
      named.clear();
      serviceUrl = arg.serviceUrl;
    },
    drive,
    stop: async () => undefined,
  },
);
