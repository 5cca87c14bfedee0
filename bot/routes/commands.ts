/**
 * The bot's commands: one table that the help reply, the router and the Teams manifest's
 * `commandLists` all come from. Names stay within the manifest's 32 characters, descriptions 128.
 */
export type CommandScope = 'personal' | 'team' | 'groupChat';

export interface BotCommand {
  /** What the user types first, and the manifest command's title. */
  name: string;
  /**
   * The name, then what may follow: placeholders in italics (`*force id*`), optional parts in square brackets.
   * Never angle brackets: Teams escapes them in a message, even in code, so `<id>` showed as `&lt;id&gt;`.
   */
  usage: string;
  /** A whole command as someone would type it, with ids from the sample configuration. */
  example: string;
  description: string;
  /** Where Teams offers the command (the manifest's `commandLists[].scopes`). */
  scopes: readonly CommandScope[];
}

// The contract offers every command in personal chat and in Teams channels.
const EVERYWHERE: readonly CommandScope[] = ['personal', 'team'];

export const COMMANDS: readonly BotCommand[] = [
  { name: 'help', usage: 'help', example: 'help', description: 'What this bot does and the commands it understands.', scopes: EVERYWHERE },
  { name: 'panels', usage: 'panels', example: 'panels', description: 'Your next Channel panel meetings, with status, nominee and flags.', scopes: EVERYWHERE },
  { name: 'link force', usage: 'link force [*force id*]', example: 'link force cambs', description: "Send a force's nomination cards to this conversation (Prevent leads and national leads).", scopes: EVERYWHERE },
  { name: 'link panel', usage: 'link panel [*panel id*]', example: 'link panel peterborough-rutland', description: "Send a panel's chair cards to this conversation (the panel's chairs and national leads).", scopes: EVERYWHERE },
  // An area's Teams channel: where its panels' cards go. Offered in Teams channels (a personal chat is one person's).
  { name: 'link area', usage: 'link area [*area id*]', example: 'link area', description: "Send a big force's area's cards, reminders and digest to this Teams channel (the area's team, force leads).", scopes: ['team'] },
  // In a Teams channel or group chat only (a personal chat is one lead's). Not in the manifest's lists (the Teams channel
  // list is at its limit of 10, and `link area` is used more often); typed, it works, and `help` lists it.
  { name: 'link national', usage: 'link national', example: 'link national', description: "Send the weekly audit log checkpoint to this Teams channel or group chat (national leads).", scopes: [] },
  // In a Teams meeting's chat only: the meeting is what it links (issue 20).
  { name: 'link meeting', usage: 'link meeting *panel id*', example: 'link meeting southampton', description: "Link this Teams meeting to a Channel panel: who joined is suggested on the chair's attendance card (chairs and leads).", scopes: ['groupChat'] },
  { name: 'cancel', usage: 'cancel', example: 'cancel', description: 'Cancel a meeting of a Channel panel you chair; a reason is required and is flagged.', scopes: EVERYWHERE },
  { name: 'attendance', usage: 'attendance [*force, area or panel id*] [*period*]', example: 'attendance cambs last 6 months', description: 'Who represented the police at each meeting, and whether they could make decisions.', scopes: EVERYWHERE },
  { name: 'review signoff', usage: 'review signoff [*force id*] [*period*]', example: 'review signoff hampshire 2027-Q1', description: 'Sign off the recommendation 7 review: a conclusion, and an action or acceptance for each open flag.', scopes: [] },
  { name: 'review', usage: 'review [*force, area or panel id*] [*period*]', example: 'review leics', description: 'The recommendation 7 attendance review for the last 12 months, with a CSV export.', scopes: EVERYWHERE },
  { name: 'flags', usage: 'flags [*force, area or panel id*]', example: 'flags cambs', description: 'Open compliance flags you may see: cancellations, gaps, absent or non-decision-making attendees.', scopes: EVERYWHERE },
  { name: 'subscribe', usage: 'subscribe [*panel or force id* | me | rotate *id* | revoke [*id*]]', example: 'subscribe cambs', description: 'Calendar subscription links for the Channel panels you may see.', scopes: EVERYWHERE },
  // `review signoff` above has no scope: both manifest lists are at Teams' limit of 10, so Teams does not suggest it;
  // typed, it works in personal chat and in Teams channels, and `help` lists it.
  // Offered in personal chat only: a manifest list holds at most 10 commands, and the Teams channel list is full. It works anywhere.
  { name: 'audit', usage: 'audit', example: 'audit', description: 'Check the audit log end to end and show its head to keep (HMICFRS inspectors and national leads).', scopes: ['personal'] },
];

/** The command a message starts with, if any (longest name first, so `link force` beats a bare `link`). */
export function commandOf(text: string): BotCommand | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).join(' ');
  const byLength = [...COMMANDS].sort((a, b) => b.name.length - a.name.length);
  return byLength.find((c) => words === c.name || words.startsWith(`${c.name} `));
}

/** "`link force` *force id*": the words to type as code, what follows them as it reads. */
export function usageMarkdown(c: BotCommand): string {
  const rest = c.usage.slice(c.name.length).trim();
  return `\`${c.name}\`${rest ? ` ${rest}` : ''}`;
}

/** The reply to `help`, as Teams markdown: each command, what it does, and an example of it typed in full. */
export function helpText(): string {
  return [
    '**Channel panel bot**: plans each Channel panel to its timetable and asks each force to name a police decision maker for every meeting (HMICFRS recommendation 7).',
    '',
    ...COMMANDS.map((c) => `- ${usageMarkdown(c)}: ${c.description}${c.example === c.name ? '' : ` For example: \`${c.example}\`.`}`),
    '',
    'A *period* is, for example, `last 6 months`, `this year`, `2026-Q1` or `FY2026`. Force and panel ids are short names like those in the examples.',
    '',
    'This bot never holds anything about a referred person: no names, no case counts, no case notes. Please keep case details out of every message and note.',
  ].join('\n');
}
