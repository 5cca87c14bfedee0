import { lastIncludedDay } from '../../domain/date-range.js';
import { localDate } from '../../domain/timetable.js';
import type { Review } from '../review.js';
import type { DocumentInput, ReviewDocument } from './blocks.js';
import { cancellationsSection, chartSection, headlineSection, panelsSection } from './figures-sections.js';
import { absencesSection, actionsSection, auditSection, countingSection, flagsSection } from './records-sections.js';
import { dateWords, instantWords } from './words.js';

export const DOCUMENT_TITLE = 'Recommendation 7 attendance review';

/** "1 January 2026 to 30 June 2026": the review's period, both days included. */
export const periodWords = (r: Review): string => `${dateWords(localDate(r.from))} to ${dateWords(lastIncludedDay(r.to, r.now))}`;

/** What a reader needs to know before page two: whose review, which period, when and by whom it was made, its marking. */
function cover(input: DocumentInput): ReviewDocument['cover'] {
  const r = input.review;
  const asAt = r.now === input.producedAt ? [] : [['Figures as recorded at', instantWords(r.now)] as [string, string]];
  return {
    lines: [DOCUMENT_TITLE, 'Police representation at Channel panels (HMICFRS 2020, recommendation 7)'],
    facts: [
      ['Force or scope', r.scope.label],
      ['Period', periodWords(r)],
      ...asAt,
      ['Produced', `${instantWords(input.producedAt)} (UK time)`],
      ['Produced by', input.producedBy],
      ['Protective marking', input.marking],
    ],
    note: 'This document holds panel, meeting and attendee facts only: never anything about a referred person.',
  };
}

/** The review document for a review, its audit head and the previous sign-off's actions: pure, so every format says the same. */
export function documentModel(input: DocumentInput): ReviewDocument {
  const forceName = (id: string) => input.forceNames[id] ?? id;
  const r = input.review;
  return {
    marking: input.marking,
    title: `${DOCUMENT_TITLE}: ${r.scope.label}`,
    cover: cover(input),
    sections: [
      { ...headlineSection(r), newPage: true },
      chartSection(r),
      { ...panelsSection(r, forceName), newPage: true, landscape: true },
      { ...flagsSection(r, forceName), newPage: true },
      absencesSection(r, forceName),
      cancellationsSection(r, forceName),
      actionsSection(input.previousActions, r, forceName, input.panelNames ?? {}),
      { ...countingSection(), newPage: true },
      auditSection(input.audit),
    ],
  };
}
