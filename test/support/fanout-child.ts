// A sender process for the fault tests: drains the outbox once against the fake connector, then exits.
// Run as `node --import tsx test/support/fanout-child.ts '<json>'`; the parent may kill it with SIGKILL.
import { z } from 'zod';
import { drainOutbox } from '../../bot/outbox-sender.js';
import { silentLog } from '../../scheduler/log.js';
import { openStore } from '../../scheduler/store/open-store.js';
import { connectorMessenger } from './fanout.js';

const args = z
  .object({
    options: z
      .union([z.object({ kind: z.literal('sqlite'), file: z.string() }), z.object({ kind: z.literal('postgres'), url: z.string(), schema: z.string().optional(), poolSize: z.number().optional() })])
      .and(z.object({ auditKey: z.object({ secret: z.string() }) })),
    now: z.string(),
  })
  .parse(JSON.parse(process.argv[2] ?? '{}'));

const store = await openStore(args.options);
try {
  const handled = await drainOutbox({ store, messenger: connectorMessenger(), log: silentLog, clock: () => Date.parse(args.now), sleep: async () => undefined, monotonic: () => 0 });
  process.stdout.write(`handled ${handled}\n`);
} finally {
  await store.close();
}
