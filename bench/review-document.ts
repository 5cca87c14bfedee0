// The review document (issue 19) over the review bench's national history: 400 panels x 10 years (48,000 meetings),
// timed beside the JSON review of the same scope and period in the same run. Target: within 3x of the JSON review.
import { performance } from 'node:perf_hooks';
import { verifyAuditLog } from '../scheduler/audit/verify.js';
import { makeReviewDocument, type DocumentFormat } from '../scheduler/review/document/produce.js';
import { reviewJson } from '../scheduler/review/review-outputs.js';
import { loadReview, OPERATOR } from '../scheduler/review/review-query.js';
import { freshStore, TEST_AUDIT_KEY, type StoreKind, type TestStore } from '../test/support/stores.js';
import { median, NOW, seed } from './review.js';

/** Audit entries written per meeting: about what planning, naming and recording one leaves in a real log. */
const ENTRIES_PER_MEETING = 3;

/**
 * An audit log as long as the history would have made, chained with the test key: the document verifies the whole
 * log every time it is made, so its length is part of the cost. (The bulk-inserted rows have no entries of their own,
 * so the verification reports them; the walk, the keyed hashes and the replay are what is timed.)
 */
async function seedAudit(t: TestStore, meetings: number): Promise<number> {
  const total = meetings * ENTRIES_PER_MEETING;
  for (let i = 0; i < total; i += 5_000) {
    const n = Math.min(5_000, total - i);
    await t.store.audit.append(Array.from({ length: n }, (_, j) => ({ at: NOW, actor: 'system', action: 'bench.entry', subject: { n: String(i + j) }, details: { n: i + j } })));
  }
  return total;
}

async function documentBenchOn(kind: StoreKind): Promise<void> {
  const t = await freshStore(kind);
  try {
    const meetings = await seed(t);
    const entries = await seedAudit(t, meetings);
    const json = async () => {
      const r = await loadReview(t.store, OPERATOR, {}, NOW);
      if (!r.ok) throw new Error(r.error.message);
      return JSON.stringify(reviewJson(r.value.review));
    };
    const deps = { store: t.store, auditKey: TEST_AUDIT_KEY, marking: 'OFFICIAL-SENSITIVE' };
    const document = (format: DocumentFormat) => async () => {
      const r = await makeReviewDocument(deps, OPERATOR, {}, format, NOW);
      if (!r.ok) throw new Error(r.error.message);
      return r.value.bytes.length;
    };
    const t0 = performance.now();
    const bytes = await document('pdf')();
    const first = performance.now() - t0;
    const [jsonMs, pdfMs, docxMs] = [await median(5, json), await median(3, document('pdf')), await median(3, document('docx'))];
    const verifyMs = await median(3, () => verifyAuditLog(t.store, TEST_AUDIT_KEY));
    const line = (name: string, ms: number) => `  ${name.padEnd(44)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / jsonMs).toFixed(2).padStart(5)}x the JSON review`;
    console.log(`${kind}: ${meetings} meetings, ${entries} audit entries; the PDF is ${(bytes / 1024).toFixed(0)} KB`);
    console.log(line('national JSON review, last 12 months', jsonMs));
    console.log(line('national document, PDF (target within 3x)', pdfMs));
    console.log(line('national document, Word (target within 3x)', docxMs));
    console.log(line('  of which verifying the whole audit log', verifyMs));
    // A difference of two medians taken apart, so only a rough figure: it is not measured on its own.
    console.log(line('  the PDF less that (PDF median - verify median)', pdfMs - verifyMs));
    console.log(line('first PDF of the process (loads vega, pdfkit)', first));
  } finally {
    await t.dispose();
  }
}

/** Prints the national document's time beside the JSON review's, on SQLite and PostgreSQL. */
export async function documentBench(): Promise<void> {
  console.log('review document: 400 panels x 10 years, 45 forces; medians of 5 (JSON) and 3 (documents), after one unmeasured run');
  await documentBenchOn('sqlite');
  await documentBenchOn('postgres');
}
