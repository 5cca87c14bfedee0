/**
 * How each figure of the review is counted, in the words people read: the one source of these words. The review
 * document prints them on its "How each figure is counted" page, and the README's section "How each figure and flag
 * is counted" quotes them (test/review-document-definitions.test.ts keeps the two the same). `**bold**` and
 * `code` are the only markup.
 */
export const COUNTING_INTRO =
  'The review counts **per panel and force**: a joint panel\'s meeting counts once for Cambridgeshire and once for ' +
  'Leicestershire, and totals add those up (so a figure never mixes forces). A force invited to one meeting of ' +
  'another panel is counted on that meeting alone. Only meetings that have ended count.';

/** One bullet per figure or group of figures, in the order the review shows them. */
export const FIGURE_DEFINITIONS: readonly string[] = [
  '**Due**: meetings planned by the timetable in the period (whatever the panel\'s timetable is now), plus extra ' +
    'meetings that were held. **Held**: recorded as held (by the chair, an import or the Teams meeting). ' +
    '**Cancelled** (by reason), **not held** (recorded afterwards as not having taken place) and **unrecorded** ' +
    '(ended with nothing recorded: never counted as held) make up the rest.',
  '**Decision maker present** (the headline), as a **share of meetings due**: held meetings where someone ' +
    'present for the force was answered a decision maker and the force did not dispute it (see Attendance ' +
    'evidence), divided by due. So a cancelled, not held or unrecorded meeting counts against it. The share of ' +
    '**held** meetings is shown beside it, labelled as such. Null (n/a) when nothing was due.',
  '**Months met**: of the whole calendar months in the period that have ended (a rolling "last 12 months" has 11 ' +
    'whole months in it), counted from the panel\'s first meeting (a when-necessary panel from the period\'s start: ' +
    'it need not have met at all; a retired panel up to its last meeting), those in which at least one of its ' +
    'meetings was held. Cancelled, not held, unrecorded and unplanned months are not met. A month cut by the ' +
    'period\'s start or end is never judged on part of its meetings; the same holds for `schedule`, `flags` and ' +
    'the history card (whose rows show each meeting\'s own flags only).',
  '**Police absent**: held meetings the force did not attend (apologies or none). **Distinct attendees**: people ' +
    'recorded as attending for the force. **Median days named ahead**: from the latest nomination to the meeting.',
];

/** A piece of a line of text, bold or not. */
export interface Run {
  text: string;
  bold: boolean;
}

/** Text with `**bold**` and `code` markup as runs: bold kept, backticks dropped (a reader of the document sees words). */
export function runsOf(markup: string): Run[] {
  return markup
    .replace(/`([^`]*)`/g, '$1')
    .split('**')
    .map((text, i) => ({ text, bold: i % 2 === 1 }))
    .filter((r) => r.text !== '');
}
