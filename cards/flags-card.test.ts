import { describe, expect, it } from 'vitest';
import { cardProblems } from '../test/support/validate-card.js';
import { flagsCard, type FlagRow } from './flags-card.js';

const PANEL = 'Peterborough and Rutland Channel panel';
const row = (extra: Partial<FlagRow> & Pick<FlagRow, 'code'>): FlagRow & { facts: string } => ({
  panelName: PANEL, facts: '2027-05-03: cambs had named nobody by 2027-04-29', ...extra,
});
const may = { meetingId: 'peterborough-rutland.2027-05-11', meetingStart: '2027-05-11T10:00:00+01:00' };
const texts = (c: any): string[] => (Array.isArray(c) ? c.flatMap(texts) : c && typeof c === 'object' ? [...(c.type === 'TextBlock' ? [c.text] : []), ...Object.values(c).flatMap(texts)] : []);
const actions = (c: any): any[] => c.body.filter((e: any) => e.type === 'ActionSet').flatMap((e: any) => e.actions);

describe('the flags card', () => {
  // Issue 18: "cambs has named nobody", NO_NOMINATION and ISO dates, straight from the domain's facts.
  it('says each flag in words: its title, when, the force by name, and why it matters; never the facts, ids or codes', () => {
    const c = flagsCard([
      row({ code: 'NO_NOMINATION', ...may, forceId: 'cambs', forceName: 'Cambridgeshire Constabulary' }),
      row({ code: 'TIMETABLE_GAP', month: '2027-01' }),
      row({ code: 'POLICE_ABSENT', ...may, forceId: 'leics', forceName: 'Leicestershire Police', apologies: false }),
    ]);
    expect(texts(c)).toEqual([
      'Open compliance flags (3)',
      PANEL,
      '**Nobody named to attend**: Tue 11 May 2027, Cambridgeshire Constabulary',
      'The force had not named its attendee by the escalation point.',
      '**Month with no meeting planned**: January 2027',
      'The guidance timetable expects a meeting every month.',
      '**Police absent**: Tue 11 May 2027, Leicestershire Police (no apologies)',
      'Nobody represented the force at a meeting that was held.',
    ]);
    expect(JSON.stringify(c)).not.toMatch(/named nobody|NO_NOMINATION|2027-0|"cambs"[^,]*"text"/);
    expect(cardProblems(c)).toEqual([]);
  });

  // Issue 18: "a button that opens a form does not destroy the list it came from": each carries `from: 'flags'`, so
  // its form comes as a new message and the press is answered with this list.
  it('offers a button where the person can act: name the attendee, or record attendance, with the ids the route reads and where it came from', () => {
    const c = flagsCard([
      row({ code: 'NO_NOMINATION', ...may, forceId: 'cambs', forceName: 'Cambridgeshire Constabulary', action: 'name-attendee' }),
      row({ code: 'NO_NOMINATION', ...may, forceId: 'leics', forceName: 'Leicestershire Police', action: 'name-attendee' }),
      row({ code: 'ATTENDANCE_UNRECORDED', month: '2027-03', meetingId: 'peterborough-rutland.2027-03-09', action: 'record-attendance' }),
      row({ code: 'NOT_DECISION_MAKER', ...may, forceId: 'cambs', forceName: 'Cambridgeshire Constabulary', action: null }),
    ]);
    expect(actions(c)).toEqual([
      { type: 'Action.Execute', title: 'Name attendee for Tue 11 May 2027 (Cambridgeshire Constabulary)', verb: 'openNomination', data: { meetingId: may.meetingId, forceId: 'cambs', from: 'flags' } },
      { type: 'Action.Execute', title: 'Name attendee for Tue 11 May 2027 (Leicestershire Police)', verb: 'openNomination', data: { meetingId: may.meetingId, forceId: 'leics', from: 'flags' } },
      { type: 'Action.Execute', title: 'Record attendance for March 2027', verb: 'openAttendance', data: { meetingId: 'peterborough-rutland.2027-03-09', from: 'flags' } },
    ]);
    expect(texts(c)).toContain('**Nobody named to attend** (2): Tue 11 May 2027, Cambridgeshire Constabulary; Tue 11 May 2027, Leicestershire Police');
  });

  it('puts a notice on top of the list, with or without flags', () => {
    const notice = { text: 'The nomination form is in a new message below.', tone: 'plain' as const };
    for (const c of [flagsCard([row({ code: 'TIMETABLE_GAP', month: '2027-01' })], undefined, notice), flagsCard([], undefined, notice)]) {
      expect((c as any).body[0]).toMatchObject({ type: 'Container', items: [{ text: 'The nomination form is in a new message below.' }] });
      expect(texts(c)[1]).toMatch(/^Open compliance flags/);
      expect(cardProblems(c)).toEqual([]);
    }
  });

  it('says plainly when there is nothing, and cuts a long list with a count', () => {
    expect(texts(flagsCard([]))).toEqual(['Open compliance flags', 'No flags for the panels you can see.']);
    const many = flagsCard(Array.from({ length: 45 }, (_, i) => row({ code: 'TIMETABLE_GAP', month: `20${10 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}` })));
    expect(texts(many).at(-1)).toBe('…and 5 more. The review export lists them all.');
  });
});
