import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PanelsConfig } from '../../scheduler/domain/types.js';
import { parsePanelsConfig } from '../../scheduler/planning/panels-config.js';
import type { ConfigFile } from './config-variant.js';
import type { Speaker } from './teams-activities.js';

/**
 * England and Wales at full size (issue 24): the 43 territorial forces by their real names, 175 panels (one in ten
 * shared with the next force), and three big forces in areas: a Met-like force with 32 borough panels in 4 areas of 8,
 * Greater Manchester and the West Midlands in 2 each. Every id and person is invented and the same on every call,
 * so a test can name any of them.
 */

const FORCES: Array<[id: string, name: string]> = [
  ['met', 'Metropolitan Police Service'], ['gmp', 'Greater Manchester Police'], ['west-midlands', 'West Midlands Police'],
  ['avon-somerset', 'Avon and Somerset Constabulary'], ['bedfordshire', 'Bedfordshire Police'], ['cambs', 'Cambridgeshire Constabulary'],
  ['cheshire', 'Cheshire Constabulary'], ['city-of-london', 'City of London Police'], ['cleveland', 'Cleveland Police'],
  ['cumbria', 'Cumbria Constabulary'], ['derbyshire', 'Derbyshire Constabulary'], ['devon-cornwall', 'Devon and Cornwall Police'],
  ['dorset', 'Dorset Police'], ['durham', 'Durham Constabulary'], ['dyfed-powys', 'Dyfed-Powys Police'], ['essex', 'Essex Police'],
  ['gloucestershire', 'Gloucestershire Constabulary'], ['gwent', 'Gwent Police'], ['hampshire', 'Hampshire and Isle of Wight Constabulary'],
  ['hertfordshire', 'Hertfordshire Constabulary'], ['humberside', 'Humberside Police'], ['kent', 'Kent Police'],
  ['lancashire', 'Lancashire Constabulary'], ['leics', 'Leicestershire Police'], ['lincolnshire', 'Lincolnshire Police'],
  ['merseyside', 'Merseyside Police'], ['norfolk', 'Norfolk Constabulary'], ['north-wales', 'North Wales Police'],
  ['north-yorkshire', 'North Yorkshire Police'], ['northamptonshire', 'Northamptonshire Police'], ['northumbria', 'Northumbria Police'],
  ['notts', 'Nottinghamshire Police'], ['south-wales', 'South Wales Police'], ['south-yorkshire', 'South Yorkshire Police'],
  ['staffordshire', 'Staffordshire Police'], ['suffolk', 'Suffolk Constabulary'], ['surrey', 'Surrey Police'], ['sussex', 'Sussex Police'],
  ['thames-valley', 'Thames Valley Police'], ['warwickshire', 'Warwickshire Police'], ['west-mercia', 'West Mercia Police'],
  ['west-yorkshire', 'West Yorkshire Police'], ['wiltshire', 'Wiltshire Police'],
];

const BOROUGHS = [
  'Barking and Dagenham', 'Barnet', 'Bexley', 'Brent', 'Bromley', 'Camden', 'Croydon', 'Ealing', 'Enfield', 'Greenwich', 'Hackney',
  'Hammersmith and Fulham', 'Haringey', 'Harrow', 'Havering', 'Hillingdon', 'Hounslow', 'Islington', 'Kensington and Chelsea',
  'Kingston upon Thames', 'Lambeth', 'Lewisham', 'Merton', 'Newham', 'Redbridge', 'Richmond upon Thames', 'Southwark', 'Sutton',
  'Tower Hamlets', 'Waltham Forest', 'Wandsworth', 'Westminster',
];
const MET_AREAS = ['North East London', 'North West London', 'South East London', 'South West London'];

/** Panels per force after the big three: the first six have 4, the rest 3 (175 in all). */
const panelCount = (i: number) => (i === 0 ? 32 : i === 1 ? 10 : i === 2 ? 7 : i < 9 ? 4 : 3);

const hex = (prefix: string, n: number) => `${prefix}0000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const person = (prefix: string, n: number, name: string): Speaker => ({ aadObjectId: hex(prefix, n), name });
const FIRST = ['Alex', 'Sam', 'Jo', 'Chris', 'Priya', 'Tom', 'Aisha', 'Owen', 'Ruth', 'Dev', 'Nia', 'Kai'];
const LAST = ['Morgan', 'Patel', 'Evans', 'Khan', 'Hughes', 'Price', 'Ahmed', 'Lloyd', 'Clarke', 'Shah', 'Reid', 'Walsh'];
const nameOf = (n: number) => `${FIRST[n % FIRST.length]} ${LAST[Math.floor(n / FIRST.length) % LAST.length]}`;

/** The national leads of the sample. */
export const NATIONAL_LEADS: Speaker[] = [person('e', 1, 'Alex National'), person('e', 2, 'Bea National')];
/** A force's Prevent lead: `n` is the force's place in the list (0 for the Met). */
export const forceLead = (n: number): Speaker => person('f', n, `${nameOf(n)} (force lead)`);
/** An area's lead: `n` counts areas in file order. */
export const areaLead = (n: number): Speaker => person('a', n, `${nameOf(n + 5)} (area lead)`);

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR'];

/** The file as it would be written: plain data, before parsing. */
export function nationalSampleFile(): Record<string, unknown> {
  const panels: Array<Record<string, unknown>> = [];
  const forces = FORCES.map(([id, name], i) => {
    const ids: string[] = [];
    for (let k = 0; k < panelCount(i); k++) {
      const n = panels.length;
      const local = i === 0 ? BOROUGHS[k]! : `${name.replace(/ (Police|Constabulary|Police Service)$/, '')} district ${k + 1}`;
      const pid = i === 0 ? `met-${local.toLowerCase().replace(/[^a-z]+/g, '-')}` : `${id}-${k + 1}`;
      // One in ten is shared with the next force in the list (as Peterborough and Rutland is).
      const shared = n % 10 === 9 && i + 1 < FORCES.length ? [FORCES[i + 1]![0]] : [];
      panels.push({
        id: pid, name: `${local} Channel panel`, localAuthority: `${local} Council`, forces: [id, ...shared],
        chairs: [person('c', n, `${nameOf(n)} (chair)`)],
        timetable: { rrule: `FREQ=MONTHLY;BYDAY=${(n % 4) + 1}${WEEKDAYS[n % 5]}`, start: n % 2 ? '14:00' : '10:00', minutes: 120 },
      });
      ids.push(pid);
    }
    return { id, name, preventLeads: [forceLead(i)], deputies: [], ...(i < 3 ? { areas: areasOf(id, name, i, ids) } : {}) };
  });
  return { nationalLeads: NATIONAL_LEADS, forces, panels };
}

let areaSeq = 0;
function areasOf(forceId: string, forceName: string, i: number, panelIds: string[]) {
  if (i === 0) areaSeq = 0;
  const names = i === 0 ? MET_AREAS : [`North ${forceName.split(' ')[0]}`, `South ${forceName.split(' ')[0]}`];
  const size = Math.ceil(panelIds.length / names.length);
  return names.map((name, j) => {
    const n = areaSeq++;
    return { id: `${forceId}-area-${j + 1}`, name, panels: panelIds.slice(j * size, (j + 1) * size), leads: [areaLead(n)], deputies: [] };
  });
}

/** The sample parsed and validated, as `syncPanels` takes it. */
export function nationalSample(): PanelsConfig {
  const r = parsePanelsConfig(nationalSampleFile());
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The sample written as a forces and panels file, for a bot's PANELS_CONFIG. */
export function nationalSampleFileOnDisk(): ConfigFile {
  const dir = mkdtempSync(join(tmpdir(), 'panel-bot-national-'));
  const path = join(dir, 'panels.yaml');
  writeFileSync(path, stringify(nationalSampleFile()));
  return { path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
