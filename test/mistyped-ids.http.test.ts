import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LINK_POLICY } from '../bot/routes/nomination-routes.js';
import { VIEW_POLICIES } from '../bot/routes/review-routes.js';
import { DAWN, GARETH, personalMessage, STRANGER, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';

// Issue 18, point 5 (what was left): a mistyped force or panel id in `review`, `attendance` or `link force` is answered
// with the forces and panels the caller may see, nearest to what they typed first; never with the gate's bare
// refusal, and in the same words whether the word names a force or panel that is not theirs or nothing at all.
// Someone with no role still gets the route's fixed refusal.

const PRIYA: Speaker = { aadObjectId: 'd23f0824-128b-4f33-8c5c-7fd0a6a3a450', name: 'Priya Shah' }; // Cambridgeshire's lead
const ALEX: Speaker = { aadObjectId: '6513270e-269e-4d37-b2a7-4de452e6b438', name: 'Alex Morgan' }; // a national lead
const PCC: Speaker = { aadObjectId: 'e3a95b17-62c4-4d0f-b1f8-7c24a9d0e586', name: 'Hannah Brooks' }; // Cambridgeshire's PCC's office (read only)

describe('a mistyped force or panel id, over real HTTP', () => {
  let tb: TestBot;
  /** The text the bot answered with (a card's JSON, should one come). */
  const say = async (who: Speaker, text: string): Promise<string> => {
    const before = tb.connector.calls.length;
    await tb.post(personalMessage(tb.connector.url, who, text));
    const body = tb.connector.calls.slice(before).at(-1)?.body;
    return body?.text ?? JSON.stringify(body?.attachments ?? null);
  };
  /** Each name or id in the order the reply offers them. */
  const offered = (reply: string) => [...reply.matchAll(/`(?:review|attendance|link force|link panel) ([a-z0-9-]+)`/g)].map((m) => m[1]);

  beforeAll(async () => {
    tb = await startTestBot({ now: () => '2027-04-01T08:00:00.000Z' });
  });
  afterAll(() => tb?.stop());

  it('answers `review camb` with what the lead may see, the nearest first', async () => {
    const reply = await say(PRIYA, 'review camb');
    expect(reply).toMatch(/^There is no force or panel "camb"\. You can see: Cambridgeshire Constabulary \(`review cambs`\), /);
    expect(offered(reply).sort()).toEqual(['cambridgeshire', 'cambs', 'peterborough-rutland']);
  });

  it('answers `attendance cambs-pnl` the same way, with the command it was typed with', async () => {
    const reply = await say(PRIYA, 'attendance cambs-pnl');
    expect(reply).toContain('There is no force or panel "cambs-pnl"');
    expect(offered(reply)[0]).toBe('cambs');
    expect(reply).toContain('`attendance cambridgeshire`');
  });

  it('puts the nearest first for a chair and a national lead, and lists only what each may see', async () => {
    expect(offered(await say(DAWN, 'review southamton'))).toEqual(['southampton']);
    const national = await say(ALEX, 'review leicester');
    expect(offered(national).slice(0, 2).sort()).toEqual(['leicestershire', 'leics']);
    expect(national).toMatch(/and \d+ more/);
  });

  it("reads the same for another force's id, another force's panel and a word naming nothing", async () => {
    for (const [who, others] of [[PRIYA, ['hampshire', 'southampton', 'leicestershire']], [GARETH, ['cambs', 'peterborough-rutland']], [DAWN, ['portsmouth', 'hampshire']]] as const) {
      const nothing = await say(who, 'review nosuch');
      for (const other of others) {
        const reply = await say(who, `review ${other}`);
        expect(reply.replaceAll(other, 'nosuch'), `${who.name}: review ${other}`).toBe(nothing);
      }
    }
  });

  it("answers a read-only person with their own scope, and someone with no role with the route's fixed refusal", async () => {
    expect(offered(await say(PCC, 'review camb'))[0]).toBe('cambs');
    expect(await say(STRANGER, 'review camb')).toBe(VIEW_POLICIES.command.refusal);
    expect(await say(STRANGER, 'attendance hampshire')).toBe(VIEW_POLICIES.command.refusal);
    expect(await say(STRANGER, 'link force camb')).toBe(LINK_POLICY.refusal);
  });

  it('answers `link force camb` with the forces the lead may link, and another force the same as none', async () => {
    const reply = await say(PRIYA, 'link force camb');
    expect(reply).toBe('There is no force "camb" that you can link. Forces you can link: Cambridgeshire Constabulary (`link force cambs`).');
    expect((await say(PRIYA, 'link force hampshire')).replaceAll('hampshire', 'nosuch')).toBe(await say(PRIYA, 'link force nosuch'));
    expect(offered(await say(DAWN, 'link panel southamton'))).toEqual(['southampton']);
    // A read-only person may link nothing: the fixed refusal, whatever they type.
    expect(await say(PCC, 'link force camb')).toBe(LINK_POLICY.refusal);
    expect(await say(PCC, 'link force cambs')).toBe(LINK_POLICY.refusal);
  });
});
