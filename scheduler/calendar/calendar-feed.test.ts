import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandWithIcalJs, expandWithNodeIcal } from '../../test/support/ical-parsers.js';
import { feedDay, feedWindow, liveContent, removedContent, renderFeed, type FeedEvent, type FeedMeeting } from './calendar-feed.js';
import { planOccurrences } from '../domain/timetable.js';
import type { Meeting, RruleTimetable } from '../domain/types.js';

const GOLDEN = 'test/golden/panel-feed.ics';
const SOUTHAMPTON: RruleTimetable = { kind: 'rrule', rrule: 'FREQ=MONTHLY;BYDAY=1MO', start: '10:00', minutes: 120, from: '2020-01-01' };
const NOMINEE = { name: 'Nadia Rahman', role: 'Detective Inspector', decisionMaker: true, version: 1 };

/** Southampton's 2027 meetings: across both clock changes, with the May bank-holiday move the planner makes. */
function meetings(): Meeting[] {
  return planOccurrences('southampton', SOUTHAMPTON, '2027-01-01T00:00:00.000Z', '2028-01-01T00:00:00.000Z').map((p) => ({
    ...p, status: 'scheduled', extra: false, version: 1, locked: false,
  }));
}

function feedRows(ms: Meeting[], nominated: Record<string, typeof NOMINEE> = {}): FeedMeeting[] {
  return ms.map((m) => ({
    meeting: m,
    panelName: 'Southampton Channel panel',
    localAuthority: 'Southampton City Council',
    forces: [{ name: 'Hampshire and Isle of Wight Constabulary', nomination: nominated[m.id] ?? null }],
  }));
}

/** Each row's event at the SEQUENCE its revision gives a first fetch: the meeting's version and its nomination's. */
const eventsOf = (rows: FeedMeeting[], nominated: Record<string, typeof NOMINEE> = {}): FeedEvent[] =>
  rows.map((r) => ({ ...liveContent(r), sequence: r.meeting.version + (nominated[r.meeting.id]?.version ?? 0) }));

const renderEvents = (events: FeedEvent[]) =>
  renderFeed({ name: 'Southampton Channel panel', description: 'Test feed', botUrl: 'https://bot.example/', stamp: '2027-01-02T03:04:05.000Z', events });
const render = (rows: FeedMeeting[]) => renderEvents(eventsOf(rows));

/** The panel feed of the golden file: May moved by the bank holiday, June cancelled, March nominated. */
function goldenFeed(): string {
  const ms = meetings().map((m) => (m.id === 'southampton.2027-06-07' ? { ...m, status: 'cancelled' as const, version: 2, locked: true } : m));
  const nominated = { 'southampton.2027-03-01': NOMINEE };
  return renderEvents(eventsOf(feedRows(ms, nominated), nominated));
}

const normalise = (ics: string) => ics.replace(/^DTSTAMP:.*$/gm, 'DTSTAMP:<normalised>');

describe('calendar feed', () => {
  it('matches the golden panel feed (moved, cancelled and nominated meetings)', () => {
    const ics = normalise(goldenFeed());
    // UPDATE_GOLDEN=1 rewrites the file after a deliberate format change; review the diff before committing it.
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, ics);
    expect(existsSync(GOLDEN), `${GOLDEN} is missing: run with UPDATE_GOLDEN=1 once`).toBe(true);
    // Compared line by line, so a checkout that rewrites line endings does not fail the test; the CRLFs are checked below.
    expect(ics.split('\r\n')).toEqual(readFileSync(GOLDEN, 'utf8').split(/\r?\n/));
    expect(ics).toMatch(/^UID:southampton\.2027-05-03@channel-panel-bot\r$/m);
  });

  it('shows every meeting at 10:00 Europe/London on both sides of each clock change, to two independent parsers', () => {
    const ics = goldenFeed();
    const a = expandWithIcalJs(ics);
    const b = expandWithNodeIcal(ics);
    expect(a).toEqual(b);
    expect(a).toHaveLength(12);
    expect(a.every((e) => e.start.endsWith(' 10:00') && e.end.endsWith(' 12:00'))).toBe(true);
    // 28 March and 31 October 2027 are the changes: 1 March and 5 April, 4 October and 1 November straddle them.
    expect(a.map((e) => e.start)).toEqual(expect.arrayContaining(['2027-03-01 10:00', '2027-04-05 10:00', '2027-10-04 10:00', '2027-11-01 10:00']));
    expect(a.find((e) => e.start.startsWith('2027-05'))!.start).toBe('2027-05-04 10:00');
  });

  it('marks a cancelled meeting CANCELLED and keeps it in the feed', () => {
    const june = expandWithNodeIcal(goldenFeed()).find((e) => e.uid === 'southampton.2027-06-07@channel-panel-bot')!;
    expect(june.status).toBe('CANCELLED');
    expect(june.summary).toBe('Cancelled: Southampton Channel panel');
    expect(expandWithIcalJs(goldenFeed()).filter((e) => e.status === 'CANCELLED')).toHaveLength(1);
  });

  it('names the nominee, or says nobody is named yet, and says where a moved meeting came from', () => {
    const seen = expandWithIcalJs(goldenFeed());
    expect(seen.find((e) => e.start === '2027-03-01 10:00')!.description).toContain(
      'Hampshire and Isle of Wight Constabulary: Nadia Rahman (Detective Inspector), confirmed as a decision maker',
    );
    expect(seen.find((e) => e.start === '2027-04-05 10:00')!.description).toContain('no police attendee named yet');
    expect(seen.find((e) => e.start === '2027-05-04 10:00')!.description).toContain('Moved from Mon 3 May 2027, 10:00 (bank holiday: Early May bank holiday).');
    expect(seen.every((e) => e.description.includes('https://bot.example/'))).toBe(true);
  });

  it('shows a removed meeting cancelled, at the times it had, with why in plain words and nothing else', () => {
    const [jan] = meetings();
    const removed = removedContent({ meetingId: jan!.id, start: jan!.start, end: jan!.end, panelName: 'Southampton Channel panel', reason: 'timetable-changed' });
    const ics = renderEvents([{ ...removed, sequence: 4 }]);
    const [a] = expandWithIcalJs(ics);
    expect(expandWithNodeIcal(ics)).toEqual([a]);
    expect(a).toMatchObject({ uid: 'southampton.2027-01-04@channel-panel-bot', status: 'CANCELLED', sequence: 4, start: '2027-01-04 10:00', summary: 'Cancelled: Southampton Channel panel' });
    expect(a!.description).toContain("No longer planned: the panel's timetable changed.");
    expect(a!.description).not.toContain('Police attendee');
    const hidden = removedContent({ ...removed, panelName: 'Southampton Channel panel', reason: 'not-shown' });
    expect(hidden.summary).toBe('No longer in this calendar: Southampton Channel panel');
    expect(removedContent({ ...removed, panelName: 'Southampton Channel panel', reason: 'panel-retired' }).description).toContain('the panel was retired');
  });

  it('carries refresh hints, a matching VTIMEZONE and UTC stamps', () => {
    const ics = goldenFeed();
    expect(ics).toMatch(/^REFRESH-INTERVAL;VALUE=DURATION:PT12H\r$/m);
    expect(ics).toMatch(/^X-PUBLISHED-TTL:PT12H\r$/m);
    expect(ics).toMatch(/^BEGIN:VTIMEZONE\r\nTZID:Europe\/London\r$/m);
    expect(ics.match(/^DTSTART;TZID=Europe\/London:/gm)).toHaveLength(12);
    expect(ics.match(/^DTSTAMP:\d{8}T\d{6}Z\r$/gm)).toHaveLength(12);
  });

  it('covers the last 12 months and the next 12, from the start of the UTC day', () => {
    expect(feedWindow('2027-03-10T09:00:00.000Z')).toEqual({ from: '2026-03-10T00:00:00.000Z', to: '2028-03-10T00:00:00.000Z' });
  });

  // Regression: the ETag keyed on the day while the window moved by the millisecond, so one ETag named two bodies.
  it('keeps the same window all day, and moves it at midnight UTC', () => {
    expect(feedWindow('2027-03-10T00:00:00.000Z')).toEqual(feedWindow('2027-03-10T23:59:59.999Z'));
    expect(feedWindow('2027-03-11T00:00:00.000Z').from).toBe('2026-03-11T00:00:00.000Z');
    expect(feedDay('2027-03-10T23:59:59.999Z')).toBe('2027-03-10T00:00:00.000Z');
  });
});

describe('calendar feed: what happened at past meetings', () => {
  const [jan, feb] = meetings();
  const unfold = (ics: string) => ics.replace(/\r\n[ \t]/g, '').replace(/\\n/g, '\n').replace(/\\,/g, ',');

  it('says a meeting did not take place and why, and that a held one was recorded', () => {
    const rows = feedRows([{ ...jan!, status: 'not-held', version: 2 }, { ...feb!, status: 'held', version: 2 }]);
    rows[0]!.notHeldReason = 'not quorate';
    const ics = unfold(render(rows));
    expect(ics).toContain('SUMMARY:Did not take place: Southampton Channel panel');
    expect(ics).toContain('Did not take place (not quorate), as the chair recorded afterwards.');
    expect(ics).toContain('Held: the chair recorded who attended.');
  });

  it('names a force invited to one meeting as invited', () => {
    const rows = feedRows([jan!]);
    rows[0]!.forces.push({ name: 'Leicestershire Police', nomination: null, invited: true });
    expect(unfold(render(rows))).toContain('Leicestershire Police (invited to this meeting): no police attendee named yet');
  });
});
