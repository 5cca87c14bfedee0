import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../bot/config.js';
import { startHttpServer, type RunningServer } from '../bot/http.js';
import { registerReviewRoutes } from '../bot/routes/review-routes.js';
import { registerSignoffRoutes } from '../bot/routes/signoff-routes.js';
import { createTeamsApp } from '../bot/teams-app.js';
import { silentLog } from '../scheduler/log.js';
import { syncPanels } from '../scheduler/planning/sync.js';
import { FakeConnector } from './support/fake-connector.js';
import { sampleConfig } from './support/sample.js';
import { freshStore, type TestStore } from './support/stores.js';
import { cardAction, DAWN, GARETH, MARCUS, personalMessage, STRANGER, type Speaker } from './support/teams-activities.js';
import { cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

// The sign-off over real HTTP, through the gate: the command, the card's button and "Mark done". Until the lead
// registers these routes in bot/compose.ts, this file registers them itself (before the review's, as they will be).

const ALEX: Speaker = { aadObjectId: '6513270e-269e-4d37-b2a7-4de452e6b438', name: 'Alex Morgan' }; // national lead
const SYNCED = '2027-01-01T08:00:00.000Z';
const NOW = '2027-04-10T09:00:00.000Z';
const UNLIMITED = { burst: 1_000_000, perMinute: 1_000_000 };

describe('review sign-off in Teams', () => {
  let t: TestStore;
  let server: RunningServer;
  let connector: FakeConnector;
  let now = NOW;

  beforeEach(async () => {
    now = NOW;
    t = await freshStore('sqlite');
    await syncPanels(t.store, sampleConfig(), SYNCED);
    connector = new FakeConnector();
    await connector.start();
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', PANELS_CONFIG: 'config/panels.sample.yaml' });
    const deps = { store: t.store, log: silentLog, clock: () => now, kick: () => undefined };
    const { app, adapter, authenticate } = createTeamsApp({
      config, log: silentLog, rateLimits: { commands: UNLIMITED, actions: UNLIMITED },
      register: (a) => {
        registerSignoffRoutes(a, deps);
        registerReviewRoutes(a, deps, config);
      },
    });
    server = await startHttpServer({ config, log: silentLog, adapter, app, authenticate, health: async () => true });
  });
  afterEach(async () => {
    await server.close();
    await connector.stop();
    await t.dispose();
  });

  const post = async (activity: object) => {
    const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
    const text = await res.text();
    return text ? JSON.parse(text) : null;
  };
  /** Says something in personal chat: the bot's reply, a card or a text. */
  const ask = async (who: Speaker, text: string): Promise<{ text?: string; card?: any }> => {
    const before = connector.posts().length;
    await post(personalMessage(connector.url, who, text));
    await until(() => connector.posts().length > before, `the reply to "${text}"`);
    const reply = connector.posts()[before]!.body;
    return { text: reply.text, card: reply.attachments?.[0]?.content };
  };
  /** Presses a button: the answer, a card or a text. */
  const press = async (who: Speaker, verb: string, data: Record<string, unknown>) => (await post(cardAction(connector.url, who, verb, data)))?.value;
  const button = (card: any, verb: string): Record<string, unknown> => {
    const found: any[] = [];
    JSON.stringify(card, (_k, v) => (v && v.type === 'Action.Execute' && v.verb === verb ? (found.push(v), v) : v));
    return found[0]?.data;
  };
  const rowCount = (card: any) => Number(button(card, 'signOffReview').rows);

  it('gives a force lead the card for their force, and records the sign-off it sends back', async () => {
    const { card } = await ask(GARETH, 'review signoff 2027-Q1');
    expect(cardProblems(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('Sign off the recommendation 7 review: Hampshire and Isle of Wight Constabulary');
    expect(JSON.stringify(card)).toContain('Meetings from 1 Jan 2027 to 31 Mar 2027');
    const data = button(card, 'signOffReview');
    const inputs = Object.fromEntries(Array.from({ length: rowCount(card) }, (_, n) => [`decision_${n}`, 'accepted']));
    const answer = await press(GARETH, 'signOffReview', { ...data, ...inputs, decision_0: 'action', what_0: 'Name a deputy for every meeting', owner_0: 'Prevent sergeant', due_0: '2027-05-01', conclusion: 'Attendance records lag' });
    expect(JSON.stringify(answer)).toContain('Signed off: the review of Hampshire and Isle of Wight Constabulary, 1 Jan 2027 to 31 Mar 2027.');
    const [s] = await t.store.signoffs.list();
    expect(s).toMatchObject({ scope: { kind: 'force', forceId: 'hampshire' }, from: '2027-01-01', to: '2027-03-31', conclusion: 'Attendance records lag', signedBy: { name: 'Gareth Owen' } });
    // The same press again (Teams retries) records nothing more.
    await press(GARETH, 'signOffReview', { ...data, ...inputs, decision_0: 'action', what_0: 'Name a deputy for every meeting', owner_0: 'Prevent sergeant', due_0: '2027-05-01', conclusion: 'Attendance records lag' });
    expect(await t.store.signoffs.list()).toHaveLength(1);

    // The next period's card shows the action, open, with "Mark done"; pressing it marks it done.
    now = '2027-05-02T09:00:00.000Z';
    const next = (await ask(GARETH, 'review signoff 2027-04')).card;
    expect(JSON.stringify(next)).toContain('Actions agreed at the last review (1 Jan 2027 to 31 Mar 2027)');
    expect(JSON.stringify(next)).toContain('Name a deputy for every meeting. Owner: Prevent sergeant. Overdue: it was due 1 May 2027.');
    const done = await press(GARETH, 'markActionDone', button(next, 'markActionDone'));
    expect(JSON.stringify(done)).toContain('Marked done: ');
    expect((await t.store.signoffs.list())[0]!.actions[0]).toMatchObject({ doneBy: 'Gareth Owen', doneAt: now });
  });

  it('answers a partial sign-off with the card again, what was typed kept and every gap named, and stores nothing', async () => {
    const { card } = await ask(GARETH, 'review signoff 2027-Q1');
    const answer = await press(GARETH, 'signOffReview', { ...button(card, 'signOffReview'), conclusion: 'Half done', decision_0: 'action', what_0: 'Chase the chair' });
    const json = JSON.stringify(answer);
    expect(json).toContain("Not signed off: Attendance not recorded: Hampshire Channel panel, January 2027: give the action's owner");
    expect(json).toContain('choose an action, or \\"accepted, no action\\"');
    expect(json).toContain('"value":"Chase the chair"');
    expect(json).toContain('"value":"Half done"');
    expect(await t.store.signoffs.list()).toEqual([]);
  });

  it('gives a national lead the national view, and refuses everyone else theirs', async () => {
    expect(JSON.stringify((await ask(ALEX, 'review signoff 2027-Q1')).card)).toContain('Sign off the recommendation 7 review: All forces');
    expect((await ask(ALEX, 'review signoff hampshire 2027-Q1')).text).toBe('Only the Prevent leads and deputies of Hampshire and Isle of Wight Constabulary can sign off its review.');
    const refusal = "Review sign-off is for force Prevent leads and their deputies (their force's review) and national leads (the national review).";
    expect((await ask(STRANGER, 'review signoff')).text).toBe(refusal);
    expect((await ask(DAWN, 'review signoff')).text).toBe(refusal);
    expect((await ask(MARCUS, 'review signoff hampshire')).text).toBe(refusal);
    const { card } = await ask(GARETH, 'review signoff 2027-Q1');
    const all = Object.fromEntries(Array.from({ length: rowCount(card) }, (_, n) => [`decision_${n}`, 'accepted']));
    for (const who of [MARCUS, STRANGER, DAWN]) expect(await press(who, 'signOffReview', { ...button(card, 'signOffReview'), ...all, conclusion: 'All fine' })).toBe(refusal);
    expect(await press(GARETH, 'signOffReview', { ...button(card, 'signOffReview'), ...all, forceId: undefined, conclusion: 'All fine' })).toBe(refusal);
    expect(await t.store.signoffs.list()).toEqual([]);
  });

  it('leaves the plain `review` command to the review, and takes `review sign-off` too', async () => {
    expect(JSON.stringify((await ask(GARETH, 'review')).card)).toContain('Recommendation 7 review: Hampshire and Isle of Wight Constabulary');
    expect(JSON.stringify((await ask(GARETH, 'review sign-off')).card)).toContain('Sign off the recommendation 7 review');
    expect((await ask(ALEX, 'review signoff southampton')).text).toBe("A review is signed off for a force or for the national view, not for one panel or area: type `review signoff`, or `review signoff` and a force's id.");
    expect((await ask(GARETH, 'review signoff 2027-Q4')).text).toBe('That period cannot be signed off: the period has not ended yet: sign off a period that ends today or before.');
  });
});
