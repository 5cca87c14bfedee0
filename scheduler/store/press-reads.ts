import { sql, type Kysely, type Selectable } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import { forceFromRow, forceQuery, panelFromRow, panelQuery, rolesOfQuery, toRoleOf } from './kysely-repos.js';
import { latestChats, meetingOutboxQuery, personalChatsQuery, toOutbox } from './kysely-teams-repos.js';
import { keepPrepared } from './prepared.js';
import { fromJsonArray } from './row-mappers.js';
import type { DirectoryReads, PressQuery, PressRead, Repos } from './store.js';
import type { ConversationsTable, Database, OutboxTable, RolesTable } from './tables.js';

// A nomination's press, written as read (nominations.ts), decides who may nominate from the caller's roles, the
// panel and the force, and plans its messages from the meeting's outbox and the people's chats. On PostgreSQL those
// five reads are one statement here: on these shared cores each statement costs mostly CPU (the driver's write and
// the server's work), and five side by side also held five of the pool's connections at once. Each read is the
// repository's own query (kysely-repos.ts, kysely-teams-repos.ts), its rows as JSON beside the others.

/**
 * PostgreSQL: the five reads in one statement, kept prepared on each connection (its text never changes). Built and
 * compiled per press: that takes about 0.05 ms here, so it is not compiled once with stand-ins as the card's is.
 */
export async function pressReadsPg(db: Kysely<Database>, q: PressQuery): Promise<PressRead> {
  // The people go as one array value, so the text is the same for one person or two.
  const chats = personalChatsQuery(db).where('user_aad_object_id', '=', sql<string>`any(${q.people}::text[])`);
  const statement = db
    .selectNoFrom(() => [
      jsonArrayFrom(rolesOfQuery(db, q.actor)).as('roles'),
      jsonObjectFrom(forceQuery(db, 'postgres', q.forceId)).as('force'),
      jsonObjectFrom(panelQuery(db, 'postgres', q.panelId)).as('panel'),
      jsonArrayFrom(meetingOutboxQuery(db, q.meetingId)).as('outbox'),
      jsonArrayFrom(chats).as('chats'),
    ])
    .compile();
  keepPrepared(statement.sql, 'press_reads');
  const row = (await db.executeQuery(statement)).rows[0] as Record<'roles' | 'force' | 'panel' | 'outbox' | 'chats', unknown>;
  return {
    roles: fromJsonArray<Pick<RolesTable, 'role' | 'scope_id' | 'tenant_id'>>(row.roles).map(toRoleOf),
    force: row.force ? forceFromRow(row.force as Parameters<typeof forceFromRow>[0]) : null,
    panel: row.panel ? panelFromRow(row.panel as Parameters<typeof panelFromRow>[0]) : null,
    outbox: fromJsonArray<Selectable<OutboxTable>>(row.outbox).map(toOutbox),
    chats: latestChats(fromJsonArray<Selectable<ConversationsTable>>(row.chats)),
  };
}

/** SQLite (its statements cost no round trip): the repositories' own reads. */
export async function pressReadsEach(repos: Pick<Repos, 'outbox' | 'teams'> & { directory: Pick<DirectoryReads, 'rolesOf' | 'getForce' | 'getPanel'> }, q: PressQuery): Promise<PressRead> {
  const [roles, force, panel, outbox, chats] = await Promise.all([
    repos.directory.rolesOf(q.actor),
    repos.directory.getForce(q.forceId),
    repos.directory.getPanel(q.panelId),
    repos.outbox.list({ meetingId: q.meetingId }),
    repos.teams.personalConversations(q.people),
  ]);
  return { roles, force, panel, outbox, chats };
}
