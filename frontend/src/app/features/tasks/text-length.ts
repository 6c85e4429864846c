/**
 * Length in Unicode code points, as the API counts (backend/src/common/validation.ts): an
 * emoji or a CJK extension character is one, where String.length counts two UTF-16 units.
 */
export function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}
