// What the load bench's processes share: the cards presses are aimed at, the samples they time, the percentiles.
import type { Person } from '../scheduler/domain/types.js';

/** A nomination card the bot has posted: what a press is aimed at, with the meeting version it was posted at. */
export interface PostedCard {
  meetingId: string;
  forceId: string;
  meetingVersion: number;
}

/** One posted card a press is aimed at, with the versions the client last saw on it (as a Teams client would). */
export interface Target extends PostedCard {
  nominationVersion: number;
  /** Who may press it: the force's leads and deputies and the national leads. */
  editors: Person[];
  /** Whom a press names: the force's leads and deputies (the card's own choices). */
  picks: Person[];
}

export interface Sample {
  verb: string;
  ms: number;
}

/** One phase of presses: `count` of them with at most `inFlight` outstanding, spread over `urls` in turn. */
export interface DriveRequest {
  urls: string[];
  count: number;
  inFlight: number;
}

export interface DriveResult {
  samples: Sample[];
  seconds: number;
  /** Nominate presses whose answer showed a newer nomination than the press carried: recorded, not refused as stale. */
  recorded: number;
}

/** The p-th percentile (nearest rank) of `xs`, or NaN for none. */
export const pct = (xs: number[], p: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))] ?? NaN;
