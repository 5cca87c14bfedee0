import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigFile } from './support/config-variant.js';
import { areaLead, forceLead, NATIONAL_LEADS, nationalSampleFileOnDisk } from './support/national-sample.js';
import { botAddedToTeam, channelMessage, personalMessage, type Speaker } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { cardBytes, cardProblems } from './support/validate-card.js';
import { until } from './support/wait.js';

// Issue 24: at England and Wales' size (43 forces, 175 panels, big forces in areas) every card a person can get must
// stay under Teams' 28 KB and read well: forces collapsed, long lists paged.

const LIMIT = 28 * 1024;
/** Synced here, so the months up to NOW are past meetings nobody recorded: the flags and history are at their fullest. */
const SYNCED = '2027-01-04T08:00:00.000Z';
const NOW = '2027-04-19T08:00:00.000Z';
const ALEX = NATIONAL_LEADS[0]!;
const MET_LEAD = forceLead(0);
const MET_AREA_LEAD = areaLead(0);

type Node = Record<string, any>;
const all = (node: unknown): Node[] => (Array.isArray(node) ? node.flatMap(all) : node && typeof node === 'object' ? [node as Node, ...Object.values(node).flatMap(all)] : []);
const ofType = (card: unknown, type: string) => all(card).filter((n) => n.type === type);

describe('every card at national scale, over real HTTP', () => {
  let t: TestBot;
  let file: ConfigFile;
  let now = SYNCED;
  const sizes: Record<string, number> = {};

  /** What `who` gets for `text`, in their personal chat or (`channel`) a Teams channel: the card, or the text. */
  const reply = async (who: Speaker, text: string, channel = false): Promise<any> => {
    const activity = (channel ? channelMessage : personalMessage)(t.connector.url, who, text);
    const where = activity.conversation.id.split(';')[0]!;
    const before = t.connector.posts().length;
    await t.post(activity);
    // Only the answer in that conversation: the welcome to the team may arrive meanwhile.
    const answers = () => t.connector.posts().slice(before).filter((p) => String(p.body.conversation?.id ?? '').startsWith(where));
    await until(() => answers().length > 0, `the reply to ${text}`);
    const body = answers()[0]!.body;
    return body.attachments?.[0]?.content ?? body.text;
  };
  /** The card `who` gets for `text`, checked valid and under the limit; its size kept for the report. */
  const cardFor = async (who: Speaker, text: string, channel = false) => {
    const card = await reply(who, text, channel);
    expect(typeof card, `${who.name}: ${text} answers with a card`).toBe('object');
    sizes[`${who.name}: ${text}`] = cardBytes(card);
    expect(cardProblems(card), text).toEqual([]);
    return card;
  };

  beforeAll(async () => {
    file = nationalSampleFileOnDisk();
    // One person asks for every card in turn: more than the per-person command limit lets through.
    const plenty = { burst: 1_000_000, perMinute: 1_000_000 };
    t = await startTestBot({
      now: () => now, env: { PANELS_CONFIG: file.path, PUBLIC_BASE_URL: 'https://channel-panels.example.police.uk' }, options: { rateLimits: { commands: plenty, actions: plenty } },
    });
    now = NOW;
    await t.post(botAddedToTeam(t.connector.url, ALEX));
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    file?.remove();
    console.log(Object.entries(sizes).map(([k, v]) => `${(v / 1024).toFixed(1)} KB  ${k}`).join('\n'));
  });

  it.each([
    ['panels', false], ['panels page 2', false], ['flags', false], ['subscribe', false], ['subscribe page 2', false],
    ['link force', true], ['link area', true], ['link panel', true],
  ] as const)("keeps a national lead's `%s` under 28 KB", async (text, channel) => {
    expect(cardBytes(await cardFor(ALEX, text, channel))).toBeLessThan(LIMIT);
  });

  it.each([['panels'], ['flags'], ['subscribe']] as const)("keeps the big force's lead's and an area lead's `%s` under 28 KB", async (text) => {
    for (const who of [MET_LEAD, MET_AREA_LEAD]) expect(cardBytes(await cardFor(who, text))).toBeLessThan(LIMIT);
  });

  it("shows a national lead every force on `panels`, collapsed, over pages that together name each once", async () => {
    const seen: string[] = [];
    for (let page = 1; page < 10; page++) {
      const card = await cardFor(ALEX, page === 1 ? 'panels' : `panels page ${page}`);
      const toggles = ofType(card, 'Action.ToggleVisibility');
      const hidden = all(card).filter((n) => n.isVisible === false).map((n) => n.id);
      for (const tg of toggles) for (const id of tg.targetElements) expect(hidden).toContain(id);
      seen.push(...toggles.map((tg) => tg.targetElements[0]));
      if (!JSON.stringify(card).includes(`panels page ${page + 1}`)) break;
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBe(43);
  });

  it("keeps a national lead's attendance history and review under 28 KB (cards owned elsewhere: sizes reported)", async () => {
    for (const text of ['attendance', 'review']) {
      const card = await reply(ALEX, text);
      sizes[`${ALEX.name}: ${text}`] = cardBytes(card);
      expect(cardBytes(card), text).toBeLessThan(LIMIT);
    }
  }, 180_000);
});
