import { editedSample, type SampleFile } from './config-variant.js';
import { botAddedToTeam, cardAction, channelMessage, GARETH, personalMessage, type Speaker } from './teams-activities.js';
import { startTestBot, type TestBot } from './test-bot.js';
import { until } from './wait.js';

/** Where the chair tests start: 1 April 2027, before the April cards. */
const START = '2027-04-01T08:00:00.000Z';
/** Monday 19 April 2027: the May cards have gone to Hampshire's Teams channel. */
export const CARD_DAY = '2027-04-19T08:00:00.000Z';

/** A test bot whose clock a test moves, with the two presses every chair test makes. */
export interface LinkedBot extends TestBot {
  /** The bot's clock: set it to move time. */
  now: string;
  /** A card action by `who`; the card (or text) it is answered with. */
  press(who: Speaker, verb: string, data: Record<string, unknown>): Promise<any>;
  /** A command `who` types in their personal chat; the card (or text) the bot answers with. */
  reply(who: Speaker, command: string): Promise<any>;
}

/**
 * A bot on the sample config (with `config` applied to it, if given) where Gareth has linked Hampshire's Teams
 * channel and the clock stands on CARD_DAY, the May cards sent: where the `panels`, `cancel` and `flags` tests start.
 */
export async function startLinkedBot(config?: (file: SampleFile) => void): Promise<LinkedBot> {
  const clock = { now: START };
  const file = config ? editedSample(config) : null;
  const t = await startTestBot({ now: () => clock.now, ...(file ? { env: { PANELS_CONFIG: file.path } } : {}) }).catch((err: unknown) => {
    file?.remove();
    throw err;
  });
  const stop = async () => {
    await t.stop();
    file?.remove();
  };
  const { connector, post } = t;
  await post(botAddedToTeam(connector.url, GARETH));
  await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
  await until(() => connector.posts().length === 1, 'the link reply');
  clock.now = CARD_DAY;
  await t.bot.pass();
  return {
    get bot() {
      return t.bot;
    },
    connector, dir: t.dir, env: t.env, post, restart: t.restart, stop,
    get now() {
      return clock.now;
    },
    set now(at: string) {
      clock.now = at;
    },
    press: async (who, verb, data) => (await post(cardAction(connector.url, who, verb, data))).body.value,
    async reply(who, command) {
      const before = connector.posts().length;
      await post(personalMessage(connector.url, who, command));
      await until(() => connector.posts().length > before, `the reply to ${command}`);
      const body = connector.posts().at(-1)!.body;
      return body.attachments?.[0]?.content ?? body.text;
    },
  };
}
