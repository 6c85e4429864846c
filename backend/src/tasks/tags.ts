import { caseInsensitiveKey } from '../common/case-fold.js';

/**
 * A task's tags as stored: each in NFC, so `café` typed precomposed or
 * decomposed is one spelling, and one tag per case-insensitive key, the first
 * spelling sent kept (`Work, work, WORK` → `Work`), in the order sent.
 *
 * The key is the full case fold of the NFC form (common/case-fold.ts), not
 * NFKC: compatibility variants are different glyphs someone chose on purpose
 * (`x²` and `x2`, `①` and `1`, full-width letters), and a tag is a label
 * shown as typed, not an identity to match whatever the keyboard. Canonical
 * equivalents (NFC) and case (which folds `ß` to `ss` and the `ﬁ` ligature to
 * `fi`) are the differences a person cannot see or does not mean.
 */
export function normalizeTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const tag of tags) {
    const spelling = tag.normalize('NFC');
    const key = tagKey(spelling);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(spelling);
  }
  return kept;
}

/** Two tags are the same tag when their keys are equal. */
export function tagKey(tag: string): string {
  return caseInsensitiveKey(tag);
}

/**
 * The `tag` list filter: NFC, exact duplicates dropped. It still matches the
 * stored spellings exactly (`?tag=work` does not find `Work`): tasks hold one
 * spelling per key, and the filter is an index lookup on the array as stored.
 */
export function normalizeTagFilter(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.normalize('NFC')))];
}
