import { join } from 'node:path';
import { DateTime } from 'luxon';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingWhen } from '../cards/format.js';
import { artifactsDir, CHROMIUM, journey, startRig, TEAMS_VIEWPORT, type Journey, type Rig } from './support/playground.js';

/**
 * The whole journey in Microsoft's own Teams client emulator, driven by a real browser: the bot as
 * `npm start` runs it, the Agents Playground in front of it, Debian's Chromium headless. Each step saves a
 * screenshot under test/artifacts/; a step that fails names its screenshot.
 */
describe('the bot in the Microsoft 365 Agents Playground, in a real browser', () => {
  let rig: Rig;
  let browser: BrowserContext;
  let page: Page;
  /** Steps photographed, and each card the journey meets saved at Teams width, under test/artifacts/journey/. */
  let j: Journey;

  beforeAll(async () => {
    rig = await startRig();
    const profile = join(rig.dataDir, 'chromium-profile');
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, viewport: TEAMS_VIEWPORT });
    page = browser.pages()[0] ?? (await browser.newPage());
    j = journey(page, artifactsDir());
    page.setDefaultTimeout(60_000);
    await page.goto(rig.playgroundUrl);
    await page.locator('[aria-label="My Team - General"]').click();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  /** The first Hampshire panel meeting at least 15 days ahead: its card is sent by a tick, not by the bot's own start. */
  async function nextHampshireMeeting(): Promise<{ id: string; start: string; end: string }> {
    const from = DateTime.utc().plus({ days: 15 }).toISODate()!;
    const meetings = JSON.parse(await rig.cli('schedule', '--panel', 'hampshire', '--from', from, '--json')) as Array<{ id: string; start: string; end: string }>;
    expect(meetings.length).toBeGreaterThan(0);
    return meetings[0]!;
  }

  it('goes from help to a named, then cancelled, meeting; a review; and a calendar feed', async () => {
    const { step, say, sayPersonally, card, seen } = j;
    await step('help', async () => {
      await say('help');
      await seen('plans each Channel panel to its timetable');
    });

    await step('link-force', async () => {
      await say('link force hampshire');
      await seen('Linked: nomination cards for Hampshire and Isle of Wight Constabulary');
    });

    const meeting = await nextHampshireMeeting();
    const when = meetingWhen(meeting.start, meeting.end);
    await step('tick-brings-card', async () => {
      const tickAt = DateTime.fromISO(meeting.start).minus({ days: 12 }).toUTC().toISO()!;
      expect(await rig.cli('tick', '--now', tickAt)).toMatch(/sent [1-9]\d* now; outbox 0 pending, 0 failed/);
      await card('Police attendee for Hampshire Channel panel').filter({ hasText: when }).waitFor();
    });

    const nomination = card('Police attendee for Hampshire Channel panel').filter({ hasText: when });
    await step('open-nomination-form', async () => {
      // The Playground shows everyone the shared card (no user-specific views): its button asks for the form.
      await nomination.getByRole('button', { name: 'Name attendee' }).click();
      await nomination.getByLabel('Their role').waitFor();
    });

    await step('name-attendee', async () => {
      await nomination.getByRole('combobox', { name: 'People Picker' }).click();
      await page.keyboard.type('Adele');
      await page.getByRole('option').filter({ hasText: 'Adele Vance' }).first().click();
      await nomination.getByLabel('Their role').fill('Detective Inspector');
      // An explicit answer: nothing is preselected.
      await nomination.getByRole('radio', { name: 'Confirmed: they can make decisions on behalf of the force' }).check();
      await nomination.getByRole('button', { name: 'Name attendee' }).click();
      await nomination.getByText('Named: Adele Vance, Detective Inspector').waitFor();
      await nomination.getByText('Confirmed able to make decisions on behalf of the force').waitFor();
      await seen(/Adele Vance.* is named to attend Hampshire Channel panel/);
    });

    await step('cancel-as-chair', async () => {
      await say('cancel');
      const form = card('Cancel a Channel panel meeting');
      await form.getByRole('combobox').first().click();
      await page.getByRole('option', { name: `Hampshire Channel panel: ${when}` }).click();
      await form.getByRole('combobox').nth(1).click();
      await page.getByRole('option').first().click();
      await form.getByLabel('Note for the forces (optional)').fill('Chair unavailable, moving to next month');
      await form.getByRole('button', { name: 'Cancel this meeting…' }).click();
      // Nothing is cancelled until the chair confirms, in plain words.
      const question = card('Cancel this meeting?');
      await question.getByText(`Cancel the Hampshire Channel panel meeting on ${when}? Each force's card will say so.`).waitFor();
      await question.getByRole('button', { name: 'Confirm' }).click();
      await card(`Saved: Hampshire Channel panel, ${when} is cancelled.`).waitFor();
      // The outbox updates the force's card in place: everyone's copy now says so.
      await nomination.getByText('This meeting was cancelled').waitFor();
      // With the chair's note, which the forces' leads see on the card and nowhere else.
      await nomination.getByText('Chair unavailable, moving to next month', { exact: false }).waitFor();
    });

    let csvUrl = '';
    await step('review', async () => {
      await sayPersonally('review');
      const review = card('Recommendation 7 review');
      await review.getByText('Per panel').waitFor();
      // "Download CSV" is an Action.OpenUrl: the Playground asks the window to open it.
      // "Download CSV" is an Action.OpenUrl; the Playground puts its address in the button's title.
      csvUrl = (await review.locator('button[aria-label="Download CSV"]').getAttribute('title')) ?? '';
      expect(csvUrl).toMatch(/\/reports\/[^/]+\.csv$/);
    });
    const csv = await fetch(csvUrl);
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\n')[0]).toMatch(/meeting/i);

    let feedUrl = '';
    await step('subscribe', async () => {
      // Both the force and the panel are called `hampshire`; either feed holds the meeting.
      await sayPersonally('subscribe hampshire');
      const links = card('Calendar subscriptions');
      await links.waitFor();
      const url = new RegExp(`${rig.botUrl.replace(/[.:/]/g, '\\$&')}/calendar/[A-Za-z0-9_-]+\\.ics`);
      feedUrl = url.exec(await links.innerText())?.[0] ?? '';
      expect(feedUrl, 'an https-style feed link on the card').not.toBe('');
    });

    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await feed.text();
    expect(ics).toContain('BEGIN:VCALENDAR');
    expect(ics).toContain(`UID:${meeting.id}@`);
    expect(ics).toMatch(/STATUS:CANCELLED/);
  }, 240_000);
});
