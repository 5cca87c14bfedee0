import type { Kysely, SelectQueryBuilder } from 'kysely';
import { groupBy, groupByMeeting } from '../domain/group.js';
import type { FlagFacts, FlagMeeting } from '../domain/flags.js';
import type { CancelReason } from '../domain/types.js';
import { toAttendance, toAttendanceFacts, toMeeting, toMeetingRecord, toNomination, toNominationFacts } from './row-mappers.js';
import type { ReviewRepo, ReviewSlice } from './store.js';
import type { Database } from './tables.js';

type MeetingsQuery<O> = SelectQueryBuilder<Database & { m: Database['meetings'] }, 'm', O>;

/** Restricts a query over `meetings as m` to a slice. */
function inSlice<Q extends MeetingsQuery<any>>(q: Q, s: ReviewSlice): Q {
  let out = q.where('m.start_utc', '>=', s.from).where('m.start_utc', '<', s.to) as Q;
  if (s.panelIds) out = (s.panelIds.length ? out.where('m.panel_id', 'in', s.panelIds) : out.where('m.id', '=', '')) as Q;
  return out;
}

/** The review's reads over one Kysely connection or transaction. */
export function reviewRepo(db: Kysely<Database>): ReviewRepo {
  const meetings = db.selectFrom('meetings as m');
  const invitedIn = (slice: ReviewSlice) =>
    inSlice(meetings.innerJoin('invitations as i', 'i.meeting_id', 'm.id').select(['i.meeting_id as meetingId', 'i.force_id as forceId']), slice).orderBy('i.force_id').execute();
  return {
    async meetingsWithRecords(slice) {
      const [rows, noms, atts, invs, recs] = await Promise.all([
        inSlice(meetings.leftJoin('cancellations as c', 'c.meeting_id', 'm.id').selectAll('m').select('c.reason as cancel_reason'), slice)
          .orderBy('m.start_utc').orderBy('m.id').execute(),
        inSlice(meetings.innerJoin('nominations as n', 'n.meeting_id', 'm.id').selectAll('n'), slice).orderBy('n.force_id').execute(),
        inSlice(meetings.innerJoin('attendance as a', 'a.meeting_id', 'm.id').selectAll('a'), slice).where('a.withdrawn_at', 'is', null).orderBy('a.force_id').execute(),
        invitedIn(slice),
        inSlice(meetings.innerJoin('meeting_records as r', 'r.meeting_id', 'm.id').selectAll('r'), slice).execute(),
      ]);
      const [n, a, i] = [groupByMeeting(noms.map(toNomination)), groupByMeeting(atts.map(toAttendance)), groupByMeeting(invs)];
      const records = new Map(recs.map((r) => [r.meeting_id, toMeetingRecord(r)]));
      // No rest or spread per row: at a decade's meetings V8's slow path for them cost more than the query.
      return rows.map((r) => {
        const m = toMeeting(r) as FlagMeeting;
        m.cancelReason = (r.cancel_reason as CancelReason | null) ?? null;
        m.nominations = n.get(r.id) ?? [];
        m.attendance = a.get(r.id) ?? [];
        m.invited = i.get(r.id)?.map((x) => x.forceId) ?? [];
        m.meetingRecord = records.get(r.id) ?? null;
        return m;
      });
    },
    async meetingFacts(slice) {
      // Only the columns flags and figures read: turning column values into JavaScript was most of the load. Each
      // meeting has one nomination and one record per force (their keys), so the rows need no order within it.
      const [rows, noms, atts, invs] = await Promise.all([
        inSlice(meetings.leftJoin('cancellations as c', 'c.meeting_id', 'm.id'), slice)
          .select(['m.id', 'm.panel_id', 'm.occurrence', 'm.start_utc', 'm.end_utc', 'm.status', 'm.moved_from', 'm.moved_reason', 'm.extra', 'm.version', 'm.locked', 'm.created_at', 'c.reason as cancel_reason'])
          .orderBy('m.start_utc').orderBy('m.id').execute(),
        inSlice(meetings.innerJoin('nominations as n', 'n.meeting_id', 'm.id'), slice).select(['n.meeting_id', 'n.force_id', 'n.nominated_at']).execute(),
        inSlice(meetings.innerJoin('attendance as a', 'a.meeting_id', 'm.id'), slice)
          .select(['a.meeting_id', 'a.force_id', 'a.outcome', 'a.attendees_json', 'a.force_confirmation', 'a.recorded_at']).where('a.withdrawn_at', 'is', null).execute(),
        invitedIn(slice),
      ]);
      const n = groupBy(noms, (r) => r.meeting_id);
      const a = groupBy(atts, (r) => r.meeting_id);
      const i = groupByMeeting(invs);
      // The meeting whole (its version and lock are two small numbers), its records as facts.
      return rows.map((r): FlagFacts =>
        Object.assign(toMeeting(r), {
          cancelReason: (r.cancel_reason as CancelReason | null) ?? null,
          nominations: n.get(r.id)?.map(toNominationFacts) ?? [],
          attendance: a.get(r.id)?.map(toAttendanceFacts) ?? [],
          invited: i.get(r.id)?.map((x) => x.forceId) ?? [],
        }),
      );
    },
    async historyPage(q) {
      const older = q.direction === 'older';
      let sel = inSlice(meetings.selectAll('m'), { panelIds: q.panelIds, from: q.from ?? '', to: q.to });
      if (q.cursor) {
        const { start, id } = q.cursor;
        const op = older ? '<' : '>';
        sel = sel.where((eb) => eb.or([eb('m.start_utc', op, start), eb.and([eb('m.start_utc', '=', start), eb('m.id', op, id)])]));
      }
      const dir = older ? 'desc' : 'asc';
      const rows = await sel.orderBy('m.start_utc', dir).orderBy('m.id', dir).limit(q.limit).execute();
      const out = rows.map(toMeeting);
      return older ? out : out.reverse();
    },
    async readSetting(name) {
      return (await db.selectFrom('settings').select('value').where('name', '=', name).executeTakeFirst())?.value ?? null;
    },
    async setting(name, candidate, at) {
      // Read first so the usual case writes nothing; the insert that loses a race changes nothing and reads the winner.
      const found = await this.readSetting(name);
      if (found !== null) return found;
      await db.insertInto('settings').values({ name, value: candidate, created_at: at }).onConflict((oc) => oc.column('name').doNothing()).execute();
      return (await this.readSetting(name))!;
    },
  };
}
