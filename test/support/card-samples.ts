import type { MonthFigures, Review, ReviewFigures } from '../../scheduler/review/review.js';
import type { HistoryPage } from '../../scheduler/meetings/attendance-history.js';
import type { PanelsMeeting, PanelsView } from '../../scheduler/planning/my-panels.js';
import type { ShownFlag } from '../../scheduler/review/open-flags.js';
import { attendanceCard, type AttendanceView } from '../../cards/attendance-card.js';
import { attendanceHistoryCard } from '../../cards/attendance-history-card.js';
import { addCard, addConfirmCard, addedCard } from '../../cards/add-card.js';
import { cancelCard, cancelConfirmCard, cancelledCard, type CancelListItem } from '../../cards/cancel-card.js';
import { savedCard } from '../../cards/chair-steps.js';
import { inviteCard, invitedCard } from '../../cards/invite-card.js';
import { linkChoiceCard, linkedCard } from '../../cards/link-card.js';
import { cardMovedCard } from '../../cards/notice-messages.js';
import { moveCard, moveConfirmCard, movedCard } from '../../cards/move-card.js';
import { recordPastCard } from '../../cards/record-past-card.js';
import { checkpointCard } from '../../cards/checkpoint-card.js';
import { confirmCard, type ConfirmView } from '../../cards/confirm-card.js';
import { flagsCard } from '../../cards/flags-card.js';
import { nominationCard, type NominationView } from '../../cards/nomination-card.js';
import { panelsCard } from '../../cards/panels-card.js';
import { reviewCard, type ReviewCardModel } from '../../cards/review-card.js';
import { subscribeCard } from '../../cards/subscribe-card.js';
import { scopeChoices } from '../../cards/table.js';
import { previous, SIGNOFF_SAMPLES } from './signoff-samples.js';

// Realistic output of every card builder in cards/, for the checks in cards/every-card.test.ts. Each sample names its
// builder; to cover a new card, add its samples to SAMPLES (the test fails while an exported builder has none). Forces
// and panels have realistic ids and names, so a card that shows an id where a name belongs is caught: every id used is
// in SAMPLE_IDS.

export interface CardSample {
  /** The exported function that built it, as cards/*.ts names it. */
  builder: string;
  /** What the sample shows. */
  name: string;
  /** Builds it: lazily, so a builder whose arguments changed fails its own tests, not the whole file. */
  build: () => Record<string, unknown>;
}

const FORCES = {
  cambs: 'Cambridgeshire Constabulary',
  leics: 'Leicestershire Police',
  hampshire: 'Hampshire and Isle of Wight Constabulary',
  cumbria: 'Cumbria Constabulary',
  lancashire: 'Lancashire Constabulary',
  'north-yorkshire': 'North Yorkshire Police',
  btp: 'British Transport Police',
  'devon-cornwall': 'Devon and Cornwall Police',
} as const;
type ForceId = keyof typeof FORCES;
const PANELS = {
  southampton: 'Southampton Channel panel',
  portsmouth: 'Portsmouth Channel panel',
  'peterborough-rutland': 'Peterborough and Rutland Channel panel',
  cumbria: 'Cumbria Channel panel (combined)',
  'isles-of-scilly': 'Isles of Scilly Channel panel',
} as const;
/** Many forces and panels, for cards at their largest. */
const MANY_FORCES = Array.from({ length: 43 }, (_, i) => ({ id: `force-${i}`, name: `Force number ${i} Constabulary of a long county name` }));
const MANY_PANELS = Array.from({ length: 25 }, (_, i) => ({ id: `panel-${i}`, name: `Panel ${i} with a long local authority name Channel panel` }));

/** Every force and panel id the samples use: none may show on a card outside a typed-command hint. */
export const SAMPLE_IDS: readonly string[] = [...Object.keys(FORCES), ...Object.keys(PANELS), ...MANY_FORCES.map((f) => f.id), ...MANY_PANELS.map((p) => p.id)];

const force = (id: ForceId) => ({ id, name: FORCES[id] });
const person = (i: number) => ({ aadObjectId: `6b0d549b-6f03-475a-9600-a35a0999${String(5000 + i).padStart(4, '0')}`, name: `Detective Inspector Person ${i}` });
const start = '2027-03-29T10:00:00+01:00'; // the first Monday after the clocks go forward
const end = '2027-03-29T12:00:00+01:00';

// ---- the chair's attendance card: a combined panel at the forces and attendee slots the product allows

const attendee = (i: number) => ({
  ...person(i), tenantId: null, roleCategory: 'regional-ctu-officer' as const, role: 'Detective Chief Inspector (regional)', unit: 'regional' as const, mode: 'online' as const, decisionMaker: 'unknown' as const, substitute: true,
});
const attendance: AttendanceView = {
  meetingId: 'cumbria.2027-03-29',
  version: '3.1.2.0.4',
  panelName: PANELS.cumbria,
  start,
  end,
  record: { outcome: 'held', notHeldReason: null, agencies: { 'local-authority': 3, health: 1, 'childrens-services': 0 }, source: 'chair' },
  forces: (['cumbria', 'lancashire', 'north-yorkshire', 'btp'] as const).map((id, f) => ({
    ...force(id),
    invited: f === 3,
    nominee: f === 2 ? null : person(f),
    recorded: f === 1 ? { outcome: 'attended', attendees: [attendee(9), attendee(10), attendee(11)], source: 'chair', forceConfirmation: 'disputed' } : null,
    apology: f === 0 ? { sentBy: person(0).name, substitute: person(5).name, sentAt: '2027-03-25T09:12:00+00:00' } : null,
    choices: Array.from({ length: 12 }, (_, i) => person(i)),
  })),
};
// After an import of a large record: nine people with a Teams account for one force and one known by name alone.
const imported: AttendanceView = {
  ...attendance,
  record: { ...attendance.record!, source: 'import' },
  forces: attendance.forces.map((f, i) => (i === 0
    ? { ...f, recorded: { outcome: 'attended', attendees: [...Array.from({ length: 9 }, (_, n) => attendee(20 + n)), { ...attendee(30), aadObjectId: null, name: 'Sam Cole' }], source: 'import', forceConfirmation: 'not-needed' } }
    : i === 1 ? { ...f, recorded: { ...f.recorded!, attendees: [...f.recorded!.attendees, attendee(12), attendee(13)] } } : f)),
};

// ---- the chair's cards: cancel, move, add, each with its confirm step and what was saved

const meetings: CancelListItem[] = Array.from({ length: 20 }, (_, i) => ({
  meetingId: `panel-${i}.2027-0${1 + (i % 9)}-1${i % 10}`, version: 100_000 + i, panelName: MANY_PANELS[i]!.name, start, end, extra: i % 7 === 0,
}));
const versions = Object.fromEntries(meetings.map((m) => [m.meetingId, m.version]));
const chairPanels = MANY_PANELS.slice(0, 10).map((p, i) => ({ ...p, whenNecessary: i === 3, snapshot: { asOf: '2027-03-01T09:00:00.000Z', fingerprint: 'AbCdEfGhIjKlMnOp' } }));
const past = Array.from({ length: 100 }, (_, i) => ({ meetingId: `panel-${i % 10}.20${20 + Math.floor(i / 12)}-0${1 + (i % 9)}-1${i % 10}`, panelName: MANY_PANELS[i % 10]!.name, start, extra: i % 5 === 0, recorded: i % 3 === 0 }));
const refused = { text: 'Not cancelled: choose a reason for cancelling the meeting.', tone: 'attention' as const };
const moveTo = { start: '2027-04-06T10:00:00+01:00', end: '2027-04-06T12:00:00+01:00' };

// ---- a person's next meetings, by role

const panelsMeeting = (i: number, forces: ForceId[]): PanelsMeeting => ({
  id: `cumbria.2027-04-0${1 + (i % 9)}`, version: i, panelId: 'cumbria', panelName: PANELS.cumbria, start, end,
  status: i % 5 === 4 ? 'cancelled' : 'scheduled', extra: i % 7 === 3, moved: i % 6 === 2,
  forces: forces.map((id, f) => ({ ...force(id), invited: id === 'btp', nominee: (i + f) % 3 === 0 ? null : { name: person(i + f).name, decisionMaker: (i + f) % 2 === 0 }, canName: id !== 'btp' })),
  flags: i % 3 === 0 ? ['NO_NOMINATION', 'TIMETABLE_GAP'] : [],
});
const panelsView: PanelsView = {
  months: 3,
  chair: {
    meetings: Array.from({ length: 6 }, (_, i) => panelsMeeting(i, ['cumbria', 'lancashire', 'btp'])),
    unrecorded: [{ id: 'cumbria.2027-03-01', panelName: PANELS.cumbria, start: '2027-03-01T10:00:00+00:00', end: '2027-03-01T12:00:00+00:00' }],
    // Two panels: an add form each, named by panel.
    panels: (['cumbria', 'isles-of-scilly'] as const).map((id) => ({ id, name: PANELS[id], whenNecessary: id === 'isles-of-scilly', snapshot: { asOf: '2027-03-01T09:00:00.000Z', fingerprint: 'AbCdEfGhIjKlMnOp' } })),
  },
  lead: Array.from({ length: 6 }, (_, i) => panelsMeeting(i, ['cumbria', 'lancashire'])),
  named: [panelsMeeting(1, ['cumbria'])],
  national: MANY_FORCES.slice(0, 10).map((f, i) => ({ ...f, meetings: 6, unnamed: i % 3, flags: i, next: [panelsMeeting(i, ['cumbria'])] })),
};

// ---- open flags: every kind, with the names, dates and actions the use case gives them

// As openFlags gives them: the domain's `facts` (ISO dates and ids, for the log and the CLI) come along, and must not show.
const FLAG_KINDS: Array<Omit<ShownFlag, 'panelName' | 'panelId'>> = [
  { code: 'WHEN_NECESSARY_PANEL', facts: `${PANELS.cumbria} has no fixed timetable: it meets only "when necessary"` },
  { code: 'TIMETABLE_GAP', month: '2027-01', facts: '2027-01: no meeting was planned' },
  { code: 'CANCELLED_NO_CASES', month: '2027-02', meetingId: 'cumbria.2027-02-01', facts: '2027-02: the meeting was cancelled because there were no cases to discuss' },
  { code: 'ATTENDANCE_UNRECORDED', month: '2027-03', meetingId: 'cumbria.2027-03-01', action: 'record-attendance', facts: '2027-03: a meeting ended and nothing was recorded, so the month is not shown as met' },
  { code: 'NO_NOMINATION', meetingId: 'cumbria.2027-05-03', forceId: 'lancashire', forceName: FORCES.lancashire, meetingStart: '2027-05-03T10:00:00+01:00', action: 'name-attendee', facts: '2027-05-03: lancashire had named nobody by 2027-04-29' },
  { code: 'NO_NOMINATION', meetingId: 'cumbria.2027-05-03', forceId: 'cumbria', forceName: FORCES.cumbria, meetingStart: '2027-05-03T10:00:00+01:00', action: 'name-attendee', facts: '2027-05-03: cumbria had named nobody by 2027-04-29' },
  { code: 'POLICE_ABSENT', meetingId: 'cumbria.2027-03-29', forceId: 'cumbria', forceName: FORCES.cumbria, meetingStart: start, apologies: true, facts: '2027-03-29: no police representative for cumbria (apologies sent)' },
  { code: 'NOT_DECISION_MAKER', meetingId: 'cumbria.2027-03-29', forceId: 'lancashire', forceName: FORCES.lancashire, meetingStart: start, facts: '2027-03-29: nobody present for lancashire was answered a decision maker' },
  { code: 'SUBSTITUTE_UNCONFIRMED', meetingId: 'cumbria.2027-03-29', forceId: 'lancashire', forceName: FORCES.lancashire, meetingStart: start, facts: '2027-03-29: lancashire has not confirmed or disputed the attendees the chair recorded' },
  { code: 'ATTENDEE_CHURN', forceId: 'cumbria', forceName: FORCES.cumbria, facts: '3 different police attendees for cumbria across 4 meetings in a row (2026-11-02 to 2027-02-01)' },
];
const flagRows: ShownFlag[] = Array.from({ length: 200 }, (_, i) => ({
  ...FLAG_KINDS[i % FLAG_KINDS.length]!, panelId: i < 10 ? 'cumbria' : MANY_PANELS[i % 25]!.id, panelName: i < 10 ? PANELS.cumbria : MANY_PANELS[i % 25]!.name,
}));

// ---- a force's nomination card

const nomination = (extra: Partial<NominationView> = {}): NominationView => ({
  meetingId: 'southampton.2027-05-03', meetingVersion: 1, nominationVersion: 0,
  start: '2027-05-04T10:00:00+01:00', end: '2027-05-04T12:00:00+01:00', status: 'scheduled', started: false,
  moved: { from: '2027-05-03T10:00:00+01:00', reason: 'bank holiday: Early May bank holiday' },
  panel: { id: 'southampton', name: PANELS.southampton, localAuthority: 'Southampton City Council', timetable: 'below-guidance' },
  force: force('hampshire'),
  nomination: null,
  recent: [
    { start: '2027-04-05T10:00:00+01:00', status: 'held', name: 'DI Sam Price', decisionMaker: true, attended: true },
    { start: '2027-03-01T10:00:00+00:00', status: 'cancelled', name: null, decisionMaker: null, attended: null },
    { start: '2027-02-01T10:00:00+00:00', status: 'held', name: 'DS Kim Lee', decisionMaker: false, attended: null },
  ],
  choices: [{ aadObjectId: '36f675cc-81e7-4ef5-a8e2-5d940ed90475', name: 'Gareth Owen' }],
  ...extra,
});
const named = { aadObjectId: 'a', name: 'DI Sam Price', role: 'Detective Inspector', decisionMaker: false };

// ---- a force's confirm card

/** A force's record to confirm: two attendees, one a substitute (cards/confirm-card.test.ts starts from it too). */
export const confirmView = (extra: Partial<ConfirmView> = {}): ConfirmView => ({
  meetingId: 'southampton.2027-05-03', forceId: 'hampshire', forceName: FORCES.hampshire, panelName: PANELS.southampton,
  start: '2027-05-04T10:00:00+01:00', end: '2027-05-04T12:00:00+01:00', recordVersion: 3,
  nominee: { name: 'Nadia Rahman', decisionMaker: true },
  outcome: 'attended',
  attendees: [
    { name: 'Sam Price', roleCategory: 'neighbourhood-officer', role: 'PC', unit: 'local', mode: 'online', decisionMaker: 'yes', substitute: true },
    { name: 'Nadia Rahman', roleCategory: 'prevent-supervisor', role: 'DI', unit: 'regional', mode: 'in-person', decisionMaker: 'unknown', substitute: false },
  ],
  confirmation: 'pending', answeredBy: null, answeredAt: null,
  ...extra,
});
const answered = { answeredBy: 'Gareth Owen', answeredAt: '2027-05-05T09:00:00+01:00' };

// ---- the review and the attendance history

const figures: ReviewFigures = {
  meetings: 12, due: 12, held: 10, cancelled: 2, cancelledByReason: { 'no cases to discuss': 1, 'not quorate': 1 }, notHeld: 1, unrecorded: 1, extra: 1, moved: 1,
  monthsDue: 12, monthsMet: 10, attendanceUnrecorded: 1, decisionMakerPresent: 8, decisionMakerShareOfDue: 0.667, decisionMakerShareOfHeld: 0.8, policeAbsent: 1,
  distinctAttendees: 3, medianNominationDays: 9.5, openFlags: 6, flagsByCode: { CANCELLED: 2, CANCELLED_NO_CASES: 1, NOT_DECISION_MAKER: 2, ATTENDANCE_UNRECORDED: 1 },
};
const months: MonthFigures[] = Array.from({ length: 12 }, (_, i) => ({ month: `2026-${String(i + 1).padStart(2, '0')}`, held: 5, cancelled: 1, notHeld: i % 4 === 0 ? 1 : 0, unrecorded: i % 3, decisionMakerPresent: 4 }));
const panelReview = (panelId: keyof typeof PANELS, forceId: ForceId, share: number | null, extra: Partial<Review['panels'][number]> = {}) => ({
  panelId, panelName: PANELS[panelId], localAuthority: `${PANELS[panelId].split(' ')[0]} Council`, forceId, invited: false, timetable: 'guidance' as const, whenNecessary: false,
  figures: { ...figures, decisionMakerShareOfDue: share }, ...extra,
});
const review: Review = {
  scope: { forces: ['hampshire', 'devon-cornwall'], panels: ['southampton', 'portsmouth', 'isles-of-scilly'], label: `${FORCES.hampshire}, ${FORCES['devon-cornwall']}` },
  from: '2026-01-01T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z', now: '2027-01-02T09:00:00.000Z',
  panels: [
    panelReview('southampton', 'hampshire', 0.9),
    panelReview('isles-of-scilly', 'devon-cornwall', null, { timetable: 'when-necessary', whenNecessary: true }),
    panelReview('portsmouth', 'hampshire', 0.25, { timetable: 'below-guidance' }),
    panelReview('southampton', 'devon-cornwall', 0.5, { invited: true }),
  ],
  forces: [{ forceId: 'hampshire', figures }, { forceId: 'devon-cornwall', figures }],
  total: figures,
  months,
  flags: [
    { code: 'POLICE_ABSENT', panelId: 'southampton', meetingId: 'southampton.2026-07-06', forceId: 'hampshire', apologies: true, facts: '2026-07-06: no police representative for hampshire' },
    { code: 'NO_NOMINATION', panelId: 'portsmouth', meetingId: 'portsmouth.2026-08-03', forceId: 'hampshire', facts: '2026-08-03: hampshire had named nobody by 2026-07-30' },
    { code: 'WHEN_NECESSARY_PANEL', panelId: 'isles-of-scilly', facts: 'Isles of Scilly Channel panel has no fixed timetable' },
    { code: 'ATTENDANCE_UNRECORDED', panelId: 'southampton', month: '2026-09', facts: '2026-09: a meeting ended and nothing was recorded' },
  ],
  previous: { from: '2025-01-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z', total: { ...figures, decisionMakerPresent: 7, decisionMakerShareOfDue: 0.583 } },
  lastYear: null,
};
const reviewForces = [force('hampshire'), force('devon-cornwall')];
const reviewPanels = (Object.keys(PANELS) as Array<keyof typeof PANELS>).map((id) => ({ id, name: PANELS[id] }));
const reviewModel: ReviewCardModel = {
  review, forceNames: { hampshire: FORCES.hampshire, 'devon-cornwall': FORCES['devon-cornwall'] }, exportUrl: `https://bot.example/reports/${'x'.repeat(250)}.csv`,
  scopeChoices: scopeChoices(reviewForces, reviewPanels), filterScope: 'force:hampshire', months: 12, page: 0,
};

const historyAttendee = (name: string) => ({ aadObjectId: 'x', tenantId: null, name, roleCategory: 'prevent-officer' as const, role: 'DS', unit: 'local' as const, mode: 'online' as const, decisionMaker: 'no' as const, substitute: true });
const history: HistoryPage = {
  scope: { forces: ['cambs', 'leics'], panels: ['peterborough-rutland'], label: `${FORCES.cambs}, ${FORCES.leics}` },
  rows: Array.from({ length: 8 }, (_, i) => ({
    meetingId: `peterborough-rutland.2026-${String(i + 1).padStart(2, '0')}-12`, panelId: 'peterborough-rutland', panelName: PANELS['peterborough-rutland'],
    start: `2026-${String(i + 1).padStart(2, '0')}-12T10:00:00+01:00`, end: `2026-${String(i + 1).padStart(2, '0')}-12T12:00:00+01:00`,
    status: i === 3 ? 'not-held' : i === 5 ? 'ended, not recorded' : 'held', extra: i === 2, moved: i === 4,
    flags: i === 5 ? ['ATTENDANCE_UNRECORDED', 'NO_NOMINATION'] : i === 1 ? ['SUBSTITUTE_UNCONFIRMED'] : [],
    forces: [
      { forceId: 'cambs', nominee: 'Priya Shah', outcome: 'attended' as const, attendees: [historyAttendee('Tom Whitfield')], decisionMaker: false, source: 'chair' as const, forceConfirmation: 'pending' as const, invited: false },
      { forceId: 'leics', nominee: i === 5 ? null : 'Marcus Reid', outcome: i === 5 ? null : 'absent' as const, attendees: [], decisionMaker: i === 5 ? null : false, source: i === 5 ? null : 'import' as const, forceConfirmation: null, invited: i === 7 },
    ],
  })),
  older: { start: '2025-12-12T10:00:00+00:00', id: 'peterborough-rutland.2025-12-12' },
  newer: null,
};
const historyModel = {
  page: history, scopeChoices: scopeChoices([force('cambs'), force('leics')], [{ id: 'peterborough-rutland', name: PANELS['peterborough-rutland'] }]),
  filter: { scope: 'panel:peterborough-rutland', from: '2026-01-01', to: '2026-12-31' }, forceNames: { cambs: FORCES.cambs, leics: FORCES.leics },
};

// ---- calendar links

const link = (title: string) => {
  const webUrl = `https://channel-panels.example.police.uk/calendar/${'A'.repeat(43)}.ics`;
  return { title, webUrl, webcalUrl: webUrl.replace('https://', 'webcal://') };
};
const feeds = [link('My Channel panel meetings'), link(`${FORCES.cambs}: every panel`), ...MANY_PANELS.slice(0, 18).map((p) => link(p.name))];

/** Every builder's realistic output. */
export const SAMPLES: CardSample[] = [
  { builder: 'attendanceCard', name: 'four forces (one invited), three attendees recorded for one and disputed', build: () => attendanceCard(attendance) },
  { builder: 'attendanceCard', name: 'nothing recorded yet', build: () => attendanceCard({ ...attendance, record: null, forces: attendance.forces.map((f) => ({ ...f, recorded: null })) }) },
  { builder: 'attendanceCard', name: 'with a refusal line', build: () => attendanceCard(attendance, `Nothing was recorded. Still to answer: ${FORCES.cumbria}: say whether the police attended, sent apologies or were absent without apologies.`) },
  { builder: 'attendanceCard', name: 'an imported record of ten for one force and five for another', build: () => attendanceCard(imported) },
  { builder: 'attendanceCard', name: 'recorded, with a good notice', build: () => attendanceCard(imported, 'Recorded.', 'good') },

  { builder: 'cancelCard', name: 'twenty meetings, one chosen, with a refusal', build: () => cancelCard({ meetings, selected: meetings[3]!.meetingId, values: { reason: 'other', note: 'Room unavailable' }, notice: refused }) },
  { builder: 'cancelCard', name: 'nothing to cancel', build: () => cancelCard({ meetings: [] }) },
  { builder: 'cancelConfirmCard', name: 'cancel, with a note', build: () => cancelConfirmCard({ meetingId: 'cumbria.2027-03-29', panelName: PANELS.cumbria, start, end, reason: 'not quorate', note: 'Chair on leave', versions, from: 'panels' }) },
  { builder: 'cancelledCard', name: 'a cancellation with a note', build: () => cancelledCard(PANELS.cumbria, start, end, 'not quorate', 'Chair on leave') },
  { builder: 'moveCard', name: 'twenty meetings, with a refusal', build: () => moveCard({ meetings, values: { newDate: '2027-04-06', newTime: '10:00' }, notice: { text: 'Not moved: that meeting changed since this card was sent.' } }) },
  { builder: 'moveConfirmCard', name: 'a move', build: () => moveConfirmCard({ meetingId: 'cumbria.2027-03-29', panelName: PANELS.cumbria, start, end, to: moveTo, newDate: '2027-04-06', newTime: '10:00', versions }) },
  { builder: 'movedCard', name: 'a move', build: () => movedCard(PANELS.cumbria, moveTo.start, moveTo.end) },
  { builder: 'addCard', name: 'ten panels, one when necessary, with a notice', build: () => addCard({ panels: chairPanels, values: { panelId: 'panel-3' }, notice: { text: 'Not added: give the date of the extra meeting, as the calendar shows it.' } }) },
  { builder: 'addCard', name: 'no panel', build: () => addCard({ panels: [] }) },
  { builder: 'addConfirmCard', name: 'a meeting that already took place', build: () => addConfirmCard({ panelId: 'panel-3', panelName: chairPanels[3]!.name, start, end, ended: true, extraDate: '2027-03-29', extraTime: '10:00', asOf: '2027-03-01T09:00:00.000Z' }) },
  { builder: 'addedCard', name: 'a meeting to come', build: () => addedCard(PANELS.cumbria, moveTo.start, moveTo.end) },
  { builder: 'inviteCard', name: 'twenty meetings and every force', build: () => inviteCard({ meetings, forces: MANY_FORCES, selected: meetings[0]!.meetingId }) },
  { builder: 'inviteCard', name: 'every force faces the panels already', build: () => inviteCard({ meetings, forces: [] }) },
  { builder: 'invitedCard', name: 'a force invited', build: () => invitedCard(FORCES.btp, PANELS.cumbria, start, end) },
  { builder: 'recordPastCard', name: 'a hundred past meetings', build: () => recordPastCard({ past }) },
  { builder: 'recordPastCard', name: 'none ended yet', build: () => recordPastCard({ past: [] }) },
  { builder: 'linkChoiceCard', name: 'a national lead choosing a force', build: () => linkChoiceCard({ scope: 'force', choices: MANY_FORCES }) },
  { builder: 'linkChoiceCard', name: "a chair's one panel, with a notice", build: () => linkChoiceCard({ scope: 'panel', choices: [{ id: 'southampton', name: PANELS.southampton }], notice: { text: 'There is no panel "southamptn". Panels you can link: Southampton Channel panel.' } }) },
  { builder: 'linkedCard', name: 'a force linked', build: () => linkedCard('force', FORCES.cambs) },
  { builder: 'linkChoiceCard', name: "an area lead choosing their area", build: () => linkChoiceCard({ scope: 'area', choices: [{ id: 'hants-south', name: `South Hampshire (${FORCES.hampshire})` }] }) },
  { builder: 'cardMovedCard', name: "a nomination card left behind when its panel moved area", build: () => cardMovedCard({ meeting: { panelName: PANELS.southampton, start: '2027-05-04T10:00:00+01:00', end: '2027-05-04T12:00:00+01:00' }, forceName: FORCES.hampshire, team: 'East Hampshire and Portsmouth Prevent team', channel: "East Hampshire and Portsmouth Prevent team's Teams channel" }) },
  { builder: 'savedCard', name: 'a saved line with details', build: () => savedCard(`Saved: ${FORCES.btp} invited to the ${PANELS.cumbria} meeting.`, ['It is asked to name an attendee for this meeting only.']) },

  { builder: 'checkpointCard', name: 'an early head', build: () => checkpointCard({ seq: 1, hash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', at: start }) },
  { builder: 'checkpointCard', name: 'a decade of entries', build: () => checkpointCard({ seq: 987_654_321, hash: 'f'.repeat(64), at: '2036-12-29T08:00:00+00:00' }) },

  { builder: 'confirmCard', name: 'to confirm, with a notice', build: () => confirmCard(confirmView(), 'That record changed since this card was sent: here it is as it stands.') },
  { builder: 'confirmCard', name: 'confirmed', build: () => confirmCard(confirmView({ confirmation: 'confirmed', ...answered })) },
  { builder: 'confirmCard', name: 'disputed', build: () => confirmCard(confirmView({ confirmation: 'disputed', ...answered })) },
  { builder: 'confirmCard', name: 'nothing to confirm: absent', build: () => confirmCard(confirmView({ confirmation: 'not-needed', outcome: 'absent', attendees: [], nominee: null })) },

  { builder: 'flagsCard', name: 'every kind of flag, two hundred, cut to a count', build: () => flagsCard(flagRows) },
  { builder: 'flagsCard', name: "a force's weekly digest", build: () => flagsCard(flagRows.slice(4, 6), 'New compliance flags this week') },
  { builder: 'flagsCard', name: 'none open', build: () => flagsCard([]) },
  { builder: 'flagsCard', name: 'after a press: where its form went', build: () => flagsCard(flagRows.slice(0, 10), undefined, { text: 'The nomination form is in a new message below.', tone: 'plain' }) },

  { builder: 'nominationCard', name: 'open, with a notice', build: () => nominationCard(nomination(), { editable: true, notice: `${named.name} was named a moment ago by someone else.`, refreshUserIds: ['29:x'] }) },
  { builder: 'nominationCard', name: 'read-only', build: () => nominationCard(nomination(), { editable: false }) },
  { builder: 'nominationCard', name: 'named, not confirmed a decision maker', build: () => nominationCard(nomination({ nomination: named })) },
  { builder: 'nominationCard', name: 'named, a decision maker, apologies sent, invited', build: () => nominationCard(nomination({ nomination: { ...named, decisionMaker: true }, invited: true, apology: { sentBy: 'Nadia Rahman', sentAt: '2027-04-20T09:00:00+01:00', substitute: 'Gareth Owen' } })) },
  { builder: 'nominationCard', name: 'cancelled, with a note', build: () => nominationCard(nomination({ status: 'cancelled', cancellation: { reason: 'chair unavailable', note: 'Chair on leave', noteRemoved: false } })) },
  { builder: 'nominationCard', name: 'when necessary, no history', build: () => nominationCard(nomination({ recent: [], moved: null, panel: { ...nomination().panel, timetable: 'when-necessary' } })) },

  { builder: 'panelsCard', name: 'a chair, a lead, a nominee and a national lead at once, with a notice', build: () => panelsCard(panelsView, { notice: { text: 'Saved: Cumbria Channel panel (combined) is moved to Tue 6 Apr 2027, 10:00–12:00.', tone: 'good' } }) },
  { builder: 'panelsCard', name: 'nothing involves the person', build: () => panelsCard({ months: 3, chair: null, lead: null, named: [], national: null }) },

  { builder: 'reviewCard', name: 'two forces, four panel rows, flags and a notice', build: () => reviewCard({ ...reviewModel, notice: 'Showing the last 12 months: that period was too long.' }) },
  {
    builder: 'reviewCard', name: 'with the marking, the report links and the last sign-off\'s actions',
    build: () => reviewCard({ ...reviewModel, marking: 'OFFICIAL-SENSITIVE', reportUrls: { pdf: 'https://bot.example/reports/x.pdf', docx: 'https://bot.example/reports/x.docx' }, previous }),
  },
  { builder: 'reviewCard', name: 'no flags, no export link', build: () => reviewCard({ ...reviewModel, review: { ...review, flags: [] }, exportUrl: null }) },

  { builder: 'attendanceHistoryCard', name: 'a page of a joint panel, two forces, with flags', build: () => attendanceHistoryCard(historyModel) },
  { builder: 'attendanceHistoryCard', name: 'nothing in range, with a notice', build: () => attendanceHistoryCard({ ...historyModel, page: { ...history, rows: [], older: null }, notice: 'From must be before To.' }) },

  { builder: 'subscribeCard', name: 'twenty links, the rest counted', build: () => subscribeCard(feeds, 37) },
  { builder: 'subscribeCard', name: 'twenty links, the rest by name', build: () => subscribeCard(feeds, MANY_PANELS.slice(18).map((p) => ({ title: p.name, command: `subscribe ${p.id}` }))) },
  { builder: 'subscribeCard', name: 'one link', build: () => subscribeCard([feeds[0]!]) },
  ...SIGNOFF_SAMPLES,
];
