import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signoffCommand } from '../bot/cli/cli-signoff.js';
import { guarded } from '../bot/cli/io.js';
import { loadConfig } from '../bot/config.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { recordSignoff, signoffForm } from '../scheduler/review/signoff.js';
import type { Signoff } from '../scheduler/review/signoff-types.js';
import { openStore, storeOptions } from '../scheduler/store/open-store.js';
import { sampleConfig } from './support/sample.js';
import { GARETH } from './support/teams-activities.js';

// `panel-bot review signoff`: the sign-offs, newest first, each action with its state on the day asked, as text and JSON.

const SYNCED = '2027-01-01T08:00:00.000Z';
const SIGNED = '2027-04-10T09:00:00.000Z';

describe('panel-bot review signoff', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let signed: Signoff;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'panel-bot-signoff-'));
    env = { DATA_DIR: dir, PANELS_CONFIG: 'config/panels.sample.yaml', LOG_LEVEL: 'silent' };
    const store = await openStore(storeOptions(null, dir));
    try {
      await syncPanels(store, sampleConfig(), SYNCED);
      const f = await signoffForm(store, GARETH.aadObjectId, { kind: 'force', forceId: 'hampshire' }, '2027-01-01', '2027-03-31', SIGNED);
      if (!f.ok) throw new Error(f.error.message);
      const answers = f.value.rows.map((_, i) => (i === 0 ? { decision: 'action', what: 'Name a deputy for every meeting', owner: 'Prevent sergeant', due: '2027-05-01' } : { decision: 'accepted' }));
      const r = await recordSignoff(store, { scope: f.value.scope, from: f.value.from, to: f.value.to, conclusion: 'Records lag', answers, fingerprint: f.value.fingerprint }, GARETH.aadObjectId, SIGNED);
      if (!r.ok) throw new Error(r.error.message);
      signed = r.value.signoff;
    } finally {
      await store.close();
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** The command as the lead wires it (`guarded`), run in process on the configuration `env` gives. */
  const run = async (values: Record<string, string | boolean>) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await guarded(signoffCommand)(values, loadConfig(env), { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('prints every sign-off as JSON with each action and its state on the day asked', async () => {
    const before = await run({ json: true, now: '2027-04-20T09:00:00Z' });
    expect(before.code).toBe(0);
    const [s, ...rest] = JSON.parse(before.out);
    expect(rest).toEqual([]);
    expect(s).toMatchObject({ id: signed.id, scope: 'force:hampshire', forceId: 'hampshire', from: '2027-01-01', to: '2027-03-31', conclusion: 'Records lag', signedBy: { name: 'Gareth Owen' }, signedAt: SIGNED });
    expect(s.actions).toHaveLength(signed.actions.length);
    expect(s.actions[0]).toMatchObject({ id: signed.actions[0]!.id, what: 'Name a deputy for every meeting', owner: 'Prevent sergeant', due: '2027-05-01', state: 'open', doneAt: null });
    expect(s.actions.slice(1).every((a: { state: string }) => a.state === 'accepted')).toBe(true);
    const after = JSON.parse((await run({ json: true, now: '2027-05-02T09:00:00Z' })).out);
    expect(after[0].actions[0].state).toBe('overdue');
  });

  it('prints them for a person, narrows to a force, and refuses an unknown one', async () => {
    const text = await run({ now: '2027-05-02T09:00:00Z' });
    expect(text.code).toBe(0);
    expect(text.out).toContain('force:hampshire  2027-01-01 to 2027-03-31  signed off by Gareth Owen at 2027-04-10T09:00:00.000Z');
    expect(text.out).toContain('  conclusion: Records lag');
    expect(text.out).toContain('  overdue  due 2027-05-01  owner: Prevent sergeant  what: Name a deputy for every meeting');
    expect(text.out).toContain(`  accepted, no action: ${signed.actions.length - 1} flags`);
    expect((await run({ force: 'hampshire', json: true })).out).toContain(signed.id);
    expect(await run({ force: 'cambs' })).toEqual({ code: 0, out: 'No review sign-offs for cambs.', err: '' });
    expect(await run({ force: 'nosuch' })).toEqual({ code: 1, out: '', err: 'panel-bot: unknown force "nosuch"' });
    expect((await run({ now: 'soon' })).code).toBe(2);
  });
});
