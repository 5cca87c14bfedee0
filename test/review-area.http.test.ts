import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewCommand } from '../bot/cli/cli-review.js';
import { flagsCommand } from '../bot/cli/cli-flags.js';
import { loadConfig } from '../bot/config.js';
import { recordAttendance } from '../scheduler/meetings/record-attendance.js';
import { nominate } from '../scheduler/nominations/nominations.js';
import { heldWith, present } from './support/answers.js';
import { byId, editedSample, type ConfigFile } from './support/config-variant.js';
import { DAWN, GARETH, NADIA, personalMessage, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardBytes, cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

// Issue 24: `review`, `attendance` and `flags` take an area of a big force, over the Teams wire protocol, and the
// command line takes `--area`. Hampshire is split: South (Southampton) and East (Portsmouth), its Hampshire panel in
// no area. An area's deputy asking for another area is answered as for a word naming nothing, without its name.

const REVIEW_AT = '2026-07-01T09:00:00.000Z';
const SOUTH_LEAD: Speaker = { aadObjectId: 'a0000000-0000-4000-8000-000000000001', name: 'Sam South' };
const EAST_DEPUTY: Speaker = { aadObjectId: 'a0000000-0000-4000-8000-000000000002', name: 'Erin East' };
const LABEL = 'South Hampshire (Hampshire and Isle of Wight Constabulary)';

describe('an area of a force in the review, attendance and flags, over real HTTP', () => {
  let tb: TestBot;
  let file: ConfigFile;
  let now = '2026-01-01T08:00:00.000Z';
  /** Says something in personal chat; the reply's text, or its card. */
  const ask = async (who: Speaker, text: string) => {
    const before = tb.connector.posts().length;
    await tb.post(personalMessage(tb.connector.url, who, text));
    await until(() => tb.connector.posts().length > before, `the reply to "${text}"`);
    const reply = tb.connector.posts()[before]!.body;
    // Names reach Teams as Markdown, their brackets escaped: read as a person sees them.
    const plain = (s: string) => s.replace(/\\+([()])/g, '$1');
    const said = reply.text as string | undefined;
    return { text: said && plain(said), card: reply.attachments?.[0]?.content, json: plain(JSON.stringify(reply.attachments?.[0]?.content ?? null)) };
  };
  /** Runs a command-line command on the bot's store, returning its exit status and what it printed. */
  const cli = async (command: typeof reviewCommand | typeof flagsCommand, values: Record<string, string | boolean>) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await command(values, loadConfig(tb.env), { out: (s) => out.push(s), err: (s) => err.push(s) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  beforeAll(async () => {
    file = editedSample((f) => {
      Object.assign(byId(f.forces, 'hampshire'), {
        areas: [
          { id: 'hants-south', name: 'South Hampshire', panels: ['southampton'], leads: [SOUTH_LEAD] },
          { id: 'hants-east', name: 'East Hampshire', panels: ['portsmouth'], leads: [{ aadObjectId: 'a0000000-0000-4000-8000-000000000003', name: 'Eve East' }], deputies: [EAST_DEPUTY] },
        ],
      });
    });
    tb = await startTestBot({ now: () => now, env: { PANELS_CONFIG: file.path } });
    const jan = 'southampton.2026-01-05';
    const named = await nominate(tb.bot.store, { meetingId: jan, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, '2026-01-02T09:00:00.000Z');
    expect(named.ok).toBe(true);
    expect((await recordAttendance(tb.bot.store, jan, heldWith({ hampshire: [present(NADIA)] }), DAWN.aadObjectId, '2026-01-05T13:00:00.000Z')).ok).toBe(true);
    now = REVIEW_AT;
  });
  afterAll(async () => {
    await tb?.stop();
    file?.remove();
  });

  it("shows the force's lead a table by area, and the area's lead their area alone, by its name and its force's", async () => {
    const force = await ask(GARETH, 'review');
    expect(cardProblems(force.card)).toEqual([]);
    expect(force.json).toContain('By area (2)');
    for (const row of ['South Hampshire (1 panel)', 'East Hampshire (1 panel)', '_Not in an area_ (1 panel)']) expect(force.json).toContain(`"text":"${row}"`);

    for (const typed of ['review hants-south', 'review']) {
      const area = await ask(SOUTH_LEAD, typed);
      expect(cardProblems(area.card)).toEqual([]);
      expect(cardBytes(area.card)).toBeLessThan(28 * 1024);
      expect(area.json).toContain(`Recommendation 7 review: ${LABEL}`);
      expect(area.json).toContain('Southampton Channel panel');
      expect(area.json).not.toContain('Portsmouth');
      expect(area.json).not.toContain('By area');
      expect(area.json).toContain('Decision maker present at 1 of');
    }
  });

  it("answers another area's deputy as for a word naming nothing, never naming the area", async () => {
    const other = await ask(EAST_DEPUTY, 'review hants-south');
    const nothing = await ask(EAST_DEPUTY, 'review nosuch');
    expect(other.text).toBeDefined();
    expect(other.text!.replaceAll('hants-south', 'nosuch')).toBe(nothing.text);
    expect(other.text).not.toContain('South Hampshire');
    // What the deputy may see: their own area, by name and force.
    expect(other.text).toContain('East Hampshire (Hampshire and Isle of Wight Constabulary) (`review hants-east`)');
    expect((await ask(EAST_DEPUTY, 'attendance hants-south')).text!.replaceAll('hants-south', 'nosuch')).toBe((await ask(EAST_DEPUTY, 'attendance nosuch')).text);
    expect((await ask(EAST_DEPUTY, 'flags hants-south')).text!.replaceAll('hants-south', 'nosuch')).toBe((await ask(EAST_DEPUTY, 'flags nosuch')).text);
    // Nor the whole force: an area's team is not its force's.
    expect((await ask(EAST_DEPUTY, 'review hampshire')).text).toContain('There is no force or panel "hampshire"');
  });

  it("gives an area's attendance and its flags, and `flags` alone stays every flag the person may see", async () => {
    const history = await ask(SOUTH_LEAD, 'attendance hants-south');
    expect(cardProblems(history.card)).toEqual([]);
    expect(history.json).toContain(`Police attendance: ${LABEL}`);
    expect(history.json).toContain('Southampton Channel panel');
    expect(history.json).not.toContain('Portsmouth');
    expect((await ask(SOUTH_LEAD, 'attendance')).json).toContain(`Police attendance: ${LABEL}`);

    const east = await ask(GARETH, 'flags hants-east');
    expect(cardProblems(east.card)).toEqual([]);
    expect(east.json).toContain('Open compliance flags: East Hampshire (Hampshire and Isle of Wight Constabulary)');
    expect(east.json).toContain('Portsmouth');
    expect(east.json).not.toContain('Southampton Channel panel');
    const all = await ask(GARETH, 'flags');
    expect(all.json).toContain('Southampton Channel panel');
    expect(all.json).toContain('Portsmouth');
  });

  it('takes --area on the command line, in every format, and refuses an unknown area', async () => {
    const base = { area: 'hants-south', now: REVIEW_AT };
    const json = await cli(reviewCommand, { ...base, format: 'json' });
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out);
    expect(parsed.scope).toMatchObject({ label: LABEL, areaId: 'hants-south', forces: ['hampshire'], panels: ['southampton'] });
    expect(parsed.panels.map((p: { panelId: string }) => p.panelId)).toEqual(['southampton']);

    const force = JSON.parse((await cli(reviewCommand, { force: 'hampshire', now: REVIEW_AT, format: 'json' })).out);
    const south = force.byArea.find((a: { areaId: string | null }) => a.areaId === 'hants-south');
    // The area in the force's review holds the same figures as the area's own review.
    expect({ due: south.due, held: south.held, decisionMakerPresent: south.decisionMakerPresent }).toEqual({ due: parsed.total.due, held: parsed.total.held, decisionMakerPresent: parsed.total.decisionMakerPresent });

    const csv = await cli(reviewCommand, { ...base, format: 'csv' });
    expect(csv.code).toBe(0);
    const lines = csv.out.split(/\r?\n/);
    expect(lines[0]!.endsWith(',area_id')).toBe(true);
    expect(lines.slice(1).every((l) => l.startsWith('southampton.') && l.endsWith(',hants-south'))).toBe(true);
    expect((await cli(reviewCommand, { ...base, format: 'summary-csv' })).out).toContain(`\r\nTOTAL,${LABEL},`);
    expect((await cli(reviewCommand, { ...base, format: 'text' })).out).toContain(`Recommendation 7 review: ${LABEL}`);

    const dir = mkdtempSync(join(tmpdir(), 'panel-bot-area-'));
    try {
      for (const format of ['pdf', 'docx']) {
        const out = join(dir, `area.${format}`);
        expect((await cli(reviewCommand, { ...base, format, out })).code).toBe(0);
        expect(existsSync(out) && readFileSync(out).length).toBeGreaterThan(1000);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    const flags = await cli(flagsCommand, { ...base, json: true });
    expect(flags.code).toBe(0);
    expect(JSON.parse(flags.out).every((f: { panelId: string }) => f.panelId === 'southampton')).toBe(true);
    const unknown = await cli(reviewCommand, { area: 'nosuch', now: REVIEW_AT, format: 'json' });
    expect(unknown).toMatchObject({ code: 1, err: expect.stringContaining('There is no area "nosuch"') });
  });
});
