import type { Review } from '../review.js';
import type { ActionWithState, Signoff } from '../signoff-types.js';
import type { Run } from './definitions.js';

/** Something on a page. Renderers (docx.ts, pdf.ts) know these kinds and nothing of the review. */
export type Block =
  | { kind: 'heading'; text: string }
  /** `lead`: the headline, larger; `subtle`: a note; `mono`: a hash or command, never wrapped inside a word. */
  | { kind: 'paragraph'; runs: Run[]; style?: 'lead' | 'subtle' | 'mono' }
  | { kind: 'facts'; rows: Array<[string, string]> }
  | { kind: 'table'; columns: Column[]; rows: string[][]; lastIsTotal?: boolean }
  | { kind: 'bullets'; items: Run[][] }
  /** The review's chart, drawn from the same vega-lite spec as the card's (chart.ts); its figures are in the next table. */
  | { kind: 'chart'; alt: string };

export interface Column {
  title: string;
  /** Share of the page's width, relative to the table's other columns. */
  weight: number;
  numeric?: boolean;
}

export interface Section {
  title: string;
  blocks: Block[];
  /** Starts on a page of its own (else it follows the previous section when there is room). */
  newPage?: boolean;
  /** Its pages lie landscape (a table too wide for portrait); the next section is portrait again. */
  landscape?: boolean;
}

/** The whole document, in words: what every renderer draws, page for page the same. */
export interface ReviewDocument {
  /** Stands in every page's header and footer. */
  marking: string;
  title: string;
  cover: { lines: string[]; facts: Array<[string, string]>; note: string };
  sections: Section[];
}

/** The audit chain's head and what verifying the whole log found when the document was made. */
export interface AuditAtMaking {
  head: { seq: number; hash: string };
  ok: boolean;
  /**
   * How many problems verifying found (0 when intact). Only the count: a problem's words name rows of every force,
   * which the document's reader may not see.
   */
  problems: number;
}

/** The previous sign-off of this scope and its actions with their state today; null when none is recorded. */
export type PreviousActions = { signoff: Signoff; actions: ActionWithState[] } | null;

export interface DocumentInput {
  review: Review;
  /** Force names by id (retired forces too): the document never shows an id. */
  forceNames: Record<string, string>;
  /** Panel names by id (retired panels too), for a previous action about a panel this period does not show; else the review's own. */
  panelNames?: Record<string, string>;
  marking: string;
  /** When the document was made (the review's figures are as recorded at `review.now`). */
  producedAt: string;
  /** Who asked for it, in words: a person's name, or "the command line operator". */
  producedBy: string;
  audit: AuditAtMaking;
  previousActions: PreviousActions;
}

