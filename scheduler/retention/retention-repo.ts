// The store port retention deletes through. It imports nothing, so store.ts can name it on Repos without a loop.

/** A meeting retention removed. */
export interface PurgedMeeting {
  id: string;
  panelId: string;
}

/** How many rows of each kind hung off the meetings removed. */
export interface MeetingRowCounts {
  nominations: number;
  attendance: number;
  meetingRecords: number;
  cancellations: number;
  apologies: number;
  invitations: number;
  /** Messages about those meetings, whatever their status: none of them can be sent once the meeting is gone. */
  outbox: number;
}

/** Set-based deletes for retention, batched so a backlog of years stays under every parameter limit. */
export interface RetentionRepo {
  /** The meetings that ended before the instant, by id. */
  endedBefore(cutoff: string): Promise<string[]>;
  /** Deletes these meetings and every row about them; only those actually deleted are returned (another purge may have been first). */
  deleteMeetings(ids: string[]): Promise<{ meetings: PurgedMeeting[]; rows: MeetingRowCounts }>;
  /** Audit entries about these meetings whose details still stand, other than entries of the given actions. */
  meetingEntries(meetingIds: string[], exceptActions: readonly string[]): Promise<number[]>;
  /** Audit entries written before the instant about a meeting no longer stored (unplanned) whose details still stand. */
  orphanedEntries(before: string, exceptActions: readonly string[]): Promise<number[]>;
  /**
   * Deletes messages sent, failed or skipped before the instant (by when they finished, else when queued) that are about
   * no stored meeting (digests and checkpoints, whose meeting id is empty, or a meeting since unplanned). A stored
   * meeting's messages stay until the meeting goes (`deleteMeetings`); pending ones always stay.
   */
  deleteFinishedMessages(before: string): Promise<number>;
  /** Forgets the Teams ids (and personal chats) of people last seen before the instant who hold no role and are named for no meeting since. */
  deletePeopleWithoutRoles(before: string): Promise<number>;
  /** Deletes calendar links neither issued nor used since the instant. */
  deleteIdleFeedTokens(before: string): Promise<number>;
}
