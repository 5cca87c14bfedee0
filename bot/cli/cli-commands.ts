import { DateTime } from 'luxon';
import { listSchedule, type MeetingView } from '../../scheduler/planning/schedule-view.js';
import { guarded, nowFrom, parseBounds, refuse, withStore, type Command } from './io.js';

// Every command but `schedule` imports what it needs when it runs: a static import of the Teams side
// (compose, teams-app, botbuilder, restify) cost every call seconds and printed restify's DEP0111 warning.

/** A command whose module is imported only when it runs. */
const lazy =
  (load: () => Promise<Command>): Command =>
  async (values, config, io) =>
    (await load())(values, config, io);

const sync: Command = async (values, config, io) => {
  const now = nowFrom(values);
  const [{ readPanelsFile }, { syncPanels }] = await Promise.all([import('../panels-file.js'), import('../../scheduler/planning/sync.js')]);
  const file = await readPanelsFile(config.panelsConfig, config.partnerTenantIds);
  if (!file.ok) {
    io.err(`panel-bot: ${file.error.message}\nnothing was changed.`);
    return 1;
  }
  const report = await withStore(config, (store) => syncPanels(store, file.value, now));
  const { forces: f, panels: p, meetings: m } = report;
  io.out(
    report.changes === 0
      ? 'sync: nothing to change'
      : `sync: forces +${f.added} ~${f.changed} retired ${f.retired}; panels +${p.added} ~${p.changed} retired ${p.retired}; ` +
          `meetings planned ${m.planned}, re-planned ${m.replanned}, unplanned ${m.unplanned}`,
  );
  return 0;
};

const schedule: Command = async (values, config, io) => {
  const now = DateTime.utc().toISO();
  const { from = startOfToday(now), to } = parseBounds(values, now);
  const query = {
    from,
    ...(to ? { to } : {}),
    ...(typeof values.panel === 'string' ? { panelId: values.panel } : {}),
    ...(typeof values.force === 'string' ? { forceId: values.force } : {}),
  };
  return withStore(config, async (store) => {
    if (query.panelId && !(await store.directory.getPanel(query.panelId))) return refuse(io, `unknown panel "${query.panelId}"`);
    if (query.forceId && !(await store.directory.getForce(query.forceId))) return refuse(io, `unknown force "${query.forceId}"`);
    const { meetings, panels } = await listSchedule(store, query, now, config.nominationTimings.escalationWorkingDays);
    if (values.json) io.out(JSON.stringify(meetings, null, 2));
    else io.out(scheduleText(meetings, panels.filter((p) => p.timetable.kind === 'when-necessary').map((p) => p.id)));
    return 0;
  });
};

/** Today's first Europe/London instant: where the schedule starts unless `--from` says otherwise. */
const startOfToday = (now: string): string => DateTime.fromISO(now, { zone: 'Europe/London' }).startOf('day').toUTC().toISO() as string;

/** One line a meeting, oldest first, then the panels that have no timetable. */
export function scheduleText(meetings: MeetingView[], whenNecessary: string[]): string {
  const lines = meetings.map((m) => {
    const start = DateTime.fromISO(m.start, { setZone: true });
    const end = DateTime.fromISO(m.end, { setZone: true });
    const nominee = m.nominations.map((n) => `${n.forceId}: ${n.name}`).join(', ') || 'no nominee';
    const moved = m.moved
      ? `  MOVED from ${DateTime.fromISO(m.moved.from, { setZone: true }).toFormat('ccc d LLL')} (${m.moved.reason})`
      : '';
    const flags = m.flags.length ? `  [${m.flags.join(', ')}]` : '';
    return `${start.toFormat('yyyy-LL-dd ccc HH:mm')}-${end.toFormat('HH:mm')}  ${m.panelId.padEnd(22)} ${m.status.padEnd(9)} ${nominee}${moved}${flags}`;
  });
  if (lines.length === 0) lines.push('no meetings in this range');
  if (whenNecessary.length) lines.push('', `meets only "when necessary" (flagged WHEN_NECESSARY_PANEL): ${whenNecessary.join(', ')}`);
  return lines.join('\n');
}

/** Retries due within this long are waited for before `tick` exits; later ones are left for the server. */
const TICK_WAIT_MS = 60_000;

const tick: Command = async (values, config, io) => {
  const now = nowFrom(values);
  const [{ silentLog }, { runDueJobs }, { outboxDrainer, schedulerJobs }, { createTeamsApp }, { teamsMessenger }] = await Promise.all([
    import('../../scheduler/log.js'),
    import('../../scheduler/scheduler.js'),
    import('../compose.js'),
    import('../teams-app.js'),
    import('../teams-messenger.js'),
  ]);
  return withStore(config, async (store) => {
    const { adapter } = createTeamsApp({ config, log: silentLog });
    // The sender's clock starts at --now and runs on in real time, so retries and pacing still wait.
    const started = Date.now();
    const sender = outboxDrainer(store, teamsMessenger(adapter, config.appId), silentLog, () => Date.parse(now) + (Date.now() - started));
    const jobs = schedulerJobs(store, config, silentLog, () => sender.drain(TICK_WAIT_MS));
    const sentBefore = new Set((await store.outbox.list({ status: 'sent' })).map((m) => m.id));
    const ran = await runDueJobs({ jobs, clock: () => now, log: silentLog }, new Map(), now);
    const outbox = await store.outbox.list();
    const count = (status: string) => outbox.filter((m) => m.status === status).length;
    const sentNow = outbox.filter((m) => m.status === 'sent' && !sentBefore.has(m.id)).length;
    io.out(`tick ${now}: ran ${ran.join(', ')}; sent ${sentNow} now; outbox ${count('pending')} pending, ${count('failed')} failed (${count('sent')} sent in all)`);
    return ran.length === jobs.length ? 0 : 1;
  });
};

export const cliCommands: Record<string, Command> = {
  sync: guarded(sync),
  schedule: guarded(schedule),
  tick: guarded(tick),
  'audit verify': guarded(lazy(async () => (await import('./cli-audit.js')).auditVerifyCommand)),
  'audit checkpoint': guarded(lazy(async () => (await import('./cli-checkpoint.js')).auditCheckpointCommand)),
  'audit seal': guarded(lazy(async () => (await import('./cli-audit.js')).auditSealCommand)),
  review: guarded(lazy(async () => (await import('./cli-review.js')).reviewCommand)),
  'review signoff': guarded(lazy(async () => (await import('./cli-signoff.js')).signoffCommand)),
  flags: guarded(lazy(async () => (await import('./cli-flags.js')).flagsCommand)),
  'import attendance': guarded(lazy(async () => (await import('./cli-import.js')).importAttendanceCommand)),
  'redact note': guarded(lazy(async () => (await import('./cli-redact.js')).redactNoteCommand)),
  purge: guarded(lazy(async () => (await import('./cli-purge.js')).purgeCommand)),
};
