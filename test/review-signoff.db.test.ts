import { describe, expect, it } from 'vitest';
import { reportOk, verifyAuditLog } from '../scheduler/audit/verify.js';
import { purge } from '../scheduler/retention/purge.js';
import { markActionDone, previousSignoff, recordSignoff, signoffForm, type SignoffAnswer, type SignoffForm } from '../scheduler/review/signoff.js';
import type { SignoffScope } from '../scheduler/review/signoff-types.js';
import { dumpStore } from './support/store-dump.js';
import { STORE_KINDS, TEST_AUDIT_KEY, useFreshStore, type TestStore } from './support/stores.js';
import { DAWN, GARETH, MARCUS, NADIA, STRANGER } from './support/teams-activities.js';

// Issue 19, review sign-off: recorded, listed, shown to the next review with each action's state, audited (and
// replayed by `audit verify`, which catches a changed row), refused to anyone else, and all or nothing.

const ALEX = '6513270e-269e-4d37-b2a7-4de452e6b438'; // national lead
const HAMPSHIRE: SignoffScope = { kind: 'force', forceId: 'hampshire' };
const NATIONAL: SignoffScope = { kind: 'national' };
const SYNCED = '2027-01-01T08:00:00.000Z';
const NOW = '2027-04-10T09:00:00.000Z';
const LATER = '2027-05-10T09:00:00.000Z';
const Q1 = { from: '2027-01-01', to: '2027-03-31' };
const ACTION = { decision: 'action', what: 'Ask the chair to record each meeting within a week', owner: 'Prevent supervisor', due: '2027-05-01' };
const ACCEPTED = { decision: 'accepted' };

async function form(t: TestStore, actor = GARETH.aadObjectId, scope = HAMPSHIRE, period = Q1, now = NOW): Promise<SignoffForm> {
  const r = await signoffForm(t.store, actor, scope, period.from, period.to, now);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Signs a form off: the first row with an action, the rest accepted, unless `answers` says otherwise. */
async function signOff(t: TestStore, f: SignoffForm, opts: { actor?: string; answers?: SignoffAnswer[]; conclusion?: string; submissionId?: string; now?: string } = {}) {
  const answers = opts.answers ?? f.rows.map((_, i) => (i === 0 ? ACTION : ACCEPTED));
  return recordSignoff(t.store, { scope: f.scope, from: f.from, to: f.to, conclusion: opts.conclusion ?? 'Records lag; naming is on time', answers, fingerprint: f.fingerprint, submissionId: opts.submissionId ?? null }, opts.actor ?? GARETH.aadObjectId, opts.now ?? NOW);
}

const verify = async (t: TestStore) => {
  const r = await verifyAuditLog(t.store, TEST_AUDIT_KEY);
  return { ok: reportOk(r), problems: r.state.map((p) => p.message) };
};

describe.each(STORE_KINDS)('review sign-off on %s', (kind) => {
  const t = useFreshStore(kind, { syncedAt: SYNCED });

  it('records a force sign-off answering every open flag, lists it, and audits it', async () => {
    const f = await form(t);
    const flags = f.rows.flatMap((r) => r.flags);
    expect(flags.length).toBeGreaterThan(3);
    const r = await signOff(t, f);
    if (!r.ok) throw new Error(r.error.message);
    const listed = await t.store.signoffs.list(HAMPSHIRE);
    expect(listed).toEqual([r.value.signoff]);
    expect(await t.store.signoffs.list()).toEqual(listed);
    expect(await t.store.signoffs.list(NATIONAL)).toEqual([]);
    const s = listed[0]!;
    expect(s).toMatchObject({ scope: HAMPSHIRE, ...Q1, conclusion: 'Records lag; naming is on time', signedBy: { aadObjectId: GARETH.aadObjectId, name: 'Gareth Owen' }, signedAt: NOW });
    expect(s.actions.map((a) => a.flagTitle)).toEqual(flags.map((x) => x.title));
    expect(s.actions[0]).toMatchObject({ answer: 0, accepted: false, what: ACTION.what, owner: ACTION.owner, due: ACTION.due, doneAt: null });
    expect(s.actions.slice(1).every((a) => a.accepted && a.what === null && a.due === null)).toBe(true);

    const [entry] = (await t.store.audit.page(0, 100_000)).slice(-1);
    expect(entry).toMatchObject({ action: 'review.signed-off', actor: GARETH.aadObjectId, at: NOW, subject: { signoffId: s.id, scope: 'force:hampshire' } });
    expect(entry!.details).toMatchObject({ scope: 'force:hampshire', ...Q1, conclusion: s.conclusion });
    expect((entry!.details!.actions as unknown[]).length).toBe(flags.length);
    expect(await verify(t)).toEqual({ ok: true, problems: [] });
  });

  it('shows the previous sign-off to the next review, each action with its state, and marks actions done, audited', async () => {
    const q1 = await signOff(t, await form(t));
    if (!q1.ok) throw new Error(q1.error.message);
    const q2 = { from: '2027-04-01T00:00:00.000Z', to: '2027-07-01T00:00:00.000Z' };
    const states = async (now: string) => (await previousSignoff(t.store, HAMPSHIRE, q2.from, now, q2.to))?.actions.map((a) => a.state);
    expect((await states(NOW))?.slice(0, 2)).toEqual(['open', 'accepted']);
    expect((await states(LATER))?.slice(0, 2)).toEqual(['overdue', 'accepted']);
    // The next period's form shows it; the same period's own review, and an earlier period's, do not.
    expect((await form(t, GARETH.aadObjectId, HAMPSHIRE, { from: '2027-04-01', to: '2027-04-30' }, '2027-05-02T09:00:00.000Z')).previous?.signoff.id).toBe(q1.value.signoff.id);
    expect(await previousSignoff(t.store, HAMPSHIRE, Q1.from, NOW, Q1.to)).toBeNull();
    expect(await previousSignoff(t.store, HAMPSHIRE, '2026-10-01', NOW, '2026-12-31')).toBeNull();
    expect(await previousSignoff(t.store, NATIONAL, q2.from, NOW)).toBeNull();
    // A rolling review (no end given) counts any other period's.
    expect((await previousSignoff(t.store, HAMPSHIRE, '2026-05-10', LATER))?.signoff.id).toBe(q1.value.signoff.id);

    const done = await markActionDone(t.store, q1.value.signoff.actions[0]!.id, NADIA.aadObjectId, LATER);
    expect(done.ok && done.value.marked).toBe(1);
    const after = await previousSignoff(t.store, HAMPSHIRE, q2.from, LATER, q2.to);
    expect(after?.actions[0]).toMatchObject({ state: 'done', doneAt: LATER, doneBy: 'Nadia Rahman' });
    const again = await markActionDone(t.store, q1.value.signoff.actions[0]!.id, GARETH.aadObjectId, LATER);
    expect(again.ok && again.value.marked).toBe(0);
    const accepted = await markActionDone(t.store, q1.value.signoff.actions[1]!.id, GARETH.aadObjectId, LATER);
    expect(accepted.ok ? 'ok' : accepted.error.code).toBe('INVALID');
    const [entry] = (await t.store.audit.page(0, 100_000)).slice(-1);
    expect(entry).toMatchObject({ action: 'review.action-done', actor: NADIA.aadObjectId, at: LATER, subject: { actionId: q1.value.signoff.actions[0]!.id }, details: { doneByName: 'Nadia Rahman' } });
    expect(await verify(t)).toEqual({ ok: true, problems: [] });
  });

  it('lets a national lead sign off the national review, flags of one kind answered together', async () => {
    const f = await form(t, ALEX, NATIONAL);
    const flags = f.rows.flatMap((r) => r.flags);
    expect(f.rows.length).toBeLessThan(flags.length);
    const r = await signOff(t, f, { actor: ALEX, answers: f.rows.map(() => ACTION) });
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.signoff.actions).toHaveLength(flags.length);
    expect(new Set(r.value.signoff.actions.map((a) => a.answer)).size).toBe(f.rows.length);
    // One "Mark done" marks every flag answered with it.
    const first = r.value.signoff.actions[0]!;
    const done = await markActionDone(t.store, first.id, ALEX, LATER);
    expect(done.ok && done.value.marked).toBe(f.rows[0]!.flags.length);
    expect(await t.store.signoffs.list(HAMPSHIRE)).toEqual([]);
    expect(await verify(t)).toEqual({ ok: true, problems: [] });
  });

  it('records a repeated press once', async () => {
    const f = await form(t);
    const first = await signOff(t, f, { submissionId: 'press-0000-0001' });
    const second = await signOff(t, f, { submissionId: 'press-0000-0001', now: LATER });
    expect(first.ok && second.ok && [second.value.repeat, second.value.signoff.id]).toEqual([true, first.ok && first.value.signoff.id]);
    // Someone else's press with that id (a card passed around) is not theirs to repeat, nor to sign again under.
    const other = await signOff(t, f, { submissionId: 'press-0000-0001', actor: NADIA.aadObjectId });
    expect(other.ok ? 'ok' : other.error.code).toBe('STALE');
    expect(await t.store.signoffs.list()).toHaveLength(1);
  });

  it('refuses whoever may not sign off or mark done, and stores nothing', async () => {
    const f = await form(t);
    const before = await dumpStore(t.options);
    for (const actor of [DAWN.aadObjectId, MARCUS.aadObjectId, ALEX, STRANGER.aadObjectId]) {
      const r = await signOff(t, f, { actor });
      expect(r.ok ? 'ok' : r.error.code, actor).toBe('FORBIDDEN');
      expect((await signoffForm(t.store, actor, HAMPSHIRE, Q1.from, Q1.to, NOW)).ok).toBe(false);
    }
    const national = await recordSignoff(t.store, { scope: NATIONAL, ...Q1, conclusion: 'All fine', answers: [], fingerprint: f.fingerprint }, GARETH.aadObjectId, NOW);
    expect(national.ok ? 'ok' : national.error.code).toBe('FORBIDDEN');
    expect(await dumpStore(t.options)).toEqual(before);

    const signed = await signOff(t, f);
    if (!signed.ok) throw new Error(signed.error.message);
    const marked = await markActionDone(t.store, signed.value.signoff.actions[0]!.id, MARCUS.aadObjectId, LATER);
    expect(marked.ok ? 'ok' : marked.error.code).toBe('FORBIDDEN');
    expect((await t.store.signoffs.get(signed.value.signoff.id))?.actions[0]?.doneAt).toBeNull();
  });

  it('refuses a partial or malformed sign-off, saying every problem, and changes nothing', async () => {
    const f = await form(t);
    const before = await dumpStore(t.options);
    const refusal = async (opts: Parameters<typeof signOff>[2], period = Q1) => {
      const r = await recordSignoff(t.store, { scope: HAMPSHIRE, ...period, conclusion: opts?.conclusion ?? 'Fine', answers: opts?.answers ?? f.rows.map(() => ACCEPTED), fingerprint: f.fingerprint }, GARETH.aadObjectId, NOW);
      return r.ok ? 'recorded' : r.error.message;
    };
    const partial = [{ decision: 'action', what: 'Chase it', due: '2027-04-01' }, {}, ...f.rows.slice(2).map(() => ACCEPTED)];
    const said = await refusal({ answers: partial });
    expect(said).toContain(`${f.rows[0]!.title}: give the action's owner`);
    expect(said).toContain(`${f.rows[0]!.title}: the due date is before today`);
    expect(said).toContain(`${f.rows[1]!.title}: choose an action, or "accepted, no action"`);
    expect(await refusal({ answers: f.rows.slice(1).map(() => ACCEPTED) })).toMatch(/changed after the card was made/);
    expect(await refusal({ answers: [{ ...ACTION, due: '2027-02-30' }, ...f.rows.slice(1).map(() => ACCEPTED)] })).toContain('give a due date as a real date');
    expect(await refusal({ conclusion: 'ok' })).toContain('give the conclusion');
    expect(await refusal({ conclusion: 'Fine\u0007 really' })).toContain('the conclusion may not contain control characters');
    expect(await refusal({ conclusion: 'x'.repeat(501) })).toContain('keep the conclusion to 500 characters or fewer');
    expect(await refusal({}, { from: '2027-03-31', to: '2027-01-01' })).toContain('the period ends before it starts');
    expect(await refusal({}, { from: '2027-04-01', to: '2027-06-30' })).toContain('the period has not ended yet');
    expect(await dumpStore(t.options)).toEqual(before);
  });

  it('lets retention delete sign-offs past the cutoff whose audit details it erased, and the log still verifies', async () => {
    const old = await signOff(t, await form(t));
    const later = await form(t, GARETH.aadObjectId, HAMPSHIRE, { from: '2027-04-01', to: '2029-05-31' }, '2029-06-01T09:00:00.000Z');
    const kept = await signOff(t, later, { now: '2029-06-01T09:00:00.000Z', answers: later.rows.map(() => ACCEPTED) });
    if (!old.ok || !kept.ok) throw new Error('not signed off');
    // Two years' retention as of mid-2029: the 2027 sign-off's entry is past the cutoff, the 2029 one is not.
    const at = '2029-06-02T09:00:00.000Z';
    // The purge deletes the sign-off whose entry it erased, in the same transaction.
    expect((await purge(t.store, { now: at, retentionYears: 2, dryRun: false })).counts.signoffs).toBe(1);
    expect(await t.store.signoffs.deleteSignedBefore('2027-06-02T00:00:00.000Z')).toBe(0);
    expect((await t.store.signoffs.list()).map((s) => s.id)).toEqual([kept.value.signoff.id]);
    expect(await verify(t)).toEqual({ ok: true, problems: [] });
  });

  it('catches in audit verify a sign-off or action changed, added or removed outside the bot', async () => {
    const r = await signOff(t, await form(t));
    if (!r.ok) throw new Error(r.error.message);
    const { id, actions } = r.value.signoff;
    expect((await verify(t)).ok).toBe(true);
    const caught = async (sql: string, undo: string, table: string) => {
      await t.raw(sql);
      const v = await verify(t);
      expect(v.ok, sql).toBe(false);
      expect(v.problems.join('\n'), sql).toContain(table);
      await t.raw(undo);
      expect((await verify(t)).ok, undo).toBe(true);
    };
    await caught(`update review_signoffs set conclusion = 'All is well' where id = '${id}'`, `update review_signoffs set conclusion = 'Records lag; naming is on time' where id = '${id}'`, `review_signoffs row ${id} differs`);
    await caught(`update review_actions set owner = 'Nobody' where id = '${actions[0]!.id}'`, `update review_actions set owner = '${ACTION.owner}' where id = '${actions[0]!.id}'`, `review_actions row ${actions[0]!.id} differs`);
    await caught(`update review_actions set done_at = '${LATER}', done_by = 'Gareth Owen' where id = '${actions[0]!.id}'`, `update review_actions set done_at = null, done_by = null where id = '${actions[0]!.id}'`, 'review_actions');
    await caught(
      `insert into review_signoffs (id, scope_kind, scope_id, period_from, period_to, conclusion, signed_by, signed_by_name, signed_at) values ('forged', 'force', 'hampshire', '2026-10-01', '2026-12-31', 'All fine', '${GARETH.aadObjectId}', 'Gareth Owen', '${NOW}')`,
      "delete from review_signoffs where id = 'forged'",
      'review_signoffs row forged has no audit entry',
    );
    const last = actions.at(-1)!;
    await caught(
      `delete from review_actions where id = '${last.id}'`,
      `insert into review_actions (id, signoff_id, position, answer, flag_code, panel_id, force_id, meeting_id, month, flag_title, accepted) values ('${last.id}', '${id}', ${actions.length - 1}, ${last.answer}, '${last.flagCode}', '${last.panelId}', ${last.forceId ? `'${last.forceId}'` : 'null'}, ${last.meetingId ? `'${last.meetingId}'` : 'null'}, ${last.month ? `'${last.month}'` : 'null'}, '${last.flagTitle.replace(/'/g, "''")}', 1)`,
      `review_actions row ${last.id} recorded by audit entry`,
    );
  });
});
