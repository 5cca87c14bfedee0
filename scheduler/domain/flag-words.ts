import type { FlagCode } from './flags.js';

/** Each flag as people read it: a short title, and why it matters to recommendation 7. */
export const FLAG_WORDS: Record<FlagCode, { title: string; why: string }> = {
  WHEN_NECESSARY_PANEL: { title: 'Meets only "when necessary"', why: 'The inspection found panels held only when necessary; the guidance timetable is monthly.' },
  BELOW_GUIDANCE_TIMETABLE: { title: 'Timetable below the guidance', why: 'A fixed timetable that leaves months without a meeting reviews cases less often than monthly.' },
  CANCELLED_NO_CASES: { title: 'Month lost: cancelled for no cases', why: 'The inspection found panels cancelled when there were no cases; they should still meet.' },
  CANCELLED: { title: 'Month lost: cancelled', why: 'No meeting took place that month.' },
  NOT_HELD: { title: 'Month lost: did not take place', why: 'The meeting was planned but did not happen.' },
  ATTENDANCE_UNRECORDED: { title: 'Attendance not recorded', why: 'Without a record the review cannot show the police were represented.' },
  TIMETABLE_GAP: { title: 'Month with no meeting planned', why: 'The guidance timetable expects a meeting every month.' },
  POLICE_ABSENT: { title: 'Police absent', why: 'Nobody represented the force at a meeting that was held.' },
  NOT_DECISION_MAKER: { title: 'No decision maker present', why: 'Recommendation 7 asks that the police are represented by decision makers.' },
  NO_NOMINATION: { title: 'Nobody named to attend', why: 'The force had not named its attendee by the escalation point.' },
  SUBSTITUTE_UNCONFIRMED: { title: 'Substitute not confirmed by the force', why: 'The force has not said whether its substitute could make decisions for it.' },
  ATTENDEE_CHURN: { title: 'A different officer each time', why: 'The inspection found a different officer attending each meeting; continuity matters.' },
};
