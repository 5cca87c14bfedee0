/**
 * The bot's commands: one table that the help reply, the router and the Teams manifest's
 * `commandLists` all come from. Titles stay within the manifest's 32 characters, descriptions 128.
 */
export interface BotCommand {
  title: string;
  usage: string;
  description: string;
  /** False until the issue that builds it lands; help lists only what works. */
  ready: boolean;
}

export const COMMANDS: readonly BotCommand[] = [
  { title: 'help', usage: 'help', description: 'What this bot does and the commands it understands.', ready: true },
  { title: 'panels', usage: 'panels', description: 'Your next Channel panel meetings, with status, nominee and flags.', ready: false },
  { title: 'link force', usage: 'link force <id>', description: "Send a force's nomination cards to this conversation (Prevent leads and national leads).", ready: true },
  { title: 'link panel', usage: 'link panel <id>', description: "Send a panel's chair cards to this conversation (the panel's chairs and national leads).", ready: true },
  { title: 'cancel', usage: 'cancel', description: 'Cancel a meeting of a panel you chair; a reason is required and is flagged.', ready: false },
  { title: 'attendance', usage: 'attendance [force|panel] [from] [to]', description: 'Who represented the police at each meeting, and whether they could make decisions.', ready: false },
  { title: 'review', usage: 'review [force]', description: 'The recommendation 7 attendance review for the last 12 months, with a CSV export.', ready: false },
  { title: 'flags', usage: 'flags', description: 'Open compliance flags you may see: cancellations, gaps, absent or non-decision-making attendees.', ready: false },
  { title: 'subscribe', usage: 'subscribe', description: 'Calendar subscription links for the panels you may see.', ready: false },
];

/** The reply to `help`, as Teams markdown. */
export function helpText(): string {
  return [
    '**Channel panel bot**: plans each Channel panel to its monthly timetable and asks each force to name a police decision maker for every meeting (HMICFRS recommendation 7).',
    '',
    ...COMMANDS.filter((c) => c.ready).map((c) => `- \`${c.usage}\`: ${c.description}`),
    '',
    'This bot never holds anything about a referred person: no names, no case counts, no case notes. Please keep case details out of every message and note.',
  ].join('\n');
}
