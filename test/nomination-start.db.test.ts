import { sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Meeting, Nomination, Person } from '../scheduler/domain/types.js';
import { loadCardContext } from '../scheduler/nominations/nominations.js';
import { openStore } from '../scheduler/store/open-store.js';
import { partlyMigrated } from './support/partly-migrated.js';
import { STORE_KINDS, TEST_DATABASE_URL, useFreshStore } from './support/stores.js';

// Issue 22: a force's recent nominees (the card's choices, the attendance form's) are read from each nomination's copy
// of its meeting's start (migrations-015-nomination-start.ts). These hold that copy to the meeting's start as it
// stands, however the nomination was written and wherever the meeting moves, and that the migration fills it in.

const NOW = '2027-04-01T08:00:00.000Z';
const person = (n: number): Person => ({ aadObjectId: `0000000${n}-0000-4000-8000-000000000000`, name: `Officer ${n}` });
const nomination = (m: Meeting, who: Person): Nomination => ({
  meetingId: m.id, forceId: 'hampshire', aadObjectId: who.aadObjectId, name: who.name, role: 'DI', decisionMaker: true, nominatedBy: 'lead', nominatedAt: NOW, version: 1,
});
const hours = (iso: string, h: number) => new Date(Date.parse(iso) + h * 3_600_000).toISOString();

describe.each(STORE_KINDS)("a force's recent nominees follow their meetings' starts, on %s", (kind) => {
  const t = useFreshStore(kind, { syncedAt: NOW });

  it('orders them by where each meeting stands, whichever way the nomination was written and however the meeting moved', async () => {
    const { store } = t;
    const soton = await store.meetings.list({ panelIds: ['southampton'] });
    const subject = soton[5]!;
    // Written three ways: the nomination's own write (one statement on PostgreSQL), the repository's save, and plain
    // SQL that names none of the new column (as an import or an older instance would).
    expect(await store.writeNomination({ nomination: nomination(soton[0]!, person(1)), meetingVersion: soton[0]!.version, now: NOW, outbox: [], audit: [] }, async () => true)).toBe(true);
    await store.nominations.save(nomination(soton[1]!, person(2)));
    await t.raw(`insert into nominations (meeting_id, force_id, aad_object_id, name, role, decision_maker, nominated_by, nominated_at, version)
      values ('${soton[2]!.id}', 'hampshire', '${person(3).aadObjectId}', 'Officer 3', 'DI', 1, 'lead', '${NOW}', 1)`);
    const names = async () => (await store.nominations.recentPeople('hampshire', subject.start, 6)).map((p) => p.name);
    const onCard = async () => (await loadCardContext(store, subject.id, 'hampshire'))!.recentPeople.map((p) => p.name);
    expect(await names()).toEqual(['Officer 3', 'Officer 2', 'Officer 1']);
    expect(await onCard()).toEqual(['Officer 3', 'Officer 2', 'Officer 1']);

    // The first meeting moves to the day after the third: its nominee is now the most recent.
    const first = (await store.meetings.get(soton[0]!.id))!;
    await store.meetings.update({ ...first, start: hours(soton[2]!.start, 24), end: hours(soton[2]!.end, 24), moved: { from: first.start, reason: 'room' } }, NOW);
    expect(await names()).toEqual(['Officer 1', 'Officer 3', 'Officer 2']);
    // The second is re-planned to after the subject: its nominee is no longer one of the subject's recent people.
    const second = (await store.meetings.get(soton[1]!.id))!;
    expect(await store.meetings.replanIfPlain({ ...second, start: hours(subject.start, 48), end: hours(subject.end, 48), version: second.version + 1 }, second.version, NOW)).toBe(true);
    expect(await names()).toEqual(['Officer 1', 'Officer 3']);
    expect(await onCard()).toEqual(['Officer 1', 'Officer 3']);
    // A change that leaves the start where it was keeps the order.
    await store.meetings.update({ ...(await store.meetings.get(soton[2]!.id))!, status: 'held' }, NOW);
    expect(await names()).toEqual(['Officer 1', 'Officer 3']);
  });

  if (kind === 'postgres') {
    it('refuses a row without it that the trigger did not fill (a data-only restore with triggers off), rather than hide it', async () => {
      const [first] = await t.store.meetings.list({ panelIds: ['southampton'] });
      const insert = `insert into nominations (meeting_id, force_id, aad_object_id, name, role, decision_maker, nominated_by, nominated_at, version)
        values ('${first!.id}', 'hampshire', '${person(1).aadObjectId}', 'Officer 1', 'DI', 1, 'lead', '${NOW}', 1)`;
      await expect(t.raw(`alter table nominations disable trigger nominations_meeting_start; ${insert}`)).rejects.toThrow(/meeting_start_utc/);
      expect(await t.store.nominations.get(first!.id, 'hampshire')).toBeNull();
    });

    // Two transactions at once, each held open until the other has run or waits for it: whichever comes first, the
    // nomination (inserted without the copy, as plain SQL would) ends with the meeting's new start.
    it.each(['the move', 'the insert'])("takes a meeting's new start when a nomination that left the copy to the trigger goes in as it moves (%s first)", async (first) => {
      const [meeting, next] = await t.store.meetings.list({ panelIds: ['southampton'] });
      const moved = hours(next!.start, 24);
      const schema = (t.options as { schema: string }).schema;
      const [mover, inserter, watcher] = [0, 1, 2].map(() => new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` }));
      const move = (c: pg.Client) => c.query('update meetings set start_utc = $1 where id = $2', [moved, meeting!.id]);
      const insert = (c: pg.Client) => c.query(`insert into nominations (meeting_id, force_id, aad_object_id, name, role, decision_maker, nominated_by, nominated_at, version)
        values ($1, 'hampshire', $2, 'Officer 1', 'DI', 1, 'lead', $3, 1)`, [meeting!.id, person(1).aadObjectId, NOW]);
      const [early, late, runEarly, runLate] = first === 'the move' ? [mover!, inserter!, move, insert] : [inserter!, mover!, insert, move];
      try {
        for (const c of [mover, inserter, watcher]) await c!.connect();
        const pid = (await late.query('select pg_backend_pid() as pid')).rows[0].pid as number;
        // The first has run but not committed when the second arrives.
        await early.query('begin');
        await runEarly(early);
        let done = false;
        const second = runLate(late).finally(() => (done = true));
        // Synchronised, not timed: until the second has finished or waits for the first's lock.
        while (!done && (await watcher!.query('select wait_event_type from pg_stat_activity where pid = $1', [pid])).rows[0]?.wait_event_type !== 'Lock') {
          await new Promise((r) => setImmediate(r));
        }
        await early.query('commit');
        await second;
        expect((await watcher!.query('select meeting_start_utc from nominations where meeting_id = $1', [meeting!.id])).rows[0].meeting_start_utc).toBe(moved);
      } finally {
        for (const c of [mover, inserter, watcher]) await c!.end().catch(() => undefined);
      }
    });
  }
});

describe.each(STORE_KINDS)('the migration that keeps each nomination its meeting\'s start, on %s', (kind) => {
  it('fills it in for the nominations already there', async () => {
    const old = await partlyMigrated(kind, '014_audit_pending');
    try {
      const at = '2026-05-01T08:00:00.000Z';
      await sql`insert into panels (id, name, local_authority, timetable_json, teams_channel_id, retired_at, updated_at) values ('p', 'P', 'LA', '{"kind":"when-necessary","start":"10:00","minutes":120}', null, null, ${at})`.execute(old.db);
      // Inserted out of date order, so an order by insertion or by id would not pass.
      for (const [day, who] of [['2026-06-09', 1], ['2026-05-12', 2], ['2026-07-14', 3]] as const) {
        const [start, end] = [`${day}T09:00:00.000Z`, `${day}T11:00:00.000Z`];
        await sql`insert into meetings (id, panel_id, occurrence, start_utc, end_utc, status, moved_from, moved_reason, extra, version, locked, created_at, updated_at)
          values (${`p.${day}`}, 'p', null, ${start}, ${end}, 'held', null, null, 1, 1, 1, ${at}, ${at})`.execute(old.db);
        await sql`insert into nominations (meeting_id, force_id, aad_object_id, name, role, decision_maker, nominated_by, nominated_at, version)
          values (${`p.${day}`}, 'f', ${person(who).aadObjectId}, ${person(who).name}, 'DI', 1, 'lead', ${at}, 1)`.execute(old.db);
      }
      await old.db.destroy();
      const store = await openStore(old.options);
      try {
        expect((await store.nominations.recentPeople('f', '2026-12-01T00:00:00.000Z', 6)).map((p) => p.name)).toEqual(['Officer 3', 'Officer 1', 'Officer 2']);
        expect((await store.nominations.recentPeople('f', '2026-07-01T00:00:00.000Z', 6)).map((p) => p.name)).toEqual(['Officer 1', 'Officer 2']);
      } finally {
        await store.close();
      }
    } finally {
      await old.dispose();
    }
  });
});
