import { DateTime } from 'luxon';
import { redactNote } from '../../scheduler/audit/redact-note.js';
import { REDACT_USAGE } from './cli-options.js';
import { BadArgument, operator, refuse, withStore, type Command } from './io.js';

/**
 * `panel-bot redact note MEETING_ID --reason TEXT`: erases a cancellation's note from the store and from the audit
 * entries that held it, and records that it did. The reason is kept for good (an erasure's own entry is never
 * erased), so it must not repeat the note or hold case details.
 */
export const redactNoteCommand: Command = async (values, config, io) => {
  const meetingId = values.meetingId;
  if (typeof meetingId !== 'string' || !meetingId.trim()) throw new BadArgument(`redact note needs the meeting: ${REDACT_USAGE}`);
  if (typeof values.reason !== 'string') throw new BadArgument(`redact note needs --reason: why the note is erased, kept in the audit log (${REDACT_USAGE})`);
  const why = values.reason;
  return withStore(config, async (store) => {
    const r = await redactNote(store, { meetingId: meetingId.trim(), why }, operator(), DateTime.utc().toISO());
    if (!r.ok) return refuse(io, `${r.error.message}. Nothing was changed.`);
    const { erased, entry } = r.value;
    const entries = erased.length === 0 ? 'no audit entry still held it' : `audit ${erased.length === 1 ? 'entry' : 'entries'} ${erased.join(', ')} erased`;
    io.out(`note erased from meeting ${r.value.meetingId} (${r.value.panelName}); ${entries}; recorded as entry ${entry}`);
    io.out('the force cards posted for it will show "(note removed)" once the bot next sends its queued messages');
    return 0;
  });
};
