/**
 * The bot's commands: one table that the help reply, the router and the Teams manifest's
 * `commandLists` all come from. Names stay within the manifest's 32 characters, descriptions 128.
 */
export type CommandScope = 'personal' | 'team' | 'groupChat';

export interface BotCommand {
  /** What the user types first, and the manifest command's title. */
  name: string;
  usage: string;
  description: string;
  /** Where Teams offers the command (the manifest's `commandLists[].scopes`). */
  scopes: readonly CommandScope[];
}

// The contract offers every command in personal chat and in Teams channels.
const EVERYWHERE: readonly CommandScope[] = ['personal', 'team'];

export const COMMANDS: readonly BotCommand[] = [
  { name: 'help', usage: 'help', description: 'What this bot does and the commands it understands.', scopes: EVERYWHERE },
  { name: 'panels', usage: 'panels', description: 'Your next Channel panel meetings, with status, nominee and flags.', scopes: EVERYWHERE },
  { name: 'link force', usage: 'link force <id>', description: "Send a force's nomination cards to this conversation (Prevent leads and national leads).", scopes: EVERYWHERE },
  { name: 'link panel', usage: 'link panel <id>', description: "Send a panel's chair cards to this conversation (the panel's chairs and national leads).", scopes: EVERYWHERE },
  // In a Teams channel or group chat only (a personal chat is one lead's); the manifest offers it in Teams channels.
  { name: 'link national', usage: 'link national', description: "Send the weekly audit log checkpoint to this Teams channel or group chat (national leads).", scopes: ['team'] },
  { name: 'cancel', usage: 'cancel', description: 'Cancel a meeting of a Channel panel you chair; a reason is required and is flagged.', scopes: EVERYWHERE },
  { name: 'attendance', usage: 'attendance [force|panel] [from] [to]', description: 'Who represented the police at each meeting, and whether they could make decisions.', scopes: EVERYWHERE },
  { name: 'review', usage: 'review [force]', description: 'The recommendation 7 attendance review for the last 12 months, with a CSV export.', scopes: EVERYWHERE },
  { name: 'flags', usage: 'flags', description: 'Open compliance flags you may see: cancellations, gaps, absent or non-decision-making attendees.', scopes: EVERYWHERE },
  { name: 'subscribe', usage: 'subscribe', description: 'Calendar subscription links for the Channel panels you may see.', scopes: EVERYWHERE },
];

/** The command a message starts with, if any (longest name first, so `link force` beats a bare `link`). */
export function commandOf(text: string): BotCommand | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).join(' ');
  const byLength = [...COMMANDS].sort((a, b) => b.name.length - a.name.length);
  return byLength.find((c) => words === c.name || words.startsWith(`${c.name} `));
}

/** The reply to `help`, as Teams markdown. */
export function helpText(): string {
  return [
    '**Channel panel bot**: plans each Channel panel to its timetable and asks each force to name a police decision maker for every meeting (HMICFRS recommendation 7).',
    '',
    ...COMMANDS.map((c) => `- \`${c.usage}\`: ${c.description}`),
    '',
    'This bot never holds anything about a referred person: no names, no case counts, no case notes. Please keep case details out of every message and note.',
  ].join('\n');
}
