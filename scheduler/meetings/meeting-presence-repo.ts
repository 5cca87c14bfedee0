/**
 * A Teams meeting linked to a panel (`link meeting`): Teams' own id for the meeting, its chat, and the panel meeting
 * being held in it now (chosen at the meeting's start; null before then, or when no panel meeting was near).
 */
export interface TeamsMeetingLink {
  teamsMeetingId: string;
  conversationId: string;
  panelId: string;
  meetingId: string | null;
  linkedBy: string;
  linkedAt: string;
}

/** One known person's time in a panel meeting's Teams meeting: a suggestion for the chair, never evidence. */
export interface Presence {
  meetingId: string;
  aadObjectId: string;
  firstJoined: string;
  /** When they last left; null when they have not left yet. */
  lastLeft: string | null;
  /** When their current stay began; null while they are out of the meeting. */
  openSince: string | null;
  /** The sum of their closed stays (join to leave). */
  presentSeconds: number;
}

/**
 * Linked Teams meetings and who the bot knows was in them (tables teams_meetings and meeting_presence). Presence rows
 * are kept only until the chair records the meeting's attendance (`forget`), and never for anyone the bot does not
 * know: the caller decides who is known before `joined`.
 */
export interface MeetingPresenceRepo {
  /** Links (or re-links) a Teams meeting to a panel; the panel meeting it is for is chosen again at its next start. */
  link(link: Omit<TeamsMeetingLink, 'meetingId'>): Promise<void>;
  linkOf(teamsMeetingId: string): Promise<TeamsMeetingLink | null>;
  /** The panel meeting the Teams meeting is being held for now. */
  setMeeting(teamsMeetingId: string, meetingId: string | null): Promise<void>;
  /** A stay begins; a join while already in changes nothing. */
  joined(meetingId: string, aadObjectId: string, at: string): Promise<void>;
  /** A stay ends; a leave without a join is ignored. */
  left(meetingId: string, aadObjectId: string, at: string): Promise<void>;
  /** The meeting ended: every open stay ends now. */
  closeAll(meetingId: string, at: string): Promise<void>;
  list(meetingId: string): Promise<Presence[]>;
  /** Attendance was recorded: the suggestion has served; returns how many rows went. */
  forget(meetingId: string): Promise<number>;
  /** Rows of meetings first joined before the instant (never recorded): a bound on how long join times are kept. */
  forgetBefore(before: string): Promise<number>;
}
