import { describe, expect, it } from 'vitest';
import type { Conversation, Meeting, Panel } from '../domain/types.js';
import type { Repos } from '../store/store.js';
import { apologiesNotices } from './notices.js';

// One message a person for each change, however their Entra id is written: a panel's chairs listed with the same id
// in two cases are one chair (test/notices.http.test.ts covers the other kinds over real HTTP).

const DAWN = '92276658-1e27-41c0-8a6a-63ec24ede6a4';
const LUCY = '923a7369-94e3-4f91-9a61-dbe22e44158b';
const NOW = '2027-04-20T08:00:00.000Z';

/** Only what queuing a notice reads: each person's personal chat, found by their id in lower case as the store keeps it. */
const repos = (people: string[]) => ({
  teams: {
    personalConversation: async (aad: string): Promise<Conversation | null> =>
      people.includes(aad) ? { id: `a:personal-${aad}`, tenantId: 't', serviceUrl: 'https://smba.example', kind: 'personal', teamId: null, userAadObjectId: aad, botId: '28:bot' } : null,
  },
}) as unknown as Repos;

const meeting = { id: 'southampton.2027-05-03', panelId: 'southampton' } as Meeting;
const panel = (chairs: string[]): Panel => ({
  id: 'southampton', name: 'Southampton Channel panel', localAuthority: 'Southampton City Council', forces: ['hampshire'],
  chairs: chairs.map((aadObjectId) => ({ aadObjectId, name: 'A chair' })), timetable: { kind: 'when-necessary', start: '10:00', minutes: 120 }, teamsChannelId: null, retired: false,
});

describe('apologies notices', () => {
  it('tells each chair once, whatever the case of their id, in their own chat', async () => {
    const queued = await apologiesNotices(repos([DAWN, LUCY]), meeting, panel([DAWN, DAWN.toUpperCase(), LUCY]), 'hampshire', null, NOW);
    expect(queued.map((m) => [m.personAadObjectId, m.conversationId])).toEqual([[DAWN, `a:personal-${DAWN}`], [LUCY, `a:personal-${LUCY}`]]);
  });

  it("finds a chair written in capitals, and leaves out one whose chat is the panel's linked conversation", async () => {
    const queued = await apologiesNotices(repos([DAWN, LUCY]), meeting, panel([DAWN.toUpperCase(), LUCY]), 'hampshire', `a:personal-${LUCY}`, NOW);
    expect(queued.map((m) => m.personAadObjectId)).toEqual([DAWN]);
  });
});
