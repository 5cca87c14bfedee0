import { card, md, text, type CardElement } from './format.js';

export interface SubscribeLink {
  title: string;
  /** The feed over the web (https in production): what Outlook's "Subscribe from web" takes. */
  webUrl: string;
  /** The same feed as webcal://, which desktop calendars open as a subscription. */
  webcalUrl: string;
}

const OUTLOOK_HINT =
  'Add to Outlook: in Outlook choose **Add calendar** > **Subscribe from web**, paste the https link and give it a name. ' +
  'Google Calendar: **Other calendars** > **From URL**. Apple Calendar opens the webcal link. Calendars re-read the feed every few hours.';

function feed(l: SubscribeLink): CardElement[] {
  return [
    text(md(l.title), { weight: 'Bolder', spacing: 'Medium' }),
    text(l.webUrl, { size: 'Small', fontType: 'Monospace' }),
    text(`[Open as a subscription (webcal)](${l.webcalUrl})`, { size: 'Small', spacing: 'None' }),
  ];
}

/** The person's calendar links, with how to add them; `more` feeds were left off to keep the card small. */
export function subscribeCard(links: SubscribeLink[], more = 0): Record<string, unknown> {
  return card([
    text('Calendar subscriptions', { weight: 'Bolder', size: 'Medium' }),
    text(OUTLOOK_HINT, { isSubtle: true }),
    ...links.flatMap(feed),
    ...(more > 0 ? [text(`…and ${more} more. Type \`subscribe <panel or force id>\` for one of them.`, { isSubtle: true })] : []),
    text('Each link is yours: anyone who has it sees that timetable (never case details). Type `subscribe revoke` to turn all of your links off.', {
      size: 'Small',
      isSubtle: true,
      spacing: 'Medium',
    }),
  ]);
}
