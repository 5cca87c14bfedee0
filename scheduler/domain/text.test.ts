import { describe, expect, it } from 'vitest';
import { cancellationNote, characters, cleanText, noteText, NOTE_MAX } from './text.js';

const codePoints = (s: string) => [...s].map((c) => `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`);

describe('cleanText', () => {
  it.each<[string, string, string]>([
    ['NUL and ESC', 'Sam\u0000 Price\u001b[31m', 'Sam Price[31m'],
    ['DEL and C1 controls', 'Sam\u007f\u0090\u009b Price', 'Sam Price'],
    ['a right-to-left override', 'Sam \u202Ecod.exe\u202C Price', 'Sam cod.exe Price'],
    ['embeddings and marks', '\u202A\u202B\u200E\u200F\u061CSam', 'Sam'],
    ['the isolates U+2066 to U+2069', '\u2066Sam\u2069 \u2067Price\u2068\u2069', 'Sam Price'],
    ['three zero-width spaces', '\u200B\u200B\u200B', ''],
    ['a byte-order mark, word joiner and soft hyphen', '\uFEFFSam\u2060\u00ADPrice', 'SamPrice'],
    ['a Hangul filler posing as a blank name', '\u3164', ''],
    ['a joiner between Latin letters', 'Ad\u200Dam', 'Adam'],
    ['tag characters smuggling text', 'Sam\u{E0069}\u{E0067}\u{E006E}', 'Sam'],
    ['a lone surrogate', 'Sam\uD800', 'Sam'],
    ['a run of variation selectors', 'a\uFE0F\uFE0F\uFE0Fb', 'a\uFE0Fb'],
    ['a decomposed accent', 'Siobha\u0301n', 'Siobhán'],
    ['an accent cut off by a zero-width space', 'Siobha\u200B\u0301n', 'Siobhán'],
    ['a Hangul syllable in jamo', '\u1100\u1161', '가'],
    ['CR, LF and tab', 'Detective\r\nInspector\tPrice', 'Detective Inspector Price'],
    ['vertical tab, form feed, NEL and the line separator', 'a\u000Bb\u000Cc\u0085d\u2028e', 'a b c d e'],
    ['spaces around and between, no-break spaces too', '  Sam \u00A0  Price  ', 'Sam Price'],
  ])('%s', (_name, raw, clean) => {
    expect(cleanText(raw)).toBe(clean);
  });

  it.each([
    'Siobhán Ní Bhriain',
    'محمد',
    '王芳',
    "O'Neil-Smith",
    'D.S. Jane Doe',
    'Zoë Ælfrida Łukasz',
    'Persian with its joiner: علی‌زاده',
    'Hindi with a joiner after the virama: क्‍ष',
    'Emoji: 👍🏽 ❤️ 1️⃣ 👩‍💻 ❤️‍🔥',
    'Flags: 🇬🇧 🏴󠁧󠁢󠁷󠁬󠁳󠁿 🏴󠁧󠁢󠁳󠁣󠁴󠁿',
    'A Japanese name with an ideographic variant: 葛\u{E0100}飾',
  ])('keeps %s as typed', (name) => {
    expect(codePoints(cleanText(name))).toEqual(codePoints(name));
  });

  it('is idempotent', () => {
    for (const s of ['\u202E x \u200B', 'a\u200B\u0301', '👩‍💻', '  a\r\nb ']) expect(cleanText(cleanText(s))).toBe(cleanText(s));
  });
});

describe('noteText and cancellationNote (regression: three zero-width spaces passed the note minimum, issue 17)', () => {
  it.each<[string, string, string]>([
    ['three zero-width spaces', '\u200B\u200B\u200B', ''],
    ['zero-width joiners, the word joiner and the byte-order mark', '\u200C\u200D\u2060\uFEFF', ''],
    ['controls and bidirectional overrides', '\u0000\u202E\u0007', ''],
    ['an Arabic number sign, a format character cleanText leaves', 'room\u0600 booked', 'room booked'],
    ['mathematical bold letters (NFKC)', '\u{1D409}.\u{1D412}.', 'J.S.'],
    ['fullwidth letters and a ligature (NFKC)', '\uFF4A\uFF0E\uFF53\uFF0E \uFB01ne', 'j.s. fine'],
    ['a decomposed accent', 'Siobha\u0301n', 'Siobhán'],
    ['line breaks, tabs and runs of spaces', '  chair\r\n\ton   leave  ', 'chair on leave'],
  ])('%s', (_name, raw, clean) => {
    expect(noteText(raw)).toBe(clean);
  });

  it('keeps an emoji sequence and a joining script as typed', () => {
    for (const s of ['👩‍💻 away', 'علی‌زاده']) expect(noteText(s)).toBe(s);
  });

  it('takes no note as no note: missing, empty, or only invisible characters', () => {
    for (const raw of [undefined, null, '', '   ', '\u200B\u200B\u200B']) expect(cancellationNote(raw)).toEqual({ ok: true, value: '' });
  });

  it(`refuses a note over ${NOTE_MAX} characters after cleaning, and counts characters, not UTF-16 units`, () => {
    expect(cancellationNote('x'.repeat(NOTE_MAX))).toEqual({ ok: true, value: 'x'.repeat(NOTE_MAX) });
    const long = cancellationNote('x'.repeat(NOTE_MAX + 1));
    expect(long.ok).toBe(false);
    if (!long.ok) expect(long.error.message).toContain(`keep the note to ${NOTE_MAX} characters or fewer: this one has 141`);
    // Invisible padding counts for nothing; an emoji counts once.
    expect(cancellationNote(`${'x'.repeat(NOTE_MAX)}\u200B\u200B`).ok).toBe(true);
    expect(cancellationNote('😀'.repeat(NOTE_MAX)).ok).toBe(true);
    expect(characters('😀')).toBe(1);
  });
});
