import fc from 'fast-check';
import { normalizeTagFilter, normalizeTags, tagKey } from './tags.js';

const NFC = 'caf\u00e9';
const NFD = 'cafe\u0301';

describe('normalizeTags', () => {
  it('keeps the first spelling of each case-insensitive tag, in order', () => {
    expect(normalizeTags(['Work', 'work', 'WORK', NFC, NFD])).toEqual(['Work', NFC]);
    expect(normalizeTags(['b', 'a', 'B', 'c', 'a'])).toEqual(['b', 'a', 'c']);
  });

  it('stores NFC even when the first spelling was decomposed', () => {
    expect(normalizeTags([NFD, 'CAF\u00c9'])).toEqual([NFC]);
  });

  it('folds fully: ß and ss, final and medial sigma, the ﬁ ligature and fi', () => {
    expect(normalizeTags(['Straße', 'STRASSE', 'strasse'])).toEqual(['Straße']);
    expect(normalizeTags(['ﬁle', 'FILE'])).toEqual(['ﬁle']);
    expect(normalizeTags(['ΟΔΟΣ', 'οδος', 'οδοσ'])).toEqual(['ΟΔΟΣ']);
  });

  it('keeps compatibility variants and dotless ı as tags of their own', () => {
    expect(normalizeTags(['x²', 'x2', '①', '1', 'ｗｏｒｋ', 'work', 'ı', 'i'])).toEqual(['x²', 'x2', '①', '1', 'ｗｏｒｋ', 'work', 'ı', 'i']);
  });

  it('returns tags that normalize to themselves, with distinct keys', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), { maxLength: 20 }), (tags) => {
        const kept = normalizeTags(tags);
        expect(normalizeTags(kept)).toEqual(kept);
        expect(new Set(kept.map(tagKey)).size).toBe(kept.length);
        expect(new Set(tags.map(tagKey))).toEqual(new Set(kept.map(tagKey)));
        for (const tag of kept) expect(tag).toBe(tag.normalize('NFC'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('normalizeTagFilter', () => {
  it('normalizes to NFC and drops exact duplicates only: the filter matches stored spellings exactly', () => {
    expect(normalizeTagFilter([NFD, NFC, 'Work', 'work'])).toEqual([NFC, 'Work', 'work']);
  });
});
