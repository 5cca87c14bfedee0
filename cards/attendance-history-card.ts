import { DateTime } from 'luxon';
import type { HistoryForce, HistoryPage } from '../scheduler/meetings/attendance-history.js';
import { card, md, text, type CardElement } from './format.js';
import { table } from './table.js';
import { VERBS } from './verbs.js';

export interface HistoryCardModel {
  page: HistoryPage;
  scopeChoices: Array<{ title: string; value: string }>;
  filter: { scope: string; from: string; to: string };
  notice?: string;
}

const yes = (b: boolean | null) => (b === null ? '?' : b ? 'yes' : 'no');

const OUTCOME_WORDS = { apologies: 'nobody (apologies sent)', absent: 'nobody (no apologies)' } as const;
const SOURCE_WORDS = { chair: '', import: ', imported', 'teams-meeting': ', from the Teams meeting' } as const;
const CONFIRMATION_WORDS = { confirmed: ', confirmed by the force', disputed: ', disputed by the force', pending: ', awaiting the force', 'not-needed': '' } as const;

/** "hampshire: named Nadia Rahman; attended Gareth Owen (substitute), confirmed by the force" or "… nobody (apologies sent)". */
function police(f: HistoryForce, many: boolean): string {
  const people = f.attendees.map((a) => `${md(a.name)}${a.substitute ? ' (substitute)' : ''}`).join(', ') || 'someone';
  const attended = f.outcome === null ? 'not recorded' : f.outcome === 'attended' ? people : OUTCOME_WORDS[f.outcome];
  const provenance = f.source ? `${SOURCE_WORDS[f.source]}${CONFIRMATION_WORDS[f.forceConfirmation ?? 'not-needed']}` : '';
  return `${many ? `${f.forceId}${f.invited ? ' (invited)' : ''}: ` : ''}named ${f.nominee === null ? 'nobody' : md(f.nominee)}; attended ${attended}${provenance}`;
}

function rows(page: HistoryPage): string[][] {
  return page.rows.map((r) => {
    const many = r.forces.length > 1;
    const status = [r.status, r.extra ? 'extra' : '', r.moved ? 'moved' : ''].filter(Boolean).join(', ');
    return [
      DateTime.fromISO(r.start, { setZone: true }).toFormat('d LLL yyyy'),
      md(r.panelName),
      `${status}${r.flags.length ? `\n${r.flags.join(', ')}` : ''}`,
      r.forces.map((f) => police(f, many)).join('\n'),
      r.forces.map((f) => `${many ? `${f.forceId}: ` : ''}${r.status === 'held' ? yes(f.decisionMaker) : '-'}`).join('\n'),
    ];
  });
}

/** Filter inputs plus Apply, Newer and Older: each re-renders this card in place. */
function controls(m: HistoryCardModel): CardElement[] {
  const go = (title: string, direction: 'older' | 'newer', cursor: { start: string; id: string } | null) => ({
    type: 'Action.Execute', title, verb: VERBS.historyPage, data: { direction, ...(cursor ? { cursorStart: cursor.start, cursorId: cursor.id } : {}) },
  });
  return [
    { type: 'Input.ChoiceSet', id: 'filterScope', label: 'Force or panel', value: m.filter.scope || 'all', choices: m.scopeChoices },
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
  const body: CardElement[] = [
    text(`Police attendance: ${md(m.page.scope.label)}`, { weight: 'Bolder', size: 'Medium' }),
    ...(m.notice ? [text(md(m.notice), { color: 'Attention' })] : []),
    m.page.rows.length
      ? table(['Date', 'Panel', 'Status, flags', 'Police named and attending', 'Decision maker'], rows(m.page), [2, 3, 2, 4, 2])
      : text('No meetings in this range.', { isSubtle: true }),
    ...controls(m),
  ];
  return card(body);
}
