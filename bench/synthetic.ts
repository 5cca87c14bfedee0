import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelsConfig, Person } from '../scheduler/domain/types.js';

const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const RULES = [
  ...['MO', 'TU', 'WE', 'TH', 'FR'].flatMap((d) => [1, 2, 3, 4, -1].map((n) => `FREQ=MONTHLY;BYDAY=${n}${d}`)),
  ...[1, 5, 10, 15, 20, 25].map((d) => `FREQ=MONTHLY;BYMONTHDAY=${d}`),
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TH',
  'FREQ=WEEKLY;BYDAY=WE',
];

/** How many people each force has: leads and deputies (one lead and no deputy unless told). */
export interface ForcePeople {
  leads: number;
  deputies: number;
}

/** Force `i`'s people of one kind; the first lead keeps the id it has always had, so earlier data still matches. */
function people(i: number, kind: 'Lead' | 'Deputy', count: number): Person[] {
  return Array.from({ length: count }, (_, k) => ({
    aadObjectId: kind === 'Lead' && k === 0 ? guid(1000 + i) : guid(200_000 + i * 100 + (kind === 'Lead' ? 0 : 50) + k),
    name: kind === 'Lead' && k === 0 ? `Lead ${i}` : `${kind} ${k + 1} of Force ${i}`,
  }));
}

/** A national-scale config: `forces` forces and `panels` panels on a spread of monthly-or-tighter rules. */
export function syntheticConfig(forces: number, panels: number, staff: ForcePeople = { leads: 1, deputies: 0 }): PanelsConfig {
  return {
    nationalLeads: [{ aadObjectId: guid(1), name: 'National Lead' }],
    forces: Array.from({ length: forces }, (_, i) => ({
      id: `force-${i}`,
      name: `Force ${i}`,
      preventLeads: people(i, 'Lead', staff.leads),
      deputies: people(i, 'Deputy', staff.deputies),
      teamsChannelId: null,
    })),
    panels: Array.from({ length: panels }, (_, i) => ({
      id: `panel-${i}`,
      name: `Panel ${i}`,
      localAuthority: `Council ${i}`,
      forces: i % 25 === 0 ? [`force-${i % forces}`, `force-${(i + 1) % forces}`] : [`force-${i % forces}`],
      chairs: [{ aadObjectId: guid(5000 + i), name: `Chair ${i}` }],
      timetable: {
        kind: 'rrule' as const,
        rrule: RULES[i % RULES.length]!,
        start: `${String(9 + (i % 6)).padStart(2, '0')}:${i % 2 ? '30' : '00'}`,
        minutes: 120,
        from: '2026-01-01',
      },
      teamsChannelId: null,
    })),
  };
}

/** Writes `cfg` as a panels file (JSON, the file's timetable shape) in `dir`, for a bot to start from; returns its path. */
export function writePanelsFile(dir: string, cfg: PanelsConfig): string {
  const file = join(dir, 'panels.json');
  const panels = cfg.panels.map(({ timetable, ...p }) => ({
    ...p,
    timetable: { rrule: timetable.kind === 'rrule' ? timetable.rrule : '', start: timetable.start, minutes: timetable.minutes, from: timetable.kind === 'rrule' ? timetable.from : '2026-01-01' },
  }));
  writeFileSync(file, JSON.stringify({ ...cfg, panels }));
  return file;
}
