/** Activities shaped the way the Teams service posts them to a bot. */
export const TENANT = 'tenant-a';
export const TEAM = '19:team-root@thread.tacv2';
export const CHANNEL = '19:hampshire-prevent@thread.tacv2';

export interface Speaker {
  aadObjectId: string;
  name: string;
}

export const GARETH: Speaker = { aadObjectId: '36f675cc-81e7-4ef5-a8e2-5d940ed90475', name: 'Gareth Owen' }; // Hampshire Prevent lead
export const NADIA: Speaker = { aadObjectId: '6b0d549b-6f03-475a-9600-a35a099950d8', name: 'Nadia Rahman' }; // Hampshire deputy
export const STRANGER: Speaker = { aadObjectId: 'ffffffff-ffff-4fff-8fff-ffffffffffff', name: 'Someone Else' };

const base = (serviceUrl: string, who: Speaker, channel: boolean) => ({
  channelId: 'msteams',
  serviceUrl,
  id: `act-${Math.random().toString(16).slice(2)}`,
  timestamp: new Date().toISOString(),
  from: { id: `29:${who.aadObjectId}`, name: who.name, aadObjectId: who.aadObjectId },
  recipient: { id: '28:bot-id', name: 'Channel panel bot' },
  conversation: channel
    ? { id: `${CHANNEL};messageid=1`, conversationType: 'channel', tenantId: TENANT, isGroup: true }
    : { id: `a:personal-${who.aadObjectId}`, conversationType: 'personal', tenantId: TENANT },
  channelData: channel ? { tenant: { id: TENANT }, team: { id: TEAM }, channel: { id: CHANNEL } } : { tenant: { id: TENANT } },
});

/** The bot added to a team: Teams sends this into the team's General channel. */
export const botAddedToTeam = (serviceUrl: string, who: Speaker) => ({
  ...base(serviceUrl, who, true),
  type: 'conversationUpdate',
  membersAdded: [{ id: '28:bot-id' }],
});

export const channelMessage = (serviceUrl: string, who: Speaker, text: string) => ({ ...base(serviceUrl, who, true), type: 'message', text });
export const personalMessage = (serviceUrl: string, who: Speaker, text: string) => ({ ...base(serviceUrl, who, false), type: 'message', text });

/** A button press on a card, as Teams sends the Universal Action: the card's data with the inputs merged in. */
export const cardAction = (serviceUrl: string, who: Speaker, verb: string, data: Record<string, unknown>) => ({
  ...base(serviceUrl, who, true),
  type: 'invoke',
  name: 'adaptiveCard/action',
  value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
});

export const DAWN: Speaker = { aadObjectId: '92276658-1e27-41c0-8a6a-63ec24ede6a4', name: 'Dawn Fisher' }; // chairs Southampton
export const KIERAN: Speaker = { aadObjectId: 'ae97ba94-d0ed-482f-8f6d-05584ef8aa38', name: 'Kieran Walsh' }; // chairs Portsmouth
export const MARCUS: Speaker = { aadObjectId: '0fd630f1-f29d-4da9-953f-48f1a09f76b5', name: 'Marcus Reid' }; // Leicestershire Prevent lead
