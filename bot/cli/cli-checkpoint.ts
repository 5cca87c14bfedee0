import { queueCheckpoint, type Checkpoint } from '../../scheduler/audit/checkpoint.js';
import { silentLog } from '../../scheduler/log.js';
import type { Store } from '../../scheduler/store/store.js';
import { outboxDrainer } from '../compose.js';
import type { AppConfig } from '../config.js';
import { createTeamsApp } from '../teams-app.js';
import { teamsMessenger } from '../teams-messenger.js';
import { nowFrom, refuse, withStore, type Command } from './io.js';

/** Retries due within this long are waited for before the command gives up; later ones are left to the running bot. */
const SEND_WAIT_MS = 60_000;

/** Where the checkpoint went, in words: the linked conversation, or the national leads by name. */
function whereTo(c: Checkpoint, sentTo: Set<string>): string {
  if (c.to === 'linked') return `the national leads' linked conversation (${c.recipients[0]!.conversationId})`;
  const names = c.recipients.filter((r) => sentTo.has(r.conversationId)).map((r) => r.person!.name);
  return `the personal chat${names.length === 1 ? '' : 's'} of ${names.join(', ')} (no conversation is linked with \`link national\`)`;
}

/** Sends what is due now, the way `tick` does: the sender's clock starts at `now` and runs on in real time. */
async function sendNow(store: Store, config: Readonly<AppConfig>, now: string): Promise<void> {
  const { adapter } = createTeamsApp({ config, log: silentLog });
  const started = Date.now();
  await outboxDrainer(store, teamsMessenger(adapter, config.appId), silentLog, () => Date.parse(now) + (Date.now() - started)).drain(SEND_WAIT_MS);
}

/** `panel-bot audit checkpoint [--now ISO-8601]`: posts the audit log's head to the national leads at once. */
export const auditCheckpointCommand: Command = async (values, config, io) => {
  const now = nowFrom(values);
  return withStore(config, async (store) => {
    const r = await queueCheckpoint(store, now, { onDemand: true });
    if (!r.ok) return refuse(io, r.error.message);
    const c = r.value;
    await sendNow(store, config, now);
    const messages = await Promise.all(c.queued.map((id) => store.outbox.get(id)));
    const sent = new Set(messages.filter((m) => m?.status === 'sent').map((m) => m!.conversationId));
    const unsent = messages.filter((m) => m && m.status !== 'sent');
    if (sent.size) io.out(`checkpoint posted: head ${c.seq} ${c.hash} to ${whereTo(c, sent)}`);
    for (const m of unsent) io.err(`panel-bot: the checkpoint for ${m!.conversationId} is ${m!.status === 'pending' ? 'not sent yet; the running bot will retry it' : m!.status}: ${m!.lastError ?? 'no answer'}`);
    return unsent.length ? 1 : 0;
  });
};
