import { describe, expect, it } from 'vitest';
import { cleanText } from './text.js';

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
