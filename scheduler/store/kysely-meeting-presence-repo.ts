import { sql, type Kysely } from 'kysely';
import type { MeetingPresenceRepo, Presence, TeamsMeetingLink } from '../meetings/meeting-presence-repo.js';
import type { Repos } from './store.js';
import type { Database } from './tables.js';

// The tables' types stay here with their only user (as kysely-signoff-repo.ts does for the sign-offs).
interface TeamsMeetingsTable {
  teams_meeting_id: string;
  conversation_id: string;
  panel_id: string;
  meeting_id: string | null;
  linked_by: string;
  linked_at: string;
}

interface MeetingPresenceTable {
  meeting_id: string;
  aad_object_id: string;
  first_joined: string;
  last_left: string | null;
  open_since: string | null;
  present_seconds: number;
}

type Tables = { teams_meetings: TeamsMeetingsTable; meeting_presence: MeetingPresenceTable };

const toLink = (r: TeamsMeetingsTable): TeamsMeetingLink => ({
  teamsMeetingId: r.teams_meeting_id, conversationId: r.conversation_id, panelId: r.panel_id, meetingId: r.meeting_id, linkedBy: r.linked_by, linkedAt: r.linked_at,
});

const toPresence = (r: MeetingPresenceTable): Presence => ({
  meetingId: r.meeting_id, aadObjectId: r.aad_object_id, firstJoined: r.first_joined, lastLeft: r.last_left, openSince: r.open_since, presentSeconds: Number(r.present_seconds),
});

/** Whole seconds from one ISO instant to a later one (never negative: events may arrive out of order). */
const secondsBetween = (from: string, to: string) => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/**
 * Linked Teams meetings and presence over one Kysely connection or transaction. Every write is one statement whose
 * condition is the state it read, so two instances handling events of the same person at once never double count.
 */
export function meetingPresenceRepo(base: Kysely<Database>): MeetingPresenceRepo {
  const db = base.withTables<Tables>();

  /** Ends one open stay, if it is still the one read. */
  const close = async (row: MeetingPresenceTable, at: string) => {
    await db.updateTable('meeting_presence')
      .set({ present_seconds: Number(row.present_seconds) + secondsBetween(row.open_since!, at), open_since: null, last_left: at })
      .where('meeting_id', '=', row.meeting_id).where('aad_object_id', '=', row.aad_object_id).where('open_since', '=', row.open_since!)
      .execute();
  };

  return {
    async link(l) {
      const row = { teams_meeting_id: l.teamsMeetingId, conversation_id: l.conversationId, panel_id: l.panelId, meeting_id: null, linked_by: l.linkedBy, linked_at: l.linkedAt };
      await db.insertInto('teams_meetings').values(row)
        .onConflict((oc) => oc.column('teams_meeting_id').doUpdateSet({ conversation_id: row.conversation_id, panel_id: row.panel_id, meeting_id: null, linked_by: row.linked_by, linked_at: row.linked_at }))
        .execute();
    },
    async linkOf(id) {
      const row = await db.selectFrom('teams_meetings').selectAll().where('teams_meeting_id', '=', id).executeTakeFirst();
      return row ? toLink(row) : null;
    },
    async setMeeting(id, meetingId) {
      await db.updateTable('teams_meetings').set({ meeting_id: meetingId }).where('teams_meeting_id', '=', id).execute();
    },
    async joined(meetingId, aadObjectId, at) {
      await db.insertInto('meeting_presence')
        .values({ meeting_id: meetingId, aad_object_id: aadObjectId, first_joined: at, last_left: null, open_since: at, present_seconds: 0 })
        .onConflict((oc) => oc.columns(['meeting_id', 'aad_object_id']).doUpdateSet({ open_since: sql<string>`coalesce(meeting_presence.open_since, excluded.open_since)` }))
        .execute();
    },
    async left(meetingId, aadObjectId, at) {
      const row = await db.selectFrom('meeting_presence').selectAll().where('meeting_id', '=', meetingId).where('aad_object_id', '=', aadObjectId).where('open_since', 'is not', null).executeTakeFirst();
      if (row) await close(row, at);
    },
    async closeAll(meetingId, at) {
      for (const row of await db.selectFrom('meeting_presence').selectAll().where('meeting_id', '=', meetingId).where('open_since', 'is not', null).execute()) await close(row, at);
    },
    list: async (meetingId) =>
      (await db.selectFrom('meeting_presence').selectAll().where('meeting_id', '=', meetingId).orderBy('first_joined').orderBy('aad_object_id').execute()).map(toPresence),
    forget: async (meetingId) => Number((await db.deleteFrom('meeting_presence').where('meeting_id', '=', meetingId).executeTakeFirst()).numDeletedRows),
    forgetBefore: async (before) => Number((await db.deleteFrom('meeting_presence').where('first_joined', '<', before).executeTakeFirst()).numDeletedRows),
  };
}

/** Adds linked Teams meetings and their presence to a set of repositories, as withSignoffs adds the sign-offs. */
export function withMeetingPresence(db: Kysely<Database>, repos: Repos): Repos {
  return { ...repos, meetingPresence: meetingPresenceRepo(db) };
}
