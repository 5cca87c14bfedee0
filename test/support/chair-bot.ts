import { expect } from 'vitest';
import { nominate } from '../../scheduler/nominations/nominations.js';
import { DAWN, GARETH, NADIA, personalMessage } from './teams-activities.js';
import { startTestBot, type TestBot } from './test-bot.js';
import { until } from './wait.js';

/** Southampton's May meeting (Mon 3 May 2027 is a bank holiday: Tue 4 May, 10:00-12:00 local). */
export const MAY = 'southampton.2027-05-03';

/**
 * A bot on the sample config where Dawn has linked her chat to the Southampton panel and Hampshire has named
 * Nadia, a confirmed decision maker, for May: where the attendance tests start.
 */
export async function chairWithNominee(now: () => string): Promise<TestBot> {
  const started = await startTestBot({ now });
  const { bot, connector, post } = started;
  await post(personalMessage(connector.url, DAWN, 'link panel southampton'));
  await until(() => connector.posts().some((p) => /Linked/.test(p.body.text ?? '')), 'the link reply');
  const r = await nominate(bot.store, { meetingId: MAY, forceId: 'hampshire', meetingVersion: 1, nominationVersion: 0, attendee: NADIA, role: 'DI', decisionMaker: true }, GARETH.aadObjectId, '2027-04-20T08:00:00.000Z');
  expect(r.ok).toBe(true);
  return started;
}
