/** Domain types shared by the timetable, the planner, the store and the use cases. */

/**
 * A person known by their Entra (Azure AD) object id, in their tenant. Never a referred person. `tenantId` is given
 * for someone of another organisation (a council chair in the council's tenant) and, once HOME_TENANT_ID is set,
 * absent means the force deployment's own tenant (see scheduler/people/access.ts).
 */
export interface Person {
  aadObjectId: string;
  name: string;
  tenantId?: string;
}

export interface Force {
  id: string;
  name: string;
  preventLeads: Person[];
  deputies: Person[];
  teamsChannelId: string | null;
  retired: boolean;
  /**
   * The teams a big force hands its panels to, each area its own leads, deputies and Teams channel (`link area`).
   * Absent (never empty) for a force without areas, which behaves as one team.
   */
  areas?: Area[];
}

/** A part of a force: some of its panels, handled by their own leads and deputies. Area ids are unique across the file. */
export interface Area {
  id: string;
  name: string;
  /** Panels that face this force; each in at most one of the force's areas. */
  panels: string[];
  leads: Person[];
  deputies: Person[];
}

/** A recurrence at a wall-clock time in Europe/London. `from` anchors INTERVAL>1 rules (YYYY-MM-DD). */
export interface RruleTimetable {
  kind: 'rrule';
  rrule: string;
  start: string; // HH:mm local
  minutes: number;
  from: string; // YYYY-MM-DD
}

export interface WhenNecessaryTimetable {
  kind: 'when-necessary';
  start: string;
  minutes: number;
}

export type Timetable = RruleTimetable | WhenNecessaryTimetable;

export interface Panel {
  id: string;
  name: string;
  localAuthority: string;
  forces: string[];
  chairs: Person[];
  timetable: Timetable;
  teamsChannelId: string | null;
  retired: boolean;
}


/** The whole forces-and-panels file after validation. */
export interface PanelsConfig {
  nationalLeads: Person[];
  forces: Array<Omit<Force, 'retired'>>;
  panels: Array<Omit<Panel, 'retired'>>;
}

export type MeetingStatus = 'scheduled' | 'cancelled' | 'held' | 'not-held';

export interface Move {
  from: string; // planned start, ISO instant
  reason: string; // e.g. "bank holiday: Early May bank holiday"
}

export interface Meeting {
  id: string;
  panelId: string;
  /** The rule's local date this meeting came from (YYYY-MM-DD); null for an extra meeting. */
  occurrence: string | null;
  start: string; // ISO instant, UTC
  end: string; // ISO instant, UTC
  status: MeetingStatus;
  moved: Move | null;
  extra: boolean;
  /** Rises with every change; cards and calendar feeds carry it. */
  version: number;
  /** True once a person has acted on the meeting (nominated, rescheduled); the planner then leaves it alone. */
  locked: boolean;
  /** When the bot first knew of it (ISO); absent where not read. An import's planned-back past is newer than its date. */
  createdAt?: string;
}

/** A meeting as the planner proposes it, before it has a version or lock. */
export interface PlannedMeeting {
  id: string;
  panelId: string;
  occurrence: string;
  start: string;
  end: string;
  moved: Move | null;
}

/** Who did something: an Entra object id, or the system itself. */
export type Actor = string; // 'system' | aadObjectId

export interface AuditEntry {
  seq: number;
  at: string; // ISO instant
  actor: Actor;
  action: string;
  subject: Record<string, string>;
  /** Null once erased (retention, a redaction); the chain still holds their hash. */
  details: Record<string, unknown> | null;
  /** The keyed hash of the details the chain covers; null for an entry chained before the chain was keyed. */
  detailsHash: string | null;
  prevHash: string;
  hash: string;
}

/** A broken rule, as a value (house rule 3). */
export interface Failure {
  code: string;
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: Failure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: string, message: string): Result<never> => ({ ok: false, error: { code, message } });

/** Where the bot can post: a conversation it was added to, recorded from Teams activities (never SDK objects). */
export interface Conversation {
  id: string;
  tenantId: string;
  serviceUrl: string;
  kind: 'personal' | 'channel' | 'groupChat';
  teamId: string | null;
  /** For a personal chat: the person's Entra object id. */
  userAadObjectId: string | null;
  botId: string;
}

/** What a conversation is linked for: a force's cards, an area's (a part of a force), a panel chair's, or the national leads' (scope id '') audit checkpoints. */
export type LinkScope = 'force' | 'panel' | 'national' | 'area';

/** The police attendee a force named for a meeting; the latest version counts, every version is audited. */
export interface Nomination {
  meetingId: string;
  forceId: string;
  aadObjectId: string;
  name: string;
  role: string;
  decisionMaker: boolean;
  nominatedBy: string;
  nominatedAt: string;
  version: number;
}

export type OutboxKind =
  | 'card' | 'card-update' | 'card-moved' | 'reminder' | 'escalation' | 'mention' | 'notice' | 'attendance' | 'attendance-reminder' | 'digest' | 'confirm-attendance' | 'apologies' | 'audit-checkpoint'
  // A change told to the people it affects (bot/outbox-plan.ts renders them): a replaced nominee, the nominees of a
  // cancelled or moved meeting, a force's leads and deputies of an added one, a panel's chairs of apologies; and the
  // rewording of a thread's @mention reply once that person is no longer named (its `cardId` is the mention's outbox id).
  | 'replaced-notice' | 'cancel-notice' | 'move-notice' | 'added-notice' | 'apologies-notice' | 'mention-update';

/**
 * An intent to send, written before sending. What it says is rendered from the store when it is sent,
 * so a late send shows the current state; the id is the idempotency key.
 */
export interface OutboxMessage {
  id: string;
  kind: OutboxKind;
  conversationId: string;
  meetingId: string;
  forceId: string;
  /** For a reply in the card's thread or an update: the outbox id of the card. */
  cardId: string | null;
  /** The person a notice or escalation is about or for. */
  personAadObjectId: string | null;
  status: 'pending' | 'sent' | 'failed' | 'skipped';
  attempts: number;
  nextAttemptAt: string;
  activityId: string | null;
  lastError: string | null;
  createdAt: string;
}

/** How many years back a meeting may be recorded or imported: councils keep Channel records 6 to 7 years. */
export const RECORD_YEARS = 7;

export const CANCEL_REASONS = ['no cases to discuss', 'not quorate', 'chair unavailable', 'rescheduled', 'other'] as const;
export type CancelReason = (typeof CANCEL_REASONS)[number];

/** Why a meeting was cancelled in advance or did not take place, as files and JSON write it. */
export const REASON_SLUGS = { 'no-cases': 'no cases to discuss', 'not-quorate': 'not quorate', 'chair-unavailable': 'chair unavailable', rescheduled: 'rescheduled', other: 'other' } as const satisfies Record<string, CancelReason>;
export type ReasonSlug = keyof typeof REASON_SLUGS;
export const slugOf = (r: CancelReason): ReasonSlug => (Object.keys(REASON_SLUGS) as ReasonSlug[]).find((k) => REASON_SLUGS[k] === r)!;

/** How a force was represented at a meeting that was held. */
export const ATTENDANCE_OUTCOMES = ['attended', 'apologies', 'absent'] as const;
export type AttendanceOutcome = (typeof ATTENDANCE_OUTCOMES)[number];

/** The inspection's spread of attendees, as categories a chair can pick (rank or role is free text beside it). */
export const ROLE_CATEGORIES = ['prevent-officer', 'prevent-supervisor', 'channel-practitioner', 'neighbourhood-officer', 'regional-ctu-officer', 'other'] as const;
export type RoleCategory = (typeof ROLE_CATEGORIES)[number];

export const UNITS = ['local', 'regional'] as const;
export type Unit = (typeof UNITS)[number];
export const MODES = ['in-person', 'online'] as const;
export type Mode = (typeof MODES)[number];
/** An explicit answer: nothing is ever assumed, so "don't know" is an answer of its own. */
export const DECISION_ANSWERS = ['yes', 'no', 'unknown'] as const;
export type DecisionAnswer = (typeof DECISION_ANSWERS)[number];

/** Other agencies present, as counts by type: never names. */
export const AGENCY_TYPES = ['local-authority', 'health', 'education', 'probation', 'childrens-services', 'adult-services', 'other'] as const;
export type AgencyType = (typeof AGENCY_TYPES)[number];
export type AgencyCounts = Partial<Record<AgencyType, number>>;

/** Where a record came from. */
export type AttendanceSource = 'chair' | 'import' | 'teams-meeting';
/** The force's word on a record the chair made about its people (substitutes, or a decision maker it had not confirmed). */
export type ForceConfirmation = 'confirmed' | 'disputed' | 'pending' | 'not-needed';

/** One police attendee. Unit, mode and category are null only on records made before they were asked. */
export interface Attendee {
  aadObjectId: string | null;
  tenantId: string | null;
  name: string;
  roleCategory: RoleCategory | null;
  role: string;
  unit: Unit | null;
  mode: Mode | null;
  decisionMaker: DecisionAnswer;
  /** Not the person the force named for this meeting (or the force named nobody). */
  substitute: boolean;
}

/** What was recorded about police representation at a held meeting, for one force; the latest version counts. */
export interface Attendance {
  meetingId: string;
  forceId: string;
  outcome: AttendanceOutcome;
  attendees: Attendee[];
  source: AttendanceSource;
  forceConfirmation: ForceConfirmation;
  /** Who in the force confirmed or disputed, and when. */
  confirmedBy: string | null;
  confirmedAt: string | null;
  recordedBy: string;
  recordedAt: string;
  version: number;
}

/** What was recorded about a meeting that has ended: held (with who else came) or not held (and why). */
export interface MeetingRecord {
  meetingId: string;
  outcome: 'held' | 'not-held';
  notHeldReason: CancelReason | null;
  agencies: AgencyCounts;
  source: AttendanceSource;
  recordedBy: string;
  recordedAt: string;
}

/** Apologies sent before a meeting by the nominee or a lead, perhaps offering a substitute. */
export interface Apology {
  meetingId: string;
  forceId: string;
  sentBy: Person;
  substitute: Person | null;
  sentAt: string;
}

/** A force asked to one meeting of a panel it does not face (British Transport Police, a cross-border case). */
export interface Invitation {
  meetingId: string;
  forceId: string;
  invitedBy: string;
  invitedAt: string;
}
