import { describe, expect, it } from 'vitest';
import type { HistoryPage } from '../scheduler/meetings/attendance-history.js';
import { cardProblems } from '../test/support/validate-card.js';
import { attendanceHistoryCard } from './attendance-history-card.js';

const force = (forceId: string, extra: Partial<HistoryPage['rows'][number]['forces'][number]> = {}) => ({
  forceId, nominee: 'Priya Shah', outcome: null, attendees: [], decisionMaker: null, source: null, forceConfirmation: null, invited: false, ...extra,
});
const page: HistoryPage = {
  scope: { forces: ['cambs', 'leics'], panels: ['peterborough-rutland'], label: 'Cambridgeshire Constabulary, Leicestershire Police' },
  rows: [{
    meetingId: 'peterborough-rutland.2026-06-09', panelId: 'peterborough-rutland', panelName: 'Peterborough and Rutland Channel panel',
    start: '2026-06-09T10:00:00+01:00', end: '2026-06-09T12:00:00+01:00', status: 'held', extra: false, moved: false,
    flags: ['ATTENDANCE_UNRECORDED', 'NO_NOMINATION', 'ATTENDANCE_UNRECORDED'],
    forces: [force('cambs'), force('leics', { nominee: null, invited: true })],
  }],
  older: null,
  newer: null,
};
const model = { page, scopeChoices: [{ title: 'Everything I may see', value: 'all' }], filter: { scope: 'all', from: '', to: '' }, forceNames: { cambs: 'Cambridgeshire Constabulary', leics: 'Leicestershire Police' } };
const cells = (c: any): string[] => c.body.find((e: any) => e.type === 'Table').rows[1].cells.map((cell: any) => cell.items[0].text);

describe('the attendance history card', () => {
  // Issue 18: force ids beside each line, and flag codes broken mid-word ("ATTENDANCE_UNR", "ECORDED") in a narrow column.
  it('names each force by name and each flag by its title, once', () => {
    const c = attendanceHistoryCard(model);
    expect(cells(c)).toEqual([
      '9 Jun 2026',
      'Peterborough and Rutland Channel panel',
      'held\nAttendance not recorded; Nobody named to attend',
      'Cambridgeshire Constabulary: named Priya Shah; attended not recorded\nLeicestershire Police (invited): named nobody; attended not recorded',
      'Cambridgeshire Constabulary: not recorded\nLeicestershire Police: not recorded',
    ]);
    expect(cardProblems(c)).toEqual([]);
  });

  it('says a meeting that did not take place in words', () => {
    const notHeld = { ...model, page: { ...page, rows: [{ ...page.rows[0]!, status: 'not-held', flags: [] }] } };
    expect(cells(attendanceHistoryCard(notHeld))[2]).toBe('did not take place');
  });
});
