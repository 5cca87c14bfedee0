import { card, md, meetingWhen, shortDate, text } from './format.js';

// The short personal messages that tell people of a change, and the words a superseded @mention is reworded to.
// Pure: names and local times in, Markdown text out (Teams renders a bot's text as Markdown, so names pass md()).

/** A meeting as a message names it: the panel and its local start and end (ISO with offset). */
export interface NoticeMeeting {
  panelName: string;
  start: string;
  end: string;
}

const at = (m: NoticeMeeting) => `**${md(m.panelName)}** on ${meetingWhen(m.start, m.end)}`;

/**
 * The forces a person is told about, by name: "A", "A and B", "A, B and C". One person may act for, or be named
 * for, several forces a meeting faces (s.37(3)), and then hears once, of all of them.
 */
const forces = (names: string[]) => {
  const n = names.map(md);
  return n.length > 1 ? `${n.slice(0, -1).join(', ')} and ${n.at(-1)}` : (n[0] ?? '');
};

/** To a nominee who was replaced; `by` is who named the new one (null when the bot no longer knows them). */
export function replacedText(v: { meeting: NoticeMeeting; forceName: string; by: string | null; successor: string }): string {
  const who = v.by ? md(v.by) : md(v.forceName);
  return `You are no longer named to attend ${at(v.meeting)} for ${md(v.forceName)}: ${who} named ${md(v.successor)} instead.`;
}

/**
 * What a thread's @mention reply says once that person is no longer named. It names nobody: a successor named here
 * could be replaced in turn, and this reply is not reworded again, so the thread would once more show two people named.
 */
export function mentionReplacedText(changedOn: string): string {
  return `No longer named: replaced on ${shortDate(changedOn)}. The card shows who is named now.`;
}

/** To a nominee of a cancelled meeting, for every force they were named for. The chair's note is not here: it is for the meeting's cards only (see README). */
export function cancelledText(v: { meeting: NoticeMeeting; forceNames: string[]; reason: string }): string {
  return `${at(v.meeting)} has been cancelled (${md(v.reason)}). You were named to attend it for ${forces(v.forceNames)}: there is nothing to attend.`;
}

/** To a nominee of a moved meeting, for every force they are named for: where it is now and where it was. */
export function movedText(v: { meeting: NoticeMeeting; was: { start: string; end: string }; forceNames: string[] }): string {
  return `**${md(v.meeting.panelName)}** has moved to ${meetingWhen(v.meeting.start, v.meeting.end)} (it was on ${meetingWhen(v.was.start, v.was.end)}). You are still named to attend it for ${forces(v.forceNames)}.`;
}

/** To the Prevent leads and deputies of the panel's forces when a chair adds a meeting: each hears once, of every force of theirs it faces. */
export function addedText(v: { meeting: NoticeMeeting; localAuthority: string; forceNames: string[] }): string {
  const asked = v.forceNames.length > 1
    ? `${forces(v.forceNames)} will each be asked to name an attendee on the usual card in each force's Teams channel.`
    : `${forces(v.forceNames)} will be asked to name its attendee on the usual card in your force's Teams channel.`;
  return `An extra meeting of **${md(v.meeting.panelName)}** (${md(v.localAuthority)}) has been added on ${meetingWhen(v.meeting.start, v.meeting.end)}. ${asked}`;
}

/** To a panel's chair when a force sends apologies in advance. */
export function apologiesText(v: { meeting: NoticeMeeting; forceName: string; sentBy: string; substitute: string | null }): string {
  const offered = v.substitute ? `substitute offered: ${md(v.substitute)}` : 'no substitute offered';
  return `${md(v.forceName)} sent apologies for ${at(v.meeting)} (sent by ${md(v.sentBy)}); ${offered}.`;
}

/**
 * What a nomination card says once its panel moved to another area of the force (or out of one): where its card is
 * now, so nobody answers the old one. No buttons: acting happens on the new card.
 */
export function cardMovedCard(v: { meeting: NoticeMeeting; forceName: string; team: string; channel: string }): Record<string, unknown> {
  return card([
    text(`${at(v.meeting)}, ${md(v.forceName)}`, { weight: 'Bolder' }),
    text(`This panel is now handled by ${md(v.team)}: its card, and the name of the police attendee, are in ${md(v.channel)}.`),
  ]);
}
