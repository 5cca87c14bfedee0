import { FLAG_WORDS } from '../../domain/flag-words.js';
import { FLAG_CODES, type Flag } from '../../domain/flags.js';
import { groupBy } from '../../domain/group.js';
import type { Review } from '../review.js';
import { absences } from '../review-outputs.js';
import type { ActionState } from '../signoff-types.js';
import type { AuditAtMaking, Block, PreviousActions, Section } from './blocks.js';
import { COUNTING_INTRO, FIGURE_DEFINITIONS, runsOf } from './definitions.js';
import { para, plain } from './figures-sections.js';
import { localDate } from '../../domain/timetable.js';
import { count, dateWords, dayWords, flagFacts, instantWords, monthWords } from './words.js';

// The review's records as sections: flags by panel, absences, the previous sign-off's actions, how figures are
// counted, and the audit chain's head. Nothing here is about a referred person: flags, panels, forces, meetings.

/** Each panel's flags, by kind in the domain's order: the title, why it matters, then each occurrence's facts. */
export function flagsSection(r: Review, forceName: (id: string) => string): Section {
  if (!r.flags.length) return { title: 'Flags', blocks: [para('No flags in this period.')] };
  const panelNames = new Map(r.panels.map((p) => [p.panelId, p.panelName]));
  const byPanel = [...groupBy(r.flags, (f) => f.panelId)].sort(([a], [b]) => (panelNames.get(a) ?? a).localeCompare(panelNames.get(b) ?? b));
  const kinds = (flags: Flag[]): Block[] =>
    FLAG_CODES.flatMap((code) => {
      const these = flags.filter((f) => f.code === code);
      if (!these.length) return [];
      return [
        { kind: 'paragraph', runs: [{ text: FLAG_WORDS[code].title, bold: true }, ...(these.length > 1 ? plain(` (${count(these.length)})`) : [])] },
        para(FLAG_WORDS[code].why, 'subtle'),
        { kind: 'bullets', items: these.map((f) => plain(flagFacts(f, forceName))) },
      ] satisfies Block[];
    });
  return {
    title: 'Flags',
    blocks: [
      para(`${count(r.flags.length)} ${r.flags.length === 1 ? 'flag' : 'flags'} in this period, grouped by panel, each with the facts behind it.`, 'subtle'),
      ...byPanel.flatMap(([panelId, flags]) => [{ kind: 'heading', text: panelNames.get(panelId) ?? panelId } as Block, ...kinds(flags)]),
    ],
  };
}

/** Held meetings a force in scope did not attend, oldest first. */
export function absencesSection(r: Review, forceName: (id: string) => string): Section {
  const away = absences(r);
  const panelNames = new Map(r.panels.map((p) => [p.panelId, p.panelName]));
  const title = 'Held meetings a force was absent from';
  if (!away.length) return { title, blocks: [para('No force in this scope was absent from a meeting that was held.')] };
  return {
    title,
    blocks: [{
      kind: 'table',
      columns: [{ title: 'Date', weight: 2 }, { title: 'Panel', weight: 3 }, { title: 'Force', weight: 3 }, { title: 'Apologies sent', weight: 1.2 }],
      rows: away.map((a) => [dayWords(a.date), panelNames.get(a.panelId) ?? a.panelId, forceName(a.forceId), a.apologies ? 'yes' : 'no']),
    }],
  };
}

const STATE_WORDS: Record<ActionState, string> = { done: 'Done', open: 'Open', overdue: 'Overdue', accepted: 'Accepted, no action' };

/** The actions agreed at the last sign-off of this scope and where each stands today. */
export function actionsSection(prev: PreviousActions, r: Review, forceName: (id: string) => string, allPanels: Record<string, string> = {}): Section {
  const title = 'Actions agreed at the last review';
  if (!prev) return { title, blocks: [para('No previous sign-off recorded.')] };
  const { signoff: s, actions } = prev;
  const panelNames = new Map([...Object.entries(allPanels), ...r.panels.map((p) => [p.panelId, p.panelName] as [string, string])]);
  const state = (a: (typeof actions)[number]) =>
    a.state === 'done' && a.doneAt ? `Done (${[dateWords(localDate(a.doneAt)), a.doneBy].filter(Boolean).join(', by ')})` : STATE_WORDS[a.state];
  return {
    title,
    blocks: [
      { kind: 'facts', rows: [['Period reviewed', `${dateWords(s.from)} to ${dateWords(s.to)}`], ['Signed off by', s.signedBy.name], ['Signed off', instantWords(s.signedAt)], ['Conclusion', s.conclusion]] },
      actions.length
        ? {
          kind: 'table',
          columns: [{ title: 'Flag', weight: 2.2 }, { title: 'Panel and force', weight: 2.4 }, { title: 'Action', weight: 3 }, { title: 'Owner', weight: 1.6 }, { title: 'Due', weight: 1.5 }, { title: 'State', weight: 1.4 }],
          rows: actions.map((a) => [
            a.month ? `${a.flagTitle}, ${monthWords(a.month)}` : a.flagTitle, [panelNames.get(a.panelId) ?? a.panelId, a.forceId ? forceName(a.forceId) : ''].filter(Boolean).join(', '),
            a.accepted ? 'Accepted, no action' : (a.what ?? ''), a.owner ?? '', a.due ? dateWords(a.due) : '', state(a),
          ]),
        }
        : para('No actions were recorded at that sign-off.'),
    ],
  };
}

/** The words of the README's "How each figure and flag is counted", from their one source, and each flag's meaning. */
export function countingSection(): Section {
  return {
    title: 'How each figure is counted',
    blocks: [
      { kind: 'paragraph', runs: runsOf(COUNTING_INTRO) },
      { kind: 'bullets', items: FIGURE_DEFINITIONS.map(runsOf) },
      { kind: 'heading', text: 'What each flag means' },
      { kind: 'bullets', items: FLAG_CODES.map((c) => [{ text: FLAG_WORDS[c].title, bold: true }, { text: `: ${FLAG_WORDS[c].why}`, bold: false }]) },
    ],
  };
}

/** The audit chain's head when the document was made, and what verifying the whole log found. */
export function auditSection(a: AuditAtMaking): Section {
  return {
    title: 'Audit log',
    blocks: [
      para('Every change to the records behind these figures is an entry in a keyed, hash-chained audit log. When this document was made, the whole log was verified:'),
      // The result only: what a failed check found names rows of every force, which this document's reader may not see.
      { kind: 'facts', rows: [['Result', a.ok ? 'intact: every entry and every record matches' : `FAILED: ${a.problems} problem${a.problems === 1 ? '' : 's'} found. A national lead or an inspector sees them by typing audit in Teams, an operator by running panel-bot audit verify.`], ['Head entry', String(a.head.seq)]] },
      para('Head hash:', 'subtle'),
      para(a.head.hash, 'mono'),
      para('To check later that the log still holds this entry (and was not rewritten up to it), run:', 'subtle'),
      para(`panel-bot audit verify --head ${a.head.seq}:${a.head.hash}`, 'mono'),
    ],
  };
}
