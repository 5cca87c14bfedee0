import { DateTime } from 'luxon';
import { FLAG_WORDS } from '../scheduler/domain/flag-words.js';
import { FLAG_CODES, type FlagCode } from '../scheduler/domain/flags.js';
import type { HistoryForce, HistoryPage } from '../scheduler/meetings/attendance-history.js';
import { callout, card, md, text, type CardElement } from './format.js';
import { table } from './table.js';
import { VERBS } from './verbs.js';

export interface HistoryCardModel {
  page: HistoryPage;
  scopeChoices: Array<{ title: string; value: string }>;
  filter: { scope: string; from: string; to: string };
  /** Force names by id, for the forces the page mentions (a force missing here shows its id, which people should not have to read). */
  forceNames?: Record<string, string>;
  notice?: string;
}

const yes = (b: boolean | null) => (b === null ? 'not recorded' : b ? 'yes' : 'no');
const STATUS_WORDS: Record<string, string> = { 'not-held': 'did not take place' };
/** A flag's plain title; a code this card does not know yet shows in words too, never as a code. */
const flagTitle = (code: string) => ((FLAG_CODES as readonly string[]).includes(code) ? FLAG_WORDS[code as FlagCode].title : code.toLowerCase().replaceAll('_', ' '));

const OUTCOME_WORDS = { apologies: 'nobody (apologies sent)', absent: 'nobody (no apologies)' } as const;
const SOURCE_WORDS = { chair: '', import: ', imported', 'teams-meeting': ', from the Teams meeting' } as const;
const CONFIRMATION_WORDS = { confirmed: ', confirmed by the force', disputed: ', disputed by the force', pending: ', awaiting the force', 'not-needed': '' } as const;

/** "Hampshire Constabulary: named Nadia Rahman; attended Gareth Owen (substitute), confirmed by the force" or "… nobody (apologies sent)". */
function police(f: HistoryForce, many: boolean, forceName: (id: string) => string): string {
  const people = f.attendees.map((a) => `${md(a.name)}${a.substitute ? ' (substitute)' : ''}`).join(', ') || 'someone';
  const attended = f.outcome === null ? 'not recorded' : f.outcome === 'attended' ? people : OUTCOME_WORDS[f.outcome];
  const provenance = f.source ? `${SOURCE_WORDS[f.source]}${CONFIRMATION_WORDS[f.forceConfirmation ?? 'not-needed']}` : '';
  return `${many ? `${md(forceName(f.forceId))}${f.invited ? ' (invited)' : ''}: ` : ''}named ${f.nominee === null ? 'nobody' : md(f.nominee)}; attended ${attended}${provenance}`;
}

function rows(page: HistoryPage, forceName: (id: string) => string): string[][] {
  return page.rows.map((r) => {
    const many = r.forces.length > 1;
    const status = [STATUS_WORDS[r.status] ?? r.status, r.extra ? 'extra' : '', r.moved ? 'moved' : ''].filter(Boolean).join(', ');
    return [
      DateTime.fromISO(r.start, { setZone: true }).toFormat('d LLL yyyy'),
      md(r.panelName),
      `${status}${r.flags.length ? `\n${[...new Set(r.flags.map(flagTitle))].join('; ')}` : ''}`,
      r.forces.map((f) => police(f, many, forceName)).join('\n'),
      r.forces.map((f) => `${many ? `${md(forceName(f.forceId))}: ` : ''}${r.status === 'held' ? yes(f.decisionMaker) : '-'}`).join('\n'),
    ];
  });
}

/** Filter inputs plus Apply, Newer and Older: each re-renders this card in place. */
function controls(m: HistoryCardModel): CardElement[] {
  const go = (title: string, direction: 'older' | 'newer', cursor: { start: string; id: string } | null) => ({
    type: 'Action.Execute', title, verb: VERBS.historyPage, data: { direction, ...(cursor ? { cursorStart: cursor.start, cursorId: cursor.id } : {}) },
  });
  return [
    { type: 'Input.ChoiceSet', id: 'filterScope', label: 'Force, area or panel', value: m.filter.scope || 'all', choices: m.scopeChoices },
    {
      type: 'ColumnSet',
      columns: [
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: 'filterFrom', label: 'From', value: m.filter.from }] },
        { type: 'Column', width: 'stretch', items: [{ type: 'Input.Date', id: 'filterTo', label: 'To (included)', value: m.filter.to }] },
      ],
    },
    {
      type: 'ActionSet',
      actions: [
        go('Apply', 'older', null),
        ...(m.page.newer ? [go('Newer', 'newer', m.page.newer)] : []),
        ...(m.page.older ? [go('Older', 'older', m.page.older)] : []),
      ],
    },
  ];
}

/** Who represented the police at each meeting, newest first, one page at a time. */
export function attendanceHistoryCard(m: HistoryCardModel): Record<string, unknown> {
  const forceName = (id: string) => m.forceNames?.[id] ?? id;
  const body: CardElement[] = [
    text(`Police attendance: ${md(m.page.scope.label)}`, { weight: 'Bolder', size: 'Medium' }),
    ...(m.notice ? [callout('attention', md(m.notice))] : []),
    m.page.rows.length
      // Each column at least as wide as its header's longest word (see every-card.test.ts): flags are words now, not codes.
      ? table(['Date', 'Panel', 'Status, flags', 'Police named and attending', 'Decision maker'], rows(m.page, forceName), [2, 3, 3, 5, 3])
      : text('No meetings in this range.', { isSubtle: true }),
    ...controls(m),
  ];
  return card(body);
}
