import { TENANT, type Speaker } from './teams-activities.js';

/**
 * Activities from a Teams meeting's chat, shaped as Teams posts them (msteams-docs meeting-apps-apis.md): the chat is
 * a group chat whose channelData names the meeting; start and end carry Teams' PascalCase `value`; participant join
 * and leave (singular names) list the members with their home tenant.
 */
export const MEETING_CHAT = '19:meeting_NjM1YzE0ZWQtZDNmNS00YjE1@thread.v2';
export const TEAMS_MEETING_ID = 'MCMxOTptZWV0aW5nX05qTTFZekUwWldRdFpETm1OUzAwWWpFMUB0aHJlYWQudjIjMA==';

const base = (serviceUrl: string, from: Speaker, teamsMeetingId: string) => ({
  channelId: 'msteams',
  serviceUrl,
  id: `act-${Math.random().toString(16).slice(2)}`,
  timestamp: new Date().toISOString(),
  from: { id: `29:${from.aadObjectId}`, name: from.name, aadObjectId: from.aadObjectId },
  recipient: { id: '28:bot-id', name: 'Channel panel bot' },
  conversation: { id: MEETING_CHAT, conversationType: 'groupChat', tenantId: TENANT, isGroup: true },
  channelData: { tenant: { id: TENANT }, source: null, meeting: { id: teamsMeetingId } },
});

/** Something typed in the meeting's chat. */
export const meetingChatMessage = (serviceUrl: string, who: Speaker, text: string, teamsMeetingId = TEAMS_MEETING_ID) => ({ ...base(serviceUrl, who, teamsMeetingId), type: 'message', text });

const event = (serviceUrl: string, from: Speaker, name: string, value: unknown, teamsMeetingId: string) => ({ ...base(serviceUrl, from, teamsMeetingId), type: 'event', name, value });

/** The meeting started: `StartTime` as Teams writes it (seven decimals). */
export const meetingStart = (serviceUrl: string, organiser: Speaker, startTime: string, teamsMeetingId = TEAMS_MEETING_ID) =>
  event(serviceUrl, organiser, 'application/vnd.microsoft.meetingStart', {
    Id: 'MCMxOTptZWV0aW5n', MeetingType: 'Scheduled', Title: 'Southampton Channel panel', JoinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting', StartTime: startTime.replace(/\.\d{3}Z$/, '.0000000Z'),
  }, teamsMeetingId);

/** The meeting ended. */
export const meetingEnd = (serviceUrl: string, organiser: Speaker, endTime: string, teamsMeetingId = TEAMS_MEETING_ID) =>
  event(serviceUrl, organiser, 'application/vnd.microsoft.meetingEnd', {
    Id: 'MCMxOTptZWV0aW5n', MeetingType: 'Scheduled', Title: 'Southampton Channel panel', JoinUrl: 'https://teams.microsoft.com/l/meetup-join/19%3ameeting', EndTime: endTime.replace(/\.\d{3}Z$/, '.0000000Z'),
  }, teamsMeetingId);

const members = (people: readonly Speaker[], inMeeting: boolean) => ({
  members: people.map((p) => ({ user: { id: `29:${p.aadObjectId}`, name: p.name, aadObjectId: p.aadObjectId, tenantId: TENANT }, meeting: { inMeeting, role: 'Attendee' } })),
});

/** People joined; the event's sender is one of them, as Teams sends it. */
export const participantsJoin = (serviceUrl: string, people: readonly Speaker[], teamsMeetingId = TEAMS_MEETING_ID) =>
  event(serviceUrl, people[0]!, 'application/vnd.microsoft.meetingParticipantJoin', members(people, true), teamsMeetingId);

export const participantsLeave = (serviceUrl: string, people: readonly Speaker[], teamsMeetingId = TEAMS_MEETING_ID) =>
  event(serviceUrl, people[0]!, 'application/vnd.microsoft.meetingParticipantLeave', members(people, false), teamsMeetingId);
