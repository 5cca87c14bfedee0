import type { Kysely } from 'kysely';
import type { AuditKey, NewAuditEntry } from '../domain/audit-chain.js';
import type { SignoffRepo } from '../review/signoff-repo.js';
import { scopeValueOf, type Signoff, type SignoffAction, type SignoffScope } from '../review/signoff-types.js';
import { auditRepo } from './kysely-audit-repo.js';
import type { Repos } from './store.js';
import type { Database } from './tables.js';

// The tables' types stay here with their only user (as kysely-state-repos.ts does for bot_state).
interface ReviewSignoffsTable {
  id: string;
  scope_kind: string;
  scope_id: string;
  period_from: string;
  period_to: string;
  conclusion: string;
  signed_by: string;
  signed_by_name: string;
  signed_at: string;
  submission_id: string | null;
}

interface ReviewActionsTable {
  id: string;
  signoff_id: string;
  position: number;
  answer: number;
  flag_code: string;
  panel_id: string;
  force_id: string | null;
  meeting_id: string | null;
  month: string | null;
  flag_title: string;
  accepted: number;
  what: string | null;
  owner: string | null;
  due: string | null;
  done_at: string | null;
  /** The name of who marked it done; the audit entry keeps their id. */
  done_by: string | null;
}

type Tables = { review_signoffs: ReviewSignoffsTable; review_actions: ReviewActionsTable };

const BATCH = 200;

const scopeRow = (s: SignoffScope) => (s.kind === 'force' ? { scope_kind: 'force', scope_id: s.forceId } : { scope_kind: 'national', scope_id: '' });

function toAction(r: ReviewActionsTable): SignoffAction {
  return {
    id: r.id, answer: Number(r.answer), flagCode: r.flag_code, panelId: r.panel_id, forceId: r.force_id, meetingId: r.meeting_id, month: r.month,
    flagTitle: r.flag_title, accepted: Number(r.accepted) === 1, what: r.what, owner: r.owner, due: r.due, doneAt: r.done_at, doneBy: r.done_by,
  };
}

function actionRow(signoffId: string, a: SignoffAction, position: number): ReviewActionsTable {
  return {
    id: a.id, signoff_id: signoffId, position, answer: a.answer, flag_code: a.flagCode, panel_id: a.panelId, force_id: a.forceId, meeting_id: a.meetingId,
    month: a.month, flag_title: a.flagTitle, accepted: a.accepted ? 1 : 0, what: a.what, owner: a.owner, due: a.due, done_at: a.doneAt, done_by: a.doneBy,
  };
}

/** What the audit entry of a sign-off holds: everything stored, so verify can replay the rows from it. */
export function signedOffEntry(s: Signoff): NewAuditEntry {
  const actions = s.actions.map(({ doneAt: _at, doneBy: _by, ...a }) => a);
  return {
    at: s.signedAt, actor: s.signedBy.aadObjectId, action: 'review.signed-off',
    subject: { signoffId: s.id, scope: scopeValueOf(s.scope) },
    details: { scope: scopeValueOf(s.scope), from: s.from, to: s.to, conclusion: s.conclusion, signedByName: s.signedBy.name, actions },
  };
}

/** Review sign-offs over one Kysely connection or transaction; `record` and `markDone` open one when not in one. */
export function signoffRepo(base: Kysely<Database>, dialect: 'sqlite' | 'postgres', key: AuditKey, lockWaitMs?: number): SignoffRepo {
  const db = base.withTables<Tables>();
  const inTransaction = <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> => (base.isTransaction ? fn(base) : base.transaction().execute(fn));

  const withActions = async (rows: ReviewSignoffsTable[]): Promise<Signoff[]> => {
    const actions: ReviewActionsTable[] = [];
    for (let i = 0; i < rows.length; i += BATCH) {
      const ids = rows.slice(i, i + BATCH).map((r) => r.id);
      actions.push(...(await db.selectFrom('review_actions').selectAll().where('signoff_id', 'in', ids).orderBy('signoff_id').orderBy('position').execute()));
    }
    return rows.map((r) => ({
      id: r.id, scope: r.scope_kind === 'national' ? { kind: 'national' } : { kind: 'force', forceId: r.scope_id },
      from: r.period_from, to: r.period_to, conclusion: r.conclusion, signedBy: { aadObjectId: r.signed_by, name: r.signed_by_name }, signedAt: r.signed_at,
      actions: actions.filter((a) => a.signoff_id === r.id).map(toAction),
    }));
  };
  const newestFirst = (scope?: SignoffScope) => {
    let q = db.selectFrom('review_signoffs').selectAll().orderBy('signed_at', 'desc').orderBy('id', 'desc');
    if (scope) q = q.where('scope_kind', '=', scopeRow(scope).scope_kind).where('scope_id', '=', scopeRow(scope).scope_id);
    return q;
  };
  const one = async (rows: ReviewSignoffsTable[]) => (await withActions(rows))[0] ?? null;

  return {
    record: (s, submissionId = null) =>
      inTransaction(async (trx) => {
        const t = trx.withTables<Tables>();
        await t.insertInto('review_signoffs').values({
          id: s.id, ...scopeRow(s.scope), period_from: s.from, period_to: s.to, conclusion: s.conclusion,
          signed_by: s.signedBy.aadObjectId, signed_by_name: s.signedBy.name, signed_at: s.signedAt, submission_id: submissionId,
        }).execute();
        for (let i = 0; i < s.actions.length; i += BATCH) {
          await t.insertInto('review_actions').values(s.actions.slice(i, i + BATCH).map((a, j) => actionRow(s.id, a, i + j))).execute();
        }
        await auditRepo(trx, dialect, key, undefined, lockWaitMs).append([signedOffEntry(s)]);
      }),
    list: async (scope) => withActions(await newestFirst(scope).execute()),
    get: async (id) => one(await db.selectFrom('review_signoffs').selectAll().where('id', '=', id).execute()),
    bySubmission: async (submissionId) => one(await db.selectFrom('review_signoffs').selectAll().where('submission_id', '=', submissionId).execute()),
    async latestBefore(scope, from, to) {
      let q = newestFirst(scope).where('period_from', '!=', from);
      if (to !== undefined) q = q.where('period_from', '<=', to);
      return one(await q.limit(1).execute());
    },
    markDone: (actionId, by, at) =>
      inTransaction(async (trx) => {
        const t = trx.withTables<Tables>();
        const row = await t.selectFrom('review_actions').select(['signoff_id']).where('id', '=', actionId).executeTakeFirst();
        if (!row) return false;
        const done = await t.updateTable('review_actions').set({ done_at: at, done_by: by.name })
          .where('id', '=', actionId).where('done_at', 'is', null).where('accepted', '=', 0).executeTakeFirst();
        if (Number(done.numUpdatedRows) !== 1) return false;
        await auditRepo(trx, dialect, key, undefined, lockWaitMs).append([
          { at, actor: by.aadObjectId, action: 'review.action-done', subject: { signoffId: row.signoff_id, actionId }, details: { doneByName: by.name } },
        ]);
        return true;
      }),
    async deleteSignedBefore(before) {
      const old = db.selectFrom('review_signoffs').select('id').where('signed_at', '<', before);
      await db.deleteFrom('review_actions').where('signoff_id', 'in', old).execute();
      return Number((await db.deleteFrom('review_signoffs').where('signed_at', '<', before).executeTakeFirst()).numDeletedRows);
    },
  };
}

/**
 * Adds the sign-offs to a set of repositories, and their rows to what verify replays the audit log against
 * (`stateRows`): they are rows the audit log describes, like a meeting's.
 */
export function withSignoffs(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', key: AuditKey, lockWaitMs: number, repos: Omit<Repos, 'signoffs'>): Repos {
  const signoffs = signoffRepo(db, dialect, key, lockWaitMs);
  return { ...repos, signoffs, audit: { ...repos.audit, stateRows: async () => ({ ...(await repos.audit.stateRows()), signoffs: await signoffs.list() }) } };
}
