import type { PanelsConfig } from '../scheduler/domain/types.js';

const guid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const RULES = [
  ...['MO', 'TU', 'WE', 'TH', 'FR'].flatMap((d) => [1, 2, 3, 4, -1].map((n) => `FREQ=MONTHLY;BYDAY=${n}${d}`)),
  ...[1, 5, 10, 15, 20, 25].map((d) => `FREQ=MONTHLY;BYMONTHDAY=${d}`),
  'FREQ=WEEKLY;INTERVAL=2;BYDAY=TH',
  'FREQ=WEEKLY;BYDAY=WE',
];

/** A national-scale config: `forces` forces and `panels` panels on a spread of monthly-or-tighter rules. */
export function syntheticConfig(forces: number, panels: number): PanelsConfig {
  return {
    nationalLeads: [{ aadObjectId: guid(1), name: 'National Lead' }],
    forces: Array.from({ length: forces }, (_, i) => ({
      id: `force-${i}`,
      name: `Force ${i}`,
      preventLeads: [{ aadObjectId: guid(1000 + i), name: `Lead ${i}` }],
      deputies: [],
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
