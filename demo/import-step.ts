import { localDate } from '../scheduler/domain/timetable.js';
import type { Meeting } from '../scheduler/domain/types.js';
import { importAttendance } from '../scheduler/meetings/attendance-import.js';
import { COLUMNS } from '../scheduler/meetings/import-rows.js';
import { officer } from './cast.js';
import type { DemoContext } from './meeting-steps.js';
import { partOf, type Story } from './script.js';

// Leicestershire Police loads its first months from a spreadsheet (`panel-bot import attendance`), so the demo has
// records whose source is an import beside the chairs' own.

/** A meeting whose record comes from the import, with the story the file tells. */
export interface Imported {
  meeting: Meeting;
  story: Story;
}

const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** The file's rows for one meeting: one per attendee, or one saying why the force was not there. */
function rowsFor(ctx: DemoContext, { meeting, story }: Imported): string[][] {
  const date = localDate(meeting.start);
  return ctx.panels.get(meeting.panelId)!.forces.flatMap((forceId) => {
    const part = partOf(story, forceId);
    const base = [date, meeting.panelId, forceId, part.outcome];
    if (part.outcome !== 'attended') return [[...base, '', '', '', '', '', '', '', '', '']];
    return part.present.map(([who, dm], i) => {
      const o = officer(ctx.cast.get(forceId)!, who);
      return [...base, o.person.name, o.person.aadObjectId, o.roleCategory, o.role, o.unit, i === 0 ? 'in-person' : 'online', dm, '', ''];
    });
  });
}

/** At `at`, imports the file for every imported meeting that has ended by then. */
export function importStep(ctx: DemoContext & { imported: Imported[] }, at: string): void {
  ctx.timeline.add(at, 'import', async () => {
    const rows = ctx.imported.filter((i) => i.meeting.end < at).flatMap((i) => rowsFor(ctx, i));
    if (!rows.length) return;
    const csv = `${[COLUMNS as readonly string[], ...rows].map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
    const r = await importAttendance(ctx.store, new TextEncoder().encode(csv), { now: at, dryRun: false });
    if (!r.ok) throw new Error(`demo seed: Leicestershire Police's import was refused: ${r.error.message}`);
  });
}
