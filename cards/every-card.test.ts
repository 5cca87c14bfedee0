import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardBytes, cardProblems } from '../test/support/validate-card.js';
import { attendanceCard, type AttendanceView } from './attendance-card.js';
import { cancelCard, cancelledCard, changedCard, type CancelListItem } from './cancel-card.js';
import { flagsCard } from './flags-card.js';
import { panelsCard, type PanelsRow } from './panels-card.js';

// The cards the other test files in this folder do not build (nomination, review, history and subscribe
// have their own), each with realistic data at the sizes the product allows, so none nears Teams' 28 KB.

const LIMIT = 28 * 1024;
const person = (i: number) => ({ aadObjectId: `6b0d549b-6f03-475a-9600-a35a0999${String(5000 + i).padStart(4, '0')}`, name: `Detective Inspector Person ${i}` });
const start = '2027-03-29T10:00:00+01:00'; // the first Monday after the clocks go forward
const end = '2027-03-29T12:00:00+01:00';

const attendance: AttendanceView = {
  meetingId: 'cumbria.2027-03-29',
  version: '3.1.2.0',
  panelName: 'Cumbria Channel panel (combined)',
  start,
  end,
  forces: ['cumbria', 'lancashire', 'north-yorkshire'].map((id, f) => ({
    id,
    name: `${id} Constabulary`,
    nominee: f === 2 ? null : person(f),
    recorded: f === 1 ? { attended: true, aadObjectId: person(9).aadObjectId, decisionMaker: false } : null,
    choices: Array.from({ length: 12 }, (_, i) => person(i)),
  })),
};

const meetings: CancelListItem[] = Array.from({ length: 20 }, (_, i) => ({
  meetingId: `panel-${i}.2027-0${1 + (i % 9)}-1${i % 10}`,
  version: 100_000 + i,
  panelName: `Panel ${i} with a long local authority name Channel panel`,
  start,
  end,
  extra: i % 7 === 0,
}));
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
  code: ['CANCELLED_NO_CASES', 'NOT_DECISION_MAKER', 'TIMETABLE_GAP', 'ATTENDEE_CHURN'][i % 4]!,
  panelName: `Panel ${i % 25} Channel panel`,
  facts: `Mon 29 Mar 2027: ${person(i).name} could not make decisions on behalf of cumbria`,
}));

const built: Record<string, Array<[string, Record<string, unknown>]>> = {
  attendanceCard: [
    ['three forces, one unrecorded', attendanceCard(attendance)],
    ['with a refusal line', attendanceCard(attendance, 'Not recorded: choose who attended for cumbria from the list.')],
  ],
  cancelCard: [
    ['twenty meetings and ten panels', cancelCard(meetings, undefined, chairPanels)],
    ['nothing to cancel, one when-necessary panel', cancelCard([], 'No meetings of your panels are coming up.', [chairPanels[3]!])],
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
