import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { BotStateRepo, StoredState } from './store.js';
import type { Database } from './tables.js';

interface BotStateTable {
  key: string;
  value_json: string;
  etag: string;
  updated_at: string;
}

const valueSchema = z.record(z.unknown());

/** The bot_state table (migration 006) over any Kysely connection or transaction. */
export function botStateRepo(base: Kysely<Database>): BotStateRepo {
  // The table's type stays here with its only user rather than in tables.ts.
  const db = base.withTables<{ bot_state: BotStateTable }>();
  return {
    async read(keys) {
      const out = new Map<string, StoredState>();
      for (let i = 0; i < keys.length; i += 500) {
        const rows = await db.selectFrom('bot_state').selectAll().where('key', 'in', keys.slice(i, i + 500)).execute();
        for (const r of rows) out.set(r.key, { value: valueSchema.parse(JSON.parse(r.value_json)), eTag: r.etag });
      }
      return out;
    },
    async write(key, value, ifMatch, at) {
      const row = { key, value_json: JSON.stringify(value), etag: randomUUID(), updated_at: at };
      if (ifMatch === null) {
        await db.insertInto('bot_state').values(row).onConflict((oc) => oc.column('key').doUpdateSet(row)).execute();
        return row.etag;
      }
      // The eTag check and the write are one statement, so two writers holding the same eTag cannot both win.
      const updated = await db.updateTable('bot_state').set(row).where('key', '=', key).where('etag', '=', ifMatch).executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 1) return row.etag;
      const inserted = await db.insertInto('bot_state').values(row).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
      return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1 ? row.etag : null;
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 500) await db.deleteFrom('bot_state').where('key', 'in', keys.slice(i, i + 500)).execute();
    },
  };
}
