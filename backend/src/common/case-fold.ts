/**
 * Unicode full case folding, as far as JavaScript can reach it: there is no
 * built-in fold, and `toLowerCase()` alone misses characters whose upper-case
 * form lower-cases differently (ß → SS → ss, ſ → S → s, ϐ → Β → β).
 *
 * lower → upper → lower reaches the full fold's equivalence classes; two
 * corrections make it exact:
 * - `ς` becomes `σ`, as Unicode folds it. JavaScript's toLowerCase() picks
 *   the final or medial sigma from the neighbouring letters, which would make
 *   the fold of a character depend on its context.
 * - dotless `ı` is kept: its upper case is `I`, so the round trip would merge
 *   it with `i`, two different Turkish letters that Unicode's default folding
 *   keeps apart. (The Turkic `I`/`ı` pairing is locale-specific and not used.)
 *
 * Checked against Python's str.casefold() (Unicode 14) for every assigned code
 * point, alone and next to other letters: same classes, and idempotent. It
 * differs from the fold's exact output only where the fold goes to upper
 * case (Cherokee folds to its capitals; this gives the small letters).
 * Locale-independent: toLowerCase()/toUpperCase() never use the locale.
 */
export function foldCase(text: string): string {
  return text
    .split('ı')
    .map((part) => part.toLowerCase().toUpperCase().toLowerCase())
    .join('ı')
    .replaceAll('ς', 'σ');
}

/**
 * The key under which two names are the same name: NFC (canonically equal
 * spellings), then the fold, then NFC again (folding can undo composition).
 * `Work`, `WORK` and `work` share one key, as do `café` typed precomposed
 * and decomposed.
 */
export function caseInsensitiveKey(text: string): string {
  return foldCase(text.normalize('NFC')).normalize('NFC');
}
