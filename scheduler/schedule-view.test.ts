import { describe, expect, it } from 'vitest';
import type { Meeting, Nomination, Panel } from './domain/types.js';
import { nominationFlags } from './schedule-view.js';

const panel = { forces: ['cambs', 'leics'] } as Panel;
const meeting = (extra: Partial<Meeting> = {}) => ({ id: 'm', panelId: 'p', start: '2027-05-04T09:00:00.000Z', status: 'scheduled', ...extra }) as Meeting;
const named = (forceId: string) => ({ forceId }) as Nomination;

describe('NO_NOMINATION', () => {
  it('is raised two working days before when any force facing the panel named nobody', () => {
    expect(nominationFlags(meeting(), panel, [named('cambs')], '2027-04-28T12:00:00.000Z', 2)).toEqual([]);
    expect(nominationFlags(meeting(), panel, [named('cambs')], '2027-04-29T08:00:00.000Z', 2)).toEqual(['NO_NOMINATION']); // Mon 3 May is a bank holiday
  });

  it('is not raised once every force has named someone, nor for a cancelled meeting', () => {
    expect(nominationFlags(meeting(), panel, [named('cambs'), named('leics')], '2027-05-04T08:00:00.000Z', 2)).toEqual([]);
    expect(nominationFlags(meeting({ status: 'cancelled' }), panel, [], '2027-05-04T08:00:00.000Z', 2)).toEqual([]);
  });
});
