import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { jsonArrayFrom as pgJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import type { AuditKey } from '../domain/audit-chain.js';
import { areaScope } from '../domain/areas.js';
import { groupBy } from '../domain/group.js';
import type { Force, Meeting, Panel, Person } from '../domain/types.js';
import { areasSchema, timetableSchema } from './row-schemas.js';
import type { DirectoryRepo, MeetingFilter, MeetingRepo, ReaderRole, Repos, RoleOf } from './store.js';
import { fromJsonArray, toMeeting } from './row-mappers.js';
import type { Database, ForcesTable, MeetingsTable, PanelsTable, RoleName, RolesTable } from './tables.js';
import { nominationRepo, outboxRepo, teamsRepo } from './kysely-teams-repos.js';
import { chairRepo } from './kysely-chair-repos.js';
import { cardRepo } from './kysely-card-repo.js';
import { feedRepo } from './kysely-feed-repos.js';
import { reviewRepo } from './kysely-review-repos.js';
import { botStateRepo } from './kysely-state-repos.js';
import { auditRepo, AUDIT_LOCK, type AuditWrites } from './kysely-audit-repo.js';
import { advisoryLock, LOCK_WAIT_MS } from './advisory-lock.js';
import { retentionRepo } from './kysely-retention-repo.js';
import { withSignoffs } from './kysely-signoff-repo.js';
import { withMeetingPresence } from './kysely-meeting-presence-repo.js';

export type Dialect = 'sqlite' | 'postgres';
const BATCH = 400;

/** The repositories over one Kysely connection or transaction; the same SQL serves SQLite and PostgreSQL. */
export function kyselyRepos(db: Kysely<Database>, dialect: Dialect, key: AuditKey, writes?: AuditWrites, lockWaitMs = LOCK_WAIT_MS): Repos {
  return withMeetingPresence(db, withSignoffs(db, dialect, key, lockWaitMs, {
    exclusive: async (name) => {
      if (dialect === 'postgres') await advisoryLock(db, LOCKS[name], LOCK_NAMES[name], lockWaitMs);
    },
    directory: directoryRepo(db, dialect),
    meetings: meetingRepo(db, dialect),
    audit: auditRepo(db, dialect, key, writes, lockWaitMs),
    teams: teamsRepo(db),
    nominations: nominationRepo(db, dialect),
    cards: cardRepo(db, dialect),
    outbox: outboxRepo(db, dialect),
    chairs: chairRepo(db),
    feeds: feedRepo(db, key),
    review: reviewRepo(db),
    botState: botStateRepo(db),
    retention: retentionRepo(db, dialect),
  }));
}

const LOCKS = { sync: 4242002, audit: AUDIT_LOCK, outbox: 4242003 } as const;
const LOCK_NAMES = { sync: 'planner', audit: 'audit chain', outbox: 'outbox' } as const;
const READER_ROLES: ReaderRole[] = ['inspector', 'pcc-office', 'region'];

/** A role's holder as the file gave them: their tenant only when the file named one. */
const personOf = (r: Pick<RolesTable, 'aad_object_id' | 'name' | 'tenant_id'>): Person => ({ aadObjectId: r.aad_object_id, name: r.name, ...(r.tenant_id ? { tenantId: r.tenant_id } : {}) });

const people = (rows: RolesTable[], role: RoleName, scope: string): Person[] =>
  rows.filter((r) => r.role === role && r.scope_id === scope).map(personOf);

const toForce = (r: ForcesTable, roles: RolesTable[], areaRoles: RolesTable[]): Force => {
  const force: Force = {
    id: r.id,
    name: r.name,
    teamsChannelId: r.teams_channel_id,
    retired: r.retired_at !== null,
    preventLeads: people(roles, 'prevent-lead', r.id),
    deputies: people(roles, 'deputy', r.id),
  };
  const areas = r.areas_json === null ? [] : areasSchema.parse(JSON.parse(r.areas_json));
  if (areas.length) {
    force.areas = areas.map((a) => ({ ...a, leads: people(areaRoles, 'area-lead', areaScope(r.id, a.id)), deputies: people(areaRoles, 'area-deputy', areaScope(r.id, a.id)) }));
  }
  return force;
};

const toPanel = (r: PanelsTable, forces: string[], roles: RolesTable[]): Panel => ({
  id: r.id,
  name: r.name,
  localAuthority: r.local_authority,
  forces,
  chairs: people(roles, 'chair', r.id),
  timetable: timetableSchema.parse(JSON.parse(r.timetable_json)),
  teamsChannelId: r.teams_channel_id,
  retired: r.retired_at !== null,
});

// One force or panel with its people in one statement (a nomination reads both inside its transaction, where every
// statement is a round trip; a press reads both in its one read, press-reads.ts): the roles come back as a JSON array,
// which PostgreSQL's driver parses and SQLite's does not.
const roleColumns = ['role', 'scope_id', 'aad_object_id', 'name', 'position', 'tenant_id'] as const;
const rolesJson = (v: unknown) => fromJsonArray<RolesTable>(v);
const jsonArrayOf = (dialect: Dialect) => (dialect === 'postgres' ? pgJsonArrayFrom : sqliteJsonArrayFrom);

/** One force's row, with its leads' and deputies' (and its areas' teams') roles as JSON beside it. */
export const forceQuery = (db: Kysely<Database>, dialect: Dialect, id: string) =>
  db
    .selectFrom('forces')
    .selectAll('forces')
    .select((eb) => [
      jsonArrayOf(dialect)(eb.selectFrom('roles').select(roleColumns).where('role', 'in', ['prevent-lead', 'deputy'] as RoleName[]).whereRef('roles.scope_id', '=', 'forces.id').orderBy('position')).as('roles_json'),
      jsonArrayOf(dialect)(
        eb.selectFrom('roles').select(roleColumns).where('role', 'in', ['area-lead', 'area-deputy'] as RoleName[]).where('roles.scope_id', 'like', sql<string>`${eb.ref('forces.id')} || '/%'`).orderBy('position'),
      ).as('area_roles_json'),
    ])
    .where('id', '=', id);

export const forceFromRow = (row: ForcesTable & { roles_json: unknown; area_roles_json: unknown }): Force => toForce(row, rolesJson(row.roles_json), rolesJson(row.area_roles_json));

/** One panel's row, with the forces facing it and its chairs as JSON beside it. */
export const panelQuery = (db: Kysely<Database>, dialect: Dialect, id: string) =>
  db
    .selectFrom('panels')
    .selectAll('panels')
    .select((eb) => [
      jsonArrayOf(dialect)(eb.selectFrom('panel_forces').select('force_id').whereRef('panel_forces.panel_id', '=', 'panels.id').orderBy('force_id')).as('forces_json'),
      jsonArrayOf(dialect)(eb.selectFrom('roles').select(roleColumns).where('role', '=', 'chair').whereRef('roles.scope_id', '=', 'panels.id').orderBy('position')).as('chairs_json'),
    ])
    .where('id', '=', id);

/** Every role one person holds (directory.rolesOf). */
export const rolesOfQuery = (db: Kysely<Database>, aad: string) => db.selectFrom('roles').select(['role', 'scope_id', 'tenant_id']).where('aad_object_id', '=', aad);
export const toRoleOf = (r: Pick<RolesTable, 'role' | 'scope_id' | 'tenant_id'>): RoleOf => ({ role: r.role, scopeId: r.scope_id, tenantId: r.tenant_id });

export const panelFromRow = (row: PanelsTable & { forces_json: unknown; chairs_json: unknown }): Panel =>
  toPanel(row, fromJsonArray<{ force_id: string }>(row.forces_json).map((f) => f.force_id), rolesJson(row.chairs_json));

function directoryRepo(db: Kysely<Database>, dialect: Dialect): DirectoryRepo {
  const rolesOf = async (roles: RoleName[], scope?: string) => {
    let q = db.selectFrom('roles').selectAll().where('role', 'in', roles);
    if (scope !== undefined) q = q.where('scope_id', '=', scope);
    return q.orderBy('position').execute();
  };
  const replaceRoles = async (scope: string, entries: Array<[RoleName, Person[]]>) => {
    await db.deleteFrom('roles').where('scope_id', '=', scope).where('role', 'in', entries.map(([r]) => r)).execute();
    const rows = entries.flatMap(([role, ps]) =>
      ps.map((p, position) => ({ role, scope_id: scope, aad_object_id: p.aadObjectId, name: p.name, position, tenant_id: p.tenantId ?? null })),
    );
    if (rows.length) await db.insertInto('roles').values(rows).onConflict((oc) => oc.doNothing()).execute();
  };

  const listForces = async (opts: { includeRetired?: boolean } = {}): Promise<Force[]> => {
    let q = db.selectFrom('forces').selectAll().orderBy('id');
    if (!opts.includeRetired) q = q.where('retired_at', 'is', null);
    const [rows, roles] = await Promise.all([q.execute(), rolesOf(['prevent-lead', 'deputy'])]);
    const areaRoles = rows.some((r) => r.areas_json !== null) ? await rolesOf(['area-lead', 'area-deputy']) : [];
    return rows.map((r) => toForce(r, roles, areaRoles));
  };

  const getForce = async (id: string): Promise<Force | null> => {
    const row = await forceQuery(db, dialect, id).executeTakeFirst();
    return row ? forceFromRow(row) : null;
  };

  const listPanels = async (opts: { includeRetired?: boolean } = {}): Promise<Panel[]> => {
    let q = db.selectFrom('panels').selectAll().orderBy('id');
    if (!opts.includeRetired) q = q.where('retired_at', 'is', null);
    const links = db.selectFrom('panel_forces').selectAll().orderBy('force_id');
    const [rows, linkRows, roles] = await Promise.all([q.execute(), links.execute(), rolesOf(['chair'])]);
    const linksOf = groupBy(linkRows, (l) => l.panel_id);
    const forcesOf = new Map([...linksOf].map(([panelId, links]) => [panelId, links.map((l) => l.force_id)]));
    return rows.map((r) => toPanel(r, forcesOf.get(r.id) ?? [], roles));
  };

  const getPanel = async (id: string): Promise<Panel | null> => {
    const row = await panelQuery(db, dialect, id).executeTakeFirst();
    return row ? panelFromRow(row) : null;
  };

  return {
    listForces,
    listPanels,
    getForce,
    getPanel,
    listNationalLeads: async () => people(await rolesOf(['national-lead'], ''), 'national-lead', ''),
    rolesOf: async (aad) => (await rolesOfQuery(db, aad).execute()).map(toRoleOf),
    async saveForce(f, at) {
      const areas = (f.areas ?? []).map((a) => ({ id: a.id, name: a.name, panels: a.panels }));
      const row = { id: f.id, name: f.name, teams_channel_id: f.teamsChannelId, retired_at: f.retired ? at : null, updated_at: at, areas_json: areas.length ? JSON.stringify(areas) : null };
      await db.insertInto('forces').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
      await replaceRoles(f.id, [['prevent-lead', f.preventLeads], ['deputy', f.deputies]]);
      // Every area role of the force goes, and its areas' come back: an area dropped from the file leaves nobody acting for it.
      await db.deleteFrom('roles').where('role', 'in', ['area-lead', 'area-deputy'] as RoleName[]).where('scope_id', 'like', `${f.id}/%`).execute();
      for (const a of f.areas ?? []) await replaceRoles(areaScope(f.id, a.id), [['area-lead', a.leads], ['area-deputy', a.deputies]]);
    },
    async savePanel(p, at) {
      const row = {
        id: p.id,
        name: p.name,
        local_authority: p.localAuthority,
        timetable_json: JSON.stringify(p.timetable),
        teams_channel_id: p.teamsChannelId,
        retired_at: p.retired ? at : null,
        updated_at: at,
      };
      await db.insertInto('panels').values(row).onConflict((oc) => oc.column('id').doUpdateSet(row)).execute();
      await db.deleteFrom('panel_forces').where('panel_id', '=', p.id).execute();
      if (p.forces.length) {
        await db.insertInto('panel_forces').values(p.forces.map((force_id) => ({ panel_id: p.id, force_id }))).execute();
      }
      await replaceRoles(p.id, [['chair', p.chairs]]);
    },
    setNationalLeads: (ps) => replaceRoles('', [['national-lead', ps]]),
    listReaders: async () =>
      (await db.selectFrom('roles').selectAll().where('role', 'in', READER_ROLES).orderBy('role').orderBy('scope_id').orderBy('position').execute())
        .map((r) => ({ role: r.role as ReaderRole, scopeId: r.scope_id, person: personOf(r) })),
    async setReaders(readers) {
      await db.deleteFrom('roles').where('role', 'in', READER_ROLES).execute();
      const rows = readers.map((r, position) => ({ role: r.role, scope_id: r.scopeId, aad_object_id: r.person.aadObjectId, name: r.person.name, position, tenant_id: r.person.tenantId ?? null }));
      for (let i = 0; i < rows.length; i += BATCH) await db.insertInto('roles').values(rows.slice(i, i + BATCH)).onConflict((oc) => oc.doNothing()).execute();
    },
  };
}

function toRow(m: Meeting, at: string): Omit<MeetingsTable, 'created_at'> {
  return {
    id: m.id,
    panel_id: m.panelId,
    occurrence: m.occurrence,
    start_utc: m.start,
    end_utc: m.end,
    status: m.status,
    moved_from: m.moved?.from ?? null,
    moved_reason: m.moved?.reason ?? null,
    extra: m.extra ? 1 : 0,
    version: m.version,
    locked: m.locked ? 1 : 0,
    updated_at: at,
  };
}

function meetingRepo(db: Kysely<Database>, dialect: Dialect): MeetingRepo {
  const select = (f: MeetingFilter) => {
    let q = db.selectFrom('meetings').selectAll('meetings').orderBy('start_utc').orderBy('id');
    if (f.panelIds) q = f.panelIds.length ? q.where('panel_id', 'in', f.panelIds) : q.where(sql<boolean>`1 = 0`);
    if (f.forceId) {
      const forceId = f.forceId;
      // A force's meetings: every meeting of the panels it faces, and those it was invited to alone.
      q = q.where((eb) =>
        eb.or([
          eb('panel_id', 'in', (sub) => sub.selectFrom('panel_forces').select('panel_id').where('force_id', '=', forceId)),
          eb('id', 'in', (sub) => sub.selectFrom('invitations').select('meeting_id').where('force_id', '=', forceId)),
        ]),
      );
    }
    if (f.from) q = q.where('start_utc', '>=', f.from);
    if (f.to) q = q.where('start_utc', '<', f.to);
    if (f.statuses) q = q.where('status', 'in', f.statuses);
    return q;
  };
  return {
    list: async (f = {}) => (await select(f).execute()).map(toMeeting),
    get: async (id) => {
      const row = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toMeeting(row) : null;
    },
    async insertMany(ms, at) {
      for (let i = 0; i < ms.length; i += BATCH) {
        await db.insertInto('meetings').values(ms.slice(i, i + BATCH).map((m) => ({ ...toRow(m, at), created_at: at }))).execute();
      }
    },
    getForUpdate: async (id) => {
      let q = db.selectFrom('meetings').selectAll().where('id', '=', id);
      // SQLite needs no row lock: its write transactions (BEGIN IMMEDIATE) already run one at a time.
      if (dialect === 'postgres') q = q.forUpdate();
      const row = await q.executeTakeFirst();
      return row ? toMeeting(row) : null;
    },
    async update(m, at) {
      const { id, ...rest } = toRow(m, at);
      await db.updateTable('meetings').set(rest).where('id', '=', id).execute();
    },
    async markLocked(ids, at) {
      for (let i = 0; i < ids.length; i += BATCH) {
        await db.updateTable('meetings').set({ locked: 1, updated_at: at }).where('id', 'in', ids.slice(i, i + BATCH)).where('locked', '=', 0).execute();
      }
    },
    async replanIfPlain(m, expectedVersion, at) {
      const { id, ...rest } = toRow(m, at);
      const r = await db
        .updateTable('meetings').set(rest)
        .where('id', '=', id).where('version', '=', expectedVersion).where('locked', '=', 0).where('status', '=', 'scheduled')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async deleteIfPlain(ids) {
      const gone: string[] = [];
      for (let i = 0; i < ids.length; i += BATCH) {
        const rows = await db
          .deleteFrom('meetings')
          .where('id', 'in', ids.slice(i, i + BATCH)).where('locked', '=', 0).where('status', '=', 'scheduled').where('extra', '=', 0)
          .returning('id').execute();
        gone.push(...rows.map((r) => r.id));
      }
      return gone;
    },
    async deleteMany(ids) {
      for (let i = 0; i < ids.length; i += BATCH) {
        await db.deleteFrom('meetings').where('id', 'in', ids.slice(i, i + BATCH)).execute();
      }
    },
  };
}
