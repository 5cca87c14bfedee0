import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { planOccurrences } from '../domain/timetable.js';
import { parsePanelsConfig } from './panels-config.js';
import { panelFlags } from './schedule-view.js';

const lead = { aadObjectId: '11111111-1111-4111-8111-111111111111', name: 'A Lead' };
const chair = { aadObjectId: '33333333-3333-4333-8333-333333333333', name: 'A Chair' };
const region = () => ({ id: 'east', name: 'Counter Terrorism Policing East', forces: ['cambs'], people: [chair] });
const valid = () => structuredClone({
  nationalLeads: [lead],
  forces: [
    { id: 'cambs', name: 'Cambridgeshire Constabulary', preventLeads: [lead] },
    { id: 'leics', name: 'Leicestershire Police', preventLeads: [lead], teamsChannelId: '19:abc@thread.tacv2' },
  ],
  panels: [
    { id: 'pr', name: 'P', localAuthority: 'Peterborough City Council', forces: ['cambs', 'leics'], chairs: [chair],
      timetable: { rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120 } },
    { id: 'scilly', name: 'S', localAuthority: 'Council of the Isles of Scilly', forces: ['cambs'], chairs: [chair], timetable: 'when-necessary' },
  ],
});

/** Applies a mistake to a valid document and returns the problems the parser lists. */
function problems(mutate: (doc: any) => void): string[] {
  const doc = valid();
  mutate(doc);
  const r = parsePanelsConfig(doc);
  expect(r.ok).toBe(false);
  return r.problems ?? [];
}

describe('the forces and panels file', () => {
  it('accepts a valid document and fills defaults', () => {
    const r = parsePanelsConfig(valid());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.forces[0]).toMatchObject({ deputies: [], teamsChannelId: null });
    expect(r.value.panels[0]!.timetable).toEqual({ kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' });
    expect(r.value.panels[1]!.timetable).toEqual({ kind: 'when-necessary', start: '10:00', minutes: 120 });
  });

  it.each<[string, (d: any) => void, string]>([
    ['a bad force id', (d) => (d.forces[0].id = 'Cambs!'), 'forces[0].id'],
    ['a duplicate panel id', (d) => (d.panels[1].id = 'pr'), 'panels[1].id'],
    ['an unknown force on a panel', (d) => d.panels[0].forces.push('kent'), 'panels[0].forces[2]'],
    ['an object id that is not a GUID', (d) => (d.forces[0].preventLeads[0].aadObjectId = 'bob'), 'forces[0].preventLeads[0].aadObjectId'],
    ['a start time that is not HH:mm', (d) => (d.panels[0].timetable.start = '25:00'), 'panels[0].timetable.start'],
    ['a rule that plans nothing', (d) => (d.panels[0].timetable.rrule = 'FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30'), 'panels[0].timetable.rrule'],
    ['a rule that plans more than once a day', (d) => (d.panels[0].timetable.rrule = 'FREQ=DAILY;BYHOUR=9,10'), 'panels[0].timetable.rrule'],
    ['a rule that ends', (d) => (d.panels[0].timetable.rrule = 'FREQ=MONTHLY;BYDAY=2TU;UNTIL=20250101T000000Z'), 'panels[0].timetable.rrule'],
    ['a rule that does not parse', (d) => (d.panels[0].timetable.rrule = 'FREQ=SOMETIMES'), 'panels[0].timetable.rrule'],
    ['a panel with no chair', (d) => (d.panels[0].chairs = []), 'panels[0].chairs'],
    ['a force with no Prevent lead', (d) => (d.forces[1].preventLeads = []), 'forces[1].preventLeads'],
    ['a misspelt key', (d) => (d.panels[0].timetabel = d.panels[0].timetable), 'panels[0]'],
    ['a bad Teams channel id', (d) => (d.forces[1].teamsChannelId = 'general'), 'forces[1].teamsChannelId'],
    ['a timetable that is neither a rule nor when-necessary', (d) => (d.panels[1].timetable = 'monthly'), 'panels[1].timetable'],
    ['a meeting length out of range', (d) => (d.panels[0].timetable.minutes = 5), 'panels[0].timetable.minutes'],
    ['an inspector whose id is not a GUID', (d) => (d.inspectors = [{ aadObjectId: 'hmicfrs', name: 'I' }]), 'inspectors[0].aadObjectId'],
    ["a PCC's office person with no name", (d) => (d.forces[0].pccOffice = [{ ...lead, name: '' }]), 'forces[0].pccOffice[0].name'],
    ['a region covering an unknown force', (d) => (d.regions = [{ ...region(), forces: ['cambs', 'kent'] }]), 'regions[0].forces[1]'],
    ['a duplicate region id', (d) => (d.regions = [region(), region()]), 'regions[1].id'],
    ['a region with nobody to read for it', (d) => (d.regions = [{ ...region(), people: [] }]), 'regions[0].people'],
    ['a region with no force', (d) => (d.regions = [{ ...region(), forces: [] }]), 'regions[0].forces'],
    ['a misspelt read-only key', (d) => (d.inspector = [lead]), '(root)'],
  ])('names the path of %s', (_name, mutate, path) => {
    expect(problems(mutate).some((p) => p.startsWith(`${path}:`))).toBe(true);
  });

  it('accepts read-only roles, each optional: inspectors, a force\'s PCC\'s office, regions', () => {
    const none = parsePanelsConfig(valid());
    expect(none.ok && [none.value.inspectors, none.value.regions, none.value.forces[0]!.pccOffice]).toEqual([[], [], []]);
    const doc: any = valid();
    doc.inspectors = [lead];
    doc.forces[1].pccOffice = [chair];
    doc.regions = [{ ...region(), forces: ['cambs', 'leics'] }];
    const r = parsePanelsConfig(doc);
    if (!r.ok) throw new Error(r.error.message);
    expect([r.value.inspectors, r.value.forces[1]!.pccOffice, r.value.regions]).toEqual([[lead], [chair], [{ ...region(), forces: ['cambs', 'leics'] }]]);
  });

  it('accepts rules below the guidance timetable, 6-weekly and quarterly, and plans them as usual', () => {
    const doc = valid();
    doc.panels[0]!.timetable = { rrule: 'FREQ=WEEKLY;INTERVAL=6;BYDAY=TU', start: '10:00', minutes: 120, from: '2026-01-06' } as any;
    doc.panels.push({ ...doc.panels[0]!, id: 'q', timetable: { rrule: 'FREQ=MONTHLY;INTERVAL=3;BYDAY=2TU', start: '14:00', minutes: 90 } as any });
    const r = parsePanelsConfig(doc);
    if (!r.ok) throw new Error(r.error.message);
    const [sixWeekly, , quarterly] = r.value.panels.map((p) => (p.timetable.kind === 'rrule' ? p.timetable : null));
    const dates = (t: typeof sixWeekly) => planOccurrences('p', t!, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z').map((m) => m.start.slice(0, 10));
    expect(dates(sixWeekly)).toEqual(['2026-01-06', '2026-02-17', '2026-03-31', '2026-05-12', '2026-06-23', '2026-08-04', '2026-09-15', '2026-10-27', '2026-12-08']);
    expect(dates(quarterly)).toEqual(['2026-01-13', '2026-04-14', '2026-07-14', '2026-10-13']);
    // Every meeting of such a panel carries the panel's flag, as a when-necessary panel's carry theirs.
    expect(r.value.panels.map((p) => panelFlags({ ...p, retired: false }))).toEqual([['BELOW_GUIDANCE_TIMETABLE'], ['WHEN_NECESSARY_PANEL'], ['BELOW_GUIDANCE_TIMETABLE']]);
    expect(panelFlags({ ...r.value.panels[0]!, timetable: { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=2TU', start: '10:00', minutes: 120, from: '2020-01-01' }, retired: false })).toEqual([]);
  });

  it('cleans names of control, bidirectional and zero-width characters, and counts the limit after', () => {
    const doc = valid();
    doc.forces[0]!.name = 'Cambridgeshire\u0000 \u202EConstabulary\u202C';
    doc.panels[0]!.localAuthority = `Peterborough\u200B City Council${'\u200B'.repeat(200)}`;
    doc.forces[0]!.preventLeads = [{ ...lead, name: '\u2066A\r\nLead\u2069' }];
    const r = parsePanelsConfig(doc);
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.forces[0]!.name).toBe('Cambridgeshire Constabulary');
    expect(r.value.panels[0]!.localAuthority).toBe('Peterborough City Council');
    expect(r.value.forces[0]!.preventLeads[0]!.name).toBe('A Lead');
  });

  it.each<[string, (d: any) => void, string]>([
    ['a force name of zero-width spaces', (d) => (d.forces[0].name = '\u200B\u200B\u200B'), 'forces[0].name'],
    ['a panel name of controls and overrides', (d) => (d.panels[1].name = '\u0000\u202E\u202C'), 'panels[1].name'],
    ['a chair named by a Hangul filler', (d) => (d.panels[0].chairs = [{ ...chair, name: '\u3164' }]), 'panels[0].chairs[0].name'],
  ])('refuses %s as empty', (_name, mutate, path) => {
    expect(problems(mutate)).toContain(`${path}: is empty once control and invisible characters are removed`);
  });

  it('accepts the Agents Playground user ids but nothing longer', () => {
    const doc = valid();
    doc.nationalLeads = [{ aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' }];
    expect(parsePanelsConfig(doc).ok).toBe(true);
    doc.nationalLeads = [{ aadObjectId: '00000000-0000-0000-0000-00000000000200', name: 'Alex Wilber' }];
    expect(parsePanelsConfig(doc).ok).toBe(false);
  });

  it('lists every problem at once', () => {
    const found = problems((d) => {
      d.forces[0].id = 'BAD';
      d.panels[0].timetable.start = '9am';
      d.panels[1].chairs = [];
    });
    // Renaming the force also orphans the panels that named it: cross-references are checked in the same pass.
    expect(found.map((p) => p.split(':')[0])).toEqual([
      'forces[0].id', 'panels[0].timetable.start', 'panels[1].chairs', 'panels[0].forces[0]', 'panels[1].forces[0]',
    ]);
  });

  it('ships a realistic sample: 3+ forces, 8+ panels, a multi-force and a when-necessary panel', () => {
    const r = parsePanelsConfig(parse(readFileSync('config/panels.sample.yaml', 'utf8')));
    if (!r.ok) throw new Error(r.error.message);
    expect(r.value.forces.length).toBeGreaterThanOrEqual(3);
    expect(r.value.panels.length).toBeGreaterThanOrEqual(8);
    expect(r.value.panels.some((p) => p.forces.length > 1)).toBe(true);
    expect(r.value.panels.some((p) => p.timetable.kind === 'when-necessary')).toBe(true);
    // One of each read-only role, so a newcomer sees how they are written.
    expect([r.value.inspectors?.length, r.value.forces.filter((f) => f.pccOffice?.length).length, r.value.regions?.length]).toEqual([1, 1, 1]);
  });
});

describe('areas of a big force', () => {
  const areaLead = { aadObjectId: '44444444-4444-4444-8444-444444444444', name: 'An Area Lead' };
  const withAreas = (areas: unknown[], force = 0) => (doc: any) => {
    doc.forces[force].areas = areas;
  };
  const area = (id: string, panels: string[]) => ({ id, name: `Area ${id}`, panels, leads: [areaLead] });

  it('accepts areas, each with its panels, leads and (defaulted) deputies', () => {
    const doc = valid() as any;
    withAreas([area('north', ['pr']), area('south', ['scilly'])])(doc);
    const r = parsePanelsConfig(doc);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.forces[0]!.areas).toEqual([
      { id: 'north', name: 'Area north', panels: ['pr'], leads: [areaLead], deputies: [] },
      { id: 'south', name: 'Area south', panels: ['scilly'], leads: [areaLead], deputies: [] },
    ]);
    expect(r.value.forces[1]!.areas).toBeUndefined();
  });

  it('refuses a panel in two areas of one force, naming both', () => {
    expect(problems(withAreas([area('north', ['pr']), area('south', ['pr', 'scilly'])]))).toEqual([
      'forces[0].areas[1].panels[0]: panel "pr" is already in area "north" of this force: a panel belongs to at most one area of each force',
    ]);
  });

  it('allows one panel in an area of each of its forces', () => {
    const doc = valid() as any;
    withAreas([area('cambs-west', ['pr'])], 0)(doc);
    withAreas([area('leics-east', ['pr'])], 1)(doc);
    expect(parsePanelsConfig(doc).ok).toBe(true);
  });

  it('refuses an unknown panel, a panel that does not face the force, and area ids used twice or taken', () => {
    const found = problems((doc) => {
      withAreas([area('north', ['nowhere']), area('cambs', ['pr'])], 0)(doc);
      withAreas([area('north', ['scilly']), area('pr', ['pr'])], 1)(doc);
    });
    expect(found).toEqual([
      'forces[0].areas[0].panels[0]: unknown panel "nowhere"',
      'forces[0].areas[1].id: area id "cambs" is already a force or panel id',
      'forces[1].areas[0].id: duplicate area id "north"',
      'forces[1].areas[0].panels[0]: panel "scilly" does not face force "leics"',
      'forces[1].areas[1].id: area id "pr" is already a force or panel id',
    ]);
  });

  it('refuses an area without panels or leads', () => {
    expect(problems(withAreas([{ id: 'empty', name: 'Empty', panels: [], leads: [] }]))).toEqual([
      'forces[0].areas[0].panels: an area covers at least one panel',
      'forces[0].areas[0].leads: an area needs at least one lead',
    ]);
  });
});
