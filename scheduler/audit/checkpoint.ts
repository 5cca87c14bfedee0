import { DateTime } from 'luxon';
import type { OutboxMessage, Result } from '../domain/types.js';
import { fail, ok } from '../domain/types.js';
import type { Repos, Store } from '../store/store.js';

/**
 * The audit checkpoint (issue 17): the log's head posted to the national leads in Teams, a witness outside the database
 * that makes a truncated or rewritten log visible (`audit verify --head SEQ:HASH`). Weekly, and on demand.
 */

/** Where a checkpoint goes: the conversation linked with `link national`, else each national lead's personal chat. */
export interface CheckpointRecipient {
  conversationId: string;
  /** The national lead whose personal chat it is; null for the linked conversation. */
  person: { aadObjectId: string; name: string } | null;
}

/** What was queued: the head, where it goes, and the outbox ids new this time (none when this week's is queued already). */
export interface Checkpoint {
  seq: number;
  hash: string;
  to: 'linked' | 'personal';
  recipients: CheckpointRecipient[];
  queued: string[];
}

const PREFIX = 'audit-checkpoint';
const HEAD = /^audit-checkpoint:[^:]+:(\d{1,15}):([0-9a-f]{64}):/;

/** The outbox id of a checkpoint: `audit-checkpoint:<week or instant>:<seq>:<hash>:<conversation>`; the sender renders from it. */
export const checkpointId = (label: string, head: { seq: number; hash: string }, conversationId: string): string => `${PREFIX}:${label}:${head.seq}:${head.hash}:${conversationId}`;

/** The head a checkpoint message carries in its id, or null when the id is not a checkpoint's. */
export function checkpointHead(id: string): { seq: number; hash: string } | null {
  const m = HEAD.exec(id);
  return m ? { seq: Number(m[1]), hash: m[2]! } : null;
}

/**
 * The week a weekly checkpoint belongs to (ISO week, Europe/London). Weeks turn on Monday at 08:00, so the first one
 * of a week goes out at the start of the working week rather than at midnight, and a week the bot was down for is
 * caught up on its next pass.
 */
export const checkpointWeek = (now: string): string =>
  DateTime.fromISO(now, { zone: 'utc' }).setZone('Europe/London').minus({ hours: 8 }).toFormat("kkkk-'W'WW");

/** The linked national conversation (while the bot is still in it), else the national leads' personal chats it knows. */
export async function checkpointRecipients(repos: Repos): Promise<{ to: Checkpoint['to']; recipients: CheckpointRecipient[] }> {
  const linked = await repos.teams.linkedConversation('national', '');
  if (linked && (await repos.teams.getConversation(linked))) return { to: 'linked', recipients: [{ conversationId: linked, person: null }] };
  const recipients: CheckpointRecipient[] = [];
  for (const lead of await repos.directory.listNationalLeads()) {
    const chat = await repos.teams.personalConversation(lead.aadObjectId);
    if (chat) recipients.push({ conversationId: chat.id, person: lead });
  }
  return { to: 'personal', recipients };
}

export const NO_RECIPIENT = 'no conversation to post the checkpoint to: a national lead should type `link national` in the national leads\' Teams channel or group chat (or chat with the bot personally)';

/**
 * Queues the current head for the national leads. On demand, every call is a new checkpoint. Weekly, the first call in
 * a week fixes that week's head (a setting every instance agrees on), so later passes in the week queue the same ids,
 * which the outbox ignores: one checkpoint a week per conversation.
 */
export async function queueCheckpoint(store: Store, now: string, opts: { onDemand: boolean }): Promise<Result<Checkpoint>> {
  // Read first, outside a transaction: the weekly job runs every pass, and usually has nothing to do.
  const seen = await checkpointRecipients(store);
  if (!seen.recipients.length) return fail('NO_CONVERSATION', NO_RECIPIENT);
  if (!opts.onDemand) {
    const week = checkpointWeek(now);
    const head = parseHead((await store.review.readSetting(`${PREFIX}:${week}`)) ?? '');
    const ids = head ? seen.recipients.map((r) => checkpointId(week, head, r.conversationId)) : [];
    if (head && (await Promise.all(ids.map((id) => store.outbox.get(id)))).every(Boolean)) return ok({ ...head, ...seen, queued: [] });
  }
  return store.transaction(async (tx) => {
    const { to, recipients } = await checkpointRecipients(tx);
    if (!recipients.length) return fail('NO_CONVERSATION', NO_RECIPIENT);
    const current = await tx.audit.head();
    const week = checkpointWeek(now);
    const head = opts.onDemand ? current : weekHead(week, await tx.review.setting(`${PREFIX}:${week}`, `${current.seq}:${current.hash}`, now));
    const label = opts.onDemand ? now.replace(/[-:]/g, '') : week;
    const messages = recipients.map((r) => checkpointMessage(checkpointId(label, head, r.conversationId), r, now));
    const queued = await tx.outbox.enqueue(messages);
    if (queued.length) {
      const conversationIds = messages.filter((m) => queued.includes(m.id)).map((m) => m.conversationId);
      await tx.audit.append([{ at: now, actor: 'system', action: 'audit.checkpoint', subject: {}, details: { seq: head.seq, hash: head.hash, onDemand: opts.onDemand, conversationIds } }]);
    }
    return ok({ ...head, to, recipients, queued });
  });
}

const checkpointMessage = (id: string, r: CheckpointRecipient, now: string): OutboxMessage => ({
  id, kind: 'audit-checkpoint', conversationId: r.conversationId, meetingId: '', forceId: '', cardId: null, personAadObjectId: r.person?.aadObjectId ?? null,
  status: 'pending', attempts: 0, nextAttemptAt: now, activityId: null, lastError: null, createdAt: now,
});

/** The weekly scheduler job's work: this week's checkpoint, once; nothing (and no complaint) with nowhere to post it. */
export async function queueWeeklyCheckpoint(store: Store, now: string): Promise<string[]> {
  const r = await queueCheckpoint(store, now, { onDemand: false });
  return r.ok ? r.value.queued : [];
}

function parseHead(value: string): { seq: number; hash: string } | null {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(value);
  return m ? { seq: Number(m[1]), hash: m[2]! } : null;
}

/** The head fixed for a week. Only this module writes it; a value it cannot read is a fault, not a reason to post anew. */
function weekHead(week: string, value: string): { seq: number; hash: string } {
  const head = parseHead(value);
  if (!head) throw new Error(`the setting ${PREFIX}:${week} is not SEQ:HASH; the week's checkpoint cannot be posted`);
  return head;
}
