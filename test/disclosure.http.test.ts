import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningBot } from '../bot/compose.js';
import { COMMANDS } from '../bot/routes/commands.js';
import { VERB_DATA, VERBS } from '../cards/verbs.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { storeOptions } from '../scheduler/store/open-store.js';
import type { FakeConnector } from './support/fake-connector.js';
import { dumpStore } from './support/store-dump.js';
import { cardAction, channelMessage, GARETH, MARCUS, NADIA, personalMessage, STRANGER, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';

// Who learns what from any button or command: a stranger, and a lead of another force (Leicestershire, which shares
// the joint Peterborough and Rutland panel with Cambridgeshire), press every verb in VERBS and type every command in
// COMMANDS with well-formed data, malformed data and data naming other forces' meetings. The answer may hold no
// person's name or Entra id from the config but the caller's own, the refusal is the same whether or not the thing
// named exists, Teams is never asked who anyone is, and the store does not change.

const CONFIG = 'config/panels.sample.yaml';
const PLANNED = '2027-04-01T08:00:00.000Z';
const NOW = '2027-05-20T08:00:00.000Z'; // after the May meetings, before June's
const MAY = 'southampton.2027-05-03'; // Hampshire's, ended, with a nominee
const JUNE = 'southampton.2027-06-07'; // Hampshire's, to come
const JOINT = 'peterborough-rutland.2027-05-11'; // Cambridgeshire and Leicestershire's, ended
const JOINT_NEXT = 'peterborough-rutland.2027-06-08'; // theirs too, to come: `panels` lists it for Leicestershire's lead
const NOWHERE = 'southampton.2031-01-06'; // shaped like a meeting, but none

const TOM = { aadObjectId: '9531985d-5d9d-49f8-9818-e811892f902b', name: 'Tom Whitfield' }; // a Cambridgeshire deputy

interface Person {
  aadObjectId: string;
  name: string;
}

/** Every person the config names, wherever it names them. */
function configPeople(): Person[] {
  const found: Person[] = [];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (typeof o.aadObjectId === 'string' && typeof o.name === 'string') found.push({ aadObjectId: o.aadObjectId, name: o.name });
    Object.values(o).forEach(walk);
  };
  walk(parse(readFileSync(CONFIG, 'utf8')));
  return found;
}

/** Card data naming a target: every field any verb reads, each well-formed, so every verb's schema accepts it. */
function wellFormed(meetingId: string, forceId: string, panelId: string): Record<string, unknown> {
  return {
    meetingId, forceId, panelId,
    meetingVersion: 1, nominationVersion: 1, cardVersion: '1.0', versions: { [meetingId]: 1 },
    attendee: NADIA.aadObjectId, role: 'Detective Inspector', decisionMaker: 'true',
    held: 'held', [`outcome_${forceId}`]: 'attended', [`person_${forceId}_1`]: NADIA.aadObjectId, [`category_${forceId}_1`]: 'prevent-officer',
    [`role_${forceId}_1`]: 'DI', [`unit_${forceId}_1`]: 'local', [`mode_${forceId}_1`]: 'in-person', [`decision_${forceId}_1`]: 'yes', agency_health: '1',
    recordVersion: 1, answer: 'confirmed', substitute: NADIA.aadObjectId,
    reason: 'other', note: 'room unavailable', step: 'confirm', view: 'cancel', scope: 'force',
    newDate: '2027-06-09', newTime: '10:00', extraDate: '2027-06-10', extraTime: '10:00',
    filterScope: `force:${forceId}`, filterFrom: '2027-01-01', filterTo: '2027-06-30', filterMonths: '12', page: '0', direction: 'older',
    from: '2027-01-01', to: '2027-03-31', fingerprint: 'f', rows: '0', submissionId: 'c0ffee00-0000-4000-8000-000000000001', actionId: '5b7e0a52-3c1d-4f7e-9a0b-2f4c6d8e1a3b.0',
  };
}

const TARGETS = {
  hampshire: wellFormed(MAY, 'hampshire', 'southampton'),
  hampshireFuture: wellFormed(JUNE, 'hampshire', 'southampton'),
  jointOtherForce: wellFormed(JOINT, 'cambs', 'peterborough-rutland'),
  panelScope: { ...wellFormed(MAY, 'hampshire', 'southampton'), filterScope: 'panel:southampton' },
};
const NONEXISTENT = { ...wellFormed(NOWHERE, 'nosuch-force', 'nosuch-panel'), filterScope: 'force:nosuch-force' };
const MALFORMED: unknown[] = [
  { meetingId: MAY }, // the press that disclosed a meeting's people
  { meetingId: JOINT, forceId: 'cambs' },
  {},
  { meetingId: 42, forceId: ['hampshire'] },
  { ...TARGETS.hampshire, role: '', note: '', newDate: 'soon', attendee: 'not a person!' },
  { meetingId: `${MAY}' or 1=1 --`, forceId: 'HAMPSHIRE' },
  'southampton',
  null,
];

describe('nobody learns what they may not, from any button or command', () => {
  let dir: string;
  let bot: RunningBot;
  let connector: FakeConnector;
  let send: TestBot['post'];
  let stop: TestBot['stop'] | undefined;
  const people = configPeople();
  const callers: Array<[string, Speaker]> = [['a stranger', STRANGER], ['a lead of another force', MARCUS]];

  const post = async (activity: object) => (await send(activity)).body;
  const press = async (who: Speaker, verb: string, data: unknown) => JSON.stringify((await post(cardAction(connector.url, who, verb, data as Record<string, unknown>)))?.value ?? null);
  const say = async (who: Speaker, text: string, personal: boolean) => {
    const before = connector.calls.length;
    await post((personal ? personalMessage : channelMessage)(connector.url, who, text));
    return JSON.stringify(connector.calls.slice(before).map((c) => [c.body?.text, c.body?.attachments]));
  };
  /** Names and ids of everyone but the caller, found in what the caller was shown. */
  const leaks = (caller: Speaker, shown: string) =>
    people.filter((p) => p.aadObjectId.toLowerCase() !== caller.aadObjectId.toLowerCase()).flatMap((p) => [p.name, p.aadObjectId]).filter((s) => shown.toLowerCase().includes(s.toLowerCase()));
  const dump = () => dumpStore(storeOptions(null, dir));
  const memberLookups = () => connector.memberLookups;

  beforeAll(async () => {
    let now = PLANNED;
    ({ bot, connector, dir, post: send, stop } = await startTestBot({
      now: () => now,
      env: { PANELS_CONFIG: CONFIG },
      options: { rateLimits: { commands: { burst: 1_000_000, perMinute: 1_000_000 }, actions: { burst: 1_000_000, perMinute: 1_000_000 } } },
    }));
    for (const [meetingId, forceId, attendee] of [[MAY, 'hampshire', NADIA], [JUNE, 'hampshire', NADIA], [JOINT, 'cambs', TOM], [JOINT_NEXT, 'cambs', TOM]] as const) {
      const r = await nominate(bot.store, { meetingId, forceId, meetingVersion: 1, nominationVersion: 0, attendee, role: 'DI', decisionMaker: true }, forceId === 'cambs' ? 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450' : GARETH.aadObjectId, PLANNED);
      expect(r.ok).toBe(true);
    }
    now = NOW;
    // The bot records each conversation and speaker it hears from: hear each caller once, so later turns change nothing.
    for (const [, who] of callers) {
      await post(channelMessage(connector.url, who, 'help'));
      await post(personalMessage(connector.url, who, 'help'));
      // Secrets made on first use (the report-link key) are state by design, not the probe's doing.
      await post(personalMessage(connector.url, who, 'review'));
    }
  });
  afterAll(() => stop?.());

  it('builds well-formed data for every verb, so the refusals below are not schema failures', () => {
    for (const verb of Object.keys(VERBS) as Array<keyof typeof VERBS>) {
      for (const data of Object.values(TARGETS)) expect(VERB_DATA[verb].safeParse(data).success, `${verb} accepts ${JSON.stringify(data).slice(0, 60)}`).toBe(true);
    }
  });

  for (const [who, caller] of callers) {
    describe(who, () => {
      for (const verb of Object.values(VERBS)) {
        it(`learns nothing and changes nothing by pressing ${verb}`, async () => {
          const before = await dump();
          const lookups = memberLookups().length;
          const answers: Record<string, string> = {};
          for (const [name, data] of Object.entries(TARGETS)) answers[name] = await press(caller, verb, data);
          for (const [i, data] of MALFORMED.entries()) answers[`malformed ${i}`] = await press(caller, verb, data);
          const absent = await press(caller, verb, NONEXISTENT);
          for (const [name, shown] of Object.entries(answers)) expect(leaks(caller, shown), `${verb}, ${name}: ${shown.slice(0, 300)}`).toEqual([]);
          // Whatever names another force's meeting is answered exactly as a meeting that does not exist.
          expect(answers.hampshire, `${verb}: a real meeting of another force reads as one that does not exist`).toBe(absent);
          expect(answers.hampshireFuture).toBe(absent);
          expect(memberLookups().length, 'Teams was asked who someone is').toBe(lookups);
          expect(await dump()).toEqual(before);
        });
      }

      for (const command of COMMANDS) {
        it(`learns nothing and changes nothing by typing ${command.name}`, async () => {
          const before = await dump();
          const args = ['', 'hampshire', 'southampton', 'peterborough-rutland', 'cambs', 'last 12 months', 'me'];
          for (const personal of [true, false]) {
            const shown: Record<string, string> = {};
            for (const a of args) shown[a || '(none)'] = await say(caller, `${command.name} ${a}`.trim(), personal);
            const absent = await say(caller, `${command.name} nosuch`, personal);
            for (const [a, s] of Object.entries(shown)) expect(leaks(caller, s), `${command.name} ${a}: ${s.slice(0, 300)}`).toEqual([]);
            // Naming another force or its panel reads as naming nothing that exists.
            for (const other of ['hampshire', 'southampton', 'cambs']) expect(shown[other]!.replaceAll(other, 'nosuch')).toBe(absent);
          }
          const after = await dump();
          // `subscribe` issues the caller their own feeds (Marcus's force's): that is theirs to have, and audited.
          if (command.name === 'subscribe') {
            for (const table of ['feed_tokens', 'audit_log', 'audit_details']) {
              delete before[table];
              delete after[table];
            }
          }
          expect(after).toEqual(before);
        });
      }
    });
  }
});
