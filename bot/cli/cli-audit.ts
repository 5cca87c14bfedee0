import { reportLines, reportOk, verifyAuditLog, type HeldHead } from '../../scheduler/audit/verify.js';
import { auditKeyFor } from '../audit-key.js';
import { BadArgument, withStore, type Command } from './io.js';

/** `--head SEQ:HASH`, as `audit verify` printed it (`head <seq> <hash>`), with a colon between. */
export function parseHead(value: string): HeldHead {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/i.exec(value.trim());
  if (!m) throw new BadArgument(`--head "${value}" is not SEQ:HASH (a number, a colon and the 64 hex digits \`audit verify\` printed after "head")`);
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
