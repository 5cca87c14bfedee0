import type { NewAuditEntry } from '../domain/audit-chain.js';
import type { FlagFacts, FlagMeeting } from '../domain/flags.js';
import type { RetentionRepo } from '../retention/retention-repo.js';
import type { MeetingPresenceRepo } from '../meetings/meeting-presence-repo.js';
import type { SignoffRepo } from '../review/signoff-repo.js';
import type { Signoff } from '../review/signoff-types.js';
import type { Apology, Attendance, AuditEntry, Invitation, MeetingRecord, CancelReason, Conversation, Force, LinkScope, Meeting, MeetingStatus, Nomination, OutboxMessage, Panel, Person } from '../domain/types.js';

/** Which meetings to read; every field narrows. Instants are ISO UTC; `to` is exclusive. */
export interface MeetingFilter {
  panelIds?: string[];
  forceId?: string;
  from?: string;
  to?: string;
  statuses?: MeetingStatus[];
}

/** A read-only role: an HMICFRS inspector reads every force (scope ''); a PCC's office, or a regional unit, one force. */
export type ReaderRole = 'inspector' | 'pcc-office' | 'region';

/** One read-only role one person holds: a region's people hold one for each of its forces. */
export interface Reader {
  role: ReaderRole;
  scopeId: string;
  person: Person;
}

/** One role a person holds, and where (a force, panel or area id; '' for a national lead). */
export interface RoleOf {
  role: 'national-lead' | 'prevent-lead' | 'deputy' | 'chair' | 'area-lead' | 'area-deputy' | ReaderRole;
  scopeId: string;
  tenantId: string | null;
}

/** Forces, panels and the people who hold roles on them, as loaded from the config file. */
export interface DirectoryRepo {
  listForces(opts?: { includeRetired?: boolean }): Promise<Force[]>;
  listPanels(opts?: { includeRetired?: boolean }): Promise<Panel[]>;
  getForce(id: string): Promise<Force | null>;
  getPanel(id: string): Promise<Panel | null>;
  listNationalLeads(): Promise<Person[]>;
  /** Every role one person holds, with the force, panel or area (`<force id>/<area id>`) it is for ('' for national). */
  rolesOf(aadObjectId: string): Promise<RoleOf[]>;
  /** Every read-only role, by role, scope and the file's order. */
  listReaders(): Promise<Reader[]>;
  saveForce(force: Force, at: string): Promise<void>;
  savePanel(panel: Panel, at: string): Promise<void>;
  setNationalLeads(people: Person[]): Promise<void>;
  /** Replaces every read-only role with these (the same role, scope and person twice is kept once). */
  setReaders(readers: Reader[]): Promise<void>;
}

/** The directory's reads. */
export type DirectoryReads = Pick<DirectoryRepo, 'listForces' | 'listPanels' | 'getForce' | 'getPanel' | 'listNationalLeads' | 'rolesOf' | 'listReaders'>;

export interface MeetingRepo {
  list(filter?: MeetingFilter): Promise<Meeting[]>;
  get(id: string): Promise<Meeting | null>;
  insertMany(meetings: Meeting[], at: string): Promise<void>;
  /** Reads a meeting and, on PostgreSQL, locks its row until the transaction ends (use inside one). */
  getForUpdate(id: string): Promise<Meeting | null>;
  update(meeting: Meeting, at: string): Promise<void>;
  deleteMany(ids: string[]): Promise<void>;
  /** Marks meetings as acted on, so re-planning leaves them alone. */
  markLocked(ids: string[], at: string): Promise<void>;
  /** The planner's writes: they apply only while nobody has acted on the meeting, whatever happened since it was read. */
  replanIfPlain(meeting: Meeting, expectedVersion: number, at: string): Promise<boolean>;
  deleteIfPlain(ids: string[]): Promise<string[]>;
}

export interface AuditRepo {
  /**
   * Appends entries. In a transaction on PostgreSQL they are queued (with a MAC under the key) and chained just after
   * the commit, so appenders on several instances never wait for one another; elsewhere they are chained at once.
   * Refuses to queue or chain onto a tail the key does not verify (checked once per store on PostgreSQL).
   */
  append(entries: NewAuditEntry[]): Promise<void>;
  /**
   * Chains entries now, after every entry waiting, and returns them as chained; within a transaction this holds the
   * chain's lock to the commit, so a use case appends last. For the rare writes that need their entry's seq.
   */
  appendNow(entries: NewAuditEntry[]): Promise<AuditEntry[]>;
  /** Chains every entry waiting (PostgreSQL; nothing to do on SQLite). Reads and erasures below do this first in a transaction. `queued`: the caller knows something is, so the look first is skipped. */
  settle(queued?: boolean): Promise<void>;
  /** Entries queued and not chained yet, in the order they will be, each with whether the chainer will accept it (its MAC verifies, its nonce is new); `entry` is null when the key did not write it. */
  waiting(): Promise<Array<{ id: number; entry: NewAuditEntry | null; accepted: boolean }>>;
  /** Entries in sequence order, `limit` at a time after `afterSeq`; erased details read as null. */
  page(afterSeq: number, limit: number): Promise<AuditEntry[]>;
  /** The last entry's sequence number and hash; seq 0 and the genesis hash when the log is empty. */
  head(): Promise<{ seq: number; hash: string }>;
  /** Entries whose details still stand: about these meetings, or (`before`) written before an instant and about no meeting. */
  erasable(q: { meetingIds: string[] } | { before: string; exceptActions: string[] }): Promise<number[]>;
  /** Erases these entries' details (the chain keeps their hashes); returns the ones that still had details. */
  erase(seqs: number[]): Promise<number[]>;
  /** Every row the audit log describes, withdrawn attendance included: what verify replays the chain against. */
  stateRows(): Promise<StateRows>;
}

/** The state tables as verify reads them. */
export interface StateRows {
  meetings: Array<{ id: string; status: MeetingStatus; start: string; end: string; extra: boolean }>;
  nominations: Nomination[];
  attendance: Array<Attendance & { withdrawnAt: string | null }>;
  meetingRecords: MeetingRecord[];
  cancellations: Cancellation[];
  apologies: Apology[];
  invitations: Invitation[];
  /** Review sign-offs with their actions (kysely-signoff-repo.ts adds them). */
  signoffs?: Signoff[];
}

/** Where the bot lives in Teams, what each force and panel is linked to, and the Teams ids of people seen. */
export interface TeamsRepo {
  saveConversation(c: Conversation, at: string): Promise<void>;
  removeConversation(id: string, at: string, teamId?: string | null): Promise<void>;
  /** The conversation, unless the bot was removed from it. */
  getConversation(id: string): Promise<Conversation | null>;
  personalConversation(aadObjectId: string): Promise<Conversation | null>;
  /** personalConversation for several people in one read, keyed by the ids as given; those without one are absent. */
  personalConversations(aadObjectIds: string[]): Promise<Map<string, Conversation>>;
  link(scope: LinkScope, scopeId: string, conversationId: string, by: string, at: string): Promise<void>;
  linkedConversation(scope: LinkScope, scopeId: string): Promise<string | null>;
  rememberPerson(aadObjectId: string, teamsUserId: string, name: string, at: string): Promise<void>;
  teamsUserIds(aadObjectIds: string[]): Promise<Map<string, string>>;
}

export interface NominationRepo {
  get(meetingId: string, forceId: string): Promise<Nomination | null>;
  listForMeetings(meetingIds: string[]): Promise<Nomination[]>;
  /** Upserts the nomination; with `lockMeetingAt`, also marks its meeting locked (re-planning leaves it alone), in the same statement where the database allows. */
  save(n: Nomination, opts?: { lockMeetingAt: string }): Promise<void>;
  /** The force's latest distinct nominees before an instant, newest first. */
  recentPeople(forceId: string, before: string, limit: number): Promise<Person[]>;
}

/**
 * What one meeting's card for one force is built from, read together: on either database one statement, so a card
 * costs one round trip on PostgreSQL where it cost seven reads in four steps.
 */
export interface CardRecords {
  meeting: Meeting;
  /** An invitation of the force to this meeting alone is on record (made when the force did not face the panel). */
  invited: boolean;
  nomination: Nomination | null;
  /** The force's apologies for this meeting (one per force: sending again replaces them). */
  apology: Apology | null;
  /** Why the meeting was cancelled; null unless it is. */
  cancellation: Cancellation | null;
  /**
   * The panel's last three meetings before this one that asked the force (when the force does not face the panel,
   * only those it was invited to), newest first, each with the force's nomination and its live attendance record.
   */
  recent: Array<{ meeting: Meeting; nomination: Nomination | null; attendance: Attendance | null }>;
  /** The force's latest distinct nominees before the meeting, newest first, at most `people` (as recentPeople). */
  recentPeople: Person[];
}

/** A card's reads in one. */
export interface CardRepo {
  /** Null when the meeting does not exist; whether the force is asked to it is the caller's to decide (with `invited`). */
  read(meetingId: string, forceId: string, people: number): Promise<CardRecords | null>;
}

export interface OutboxRepo {
  /** Inserts messages whose id is new; returns the ids actually added. */
  enqueue(messages: OutboxMessage[]): Promise<string[]>;
  /** Leases up to `limit` due messages to the caller until `leaseUntil`; no two callers get the same one. */
  claimDue(now: string, leaseUntil: string, limit: number, owner: string): Promise<OutboxMessage[]>;
  /** Extends the caller's lease just before it sends; false when the lease ran out and another sender may have it. */
  renewLease(id: string, owner: string, now: string, leaseUntil: string): Promise<boolean>;
  get(id: string): Promise<OutboxMessage | null>;
  markSent(id: string, activityId: string | null, at: string): Promise<void>;
  markRetry(id: string, nextAttemptAt: string, error: string): Promise<void>;
  /**
   * Puts a message back for later without counting a try (it was waiting for another message, or the sender is
   * stopping). With `owner`, only while that sender still holds it: a lease that ran out and was claimed by
   * another sender is not cleared under that sender.
   */
  defer(id: string, nextAttemptAt: string, reason: string, owner?: string): Promise<void>;
  markFinal(id: string, status: 'failed' | 'skipped', reason: string, at: string): Promise<void>;
  list(filter?: { meetingId?: string; status?: OutboxMessage['status'] }): Promise<OutboxMessage[]>;
  /** How many messages wait, by kind and state at `now`, counted by the database (the metrics' gauge, on every scrape). */
  depth(now: string): Promise<OutboxDepth[]>;
  /**
   * Says instance `instanceId` is sending at `now`, and answers how many instances are (seen at or after `since`, itself
   * included, so at least 1). Rows of instances not seen since `since` are removed.
   */
  senders(instanceId: string, now: string, since: string): Promise<number>;
}

/**
 * A count of waiting messages of one kind: pending ones `due` (their next try is at or before now, or being sent),
 * `retrying` (waiting out a failed try's backoff) or `deferred` (held back without a try, for another message to go
 * first or by a sender that stopped), and `failed` ones (failed for good, kept until someone looks).
 */
export interface OutboxDepth {
  kind: string;
  state: 'due' | 'retrying' | 'deferred' | 'failed';
  count: number;
}

export interface Cancellation {
  meetingId: string;
  reason: CancelReason;
  note: string;
  cancelledBy: string;
  cancelledAt: string;
  /** When the note was erased (`redact note`); absent or null while it stands. */
  noteRedactedAt?: string | null;
}

/** Chairs' records: cancellations, meeting records and attendance (latest version per meeting and force), apologies, invitations. */
export interface ChairRepo {
  saveCancellation(c: Cancellation): Promise<void>;
  cancellations(meetingIds: string[]): Promise<Cancellation[]>;
  /** Blanks a cancellation's note and says when; false when there was no note to erase. */
  redactNote(meetingId: string, at: string): Promise<boolean>;
  saveAttendance(a: Attendance): Promise<void>;
  /** Withdraws every force's record of a meeting (it did not take place after all); the rows stay, unread. */
  clearAttendance(meetingId: string, at: string): Promise<void>;
  /** The live records (withdrawn ones are not). */
  attendance(meetingIds: string[]): Promise<Attendance[]>;
  /** The last version each force's record of the meeting reached, withdrawn ones included: a new version is above it. */
  attendanceVersions(meetingId: string): Promise<Map<string, number>>;
  saveMeetingRecord(r: MeetingRecord): Promise<void>;
  meetingRecords(meetingIds: string[]): Promise<MeetingRecord[]>;
  /** The latest apologies per meeting and force win. */
  saveApology(a: Apology): Promise<void>;
  apologies(meetingIds: string[]): Promise<Apology[]>;
  /** Inviting a force twice changes nothing. */
  saveInvitation(i: Invitation): Promise<void>;
  invitations(meetingIds: string[]): Promise<Invitation[]>;
  /** The meetings a force was invited to. */
  invitedMeetings(forceId: string): Promise<string[]>;
}

export interface Repos {
  /** Inside a transaction: waits until no other instance holds the named lock (PostgreSQL); SQLite's write lock already serialises. */
  exclusive(name: 'sync' | 'audit' | 'outbox'): Promise<void>;
  directory: DirectoryRepo;
  meetings: MeetingRepo;
  audit: AuditRepo;
  teams: TeamsRepo;
  nominations: NominationRepo;
  cards: CardRepo;
  outbox: OutboxRepo;
  chairs: ChairRepo;
  feeds: FeedRepo;
  review: ReviewRepo;
  botState: BotStateRepo;
  retention: RetentionRepo;
  signoffs: SignoffRepo;
  /** Teams meetings linked to panels and who the bot knows joined them (kysely-meeting-presence-repo.ts adds it). */
  meetingPresence?: MeetingPresenceRepo;
}

/**
 * A nomination planned from reads made before any lock, written only if what it was planned on still holds: the
 * meeting at `meetingVersion`, scheduled and not started at `now`; the force's nomination at `nomination.version - 1`
 * (none for 1). Then, at once: the nomination, the meeting marked locked, the outbox rows (new ids only) and the
 * audit entries. Nothing is written otherwise.
 */
export interface NominationWrite {
  nomination: Nomination;
  meetingVersion: number;
  now: string;
  outbox: OutboxMessage[];
  audit: NewAuditEntry[];
}

/** What a nomination's press reads before it writes (Store.pressReads). */
export interface PressQuery {
  /** Who pressed, by lower-case id as accessFor asks for roles (any other spelling reads none): their roles. */
  actor: string;
  forceId: string;
  panelId: string;
  /** The meeting's outbox. */
  meetingId: string;
  /** Whose personal chats (exact ids, as personalConversations takes them). */
  people: string[];
}

/** The answers: directory.rolesOf, getForce, getPanel, outbox.list({ meetingId }) and teams.personalConversations. */
export interface PressRead {
  roles: RoleOf[];
  force: Force | null;
  panel: Panel | null;
  outbox: OutboxMessage[];
  chats: Map<string, Conversation>;
}

/** The persistence port. Reads may run outside a transaction; writes that belong together run in one. */
export interface Store extends Repos {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Writes a planned nomination if what it was planned on holds (see NominationWrite); false, with nothing written,
   * when it does not, or when the store cannot yet write it this way (the caller then takes its locking path).
   * PostgreSQL: one statement, one round trip; the caller has decided who may write it from fresh reads just before
   * (store.pressReads, and store.freshDirectory for anything else). SQLite: one short transaction through the repositories, which asks `decide` again inside
   * it, as the locking path decides in its transaction (SQLite's write transactions run one at a time).
   */
  writeNomination(w: NominationWrite, decide: (tx: Repos) => Promise<boolean>): Promise<boolean>;
  /**
   * What a press written as read decides and plans from, read straight from the database (never the directory's
   * cache): on PostgreSQL in one statement, where they were five side by side; on SQLite the repositories' reads.
   */
  pressReads(q: PressQuery): Promise<PressRead>;
  /**
   * The directory's reads straight from the database, never from the cache: for a decision made outside a
   * transaction (`directory` outside one answers from the cache, which is for rendering; see directory-cache.ts).
   */
  readonly freshDirectory: DirectoryReads;
  /** Every read inside `fn` goes to the database through the transaction, directory included (its cache serves only reads outside). */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /**
   * Reads inside one consistent snapshot that never blocks writers (PostgreSQL: REPEATABLE READ READ ONLY; SQLite:
   * a deferred read in WAL mode), for a long check that must see the log and the tables as of one instant.
   */
  snapshot<T>(fn: (reader: Repos) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** The meetings a review reads: those of the given panels (null: every panel) starting in [from, to). */
export interface ReviewSlice {
  panelIds: string[] | null;
  from: string;
  to: string;
}

/** Where a history page starts: the last row the reader saw, by (start, id). */
export interface HistoryCursor {
  start: string;
  id: string;
}

export interface HistoryQuery {
  panelIds: string[] | null;
  from: string | null;
  /** Exclusive. */
  to: string;
  cursor: HistoryCursor | null;
  /** `older` pages away from the newest; `newer` pages back towards it. */
  direction: 'older' | 'newer';
  limit: number;
}

/** Reads for the recommendation 7 review and the attendance history; set-based, so a decade of meetings is a few queries. */
export interface ReviewRepo {
  /** Meetings of the slice with cancellation reason, nominations, attendance, invitations and records: five queries, however many meetings. */
  meetingsWithRecords(slice: ReviewSlice): Promise<FlagMeeting[]>;
  /** The same meetings with only what flags and the review's figures read: what a review is computed from. */
  meetingFacts(slice: ReviewSlice): Promise<FlagFacts[]>;
  /** Up to `limit` meetings newest first, strictly beyond the cursor in the direction asked: no gaps, no repeats. */
  historyPage(q: HistoryQuery): Promise<Meeting[]>;
  /** The named setting; when absent, stores `candidate` first. Two instances racing agree on one value. */
  setting(name: string, candidate: string, at: string): Promise<string>;
  /** The named setting, or null; never writes (a request from outside must not change the store). */
  readSetting(name: string): Promise<string | null>;
}

export type FeedScopeKind = 'panel' | 'force' | 'person' | 'area';

/** What a calendar link shows: one panel, one force's panels, or one person's own meetings. */
export interface FeedScope {
  kind: FeedScopeKind;
  id: string;
}

/**
 * A calendar link as stored: never the token itself, only its SHA-256 and (links issued since issue 23) the seed the
 * token is derived from with the deployment's key, kept apart from the database: the database alone opens no feed.
 */
export interface FeedToken {
  hash: string;
  owner: string;
  scope: FeedScope;
  createdAt: string;
  revokedAt: string | null;
  /** Absent or null on a link issued before seeds: it works, but cannot be shown again. */
  seed?: string | null;
  /** Moves whenever what the link has seen changes (part of its ETag); 0 until first built. */
  seenSerial?: number;
}

/** A summary of every row a feed over some panels is built from; it changes whenever the feed would. */
export interface FeedStamp {
  key: string;
  /** The latest change among those rows (ISO UTC), or null when there are none. */
  lastModified: string | null;
}

/** Why a feed shows a meeting removed: the timetable dropped it, its panel was retired, or the feed may no longer show it. */
export type RemovalReason = 'timetable-changed' | 'panel-retired' | 'not-shown';

/** A meeting's revision, which only rises; `removed` says why when its row is gone. */
export interface MeetingRevision {
  revision: number;
  removed: RemovalReason | null;
}

/** A meeting about to be deleted, as its tombstone records it. */
export interface Grave {
  meetingId: string;
  panelId: string;
  start: string;
  end: string;
  revision: number;
}

/** What one link last showed of one meeting: enough to show it removed, and to keep its SEQUENCE rising. */
export interface SeenMeeting {
  meetingId: string;
  panelId: string;
  panelName: string;
  start: string;
  end: string;
  sequence: number;
  fingerprint: string;
  /** Null while shown as it is; why, once shown removed. */
  gone: RemovalReason | null;
}

export interface FeedRepo {
  /** Saves a link; false, saving nothing, when it has a seed and its owner already holds a live seeded link for the scope. */
  save(token: FeedToken): Promise<boolean>;
  byHash(hash: string): Promise<FeedToken | null>;
  /** The owner's live link for the scope that can be shown again (one with a seed), if any. */
  liveLink(owner: string, scope: FeedScope): Promise<FeedToken | null>;
  /** The token a seed stands for, made with the deployment's key. */
  token(seed: string): string;
  /** Revokes every live token the person holds; returns how many were live. */
  revokeAll(owner: string, at: string): Promise<number>;
  /** Revokes the person's live tokens for these scopes; returns how many were live. */
  revokeScopes(owner: string, scopes: FeedScope[], at: string): Promise<number>;
  /**
   * Revokes the person's live tokens for the scope and saves `successor` in their place, handing it what the old link
   * showed (its rows and serial), so its calendar sees nothing go backwards; false, saving nothing, as `save`.
   */
  rotate(owner: string, scope: FeedScope, successor: FeedToken, at: string): Promise<boolean>;
  /** Records that the link was used at `at`, unless a use at or after `staleBefore` is already recorded; true when it wrote. */
  touch(hash: string, at: string, staleBefore: string): Promise<boolean>;
  /** The meetings starting in [from, to) that name this person as a force's attendee. */
  nominatedMeetings(aadObjectId: string, from: string, to: string): Promise<Array<{ meetingId: string; panelId: string }>>;
  /** The ids of the panels a force faces: live ones, and (given `retiredSince`) those retired at or after it. */
  forcePanels(forceId: string, retiredSince?: string): Promise<string[]>;
  /** When each of these panels or forces was retired; live and unknown ones are absent. */
  retiredAt(kind: 'panel' | 'force', ids: string[]): Promise<Map<string, string>>;
  /** One cheap query over meetings, nominations, attendance, panels and forces: lets an unchanged feed answer 304 unbuilt. */
  stamp(panelIds: string[]): Promise<FeedStamp>;
  /**
   * Each meeting's revision: its own, its nominations' and its attendance records' versions added to the revision it
   * had when last removed; a removed meeting's is that one. Ids never stored are absent.
   */
  revisions(meetingIds: string[]): Promise<Map<string, MeetingRevision>>;
  /** Before these meetings' rows are deleted: where each is and the revision its tombstone takes (above any it has had). */
  graves(meetingIds: string[]): Promise<Grave[]>;
  /** Once their rows are deleted: records why each of these meetings went, as `graves` read them before. */
  lay(graves: Grave[], reason: RemovalReason, at: string): Promise<void>;
  /** Just before these meetings' rows are deleted: `graves` then `lay`. */
  bury(meetingIds: string[], reason: RemovalReason, at: string): Promise<void>;
  /** The removed meetings (no row now) of these panels starting in [from, to), removed after `removedAfter`. */
  tombstones(panelIds: string[], from: string, to: string, removedAfter: string): Promise<Array<Grave & { reason: RemovalReason }>>;
  /** Forgets the removals of meetings no longer stored that started before `before`; returns how many. */
  pruneTombstones(before: string): Promise<number>;
  /** What the link last showed of each meeting. */
  seen(hash: string): Promise<SeenMeeting[]>;
  /**
   * Records what the link shows now (`changed` replace theirs, never lowering a SEQUENCE; `dropped` go) and moves its
   * serial; returns it. A revoked link records nothing.
   */
  remember(hash: string, changed: SeenMeeting[], dropped: string[]): Promise<number>;
}

/** A stored state object and the eTag of the write that produced it. */
export interface StoredState {
  value: Record<string, unknown>;
  eTag: string;
}

/** Opaque JSON state (teams-ai's conversation and user state), with optimistic concurrency. */
export interface BotStateRepo {
  /** The stored objects among `keys`; missing keys are absent from the map. */
  read(keys: string[]): Promise<Map<string, StoredState>>;
  /**
   * Writes `value` when `ifMatch` is null (unconditional) or equals the stored eTag; a key with no row
   * takes any write, as botbuilder's MemoryStorage does. Returns the new eTag, or null on a conflict.
   */
  write(key: string, value: Record<string, unknown>, ifMatch: string | null, at: string): Promise<string | null>;
  delete(keys: string[]): Promise<void>;
}
