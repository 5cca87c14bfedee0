import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { redactNoteCommand } from '../bot/cli/cli-redact.js';
import type { RunningBot } from '../bot/compose.js';
import { loadConfig } from '../bot/config.js';
import { newToken, tokenHash } from '../scheduler/calendar/feed-tokens.js';
import { cliRunner } from './support/cli-runner.js';
import type { FakeConnector } from './support/fake-connector.js';
import { recordingLog } from './support/recording-log.js';
import { botAddedToTeam, cardAction, channelMessage, DAWN, GARETH, personalMessage } from './support/teams-activities.js';
import { startTestBot, type TestBot } from './support/test-bot.js';
import { until } from './support/wait.js';

const MAY = 'southampton.2027-05-03';
/** Distinctive, so that finding it anywhere is a leak and not a coincidence. */
const NOTE = 'ZQX-note-4411 room double-booked';

// Issue 17, point 6: the cancellation note has a purpose (the force's leads read it on the meeting's card) and goes
// nowhere else: not into calendars, the review in any format, `schedule --json`, or the logs. And it can be erased.
describe('where a cancellation note goes, over real HTTP and the command line', () => {
  let bot: RunningBot;
  let connector: FakeConnector;
  let post: TestBot['post'];
  let stop: TestBot['stop'];
  let env: Record<string, string>;
  let now = '2027-04-01T08:00:00.000Z';
  const log = recordingLog();
  const cli = cliRunner(() => env);
  /** The force card's updates in place, newest last, as Teams received them. */
  const cardUpdates = async () => {
    const activity = (await bot.store.outbox.get(`card:${MAY}:hampshire`))!.activityId!;
    return connector.calls.filter((c) => c.method === 'PUT' && c.activityId === activity).map((c) => JSON.stringify(c.body));
  };

  beforeEach(async () => {
    now = '2027-04-01T08:00:00.000Z';
    log.lines.length = 0;
    ({ bot, connector, post, stop, env } = await startTestBot({ now: () => now, log }));
    await post(botAddedToTeam(connector.url, GARETH));
    await post(channelMessage(connector.url, GARETH, 'link force hampshire'));
    await until(() => connector.posts().length === 1, 'the link reply');
    now = '2027-04-19T08:00:00.000Z';
    await bot.pass();
    const res = await post(cardAction(connector.url, DAWN, 'cancelMeeting', { meetingId: MAY, reason: 'not quorate', note: NOTE, versions: { [MAY]: 1 }, step: 'confirm' }));
    expect(JSON.stringify(res.body.value)).toContain(NOTE);
    await until(async () => (await cardUpdates()).length === 1, 'the card update');
  });
  afterEach(() => stop());

  it("is shown on the force's card, and in no calendar feed, review format, schedule --json or log line", async () => {
    const [card] = await cardUpdates();
    expect(card).toContain('Cancelled: not quorate.');
    expect(card).toContain(`Note from the chair: ${NOTE}`);

    const token = newToken();
    await bot.store.feeds.save({ hash: tokenHash(token), owner: GARETH.aadObjectId, scope: { kind: 'panel', id: 'southampton' }, createdAt: now, revokedAt: null });
    const feed = await fetch(`${bot.url}/calendar/${token}.ics`);
    expect(feed.status).toBe(200);
    const ics = await feed.text();
    expect(ics).toContain(`UID:${MAY}@channel-panel-bot`);
    expect(ics).toContain('STATUS:CANCELLED');
    expect(ics).not.toContain('ZQX-note-4411');

    const scope = ['--force', 'hampshire', '--from', '2027-04', '--to', '2027-05', '--now', '2027-06-01T09:00:00Z'];
    for (const format of ['text', 'csv', 'summary-csv', 'json']) {
      const review = await cli('review', ...scope, '--format', format);
      expect(review.code, review.err).toBe(0);
      expect(review.out, format).toMatch(/cancel/i);
      expect(review.out, format).not.toContain('ZQX-note-4411');
    }
    const schedule = await cli('schedule', '--panel', 'southampton', '--from', '2027-05-01', '--to', '2027-05-31', '--json');
    expect(JSON.parse(schedule.out)).toEqual([expect.objectContaining({ id: MAY, status: 'cancelled' })]);
    expect(schedule.out).not.toContain('ZQX-note-4411');

    now = '2027-06-01T08:00:00.000Z';
    const before = connector.posts().length;
    await post(personalMessage(connector.url, GARETH, 'review'));
    await until(() => connector.posts().length > before, 'the review card');
    expect(JSON.stringify(connector.posts().at(-1)!.body)).not.toContain('ZQX-note-4411');

    expect(log.lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(log.lines)).not.toContain('ZQX-note-4411');
  });

  it('is erased by `redact note`, and the force card then says the note was removed', async () => {
    const lines: string[] = [];
    const io = { out: (s: string) => lines.push(s), err: (s: string) => lines.push(`ERR ${s}`) };
    const code = await redactNoteCommand({ meetingId: MAY, reason: 'subject request' }, loadConfig(env), io);
    expect(code, lines.join('\n')).toBe(0);
    expect(lines[0]).toMatch(new RegExp(`^note erased from meeting ${MAY} \\(Southampton Channel panel\\); audit entry \\d+ erased; recorded as entry \\d+$`));
    await bot.pass();
    await until(async () => (await cardUpdates()).length === 2, 'the second card update');
    const latest = (await cardUpdates()).at(-1)!;
    expect(latest).toContain('Note from the chair: (note removed)');
    expect(latest).not.toContain('ZQX-note-4411');
    expect((await cli('audit', 'verify')).code).toBe(0);

    lines.length = 0;
    expect(await redactNoteCommand({ meetingId: MAY, reason: 'subject request' }, loadConfig(env), io)).toBe(1);
    expect(lines.join('\n')).toMatch(/^ERR panel-bot: the note on southampton\.2027-05-03 was already removed, at .*Nothing was changed\.$/);
  });

  it('refuses `redact note` without a meeting or a reason, as bad usage', async () => {
    const io = { out: () => undefined, err: () => undefined };
    await expect(redactNoteCommand({ reason: 'subject request' }, loadConfig(env), io)).rejects.toThrow('redact note needs the meeting');
    await expect(redactNoteCommand({ meetingId: MAY }, loadConfig(env), io)).rejects.toThrow('redact note needs --reason');
  });
});
