import { callout, card, md, text, type CardElement } from './format.js';
import { VERBS, type ChairCardName } from './verbs.js';

// What every focused chair card shares: the line on top saying what happened, the confirm question, and the
// way to the other jobs. Each job has its own card (cancel-card, move-card, add-card, invite-card, record-past-card).

/**
 * A line on top of a card, as plain text (it is made literal here): what was saved (`good`), what was refused or
 * is out of date (`attention`), or neither.
 */
export interface Notice {
  text: string;
  tone?: 'good' | 'attention' | 'plain';
}

// A styled container, the text in the default colour: coloured sentences fail contrast in some Teams themes.
const STYLES = { good: 'good', attention: 'attention', plain: 'emphasis' } as const;

/** The notice as the card's first line. */
export const noticeBlock = (n?: Notice): CardElement[] => (n ? [callout(STYLES[n.tone ?? 'attention'], md(n.text), { weight: 'Bolder' })] : []);

/** A button: every one is an Action.Execute. */
export const execute = (title: string, verb: string, data: Record<string, unknown>, style?: 'destructive' | 'positive'): CardElement =>
  ({ type: 'Action.Execute', title, verb, data, ...(style ? { style } : {}) });

/** A press's origin, carried on: `panels` answers with the list (see verbs.ts `from`). */
export const origin = (from?: 'panels'): Record<string, unknown> => (from ? { from } : {});

/**
 * The confirm step: the question naming what will change, what was entered, and Confirm / Keep it. Both buttons
 * carry everything the change needs, so nothing on the card is read again; only Confirm changes anything.
 */
export function questionBlock(question: string, facts: Array<[string, string]>, confirm: CardElement, keep: CardElement): CardElement {
  return {
    type: 'Container', style: 'emphasis', spacing: 'Medium',
    items: [
      text(question, { weight: 'Bolder' }),
      ...(facts.length ? [{ type: 'FactSet', facts: facts.map(([title, value]) => ({ title, value })) }] : []),
      { type: 'ActionSet', actions: [confirm, keep] },
    ],
  };
}

/** A card that only says what was saved (plain text), with what follows from it (Markdown, names already made literal). */
export function savedCard(line: string, details: string[] = []): Record<string, unknown> {
  return card([...noticeBlock({ text: line, tone: 'good' }), ...details.map((d) => text(d))]);
}

const JOBS: Record<ChairCardName, string> = {
  cancel: 'Cancel a meeting',
  move: 'Move a meeting',
  add: 'Add a meeting',
  invite: 'Invite a force',
  record: 'Record a past meeting',
};

/** The chair's other jobs, each its own card. */
export function otherJobs(current: ChairCardName): CardElement[] {
  const others = (Object.keys(JOBS) as ChairCardName[]).filter((j) => j !== current);
  return [
    text('Something else?', { weight: 'Bolder', spacing: 'ExtraLarge', size: 'Small' }),
    { type: 'ActionSet', actions: others.map((j) => execute(JOBS[j], VERBS.openChairCard, { view: j })) },
  ];
}

/** The heading of a focused card, and its notice above it. */
export const heading = (title: string, notice?: Notice, line?: string): CardElement[] => [
  ...noticeBlock(notice),
  text(title, { weight: 'Bolder', size: 'Medium' }),
  ...(line ? [text(line, { isSubtle: true })] : []),
];
