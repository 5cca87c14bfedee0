import type { Signoff, SignoffScope } from './signoff-types.js';

/** Recorded review sign-offs and their actions (tables review_signoffs and review_actions). */
export interface SignoffRepo {
  /**
   * Stores a sign-off, its actions and its audit entry ('review.signed-off') in one transaction: the caller's, or
   * one of its own. `submissionId` is the card press's own id: a sign-off already stored under it is a repeat.
   */
  record(signoff: Signoff, submissionId?: string | null): Promise<void>;
  /** Every sign-off, or one scope's, newest first (by when signed). */
  list(scope?: SignoffScope): Promise<Signoff[]>;
  get(id: string): Promise<Signoff | null>;
  /** The sign-off a card press recorded, if it was. */
  bySubmission(submissionId: string): Promise<Signoff | null>;
  /**
   * The previous review's sign-off for a review of [from, to] (local dates): the most recently signed one of the
   * same scope whose period does not start on `from` (a sign-off starting then is this review's own) and, when `to`
   * is given, starts on or before it (a review of an earlier period never shows a later review's actions).
   */
  latestBefore(scope: SignoffScope, from: string, to?: string): Promise<Signoff | null>;
  /** Marks an action done and appends its audit entry ('review.action-done'); false when unknown or done already. */
  markDone(actionId: string, by: { aadObjectId: string; name: string }, at: string): Promise<boolean>;
  /**
   * Retention: deletes the sign-offs signed before the instant, with their actions, and returns how many. The purge
   * erases their audit entries' details at the same cutoff, and verify then expects their rows gone.
   */
  deleteSignedBefore(before: string): Promise<number>;
}
