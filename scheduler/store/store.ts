import type { NewAuditEntry } from '../domain/audit-chain.js';
import type { AuditEntry, Force, Meeting, MeetingStatus, Panel, Person } from '../domain/types.js';

/** Which meetings to read; every field narrows. Instants are ISO UTC; `to` is exclusive. */
export interface MeetingFilter {
  panelIds?: string[];
  forceId?: string;
  from?: string;
  to?: string;
  statuses?: MeetingStatus[];
}

/** Forces, panels and the people who hold roles on them, as loaded from the config file. */
export interface DirectoryRepo {
  listForces(opts?: { includeRetired?: boolean }): Promise<Force[]>;
  listPanels(opts?: { includeRetired?: boolean }): Promise<Panel[]>;
  getForce(id: string): Promise<Force | null>;
  getPanel(id: string): Promise<Panel | null>;
  listNationalLeads(): Promise<Person[]>;
  saveForce(force: Force, at: string): Promise<void>;
  savePanel(panel: Panel, at: string): Promise<void>;
  setNationalLeads(people: Person[]): Promise<void>;
}

export interface MeetingRepo {
  list(filter?: MeetingFilter): Promise<Meeting[]>;
  get(id: string): Promise<Meeting | null>;
  insertMany(meetings: Meeting[], at: string): Promise<void>;
  update(meeting: Meeting, at: string): Promise<void>;
  deleteMany(ids: string[]): Promise<void>;
}

export interface AuditRepo {
  /** Chains and appends entries; within a transaction this serialises with every other appender. */
  append(entries: NewAuditEntry[]): Promise<AuditEntry[]>;
  /** Entries in sequence order, `limit` at a time after `afterSeq`. */
  page(afterSeq: number, limit: number): Promise<AuditEntry[]>;
}

export interface Repos {
  /** Inside a transaction: waits until no other instance holds the named lock (PostgreSQL); SQLite's write lock already serialises. */
  exclusive(name: 'sync' | 'audit' | 'outbox'): Promise<void>;
  directory: DirectoryRepo;
  meetings: MeetingRepo;
  audit: AuditRepo;
}

/** The persistence port. Reads may run outside a transaction; writes that belong together run in one. */
export interface Store extends Repos {
  readonly kind: 'sqlite' | 'postgres';
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
