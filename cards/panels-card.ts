import { FLAG_WORDS } from '../scheduler/domain/flag-words.js';
import { cleanText } from '../scheduler/domain/text.js';
import type { ChairSection, NationalForce, PanelsMeeting, PanelsView } from '../scheduler/planning/my-panels.js';
import { panelAddForm, type ChairPanel } from './add-card.js';
import { askToCancel, cancelFields } from './cancel-card.js';
import { execute, noticeBlock, type Notice } from './chair-steps.js';
import { callout, card, md, meetingWhen, text, type CardElement } from './format.js';
import { askToMove, moveFields } from './move-card.js';
import { VERBS } from './verbs.js';

/**
 * The `panels` card, shaped by role. Nothing on it replaces the list: a short form (cancel, move, add) opens in
 * place (Action.ShowCard), a long one (a nomination, an attendance record, an invitation) comes as a new message,
 * and the answer to any press from here is this list again, with one line saying what happened.
 */

/** The confirm question of a form on this card, shown where the form was: under its meeting, or at the add form (`add`). */
export interface PanelsPrompt {
  at: string;
  element: CardElement;
}

export interface PanelsCardOptions {
  notice?: Notice;
  prompt?: PanelsPrompt;
  /** Which page of a national lead's forces (`panels page 2`), from 1; past the last, the last. */
  page?: number;
}

/** A national lead's forces per page: fifteen, each with its next meetings behind a tap, sit well under Teams' 28 KB. */
export const FORCES_PER_PAGE = 15;

const STATUS: Record<PanelsMeeting['status'], string> = { scheduled: '', cancelled: 'cancelled', held: 'held', 'not-held': 'did not take place' };

const subtle = (t: string): CardElement => text(t, { isSubtle: true, size: 'Small', spacing: 'None' });
const section = (title: string): CardElement => text(title, { weight: 'Bolder', spacing: 'ExtraLarge', separator: true });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function meetingHead(m: { panelName: string; start: string; end: string; extra?: boolean; moved?: boolean; status?: PanelsMeeting['status'] }): CardElement {
  const notes = [m.extra ? 'extra meeting' : '', m.moved ? 'moved' : '', STATUS[m.status ?? 'scheduled']].filter(Boolean);
  return text(`**${md(m.panelName)}**, ${meetingWhen(m.start, m.end)}${notes.map((n) => ` · ${n}`).join('')}`, { spacing: 'Medium' });
}

const nomineeWords = (f: PanelsMeeting['forces'][number]) =>
  f.nominee ? `${md(f.nominee.name)}${f.nominee.decisionMaker ? ', confirmed decision maker' : ', not confirmed as a decision maker'}` : 'nobody named yet';

/** Each force the person may see, by name, with who it named; then the flags, in words. */
function meetingFacts(m: PanelsMeeting): CardElement[] {
  return [
    ...m.forces.map((f) => subtle(`${md(f.name)}${f.invited ? ' (invited)' : ''}: ${nomineeWords(f)}`)),
    ...(m.flags.length ? [callout('attention', `Flags: ${m.flags.map((c) => FLAG_WORDS[c]?.title ?? 'a compliance flag').join('; ')}`, { size: 'Small', spacing: 'Small' })] : []),
  ];
}

const showCard = (title: string, body: CardElement[]): CardElement => ({ type: 'Action.ShowCard', title, card: { type: 'AdaptiveCard', body } });

/** A chair's meeting: Cancel and Move open their forms in place; each form's button asks before anything changes. */
function chairRow(m: PanelsMeeting, row: number, prompt?: PanelsPrompt): CardElement[] {
  const data = { meetingId: m.id, versions: { [m.id]: m.version }, row: String(row), from: 'panels' };
  const actions = m.status !== 'scheduled' ? [] : prompt?.at === m.id ? [prompt.element] : [{
    type: 'ActionSet',
    actions: [showCard('Cancel', [...cancelFields({}, String(row)), askToCancel(data)]), showCard('Move', [...moveFields({}, String(row)), askToMove(data)])],
  }];
  return [meetingHead(m), ...meetingFacts(m), ...actions];
}

/** An add form per panel, in place, named by its panel when there are several. */
const addForms = (panels: ChairPanel[]): CardElement[] =>
  panels.map((p) => showCard(panels.length > 1 ? `Add a meeting: ${cleanText(p.name)}` : 'Add a meeting', panelAddForm(p)));

function chairSection(c: ChairSection, limit: number, prompt?: PanelsPrompt): CardElement[] {
  const rows = c.meetings.slice(0, limit);
  const footer = [
    ...addForms(c.panels),
    execute('Invite a force', VERBS.openChairCard, { view: 'invite', from: 'panels' }),
    execute('Record a past meeting', VERBS.openChairCard, { view: 'record', from: 'panels' }),
  ];
  return [
    section('Panels you chair'),
    ...(rows.length ? rows.flatMap((m, i) => chairRow(m, i, prompt)) : [text('No meetings of your panels are coming up.')]),
    ...(c.unrecorded.length ? [text('Ended, attendance not recorded', { weight: 'Bolder', spacing: 'Large' })] : []),
    ...c.unrecorded.flatMap((m) => [meetingHead(m), { type: 'ActionSet', actions: [execute('Record attendance', VERBS.openAttendance, { meetingId: m.id, from: 'panels' })] }]),
    ...(prompt?.at === 'add' ? [prompt.element] : []),
    { type: 'ActionSet', spacing: 'Large', actions: footer },
  ];
}

/** A force lead's meeting: a button per force of theirs, by name when there are several, to name (or change) its attendee. */
function leadRow(m: PanelsMeeting): CardElement[] {
  const nameable = m.forces.filter((f) => f.canName);
  const title = (f: PanelsMeeting['forces'][number]) => `${f.nominee ? 'Change' : 'Name'} attendee${nameable.length > 1 ? `: ${cleanText(f.name)}` : ''}`;
  const actions = nameable.map((f) => execute(title(f), VERBS.openNomination, { meetingId: m.id, forceId: f.id }));
  return [meetingHead(m), ...meetingFacts(m), ...(actions.length ? [{ type: 'ActionSet', actions }] : [])];
}

const namedRow = (m: PanelsMeeting): CardElement[] => [meetingHead(m), ...m.forces.map((f) => subtle(`You are named to attend for ${md(f.name)}.`))];

/** A big force's areas, one line each, where its lead hands them to their own teams. */
const areaLines = (f: NationalForce): string[] =>
  (f.areas ?? []).map((a) => `${md(a.name)}: ${plural(a.meetings, 'meeting')} · ${a.unnamed} with nobody named`);

/** A national lead's force: one line of counts; a tap shows or hides its areas and its next meetings, one per line. */
function nationalForce(f: NationalForce, limit: number): CardElement[] {
  const head = text(`**${md(f.name)}**: ${plural(f.meetings, 'meeting')} · ${f.unnamed} with nobody named · ${plural(f.flags, 'open flag')}`, { spacing: 'None' });
  const lines = f.next.slice(0, limit).map((m) => `${md(m.panelName)}, ${meetingWhen(m.start, m.end)}: ${m.forces[0] ? nomineeWords(m.forces[0]) : 'nobody named yet'}`);
  const areas = areaLines(f);
  if (!lines.length && !areas.length) return [{ type: 'Container', separator: true, spacing: 'Small', items: [head] }];
  const more = lines.length && f.meetings > lines.length ? [`and ${plural(f.meetings - lines.length, 'more meeting')}`] : [];
  return [
    { type: 'Container', separator: true, spacing: 'Small', selectAction: { type: 'Action.ToggleVisibility', title: 'Show or hide its meetings', targetElements: [`f-${f.id}`] }, items: [head] },
    {
      type: 'Container', id: `f-${f.id}`, isVisible: false,
      items: [...(areas.length ? [subtle(`By area: ${areas.join('; ')}`)] : []), ...(lines.length ? [subtle([...lines, ...more].join('\n'))] : [])],
    },
  ];
}

/** One page of the forces, and how to reach the others in words (`panels page 2`). */
function nationalSection(forces: NationalForce[], page: number, limit: number): CardElement[] {
  const pages = pageCount(forces);
  const first = (page - 1) * FORCES_PER_PAGE;
  const shown = forces.slice(first, first + FORCES_PER_PAGE);
  const range = pages > 1 ? ` (${first + 1} to ${first + shown.length} of ${forces.length}, by name)` : '';
  const next = page < pages ? `Type \`panels page ${page + 1}\` for the next forces, from ${md(forces[first + FORCES_PER_PAGE]!.name)}.` : '';
  const back = page > 1 ? `\`panels page ${page - 1}\` shows the ones before.` : '';
  return [
    section(`Every force${range}`),
    subtle('Select a force to show or hide its areas and next meetings.'),
    ...shown.flatMap((f) => nationalForce(f, limit)),
    ...(next || back ? [text([next, back].filter(Boolean).join(' '), { isSubtle: true, spacing: 'Medium' })] : []),
  ];
}

const pageCount = (forces: NationalForce[] | null): number => Math.max(1, Math.ceil((forces?.length ?? 0) / FORCES_PER_PAGE));

function render(v: PanelsView, opts: PanelsCardOptions, limit: number, cut: boolean): Record<string, unknown> {
  const body: CardElement[] = [];
  // Later pages are the national leads' forces only: the rest of the card is on the first.
  const page = Math.min(Math.max(1, Math.floor(opts.page ?? 1)), pageCount(v.national));
  if (v.chair && page === 1) body.push(...chairSection(v.chair, limit, opts.prompt));
  if (v.lead && page === 1) body.push(section("Your force's meetings"), ...(v.lead.length ? v.lead.slice(0, limit).flatMap(leadRow) : [text('No meetings for your force are coming up.')]));
  if (v.named.length && page === 1) body.push(section('Meetings you are named to attend'), ...v.named.slice(0, limit).flatMap(namedRow));
  if (v.national) body.push(...nationalSection(v.national, page, limit));
  // A question whose meeting is not on the list (cut to fit, or no longer the caller's) is asked on top instead.
  const placed = !opts.prompt || body.includes(opts.prompt.element);
  return card([
    ...noticeBlock(opts.notice),
    ...(placed ? [] : [opts.prompt!.element]),
    text('Your Channel panel meetings', { weight: 'Bolder', size: 'Medium' }),
    subtle(`The next ${v.months} months.`),
    ...(body.length ? body : [text('No upcoming meetings involve you.')]),
    ...(cut ? [subtle('Some meetings are left out to keep this card small enough for Teams: `cancel`, `attendance` and `flags` show them all.')] : []),
  ]);
}

/** Well under Teams' 28 KB: a national lead's forces come a page at a time; what still does not fit is cut. */
const BUDGET = 24 * 1024;
const bytes = (json: unknown) => new TextEncoder().encode(JSON.stringify(json)).length;

/** The person's next meetings, by role, each with what their role lets them do. */
export function panelsCard(v: PanelsView, opts: PanelsCardOptions = {}): Record<string, unknown> {
  const full = render(v, opts, Infinity, false);
  if (bytes(full) <= BUDGET) return full;
  for (const limit of [4, 3, 2, 1, 0]) {
    const cut = render(v, opts, limit, true);
    if (bytes(cut) <= BUDGET || limit === 0) return cut;
  }
  return full;
}
