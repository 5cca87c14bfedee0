import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { attendanceCard, type AttendanceView } from './attendance-card.js';
import { cancelCard, cancelledCard, changedCard, type CancelListItem } from './cancel-card.js';
import { checkpointCard } from './checkpoint-card.js';
import { flagsCard } from './flags-card.js';
import { panelsCard, type PanelsRow } from './panels-card.js';

// The cards the other test files in this folder do not build (nomination, review, history and subscribe
// have their own), each with realistic data at the sizes the product allows, so none nears Teams' 28 KB.

const LIMIT = 28 * 1024;
const person = (i: number) => ({ aadObjectId: `6b0d549b-6f03-475a-9600-a35a0999${String(5000 + i).padStart(4, '0')}`, name: `Detective Inspector Person ${i}` });
const start = '2027-03-29T10:00:00+01:00'; // the first Monday after the clocks go forward
const end = '2027-03-29T12:00:00+01:00';

const attendee = (i: number) => ({
  ...person(i), tenantId: null, roleCategory: 'regional-ctu-officer' as const, role: 'Detective Chief Inspector (regional)', unit: 'regional' as const, mode: 'online' as const, decisionMaker: 'unknown' as const, substitute: true,
});

// A combined panel at the forces and attendee slots the product allows, each picker with its twelve people.
const attendance: AttendanceView = {
  meetingId: 'cumbria.2027-03-29',
  version: '3.1.2.0.4',
  panelName: 'Cumbria Channel panel (combined)',
  start,
  end,
  record: { outcome: 'held', notHeldReason: null, agencies: { 'local-authority': 3, health: 1, 'childrens-services': 0 }, source: 'chair' },
  forces: ['cumbria', 'lancashire', 'north-yorkshire', 'british-transport-police'].map((id, f) => ({
    id,
    name: `${id} Constabulary`,
    invited: f === 3,
    nominee: f === 2 ? null : person(f),
    recorded: f === 1 ? { outcome: 'attended', attendees: [attendee(9), attendee(10), attendee(11)], source: 'chair', forceConfirmation: 'pending' } : null,
    apology: f === 0 ? { sentBy: person(0).name, substitute: person(5).name, sentAt: '2027-03-25T09:12:00+00:00' } : null,
    choices: Array.from({ length: 12 }, (_, i) => person(i)),
  })),
};

// The same panel after an import of a large record: nine people with a Teams account for one force and one known
// by name alone (an import allows any number; the card has a slot for each, up to nine, or keeps them as lines).
const imported: AttendanceView = {
  ...attendance,
  record: { ...attendance.record!, source: 'import' },
  forces: attendance.forces.map((f, i) => (i === 0
    ? { ...f, recorded: { outcome: 'attended', attendees: [...Array.from({ length: 9 }, (_, n) => attendee(20 + n)), { ...attendee(30), aadObjectId: null, name: 'Sam Cole' }], source: 'import', forceConfirmation: 'not-needed' } }
    : i === 1 ? { ...f, recorded: { ...f.recorded!, attendees: [...f.recorded!.attendees, attendee(12), attendee(13)] } } : f)),
};

const meetings: CancelListItem[] = Array.from({ length: 20 }, (_, i) => ({
  meetingId: `panel-${i}.2027-0${1 + (i % 9)}-1${i % 10}`,
  version: 100_000 + i,
  panelName: `Panel ${i} with a long local authority name Channel panel`,
  start,
  end,
  extra: i % 7 === 0,
}));
const past = Array.from({ length: 100 }, (_, i) => ({ meetingId: `panel-${i % 10}.20${20 + Math.floor(i / 12)}-0${1 + (i % 9)}-1${i % 10}`, panelName: `Panel ${i % 10} with a long local authority name Channel panel`, start, extra: i % 5 === 0, recorded: i % 3 === 0 }));
const forces = Array.from({ length: 43 }, (_, i) => ({ id: `force-${i}`, name: `Force number ${i} Constabulary of a long county name` }));
const chairPanels = Array.from({ length: 10 }, (_, i) => ({ id: `panel-${i}`, name: `Panel ${i} Channel panel`, whenNecessary: i === 3, snapshot: { asOf: '2027-03-01T09:00:00.000Z', fingerprint: 'AbCdEfGhIjKlMnOp' } }));

const panelsRows: PanelsRow[] = Array.from({ length: 15 }, (_, i) => ({
  id: `panel-${i}.2027-04-0${1 + (i % 9)}`,
  panelName: `Panel ${i} Channel panel`,
  start,
  end,
  status: i % 5 === 0 ? 'cancelled' : 'scheduled',
  nominations: [{ forceId: 'cumbria', name: person(i).name, decisionMaker: i % 2 === 0 }],
  flags: i % 3 === 0 ? ['NO_NOMINATION', 'TIMETABLE_GAP'] : [],
  canNominateFor: ['cumbria', 'lancashire'],
  canCancel: i % 4 === 0,
}));

const flagRows = Array.from({ length: 200 }, (_, i) => ({
  code: (['CANCELLED_NO_CASES', 'NOT_DECISION_MAKER', 'TIMETABLE_GAP', 'ATTENDEE_CHURN'] as const)[i % 4]!,
  panelName: `Panel ${i % 25} Channel panel`,
  facts: `Mon 29 Mar 2027: ${person(i).name} could not make decisions on behalf of cumbria`,
}));

const built: Record<string, Array<[string, Record<string, unknown>]>> = {
  attendanceCard: [
    ['four forces (one invited), three attendees recorded for one', attendanceCard(attendance)],
    ['nothing recorded yet', attendanceCard({ ...attendance, record: null, forces: attendance.forces.map((f) => ({ ...f, recorded: null })) })],
    ['with a refusal line', attendanceCard(attendance, 'Nothing was recorded. Still to answer: cumbria Constabulary: say whether the police attended, sent apologies or were absent without apologies.')],
    ['an imported record of ten for one force (one by name alone) and five for another', attendanceCard(imported)],
    ['the same with a refusal line', attendanceCard(imported, 'Nothing was recorded: cumbria Constabulary, attendee 2: pick who attended, or clear that attendee\'s answers.')],
  ],
  cancelCard: [
    ['twenty meetings, ten panels, a hundred past meetings and every force to invite', cancelCard(meetings, undefined, chairPanels, { past, forces })],
    ['nothing to cancel, one when-necessary panel', cancelCard([], 'No meetings of your panels are coming up.', [chairPanels[3]!])],
    ['nothing to cancel, past meetings to record', cancelCard([], undefined, [chairPanels[0]!], { past: past.slice(0, 5), forces })],
  ],
  checkpointCard: [
    ['an early head', checkpointCard({ seq: 1, hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', at: start })],
    ['a decade of entries', checkpointCard({ seq: 987_654_321, hash: 'f'.repeat(64), at: '2036-12-29T08:00:00+00:00' })],
  ],
  cancelledCard: [['a cancellation', cancelledCard('Cumbria Channel panel (combined)', start, end, 'not quorate')]],
  changedCard: [['a move', changedCard('Moved: Cumbria Channel panel', start, end, 'The named attendee carries over and is told.')]],
  flagsCard: [
    ['two hundred flags, cut to a count', flagsCard(flagRows)],
    ['none open', flagsCard([])],
  ],
  panelsCard: [
    ['fifteen meetings with actions', panelsCard(panelsRows)],
    ['nothing involves the person', panelsCard([])],
  ],
};

describe('every card the bot sends', () => {
  for (const [builder, cases] of Object.entries(built)) {
    for (const [name, json] of cases) {
      it(`${builder}: ${name} parses with no events and stays under 28 KB`, () => {
        expect(cardProblems(json)).toEqual([]);
        expect(cardBytes(json)).toBeLessThan(LIMIT);
      });
    }
  }

  it('leaves no card builder untested: each is built here or checked in its own test file', () => {
    const dir = new URL('./', import.meta.url);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));
    const builders = files.filter((f) => !f.endsWith('.test.ts')).flatMap((f) => [...readFileSync(new URL(f, dir), 'utf8').matchAll(/^export function (\w+Card)\(/gm)].map((m) => m[1]!));
    const tests = files.filter((f) => f.endsWith('.test.ts') && f !== 'every-card.test.ts').map((f) => readFileSync(new URL(f, dir), 'utf8'));
    const checkedElsewhere = (b: string) => tests.some((t) => t.includes(`${b}(`) && t.includes('cardProblems('));
    expect(builders.filter((b) => !(b in built) && !checkedElsewhere(b))).toEqual([]);
    expect(builders.length).toBeGreaterThanOrEqual(Object.keys(built).length + 4);
  });
});
