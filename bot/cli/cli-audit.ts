import { DateTime } from 'luxon';
import { sealLegacyChain } from '../../scheduler/audit/seal.js';
import { reportLines, reportOk, verifyAuditLog, type HeldHead } from '../../scheduler/audit/verify.js';
import { auditKeyFor } from '../audit-key.js';
import { BadArgument, operator, refuse, withStore, type Command } from './io.js';

/** `--head SEQ:HASH`, as `audit verify` printed it (`head <seq> <hash>`), with a colon between. */
export function parseHead(value: string, name = 'head'): HeldHead {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/i.exec(value.trim());
  if (!m) throw new BadArgument(`--${name} "${value}" is not SEQ:HASH (a number, a colon and the 64 hex digits \`audit verify\` printed after "head")`);
  return { seq: Number(m[1]), hash: m[2]!.toLowerCase() };
}

/** `panel-bot audit verify [--head SEQ:HASH]`: the chain, the head held, erasures and the state tables; the head last. */
export const auditVerifyCommand: Command = async (values, config, io) => {
  const held = typeof values.head === 'string' ? parseHead(values.head) : null;
  const key = auditKeyFor(config, null);
  return withStore(config, async (store) => {
    const report = await verifyAuditLog(store, key, held);
    const lines = reportLines(report);
    if (!reportOk(report)) {
      for (const line of lines) io.err(`panel-bot: ${line}`);
      return 1;
    }
    for (const line of lines) io.out(line);
    if (held) io.out(`the log still holds the head you gave (entry ${held.seq})`);
    io.out(`head ${report.head.seq} ${report.head.hash}`);
    return 0;
  });
};

/**
 * `panel-bot audit seal --legacy-head SEQ:HASH`: seals the entries written before the chain was keyed, once the
 * operator has checked that the head `audit verify` shows for them is the one they know.
 */
export const auditSealCommand: Command = async (values, config, io) => {
  if (typeof values['legacy-head'] !== 'string') throw new BadArgument('audit seal needs --legacy-head SEQ:HASH: the last unkeyed entry, as `panel-bot audit verify` shows it');
  const held = parseHead(values['legacy-head'], 'legacy-head');
  const key = auditKeyFor(config, null);
  return withStore(config, async (store) => {
    const r = await sealLegacyChain(store, key, held, operator(), DateTime.utc().toISO());
    if (!r.ok) return refuse(io, r.error.message);
    io.out(`sealed: entries 1 to ${r.value.sealed}, written before the chain was keyed, are sealed by entry ${r.value.seq}; run \`panel-bot audit verify\` and keep its head`);
    return 0;
  });
};
