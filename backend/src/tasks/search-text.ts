/**
 * How often one three-character sequence may occur in a search text `q`.
 *
 * `q` becomes `ILIKE '%q%'`, which PostgreSQL tests by trying every position
 * of a title or description in turn, comparing as long as the text matches
 * `q`. Only a text that repeats itself (`aaaa…`, `abab…`) can make most of
 * those attempts long: a 255-character `aaa…ac` against 10,000 characters of
 * `aaa…` compares ~2.5 million characters per task, and one user's search
 * over 2,000 such tasks ran 10 s. When no trigram occurs more than a few
 * times, every prefix of `q` has a long period, matches cannot overlap much,
 * and a task costs a few comparisons per character whatever its text: the
 * cost of a search is bounded by the size of the text it reads.
 */
export const MAX_TRIGRAM_REPEATS = 4;

/** The first trigram of `q` (case-folded, as ILIKE compares) that occurs more than MAX_TRIGRAM_REPEATS times. */
export function overRepeatedTrigram(q: string): string | undefined {
  const characters = [...q.toLowerCase()];
  const seen = new Map<string, number>();
  for (let i = 0; i + 3 <= characters.length; i++) {
    const trigram = characters.slice(i, i + 3).join('');
    const count = (seen.get(trigram) ?? 0) + 1;
    if (count > MAX_TRIGRAM_REPEATS) return trigram;
    seen.set(trigram, count);
  }
  return undefined;
}
