import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLAG_CODES, type Flag } from '../scheduler/domain/flags.js';
import type { Block, DocumentInput, ReviewDocument } from '../scheduler/review/document/blocks.js';
import { COUNTING_INTRO, FIGURE_DEFINITIONS, runsOf } from '../scheduler/review/document/definitions.js';
import { attachment, reportFileName } from '../scheduler/review/document/file-name.js';
import { documentModel } from '../scheduler/review/document/model.js';
import { flagFacts } from '../scheduler/review/document/words.js';
import { computeReview, type Review } from '../scheduler/review/review.js';
import type { ActionWithState } from '../scheduler/review/signoff-types.js';
import { flagMeetings, NOW, PANELS, PERIOD } from './support/review-fixture.js';

// The review document's model (issue 19), without a store: the words it is made of, where they come from, and what
// it never says. Rendering, and the figures against `review --format json`, are in review-document.db.test.ts.

const review: Review = computeReview({ scope: { forces: null, panels: null, label: 'all forces' }, panels: PANELS, meetings: flagMeetings(), ...PERIOD, now: NOW });
const HASH = 'ab'.repeat(32);
const input = (over: Partial<DocumentInput> = {}): DocumentInput => ({
  review, forceNames: { a: 'Force A Constabulary', b: 'Force B Police' }, marking: 'OFFICIAL-SENSITIVE', producedAt: NOW, producedBy: 'Alex Morgan',
  audit: { head: { seq: 42, hash: HASH }, ok: true, problems: 0 }, previousActions: null, ...over,
});

/** Every string a reader sees, in order. */
function wordsOf(doc: ReviewDocument): string[] {
  const block = (b: Block): string[] => {
    switch (b.kind) {
      case 'heading': return [b.text];
      case 'paragraph': return [b.runs.map((r) => r.text).join('')];
      case 'facts': return b.rows.map(([k, v]) => `${k} | ${v}`);
      case 'table': return [b.columns.map((c) => c.title).join(' | '), ...b.rows.map((r) => r.join(' | '))];
      case 'bullets': return b.items.map((i) => i.map((r) => r.text).join(''));
      case 'chart': return [b.alt];
    }
  };
  return [...doc.cover.lines, ...doc.cover.facts.map(([k, v]) => `${k} | ${v}`), doc.cover.note, ...doc.sections.flatMap((s) => [s.title, ...s.blocks.flatMap(block)])];
}

const sectionWords = (doc: ReviewDocument, title: string) => wordsOf({ ...doc, cover: { lines: [], facts: [], note: '' }, sections: doc.sections.filter((s) => s.title === title) }).filter(Boolean);

describe('the review document model', () => {
  it('puts the scope, period, when, by whom and the marking on its cover', () => {
    const doc = documentModel(input({ producedAt: '2026-06-01T09:30:00.000Z' }));
    expect(doc.cover.facts).toEqual([
      ['Force or scope', 'all forces'],
      ['Period', '1 January 2026 to 31 March 2026'],
      ['Figures as recorded at', '1 June 2026 at 10:00'],
      ['Produced', '1 June 2026 at 10:30 (UK time)'],
      ['Produced by', 'Alex Morgan'],
      ['Protective marking', 'OFFICIAL-SENSITIVE'],
    ]);
    expect(doc.marking).toBe('OFFICIAL-SENSITIVE');
    // Made at the instant the figures were read: one line fewer.
    expect(documentModel(input()).cover.facts.map(([k]) => k)).not.toContain('Figures as recorded at');
  });

  it('has every part the issue lists, in order, the per-panel table on landscape pages', () => {
    const doc = documentModel(input());
    expect(doc.sections.map((s) => s.title)).toEqual([
      'Headline figures', 'Meetings month by month', 'Per panel and force', 'Flags', 'Held meetings a force was absent from', 'Cancellations by reason',
      'Actions agreed at the last review', 'How each figure is counted', 'Audit log',
    ]);
    expect(doc.sections.filter((s) => s.landscape).map((s) => s.title)).toEqual(['Per panel and force']);
    expect(doc.sections[1]!.blocks[0]).toMatchObject({ kind: 'chart', alt: expect.stringMatching(/^Meetings per month, stacked by outcome: Jan 2026: /) });
  });

  it('says "No previous sign-off recorded." without one, and lists the previous actions with their state with one', () => {
    expect(sectionWords(documentModel(input()), 'Actions agreed at the last review')).toEqual(['Actions agreed at the last review', 'No previous sign-off recorded.']);
    const action = (over: Partial<ActionWithState>): ActionWithState => ({
      id: 's.0', answer: 0, flagCode: 'POLICE_ABSENT', panelId: 'p2', forceId: 'a', meetingId: 'p2-feb', month: null, flagTitle: 'Police absent', accepted: false,
      what: 'Name a deputy for p2', owner: 'Prevent sergeant', due: '2026-02-28', doneAt: null, doneBy: null, state: 'open', ...over,
    });
    const previous = {
      signoff: { id: 's', scope: { kind: 'national' as const }, from: '2025-10-01', to: '2025-12-31', conclusion: 'Mostly met', signedBy: { aadObjectId: 'x', name: 'Alex Morgan' }, signedAt: '2026-01-05T12:00:00.000Z', actions: [] },
      actions: [
        action({ state: 'done', doneAt: '2026-02-10T10:00:00.000Z', doneBy: 'Lead A' }),
        action({ state: 'overdue', what: 'Confirm the substitute' }),
        action({ state: 'accepted', accepted: true, what: null, owner: null, due: null, flagCode: 'TIMETABLE_GAP', flagTitle: 'Month with no meeting planned', month: '2025-11', forceId: null }),
      ],
    };
    const text = sectionWords(documentModel(input({ previousActions: previous })), 'Actions agreed at the last review');
    expect(text).toEqual(expect.arrayContaining([
      'Period reviewed | 1 October 2025 to 31 December 2025', 'Signed off by | Alex Morgan', 'Conclusion | Mostly met',
      'Police absent | Panel p2, Force A Constabulary | Name a deputy for p2 | Prevent sergeant | 28 February 2026 | Done (10 February 2026, by Lead A)',
      'Police absent | Panel p2, Force A Constabulary | Confirm the substitute | Prevent sergeant | 28 February 2026 | Overdue',
      'Month with no meeting planned, November 2025 | Panel p2 | Accepted, no action |  |  | Accepted, no action',
    ]));
  });

  it('prints the audit head and the result of verifying it, or that it failed and how often, never the rows it names', () => {
    const ok = sectionWords(documentModel(input()), 'Audit log');
    expect(ok).toEqual(expect.arrayContaining(['Result | intact: every entry and every record matches', 'Head entry | 42', HASH, `panel-bot audit verify --head 42:${HASH}`]));
    const broken = sectionWords(documentModel(input({ audit: { head: { seq: 7, hash: HASH }, ok: false, problems: 2 } })), 'Audit log');
    expect(broken).toEqual(expect.arrayContaining([
      'Result | FAILED: 2 problems found. A national lead or an inspector sees them by typing audit in Teams, an operator by running panel-bot audit verify.',
    ]));
    expect(broken.join('\n')).not.toContain('the table says');
  });

  it('writes names and dates in words: no flag code, ISO date or force id a reader would have to decode', () => {
    const text = wordsOf(documentModel(input())).filter((w) => !w.includes(HASH)).join('\n');
    expect(text).not.toMatch(/\b\d{4}-\d{2}(-\d{2})?\b/);
    for (const code of FLAG_CODES) expect(text).not.toContain(code);
    expect(text).toContain('Force B Police');
    expect(text).not.toMatch(/\bfor b\b/);
  });
});

describe("a flag's facts in plain words", () => {
  const name = (id: string) => ({ hampshire: 'Hampshire and Isle of Wight Constabulary', met: 'Metropolitan Police Service' })[id] ?? id;
  it.each<[Flag, string]>([
    [{ code: 'POLICE_ABSENT', panelId: 'p', forceId: 'hampshire', meetingId: 'm', apologies: true, facts: '2026-07-06: no police representative for hampshire (apologies sent)' },
      'Mon 6 July 2026: no police representative for Hampshire and Isle of Wight Constabulary (apologies sent)'],
    [{ code: 'NO_NOMINATION', panelId: 'p', forceId: 'met', meetingId: 'm', facts: '2026-08-03: met had named nobody by 2026-07-30' },
      'Mon 3 August 2026: Metropolitan Police Service had named nobody by Thu 30 July 2026'],
    [{ code: 'CANCELLED', panelId: 'p', month: '2026-02', facts: '2026-02: the meeting was cancelled' }, 'February 2026: the meeting was cancelled'],
    // A month's flag has no force: a word that happens to be a force id stays a word.
    [{ code: 'ATTENDANCE_UNRECORDED', panelId: 'p', month: '2026-09', facts: '2026-09: a meeting ended and nothing was recorded, so the month is not shown as met' },
      'September 2026: a meeting ended and nothing was recorded, so the month is not shown as met'],
  ])('%#: %j', (flag, words) => {
    expect(flagFacts(flag, name)).toBe(words);
  });
});

describe('export file names', () => {
  const r = (over: Partial<Review['scope']>): Review => ({ ...review, scope: { ...review.scope, ...over } });
  it('lead with the marking, then the scope and the period, ASCII only', () => {
    expect(reportFileName('OFFICIAL-SENSITIVE', review, { forceId: 'cambs' }, 'csv')).toBe('OFFICIAL-SENSITIVE review cambs 2026-01-01 to 2026-03-31.csv');
    expect(reportFileName('OFFICIAL-SENSITIVE', review, {}, 'pdf')).toBe('OFFICIAL-SENSITIVE review all forces 2026-01-01 to 2026-03-31.pdf');
    expect(reportFileName('OFFICIAL', review, { panelId: 'southampton' }, 'docx')).toBe('OFFICIAL review southampton 2026-01-01 to 2026-03-31.docx');
    expect(reportFileName('OFFICIAL', r({ forces: ['cambs', 'leics'], panels: ['p1'] }), {}, 'csv')).toBe('OFFICIAL review cambs leics 2026-01-01 to 2026-03-31.csv');
    const odd = reportFileName('OFFICIAL: SENSITIVE', r({ forces: ['ça"va/../x'], panels: [] }), {}, 'csv');
    expect(odd).toBe('OFFICIAL- SENSITIVE review -a-va-..-x 2026-01-01 to 2026-03-31.csv');
    expect(odd).toMatch(/^[ -~]+$/);
    expect(attachment(odd)).toBe(`attachment; filename="${odd}"`);
  });
});

describe('how each figure is counted: one source of the words', () => {
  // The README quotes scheduler/review/document/definitions.ts; the document prints the module.
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('### How each figure and flag is counted'), readme.indexOf('Flags, **one per problem**'));
  const flat = (s: string) => s.replace(/\s+/g, ' ').trim();

  it('has the README say, word for word, what the document prints', () => {
    expect(section.length).toBeGreaterThan(100);
    expect(flat(section)).toContain(flat(COUNTING_INTRO));
    for (const d of FIGURE_DEFINITIONS) expect(flat(section)).toContain(`- ${flat(d)}`);
    const bullets = section.split('\n').filter((l) => l.startsWith('- '));
    expect(bullets).toHaveLength(FIGURE_DEFINITIONS.length);
  });

  it('prints them with their bold words bold and their code marks gone', () => {
    expect(runsOf('**Due**: planned; `schedule` too')).toEqual([{ text: 'Due', bold: true }, { text: ': planned; schedule too', bold: false }]);
    const page = documentModel(input()).sections.find((s) => s.title === 'How each figure is counted')!;
    expect(page.blocks[1]).toEqual({ kind: 'bullets', items: FIGURE_DEFINITIONS.map(runsOf) });
  });
});
