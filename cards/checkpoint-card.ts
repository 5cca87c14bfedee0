import { DateTime } from 'luxon';
import { card, facts, text } from './format.js';

/** An audit log checkpoint as the national leads see it: the entry the log had reached, its hash, and when. */
export interface CheckpointView {
  seq: number;
  /** The entry's hash: 64 hex digits. */
  hash: string;
  /** When the log held this entry, as a Europe/London ISO time with its offset. */
  at: string;
}

/**
 * The checkpoint card: a witness outside the database. Whoever keeps the message can later prove the log still holds
 * this entry unchanged, so a truncated or rewritten log shows. Hex digits and a number only: nothing to escape.
 */
export function checkpointCard(v: CheckpointView): Record<string, unknown> {
  const when = DateTime.fromISO(v.at, { setZone: true }).toFormat('cccc d LLLL yyyy, HH:mm');
  return card([
    text('Audit log checkpoint', { weight: 'Bolder', size: 'Medium' }),
    text('A copy of where the bot\'s audit log had reached, kept outside its database: if the log is ever cut short or rewritten, it no longer matches this.', { isSubtle: true }),
    facts([['Entry', `number ${v.seq}`], ['As of', when]]),
    text('Hash of that entry', { weight: 'Bolder', spacing: 'Medium' }),
    text(v.hash, { fontType: 'Monospace', spacing: 'Small' }),
    text(`Keep this message: \`panel-bot audit verify --head ${v.seq}:${v.hash}\` fails if the log no longer holds this entry.`, { spacing: 'Medium' }),
  ]);
}
