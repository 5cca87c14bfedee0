import { fail, ok, type Result } from './types.js';

/**
 * Text people type (names, roles, notes) as the product keeps it: Unicode NFC, with control characters,
 * zero-width characters and bidirectional controls removed, whitespace runs (line breaks and tabs too: every
 * field is one line) folded to one space, trimmed. Length limits are counted on the result, so three
 * zero-width spaces are empty, not three characters.
 */
export function cleanText(raw: string): string {
  return raw
    .normalize('NFC')
    .replace(INVISIBLE, (_all, kept: string | undefined) => kept ?? '')
    .replace(/[\s\u0085]+/gu, ' ')
    .normalize('NFC') // removing an invisible character can bring a letter and its accent together
    .trim();
}

// A few invisible characters are part of what a reader sees, and are kept where they do that job: a joiner
// inside an emoji sequence (👩‍💻), a joiner after a virama or inside a joining script (Persian علی‌زاده), one
// variation selector after its base (❤️, an ideographic variant in a Japanese name), and the tag letters of
// a subdivision flag (Wales, Scotland). Anywhere else, and in runs, they go like every other invisible.
const KEPT = [
  String.raw`\u{1F3F4}[\u{E0030}-\u{E0039}\u{E0061}-\u{E007A}]{2,7}\u{E007F}`,
  String.raw`(?<=[\p{Extended_Pictographic}\p{Emoji_Modifier}\uFE0F])\u200D(?=\p{Extended_Pictographic})`,
  String.raw`(?<=[\p{M}\p{Script_Extensions=Arabic}\p{Script_Extensions=Syriac}\p{Script=Nko}\p{Script_Extensions=Mongolian}\p{Script=Adlam}])[\u200C\u200D](?=[\p{L}\p{M}])`,
  String.raw`(?<=[\p{L}\p{N}\p{S}\p{P}])[\u180B-\u180D\u180F\uFE00-\uFE0F\u{E0100}-\u{E01EF}]`,
].join('|');

// C0 and C1 controls except the line breaks and tabs that the next step turns into spaces; lone surrogates;
// every default-ignorable code point (zero-width spaces and joiners, the byte-order mark, soft hyphen, word
// joiner, the Hangul fillers that pass for a blank name, tag characters, and every bidirectional control:
// marks, embeddings, overrides, isolates); the interlinear annotation characters.
const INVISIBLE = new RegExp(
  `(${KEPT})|[\\x00-\\x08\\x0E-\\x1F\\x7F-\\x84\\x86-\\x9F\\p{Cs}\\p{Default_Ignorable_Code_Point}\\uFFF9-\\uFFFB]`,
  'gu',
);

/**
 * Typed text a reply repeats back ("… is not a period"), reduced to letters, digits, spaces and hyphens and cut
 * short, so no reply the bot posts can carry a link or Markdown someone typed into it.
 */
export function echo(typed: string): string {
  const plain = cleanText(typed).replace(/[^\p{L}\p{N} -]/gu, '').slice(0, 40).trim();
  return plain || '…';
}

// Format characters that cleanText leaves because they are not default-ignorable (Arabic number signs, the
// Egyptian hieroglyph controls): they belong to no note about why a meeting was cancelled. The joiners and tag
// characters cleanText kept stay: it kept them only where they are part of what a reader sees.
const OTHER_FORMAT = /(?!\u200C|\u200D|[\u{E0020}-\u{E007F}])\p{Cf}/gu;

/**
 * Free text that is optional and short (a cancellation note, the reason for erasing one): cleanText, folded to
 * NFKC so letters dressed up as others (𝐉.𝐒., ｊ．ｓ．) read, and count, as the plain ones, and without the
 * format characters cleanText leaves. Empty means nothing was written.
 */
export function noteText(raw: string): string {
  return cleanText(cleanText(raw).normalize('NFKC').replace(OTHER_FORMAT, ''));
}

/** Characters as a reader counts them (code points): an emoji is one, not the two UTF-16 units `.length` counts. */
export const characters = (s: string): number => [...s].length;

/** The longest cancellation note, counted after noteText. */
export const NOTE_MAX = 140;

/**
 * A chair's note on a cancellation: optional (the reason category says why), at most NOTE_MAX characters once
 * cleaned, so three zero-width spaces are no note. Returns the note as it is kept ('' for none).
 */
export function cancellationNote(raw: string | null | undefined): Result<string> {
  const note = noteText(raw ?? '');
  const length = characters(note);
  if (length > NOTE_MAX) return fail('INVALID', `keep the note to ${NOTE_MAX} characters or fewer: this one has ${length}. A note is optional, and must never hold case details`);
  return ok(note);
}
