import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import { jsonArrayFrom as pgJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import type { Dialect } from './kysely-teams-repos.js';
import { keepPrepared } from './prepared.js';
import { distinctPeople, fromJsonArray as rows, toApology, toAttendance, toCancellation, toMeeting, toNomination } from './row-mappers.js';
import type { CardRepo } from './store.js';
import type { ApologiesTable, AttendanceTable, CancellationsTable, Database, MeetingsTable, NominationsTable } from './tables.js';

// SQLite's JSON helper names every column it aggregates, so each read lists them.
const MEETING = ['id', 'panel_id', 'occurrence', 'start_utc', 'end_utc', 'status', 'moved_from', 'moved_reason', 'extra', 'version', 'locked', 'created_at'] as const;
const NOMINATION = ['meeting_id', 'force_id', 'aad_object_id', 'name', 'role', 'decision_maker', 'nominated_by', 'nominated_at', 'version'] as const;
const ATTENDANCE = [
  'meeting_id', 'force_id', 'outcome', 'attendees_json', 'source', 'force_confirmation', 'confirmed_by', 'confirmed_at', 'withdrawn_at', 'recorded_by', 'recorded_at', 'version',
] as const;
const APOLOGY = ['meeting_id', 'force_id', 'sent_by', 'sent_by_name', 'substitute_aad_object_id', 'substitute_name', 'sent_at'] as const;
const CANCELLATION = ['meeting_id', 'reason', 'note', 'cancelled_by', 'cancelled_at', 'note_redacted_at'] as const;

type MeetingRow = Omit<Selectable<MeetingsTable>, 'updated_at'>;

/**
 * A card's reads as one statement on both databases: the meeting, then everything else the card shows as JSON arrays
 * beside it. The panel's earlier meetings are a CTE so their nominations and records are read by id, not per row.
 * Built once per dialect for the process (cardStatement): Kysely's compile cost more than running it.
 */
function cardQuery(db: Kysely<Database>, dialect: Dialect, meetingId: string, forceId: string, peopleRows: number) {
  const jsonArrayFrom = dialect === 'postgres' ? pgJsonArrayFrom : sqliteJsonArrayFrom;
  return db
    .with('m', (qc) => qc.selectFrom('meetings').select(MEETING).where('id', '=', meetingId))
    .with('r', (qc) =>
      qc.selectFrom('meetings as p').innerJoin('m', 'm.panel_id', 'p.panel_id').selectAll('p')
        .whereRef('p.start_utc', '<', 'm.start_utc')
        // An invited force was asked to its own meetings only: the panel's others are none of its business.
        .where((eb) => eb.or([
          eb.exists(eb.selectFrom('panel_forces as pf').select('pf.force_id').whereRef('pf.panel_id', '=', 'm.panel_id').where('pf.force_id', '=', forceId)),
          eb.exists(eb.selectFrom('invitations as i').select('i.force_id').whereRef('i.meeting_id', '=', 'p.id').where('i.force_id', '=', forceId)),
        ]))
        .orderBy('p.start_utc', 'desc').orderBy('p.id', 'desc').limit(3),
    )
    .selectFrom('m')
    .select(MEETING)
    .select((eb) => [
      jsonArrayFrom(eb.selectFrom('invitations as i').select('i.force_id').whereRef('i.meeting_id', '=', 'm.id').where('i.force_id', '=', forceId)).as('invited'),
      jsonArrayFrom(eb.selectFrom('nominations as n').select(NOMINATION).whereRef('n.meeting_id', '=', 'm.id').where('n.force_id', '=', forceId)).as('nomination'),
      jsonArrayFrom(eb.selectFrom('apologies as a').select(APOLOGY).whereRef('a.meeting_id', '=', 'm.id').where('a.force_id', '=', forceId)).as('apology'),
      jsonArrayFrom(eb.selectFrom('cancellations as c').select(CANCELLATION).whereRef('c.meeting_id', '=', 'm.id')).as('cancellation'),
      jsonArrayFrom(eb.selectFrom('r').select(MEETING).orderBy('r.start_utc', 'desc').orderBy('r.id', 'desc')).as('recent'),
      jsonArrayFrom(
        eb.selectFrom('nominations as n').select(NOMINATION).where('n.meeting_id', 'in', eb.selectFrom('r').select('r.id')).where('n.force_id', '=', forceId),
      ).as('recent_nominations'),
      jsonArrayFrom(
        eb.selectFrom('attendance as a').select(ATTENDANCE)
          .where('a.meeting_id', 'in', eb.selectFrom('r').select('r.id')).where('a.force_id', '=', forceId).where('a.withdrawn_at', 'is', null),
      ).as('recent_attendance'),
      // As recentPeople reads them: four times as many rows as people, each person kept once (below), from the index on
      // (force_id, meeting_start_utc, meeting_id).
      jsonArrayFrom(
        eb.selectFrom('nominations as n').select(['n.aad_object_id', 'n.name'])
          .where('n.force_id', '=', forceId).whereRef('n.meeting_start_utc', '<', 'm.start_utc')
          .orderBy('n.meeting_start_utc', 'desc').orderBy('n.meeting_id', 'desc').limit(peopleRows),
      ).as('people'),
    ]);
}

type CardRow = Awaited<ReturnType<ReturnType<typeof cardQuery>['executeTakeFirstOrThrow']>>;

// Stand-ins compiled in place of the values, so each parameter's place is found in the compiled statement.
const MEETING_MARK = '\u0000meeting';
const FORCE_MARK = '\u0000force';
const ROWS_MARK = 987_654_321;

type CardStatement = (meetingId: string, forceId: string, rows: number) => CompiledQuery<CardRow>;
/**
 * Compiled once per dialect for the process, on the first card read: the text depends on nothing else as long as the
 * store's Kysely has no plugins (open-store.ts adds none; a schema is chosen by search_path, not in the text).
 */
const statements = new Map<Dialect, CardStatement>();

/**
 * The statement compiled once with stand-ins, then each read fills in its values by place. Its text never changes,
 * so each PostgreSQL connection keeps it prepared (prepared.ts): planning it cost twice what running it does.
 */
function cardStatement(db: Kysely<Database>, dialect: Dialect): CardStatement {
  const known = statements.get(dialect);
  if (known) return known;
  const { sql: text, parameters } = cardQuery(db, dialect, MEETING_MARK, FORCE_MARK, ROWS_MARK).compile();
  const place: number[] = parameters.map((p) => (p === MEETING_MARK ? 0 : p === FORCE_MARK ? 1 : p === ROWS_MARK ? 2 : -1));
  // Every value must have a place; anything else compiled in (the three meetings' limit) stays as compiled.
  if (![0, 1, 2].every((i) => place.includes(i))) throw new Error('the card statement lost one of its values');
  const statement: CardStatement = (meetingId, forceId, rows) => {
    const values = [meetingId, forceId, rows];
    return CompiledQuery.raw(text, place.map((i, n) => (i < 0 ? parameters[n] : values[i]))) as CompiledQuery<CardRow>;
  };
  if (dialect === 'postgres') keepPrepared(text, 'card_records');
  statements.set(dialect, statement);
  return statement;
}

export function cardRepo(db: Kysely<Database>, dialect: Dialect): CardRepo {
  return {
    async read(meetingId, forceId, people) {
      const row = (await db.executeQuery(cardStatement(db, dialect)(meetingId, forceId, people * 4))).rows[0];
      if (!row) return null;
      const meeting = toMeeting(row);
      const named = new Map(rows<Selectable<NominationsTable>>(row.recent_nominations).map((n) => [n.meeting_id, toNomination(n)]));
      const records = new Map(rows<Selectable<AttendanceTable>>(row.recent_attendance).map((a) => [a.meeting_id, toAttendance(a)]));
      const nomination = rows<Selectable<NominationsTable>>(row.nomination)[0];
      const apology = rows<Selectable<ApologiesTable>>(row.apology)[0];
      const cancellation = rows<Selectable<CancellationsTable>>(row.cancellation)[0];
      return {
        meeting,
        invited: rows(row.invited).length > 0,
        nomination: nomination ? toNomination(nomination) : null,
        apology: apology ? toApology(apology) : null,
        cancellation: cancellation && meeting.status === 'cancelled' ? toCancellation(cancellation) : null,
        recent: rows<MeetingRow>(row.recent).map((m) => ({ meeting: toMeeting(m), nomination: named.get(m.id) ?? null, attendance: records.get(m.id) ?? null })),
        recentPeople: distinctPeople(rows<{ aad_object_id: string; name: string }>(row.people), people),
      };
    },
  };
}
