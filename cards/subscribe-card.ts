import { card, md, text, type CardElement } from './format.js';

export interface SubscribeLink {
  title: string;
  /** The feed over the web (https in production): what Outlook's "Subscribe from web" takes. */
  webUrl: string;
  /** The same feed as webcal://, which desktop calendars open as a subscription. */
  webcalUrl: string;
  /** A new link made by `subscribe rotate`: the one it replaces no longer works. */
  replaced?: boolean;
  /** The force the feed comes under, shown as a heading over its feeds when there are several forces. */
  group?: string;
}

/** Which page of someone's links this is, and each page's forces, so the others can be asked for by name. */
export interface FeedPages {
  page: number;
  pages: number;
  index: Array<{ page: number; groups: string[] }>;
}

/** A feed left off the card, by name, with what to type for its link alone (`subscribe cambs`). */
export interface FeedHint {
  title: string;
  command: string;
}

const OUTLOOK_HINT =
  'Add to Outlook: in Outlook choose **Add calendar**, then **Subscribe from web**, paste the https link and give it a name. ' +
  'Google Calendar: **Other calendars**, then **From URL**. Apple Calendar opens the webcal link. Calendars re-read the feed every few hours.';

function feed(l: SubscribeLink): CardElement[] {
  return [
    text(md(l.title), { weight: 'Bolder', spacing: 'Medium' }),
    text(l.webUrl, { size: 'Small', fontType: 'Monospace' }),
    text(`[Open as a subscription (webcal)](${l.webcalUrl})`, { size: 'Small', spacing: 'None' }),
    ...(l.replaced ? [text('A new link: the one it replaces no longer works, so calendars using that stop updating until they subscribe to this one.', { size: 'Small', spacing: 'None' })] : []),
  ];
}

/** The feeds left off: each by name with its command when known, else how many, and how to ask for one. */
function leftOff(more: number | FeedHint[]): CardElement[] {
  if (typeof more === 'number') {
    return more > 0 ? [text(`…and ${more} more. For one of them, type \`subscribe\` and its panel's or force's id, for example \`subscribe me\` for your own meetings.`, { isSubtle: true })] : [];
  }
  if (!more.length) return [];
  return [
    text(`…and ${more.length} more. For one of them, type its command:`, { isSubtle: true, spacing: 'Medium' }),
    text(more.map((h) => `${md(h.title)} (\`${h.command.replaceAll("`", "")}\`)`).join(', '), { size: 'Small', spacing: 'Small' }),
  ];
}

/** The links under a heading per force, when they come from more than one (a national lead's, a regional unit's). */
function grouped(links: SubscribeLink[], headed: boolean): CardElement[] {
  return links.flatMap((l, i) => {
    const starts = headed && l.group !== undefined && l.group !== links[i - 1]?.group;
    return [...(starts ? [text(md(l.group!), { weight: 'Bolder', size: 'Medium', spacing: 'Large', separator: true })] : []), ...feed(l)];
  });
}

/** The other pages, each by its command and the forces on it: a national lead finds a force's links by its name. */
function otherPages(p: FeedPages): CardElement[] {
  const others = p.index.filter((x) => x.page !== p.page);
  const line = (x: FeedPages['index'][number]) => `- \`subscribe page ${x.page}\`: ${x.groups.length ? x.groups.map(md).join(', ') : 'your own meetings'}`;
  return [
    text(`Your feeds fill ${p.pages} pages of links; this is page ${p.page}. For the links on another page, type its command:`, { isSubtle: true, spacing: 'Large', separator: true }),
    text(others.map(line).join('\n'), { size: 'Small', spacing: 'Small' }),
  ];
}

/**
 * The person's calendar links, with how to add them; `more` feeds were left off to keep the card small (a count,
 * or each by name with the command that gives its link), or, given `pages`, are on the other pages it names.
 */
export function subscribeCard(links: SubscribeLink[], more: number | FeedHint[] = 0, pages?: FeedPages): Record<string, unknown> {
  const paged = pages !== undefined && pages.pages > 1;
  return card([
    text('Calendar subscriptions', { weight: 'Bolder', size: 'Medium' }),
    text(OUTLOOK_HINT, { isSubtle: true }),
    ...grouped(links, paged || new Set(links.map((l) => l.group).filter(Boolean)).size > 1),
    ...(paged ? otherPages(pages) : leftOff(more)),
    text(
      'Each link is yours: anyone who has it sees that timetable (never case details). Typing `subscribe` again shows the same links. ' +
        "If one was shared by mistake, type `subscribe rotate` and the feed's id (`subscribe rotate me` for your own meetings) for a new link that turns the old one off. " +
        '`subscribe revoke` turns all of your links off; `subscribe revoke` and a feed\'s id, that one.',
      { size: 'Small', isSubtle: true, spacing: 'Medium' },
    ),
  ]);
}
