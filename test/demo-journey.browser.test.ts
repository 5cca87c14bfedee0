import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactsDir, CHROMIUM, journey, startRig, TEAMS_VIEWPORT, type Journey, type Rig } from './support/playground.js';

/**
 * A newcomer's first five minutes, as the README tells them: `npm run demo` (its invented year) and the Agents
 * Playground in Chromium. As Alex Wilber, the Playground's user and a national lead, they see the review with its
 * chart, the flags, the panels by force, and record who attended the meeting that has just ended. Pictures of every
 * step and card go under test/artifacts/demo-journey/.
 */
describe('npm run demo in the Agents Playground, as a newcomer sees it', () => {
  let rig: Rig;
  let browser: BrowserContext;
  let page: Page;
  let j: Journey;

  beforeAll(async () => {
    rig = await startRig({ demo: true });
    browser = await chromium.launchPersistentContext(join(rig.dataDir, '..', 'chromium-profile'), { executablePath: CHROMIUM, headless: true, viewport: TEAMS_VIEWPORT });
    page = browser.pages()[0] ?? (await browser.newPage());
    j = journey(page, artifactsDir('demo-journey'));
    page.setDefaultTimeout(60_000);
    await page.goto(rig.playgroundUrl);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it('shows the review with a readable chart, the flags and the panels, and records the meeting that just ended', async () => {
    const { step, sayPersonally, card } = j;

    await step('review', async () => {
      await sayPersonally('review');
      const review = card('Recommendation 7 review');
      await review.getByText('Per panel').waitFor();
      const chart = review.locator('img').first();
      await chart.waitFor();
      // The chart is a PNG the bot drew: it loaded, at the width the bot draws it.
      await expect.poll(() => chart.evaluate((img: any) => img.complete && img.naturalWidth)).toBeGreaterThan(400);
    });

    await step('flags', async () => {
      await sayPersonally('flags');
      await card('flag').waitFor();
    });

    await step('panels', async () => {
      await sayPersonally('panels');
      await card('Cambridgeshire').waitFor();
    });

    await step('chair-card', async () => {
      await sayPersonally('cancel');
      await card('Record').waitFor();
    });

    // The meeting the demo ended a little before it started (the banner names it too).
    const ended = (JSON.parse(readFileSync(join(rig.dataDir, 'seeded.json'), 'utf8')) as { justEnded: { panelName: string; start?: string; end: string } }).justEnded;
    // The chair card becomes the past-meeting form in place (the cancel card names its button the same).
    const form = card('Meetings that have ended, newest first');
    await step('record-past', async () => {
      await card('Cancel a Channel panel meeting').getByRole('button', { name: 'Record a past meeting' }).click();
      await form.waitFor();
      await form.getByRole('combobox').first().click();
      // Newest first: the meeting that just ended heads the list.
      const first = page.getByRole('option').first();
      expect(await first.innerText()).toContain(ended.panelName);
      await first.click();
      await form.getByRole('button', { name: 'Open its attendance card' }).click();
      await card('Who attended').waitFor();
    });

    const record = card(`Police attendance: ${ended.panelName}`);
    await step('record-attendance', async () => {
      await record.getByRole('radio', { name: 'It was held' }).check();
      // The first force: its officer attended and could decide; every answer is given, nothing was preselected.
      await record.getByRole('radio', { name: 'Attended' }).first().check();
      // Who attended is left as the card suggests it: the force's nominee (the Playground's picker draws it empty).
      await record.getByLabel('Role category').first().click();
      await page.getByRole('option', { name: 'Prevent officer' }).click();
      await record.getByLabel('Rank or role').first().fill('Detective Inspector');
      await record.getByRole('radio', { name: 'Local force' }).first().check();
      await record.getByRole('radio', { name: 'In person' }).first().check();
      await record.getByRole('radio', { name: 'Yes' }).first().check();
      // The second force sent its apologies in advance, as the card says.
      await record.getByRole('radio', { name: 'Sent apologies' }).nth(1).check();
      await record.getByRole('button', { name: 'Record attendance' }).click();
      await record.getByText('Recorded. You can correct it here').waitFor();
    });
  }, 300_000);
});
