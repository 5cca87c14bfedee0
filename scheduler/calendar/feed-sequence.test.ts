import { describe, expect, it } from 'vitest';
import { removedContent, type EventContent } from './calendar-feed.js';
import { fingerprint, nextSequence } from './feed-sequence.js';

const JUNE: EventContent = {
  meetingId: 'southampton.2027-06-07', start: '2027-06-07T09:00:00.000Z', end: '2027-06-07T11:00:00.000Z', cancelled: false,
  summary: 'Southampton Channel panel', description: 'Southampton Channel panel (Southampton City Council)',
};

describe('a feed event\'s SEQUENCE', () => {
  it('starts at the meeting\'s revision', () => {
    expect(nextSequence(undefined, 7, fingerprint(JUNE))).toBe(7);
  });

  it('stays put while nothing the feed shows changes, and follows the revision up', () => {
    const served = { sequence: 7, fingerprint: fingerprint(JUNE) };
    expect(nextSequence(served, 7, fingerprint(JUNE))).toBe(7);
    expect(nextSequence(served, 9, fingerprint(JUNE))).toBe(9);
  });

  it('rises when only what this feed shows changed, with the revision unmoved', () => {
    const served = { sequence: 7, fingerprint: fingerprint(JUNE) };
    const narrowed = { ...JUNE, description: `${JUNE.description} (one force only)` };
    expect(nextSequence(served, 7, fingerprint(narrowed))).toBe(8);
    const removed = removedContent({ ...JUNE, panelName: 'Southampton Channel panel', reason: 'not-shown' });
    expect(nextSequence(served, 3, fingerprint(removed))).toBe(8);
  });

  it('never falls below what the feed served, whatever the revision says', () => {
    for (const revision of [0, 1, 6]) expect(nextSequence({ sequence: 7, fingerprint: fingerprint(JUNE) }, revision, fingerprint(JUNE))).toBe(7);
  });

  it('fingerprints every field a calendar shows, and nothing else', () => {
    const print = fingerprint(JUNE);
    for (const changed of [{ start: '2027-06-08T09:00:00.000Z' }, { end: '2027-06-07T12:00:00.000Z' }, { cancelled: true }, { summary: 'Cancelled' }, { description: '' }]) {
      expect(fingerprint({ ...JUNE, ...changed }), JSON.stringify(changed)).not.toBe(print);
    }
    expect(fingerprint({ ...JUNE })).toBe(print);
  });
});
