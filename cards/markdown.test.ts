import { describe, expect, it } from 'vitest';
import type { HistoryPage } from '../scheduler/meetings/attendance-history.js';
import { cleanText } from '../scheduler/domain/text.js';
import type { Review, ReviewFigures } from '../scheduler/review/review.js';
import { cardProblems } from '../test/support/validate-card.js';
import { attendanceHistoryCard } from './attendance-history-card.js';
import { flagsCard } from './flags-card.js';
import { md } from './format.js';
import { nominationCard, type NominationView } from './nomination-card.js';
import { panelsCard } from './panels-card.js';
import { reviewCard } from './review-card.js';
import { subscribeCard } from './subscribe-card.js';
import { scopeChoices } from './table.js';

// Text people type, and names from the forces and panels file, reach every card. Each card here is built
// with hostile strings in every such place; none may come out as Markdown, HTML or invisible characters.

const HOSTILE = [
  '[Confirm here](https://evil.example/phish)',
  'Visit https://evil.example now',
  'www.evil.example or sam@evil.example',
  '<img src=x onerror=alert(1)> <https://evil.example>',
  '**Chief Constable** _urgent_ `code` ~~struck~~ | a | b |',
  '- 1. # > not a list',
  'Sam\u0000\u001b[2J Price\u007f',
  '\u202Eexe.doc\u202C \u2066Ali\u2069 \u200F',
  'Sam\u200B\u200B\u200B Price\uFEFF',
];
const ORDINARY = ['Siobhán Ní Bhriain', "DS Róisín O'Neil-Smith", 'D.S. Jane Doe', 'محمد', '王芳', 'Brighton & Hove City Council'];
const pick = (i: number, list = HOSTILE) => list[i % list.length]!;

function nomination(names: string[]): NominationView {
  const n = (i: number) => pick(i, names);
  return {
    meetingId: 'southampton.2027-05-03', meetingVersion: 1, nominationVersion: 1,
    start: '2027-05-04T10:00:00+01:00', end: '2027-05-04T12:00:00+01:00', status: 'scheduled', started: false,
    moved: { from: '2027-05-03T10:00:00+01:00', reason: n(3) },
    panel: { id: 'southampton', name: n(0), localAuthority: n(1), timetable: 'below-guidance' },
    force: { id: 'hampshire', name: n(2) },
    nomination: { aadObjectId: '36f675cc-81e7-4ef5-a8e2-5d940ed90475', name: n(4), role: n(0), decisionMaker: true },
    recent: [
      { start: '2027-04-05T10:00:00+01:00', status: 'held', name: n(5), decisionMaker: true, attended: true },
      { start: '2027-03-01T10:00:00+00:00', status: 'scheduled', name: n(6), decisionMaker: false, attended: null },
    ],
    choices: names.map((name, i) => ({ aadObjectId: `36f675cc-81e7-4ef5-a8e2-5d940ed9${String(i).padStart(4, '0')}`, name })),
  };
}

const figures: ReviewFigures = {
  meetings: 1, due: 1, held: 1, cancelled: 0, cancelledByReason: {}, notHeld: 0, unrecorded: 0, extra: 0, moved: 0, monthsDue: 1, monthsMet: 1,
  attendanceUnrecorded: 0, decisionMakerPresent: 1, decisionMakerShareOfDue: 1, decisionMakerShareOfHeld: 1, policeAbsent: 0, distinctAttendees: 1,
  medianNominationDays: 3, openFlags: 1, flagsByCode: { POLICE_ABSENT: 1 },
};

function history(names: string[]): HistoryPage {
  return {
    scope: { forces: null, panels: null, label: names[0]! },
    rows: names.map((name, i) => ({
      meetingId: `m${i}`, panelId: 'p', panelName: name, start: '2026-05-12T10:00:00+01:00', end: '2026-05-12T12:00:00+01:00',
      status: 'held', extra: false, moved: false, flags: [],
      forces: [
        { forceId: 'cambs', nominee: pick(i + 1, names), outcome: 'attended' as const, attendees: [historyAttendee(pick(i + 2, names))], decisionMaker: false, source: 'chair' as const, forceConfirmation: 'pending' as const, invited: false },
        { forceId: 'leics', nominee: name, outcome: 'absent' as const, attendees: [], decisionMaker: false, source: 'chair' as const, forceConfirmation: 'not-needed' as const, invited: false },
      ],
    })),
    older: null,
    newer: null,
  };
}

function historyAttendee(name: string) {
  return { aadObjectId: 'x', tenantId: null, name, roleCategory: 'prevent-officer' as const, role: 'DS', unit: 'local' as const, mode: 'online' as const, decisionMaker: 'no' as const, substitute: true };
}

function review(names: string[]): Review {
  return {
    scope: { forces: null, panels: null, label: names[1]! },
    from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z', now: '2026-06-01T00:00:00.000Z',
    panels: names.map((name, i) => ({
      panelId: `p${i}`, panelName: name, localAuthority: pick(i + 1, names), forceId: `f${i % 2}`, invited: i === 2, timetable: 'guidance' as const, whenNecessary: false, figures,
    })),
    forces: [{ forceId: 'f0', figures }, { forceId: 'f1', figures }],
    total: figures,
    months: [{ month: '2026-01', held: 1, cancelled: 0, notHeld: 0, unrecorded: 0, decisionMakerPresent: 1 }],
    // Flags name their panel and force: both come from the names too.
    flags: names.map((_, i) => ({ code: 'POLICE_ABSENT' as const, panelId: `p${i}`, meetingId: `p${i}.2026-01-05`, forceId: `f${i % 2}`, apologies: false, facts: '2026-01-05: no police representative' })),
    previous: { from: '2025-10-01T00:00:00.000Z', to: '2026-01-01T00:00:00.000Z', total: figures },
    lastYear: null,
  };
}

/** Every card a person's or a config file's text reaches, built from one list of names. */
function cards(names: string[]): Array<[string, Record<string, unknown>]> {
  const choices = scopeChoices(names.map((name, i) => ({ id: `f${i}`, name })), names.map((name, i) => ({ id: `p${i}`, name })));
  return [
    ['nomination (form)', nominationCard(nomination(names), { editable: true, notice: `${names[4]} was named a moment ago by someone else.` })],
    ['nomination (read-only)', nominationCard(nomination(names), { editable: false })],
    ['panels', panelsCard({
      months: 3, chair: null, named: [], national: null,
      lead: names.map((name, i) => ({
        id: `p${i}.2027-05-04`, version: 1, panelId: `p${i}`, panelName: name, start: '2027-05-04T10:00:00+01:00', end: '2027-05-04T12:00:00+01:00', status: 'scheduled', extra: false, moved: false,
        forces: [{ id: 'cambs', name: pick(i + 2, names), invited: false, nominee: { name: pick(i + 1, names), decisionMaker: false }, canName: true }], flags: [],
      })),
    })],
    ['flags', flagsCard(names.map((name, i) => ({
      code: 'NO_NOMINATION', panelName: name, meetingId: `p${i}.2027-05-04`, forceId: 'cambs', forceName: pick(i + 1, names), meetingStart: '2027-05-04T10:00:00+01:00', action: 'name-attendee',
    })))],
    ['attendance history', attendanceHistoryCard({ page: history(names), scopeChoices: choices, filter: { scope: 'all', from: '', to: '' }, forceNames: { cambs: names[2]!, leics: names[3]! } })],
    ['review', reviewCard({ review: review(names), forceNames: { f0: names[2]!, f1: names[3]! }, exportUrl: null, scopeChoices: choices, filterScope: 'all', months: 3, page: 0 })],
    ['subscribe', subscribeCard(names.map((title) => ({ title, webUrl: 'https://bot.example/calendar/t.ics', webcalUrl: 'webcal://bot.example/calendar/t.ics' })), names.map((title, i) => ({ title, command: `subscribe p${i}` })))],
  ];
}

/** The texts Teams renders as Markdown: TextBlocks (table cells too) and both sides of a fact. */
function markdownTexts(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(markdownTexts);
  if (!node || typeof node !== 'object') return [];
  const o = node as Record<string, unknown>;
  const own = o.type === 'TextBlock' ? [o.text as string] : o.type === 'FactSet' ? (o.facts as Array<{ title: string; value: string }>).flatMap((f) => [f.title, f.value]) : [];
  return [...own, ...Object.values(o).flatMap(markdownTexts)];
}

/** Every string anywhere in the card: titles, choices and input values too. */
const allStrings = (node: unknown): string[] =>
  typeof node === 'string' ? [node] : Array.isArray(node) ? node.flatMap(allStrings) : node && typeof node === 'object' ? Object.values(node).flatMap(allStrings) : [];

/** What CommonMark still reads as syntax: the text with its backslash-escaped punctuation taken out. */
const live = (s: string) => s.replace(/\\[!-/:-@[-`{-~]/g, '');
/** What a reader sees: each escaped character shown as itself. */
const shown = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');
/** The subscribe card's own addresses of the feed, which are meant to be links. */
const OWN_LINK = /^(\[Open as a subscription \(webcal\)\]\(webcal|https):\/\/bot\.example\//;
/** A control character (but the line feed between a table cell's lines), or a format one: zero-width, bidirectional. */
const invisible = (s: string) => /[\p{Cc}\p{Cf}]/u.test(s.replaceAll('\n', ''));

describe('text people type, on every card', () => {
  describe.each(cards(HOSTILE))('the %s card', (_name, card) => {
    const texts = markdownTexts(card);

    it('shows no link, address, HTML or emphasis that came from the text', () => {
      for (const t of texts.filter((s) => !OWN_LINK.test(s))) {
        const syntax = live(t);
        expect(syntax).not.toMatch(/\]\(/);
        expect(syntax).not.toMatch(/evil\.example|https?:\/\/|www\./);
        expect(syntax).not.toMatch(/<img|<https|`code`|~~struck~~|\| a \||Constable\*\*|_urgent_/);
        expect(t).not.toMatch(/^\s*([-+] |\d+\. |# |> )/);
      }
    });

    it('carries no control, zero-width or bidirectional character in any string', () => {
      expect(allStrings(card).filter(invisible).map((s) => JSON.stringify(s))).toEqual([]);
    });

    it('still shows what was typed, once cleaned, and parses', () => {
      const seen = texts.map(shown).join('\n');
      for (const h of HOSTILE.slice(0, 6)) expect(seen).toContain(cleanText(h));
      expect(cardProblems(card)).toEqual([]);
    });
  });

  it.each(cards(ORDINARY))('leaves ordinary names as they are on the %s card', (_name, card) => {
    const texts = markdownTexts(card).join('\n');
    for (const name of ORDINARY.slice(0, 5)) expect(texts).toContain(name);
    expect(texts).not.toMatch(/\\[.'-]/);
  });
});

describe('md', () => {
  it.each([
    ['[Confirm here](https://evil.example/phish)', '\\[Confirm here\\]\\(https\\://evil\\.example/phish\\)'],
    ['see www.evil.example', 'see www\\.evil\\.example'],
    ['mailto:sam@evil.example', 'mailto\\:sam@evil\\.example'],
    ['**bold** _it_ `code` ~~x~~ | <b> # \\', '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~x\\~\\~ \\| \\<b\\> \\# \\\\'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['12. item', '12\\. item'],
    ['R&amp;D', 'R\\&amp;D'],
    ['Sam\u202E\u0000 Price', 'Sam Price'],
    ["O'Neil-Smith", "O'Neil-Smith"],
    ['D.S. Jane Doe', 'D.S. Jane Doe'],
    ['Brighton & Hove, 10:00', 'Brighton & Hove, 10:00'],
  ])('%s', (raw, escaped) => {
    expect(md(raw)).toBe(escaped);
  });
});
