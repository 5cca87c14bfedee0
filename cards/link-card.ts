import { cleanText } from '../scheduler/domain/text.js';
import { execute, heading, savedCard, type Notice } from './chair-steps.js';
import { card } from './format.js';
import { VERBS } from './verbs.js';

export type LinkKind = 'force' | 'panel' | 'area';

export interface LinkChoiceView {
  scope: LinkKind;
  /** Only what the person may link, by name. */
  choices: Array<{ id: string; name: string }>;
  notice?: Notice;
}

const WHAT = { force: 'nomination cards', panel: 'chair cards', area: "nomination cards, reminders and the weekly digest of the area's panels" } as const;
const INPUT = { force: 'forceId', panel: 'panelId', area: 'areaId' } as const;
const LABEL = { force: 'Force', panel: 'Panel', area: 'Area' } as const;

/** `link force` or `link panel` without an id: the forces (or panels) the person may link, by name, and one button. */
export function linkChoiceCard(v: LinkChoiceView): Record<string, unknown> {
  const a = v.scope === 'area' ? 'an' : 'a';
  return card([
    ...heading(`Link this conversation to ${a} ${v.scope}`, v.notice, `The ${WHAT[v.scope]} for the ${v.scope} you choose will come to this conversation.`),
    {
      type: 'Input.ChoiceSet', id: INPUT[v.scope], label: LABEL[v.scope], placeholder: `Choose ${a} ${v.scope}`,
      choices: v.choices.map((c) => ({ title: cleanText(c.name), value: c.id })), ...(v.choices.length === 1 ? { value: v.choices[0]!.id } : {}),
    },
    { type: 'ActionSet', actions: [execute('Link this conversation', VERBS.linkConversation, { scope: v.scope })] },
  ]);
}

/** The one line that says what was saved, as the typed command says it. */
export const linkedLine = (scope: LinkKind, name: string): string => `Linked: ${WHAT[scope]} for ${cleanText(name)} will come to this conversation.`;

/** What the person sees once the conversation is linked. */
export function linkedCard(scope: LinkKind, name: string): Record<string, unknown> {
  return savedCard(linkedLine(scope, name));
}
