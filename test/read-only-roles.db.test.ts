import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEETING_LINK_POLICY } from '../bot/routes/meeting-routes.js';
import { CHAIR_POLICIES } from '../bot/routes/chair-routes.js';
import { COMMANDS } from '../bot/routes/commands.js';
import { APOLOGIES_POLICY, CONFIRM_POLICY, LINK_CARD_POLICY, LINK_POLICY, NATIONAL_LINK_POLICY, NOMINATION_POLICY } from '../bot/routes/nomination-routes.js';
import { AUDIT_POLICY, VIEW_POLICIES } from '../bot/routes/review-routes.js';
import { SIGNOFF_POLICIES } from '../bot/routes/signoff-routes.js';
import { VERB_DATA, VERBS } from '../cards/verbs.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { storeOptions } from '../scheduler/store/open-store.js';
import { dumpStore, type StoreDump } from './support/store-dump.js';
import { freshStore, STORE_KINDS, TEST_DATABASE_URL, type StoreKind, type TestStore } from './support/stores.js';
import { cardAction, GARETH, MARCUS, NADIA, personalMessage, channelMessage, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';

// Issue 19: the read-only roles of config/panels.sample.yaml (the PCC's office for Cambridgeshire, an HMICFRS
// inspector, the East Midlands regional unit for Leicestershire and Nottinghamshire) against every verb in VERBS and
// every command in COMMANDS, on both databases. Each decision is written down below, so a new verb or command without
// one fails here (and in the typecheck). Nothing a read-only person presses or types changes the store; whatever would
// change it is answered with the route's fixed sentence, the same for their own force, another's and one that does not
// exist; what shows is their scope only, with nothing offered to press that changes anything.

const PLANNED = '2027-04-01T08:00:00.000Z';
const NOW = '2027-05-20T08:00:00.000Z'; // after the May meetings, before June's
const HAMPSHIRE_MAY = 'southampton.2027-05-03';
const JOINT = 'peterborough-rutland.2027-05-11'; // Cambridgeshire and Leicestershire's
const JOINT_NEXT = 'peterborough-rutland.2027-06-08';
const NOWHERE = 'southampton.2031-01-06';

const PRIYA = { aadObjectId: 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450', name: 'Priya Shah' }; // Cambridgeshire's lead
const TOM = { aadObjectId: '9531985d-5d9d-49f8-9818-e811892f902b', name: 'Tom Whitfield' }; // Cambridgeshire's deputy, named for it
const PCC: Speaker = { aadObjectId: 'e3a95b17-62c4-4d0f-b1f8-7c24a9d0e586', name: 'Hannah Brooks' };
const INSPECTOR: Speaker = { aadObjectId: '4c1e8a52-7d3b-4f6e-9a20-b85d1c3e7f94', name: 'Rebecca Lowe' };
const REGION: Speaker = { aadObjectId: 'b7f2d930-1a64-4c8e-8e5b-3d09f6a2c147', name: 'Daniel Okafor' };

/** One reader: a force in their scope (with a meeting and panel of it), one outside it (none for the inspector), and what they must never see. */
interface Reader {
  who: Speaker;
  own: { forceId: string; panelId: string; meetingId: string; forceName: string };
  other: { forceId: string; panelId: string; meetingId: string } | null;
  /** Words that would show another force's part: its name, its nominee. */
  unseen: string[];
  audits: boolean;
}

const READERS: Record<string, Reader> = {
  "the PCC's office": {
    who: PCC, own: { forceId: 'cambs', panelId: 'cambridgeshire', meetingId: JOINT, forceName: 'Cambridgeshire Constabulary' },
    other: { forceId: 'hampshire', panelId: 'southampton', meetingId: HAMPSHIRE_MAY }, unseen: ['Hampshire', 'Nadia Rahman', 'Leicestershire Police', 'Marcus Reid'], audits: false,
  },
  'an inspector': {
    who: INSPECTOR, own: { forceId: 'hampshire', panelId: 'southampton', meetingId: HAMPSHIRE_MAY, forceName: 'Hampshire and Isle of Wight Constabulary' },
    other: null, unseen: [], audits: true,
  },
  'a regional unit': {
    who: REGION, own: { forceId: 'leics', panelId: 'leicestershire', meetingId: JOINT, forceName: 'Leicestershire Police' },
    other: { forceId: 'cambs', panelId: 'cambridgeshire', meetingId: JOINT }, unseen: ['Hampshire', 'Nadia Rahman', 'Cambridgeshire Constabulary', 'Tom Whitfield'], audits: false,
  },
};

/** What a read-only person may do with a verb: see their scope, or be refused with the route's sentence. */
type Decision = { reads: true } | { refusal: string };
const READS = { reads: true } as const;

const VERB_DECISIONS = {
  nominate: { refusal: NOMINATION_POLICY.refusal },
  refreshNomination: { refusal: NOMINATION_POLICY.refusal },
  openNomination: { refusal: NOMINATION_POLICY.refusal },
  cancelMeeting: { refusal: CHAIR_POLICIES.changeMeeting.refusal },
  rescheduleMeeting: { refusal: CHAIR_POLICIES.changeMeeting.refusal },
  addMeeting: { refusal: CHAIR_POLICIES.addMeeting.refusal },
  recordAttendance: { refusal: CHAIR_POLICIES.recordAttendance.refusal },
  openAttendance: { refusal: CHAIR_POLICIES.openAttendance.refusal },
  inviteForce: { refusal: CHAIR_POLICIES.inviteForce.refusal },
  openChairCard: { refusal: CHAIR_POLICIES.openChairCard.refusal },
  confirmAttendance: { refusal: CONFIRM_POLICY.refusal },
  sendApologies: { refusal: APOLOGIES_POLICY.refusal },
  linkConversation: { refusal: LINK_CARD_POLICY.refusal },
  signOffReview: { refusal: SIGNOFF_POLICIES.card.refusal },
  markActionDone: { refusal: SIGNOFF_POLICIES.card.refusal },
  historyPage: READS,
  reviewView: READS,
} satisfies Record<keyof typeof VERBS, Decision>;

/** Commands: refused with their sentence, or answered with what the reader may see (checked per command below). */
const COMMAND_DECISIONS: Record<string, Decision | { audit: true }> = {
  help: READS,
  panels: READS,
  'link force': { refusal: LINK_POLICY.refusal },
  'link panel': { refusal: LINK_POLICY.refusal },
  'link area': { refusal: LINK_POLICY.refusal },
  'link meeting': { refusal: MEETING_LINK_POLICY.refusal },
  'link national': { refusal: NATIONAL_LINK_POLICY.refusal },
  cancel: { refusal: CHAIR_POLICIES.cancelCommand.refusal },
  attendance: READS,
  review: READS,
  'review signoff': { refusal: SIGNOFF_POLICIES.command.refusal },
  flags: READS,
  subscribe: READS,
  audit: { audit: true },
};

/** Card data naming a meeting, force and panel, well-formed for every verb's schema (so a refusal is never a schema failure). */
function pressData(meetingId: string, forceId: string, panelId: string): Record<string, unknown> {
  const slot = (field: string) => `${field}_${forceId}_1`;
  return {
    meetingId, forceId, panelId, scope: 'force', view: 'cancel', step: 'confirm',
    meetingVersion: 1, nominationVersion: 1, recordVersion: 1, cardVersion: '1.0', versions: { [meetingId]: 1 },
    attendee: NADIA.aadObjectId, role: 'DI', decisionMaker: 'true', answer: 'confirmed', substitute: NADIA.aadObjectId,
    held: 'held', [`outcome_${forceId}`]: 'attended', [slot('person')]: NADIA.aadObjectId, [slot('category')]: 'prevent-officer',
    [slot('role')]: 'DI', [slot('unit')]: 'local', [slot('mode')]: 'in-person', [slot('decision')]: 'yes',
    reason: 'other', note: 'room unavailable', newDate: '2027-06-09', newTime: '10:00', extraDate: '2027-06-10', extraTime: '10:00',
    filterScope: `force:${forceId}`, filterMonths: '12', page: '0', direction: 'older',
    from: '2027-01-01', to: '2027-03-31', fingerprint: 'f', rows: '0', submissionId: 'submission-1', conclusion: 'Reviewed.', actionId: 'submission-1.1',
  };
}

/** The verbs any card a reader is shown may carry: only those that read. */
const READ_VERBS = new Set(Object.entries(VERB_DECISIONS).filter(([, d]) => 'reads' in d).map(([v]) => v));
const verbsIn = (shown: string) => [...shown.matchAll(/"verb":"(\w+)"/g)].map((m) => m[1]!);

/** A bot on a fresh store of the kind: SQLite in its own folder, or PostgreSQL in a schema of its own (search_path). */
async function botOn(kind: StoreKind, now: () => string): Promise<{ bot: TestBot; t: TestStore | null; dump: () => Promise<StoreDump> }> {
  const limits = { commands: { burst: 1_000_000, perMinute: 1_000_000 }, actions: { burst: 1_000_000, perMinute: 1_000_000 } };
  if (kind === 'sqlite') {
    const bot = await startTestBot({ now, options: { rateLimits: limits } });
    return { bot, t: null, dump: () => dumpStore(storeOptions(null, bot.dir)) };
  }
  const t = await freshStore('postgres');
  const schema = (t.options as { schema: string }).schema;
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  const env = { DATABASE_URL: url.toString(), AUDIT_KEY: 'test-audit-key-for-the-suite-only-0123456789' };
  const bot = await startTestBot({ now, env, options: { rateLimits: limits } });
  return { bot, t, dump: () => dumpStore(t.options) };
}

describe.each(STORE_KINDS)('read-only roles on %s', (kind) => {
  let tb: TestBot;
  let t: TestStore | null;
  let dump: () => Promise<StoreDump>;
  let now = PLANNED;

  const press = async (who: Speaker, verb: string, data: unknown) => JSON.stringify((await tb.post(cardAction(tb.connector.url, who, verb, data as Record<string, unknown>))).body?.value ?? null);
  /** What the bot sent back to something typed: each message's text and cards, as JSON. */
  const say = async (who: Speaker, text: string, personal = true) => {
    const before = tb.connector.calls.length;
    await tb.post((personal ? personalMessage : channelMessage)(tb.connector.url, who, text));
    return JSON.stringify(tb.connector.calls.slice(before).map((c) => [c.body?.text, c.body?.attachments]));
  };
  const hidden = (r: Reader, shown: string) => r.unseen.filter((w) => shown.includes(w));

  beforeAll(async () => {
    ({ bot: tb, t, dump } = await botOn(kind, () => now));
    const named = [[HAMPSHIRE_MAY, 'hampshire', NADIA, GARETH], [JOINT, 'cambs', TOM, PRIYA], [JOINT_NEXT, 'cambs', TOM, PRIYA], [JOINT, 'leics', MARCUS, MARCUS]] as const;
    for (const [meetingId, forceId, attendee, by] of named) {
      const r = await nominate(tb.bot.store, { meetingId, forceId, meetingVersion: 1, nominationVersion: 0, attendee, role: 'DI', decisionMaker: true }, by.aadObjectId, PLANNED);
      expect(r.ok).toBe(true);
    }
    now = NOW;
    // Heard once in each kind of conversation, and the report-link key made: state by design, before the probes.
    for (const r of Object.values(READERS)) {
      await say(r.who, 'help', true);
      await say(r.who, 'help', false);
      await say(r.who, 'review', true);
    }
  });
  afterAll(async () => {
    await tb?.stop();
    await t?.dispose();
  });

  it('has a decision for every verb and every command', () => {
    expect(Object.keys(VERB_DECISIONS).sort()).toEqual(Object.keys(VERBS).sort());
    expect(Object.keys(COMMAND_DECISIONS).sort()).toEqual(COMMANDS.map((c) => c.name).sort());
    for (const verb of Object.keys(VERBS) as Array<keyof typeof VERBS>) expect(VERB_DATA[verb].safeParse(pressData(JOINT, 'cambs', 'cambridgeshire')).success, verb).toBe(true);
  });

  for (const [role, r] of Object.entries(READERS)) {
    describe(role, () => {
      for (const [verb, decision] of Object.entries(VERB_DECISIONS) as Array<[keyof typeof VERBS, Decision]>) {
        it(`${'reads' in decision ? 'sees only their scope with' : 'is refused, in the same words, by'} ${verb}, and changes nothing`, async () => {
          const before = await dump();
          const own = await press(r.who, verb, pressData(r.own.meetingId, r.own.forceId, r.own.panelId));
          const absent = await press(r.who, verb, { ...pressData(NOWHERE, 'nosuch', 'nosuch'), filterScope: 'force:nosuch' });
          const other = r.other && (await press(r.who, verb, pressData(r.other.meetingId, r.other.forceId, r.other.panelId)));
          if ('refusal' in decision) {
            for (const answer of [own, absent, other ?? own]) expect(JSON.parse(answer)).toBe(decision.refusal);
          } else {
            expect(own).toContain(r.own.forceName);
            expect(hidden(r, own)).toEqual([]);
            expect(verbsIn(own).filter((v) => !READ_VERBS.has(v))).toEqual([]);
            if (other) expect(JSON.parse(other)).toBe(VIEW_POLICIES.card.refusal);
          }
          expect(await dump()).toEqual(before);
        });
      }

      for (const command of COMMANDS) {
        const decision = COMMAND_DECISIONS[command.name]!;
        it(`types ${command.name}: ${'refusal' in decision ? 'refused in the same words' : 'their scope only'}, and changes nothing`, async () => {
          const before = await dump();
          const ids = command.name === 'link panel' ? [r.own.panelId, r.other?.panelId] : [r.own.forceId, r.own.panelId, r.other?.forceId];
          // A command that takes no id is typed as it is; `cancel cambs` would be another command (the catch-all's).
          const takesId = command.usage !== command.name;
          const typed = [...new Set([command.name, command.example, ...(takesId ? ids.flatMap((id) => (id ? [`${command.name} ${id}`] : [])) : [])])];
          const shown = new Map<string, string>();
          for (const text of typed) shown.set(text, await say(r.who, text));
          for (const s of shown.values()) expect(verbsIn(s).filter((v) => !READ_VERBS.has(v)), s.slice(0, 300)).toEqual([]);
          if ('refusal' in decision) {
            for (const [text, s] of shown) expect(s, text).toBe(JSON.stringify([[decision.refusal, undefined]]));
          } else if ('audit' in decision) {
            expect(shown.get('audit')).toContain(r.audits ? 'The audit log checks out' : JSON.stringify(AUDIT_POLICY.refusal));
            if (r.audits) expect(shown.get('audit')).toMatch(/head is entry \d+, hash `[0-9a-f]{64}`/);
          } else {
            for (const [text, s] of shown) expect(hidden(r, s), `${text}: ${s.slice(0, 300)}`).toEqual([]);
          }
          const after = await dump();
          // `subscribe` issues the reader their own feeds: theirs to have, and audited.
          if (command.name === 'subscribe') for (const table of ['feed_tokens', 'audit_log', 'audit_details']) [before, after].forEach((d) => delete d[table]);
          expect(after).toEqual(before);
        });
      }

      it("sees their own force's review and history, and a word naming another's reads as one naming nothing", async () => {
        const review = await say(r.who, `review ${r.own.forceId}`);
        expect(review).toContain(`Recommendation 7 review: ${r.own.forceName}`);
        expect(await say(r.who, `attendance ${r.own.forceId}`)).toContain(r.own.forceName);
        if (!r.other) return;
        const other = await say(r.who, `review ${r.other.forceId}`);
        expect(other.replaceAll(r.other.forceId, 'nosuch')).toBe(await say(r.who, 'review nosuch'));
        expect(other).toContain(`\`review ${r.own.forceId}\``);
      });

      it('gets calendar feeds for their scope only, each of which opens', async () => {
        const card = await say(r.who, 'subscribe');
        expect(card).toContain(r.own.forceName);
        expect(hidden(r, card)).toEqual([]);
        const link = /(http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics)/.exec(card)?.[1];
        const feed = await fetch(link!.replace(/^http:\/\/127\.0\.0\.1:\d+/, tb.bot.url));
        expect(feed.status).toBe(200);
        expect(hidden(r, await feed.text())).toEqual([]);
      });
    });
  }

  it("lets the PCC's office see its force's nominee in a feed, and nobody else's", async () => {
    const card = await say(PCC, 'subscribe cambs');
    const link = /(http:\/\/127\.0\.0\.1:\d+\/calendar\/[A-Za-z0-9_-]{43}\.ics)/.exec(card)?.[1];
    const ics = await (await fetch(link!.replace(/^http:\/\/127\.0\.0\.1:\d+/, tb.bot.url))).text();
    expect(ics).toContain('Tom Whitfield');
    expect(ics).not.toContain('Marcus Reid');
  });
});
