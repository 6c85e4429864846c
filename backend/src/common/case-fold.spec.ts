import fc from 'fast-check';
import { foldCase } from './case-fold.js';

describe('foldCase', () => {
  it.each([
    ['ASCII', 'Grace.HOPPER', 'grace.hopper'],
    ['Greek capitals with final sigma', 'ΟΔΥΣΣΕΥΣ', 'οδυσσευσ'],
    ['a final sigma', 'οδυσσευς', 'οδυσσευσ'],
    ['a medial sigma', 'οδυσσευσ', 'οδυσσευσ'],
    ['sharp s', 'Straße', 'strasse'],
    ['capital sharp s', 'STRAẞE', 'strasse'],
    ['long s', 'ſam', 'sam'],
    ['the Kelvin sign', '\u212a', 'k'],
    ['a ligature', 'ﬀ', 'ff'],
    ['a title-case digraph', '\u01c5', '\u01c6'],
    ['alpha with prosgegrammeni', 'ᾼ', 'αι'],
    ['capital I with dot', 'İ', 'i\u0307'],
  ])('folds %s', (_case, input, folded) => {
    expect(foldCase(input)).toBe(folded);
  });

  it('keeps dotless ı apart from i, as Unicode default folding does', () => {
    expect(foldCase('ı')).toBe('ı');
    expect(foldCase('I')).toBe('i');
    expect(foldCase('ıi')).toBe('ıi');
  });

  it('folds a character the same wherever it stands (no final-sigma context)', () => {
    expect(foldCase('Σ')).toBe(foldCase('ς'));
    expect(foldCase('ΑΣ ΑΣ')).toBe('ασ ασ');
  });

  it('is idempotent and blind to case (but for ı, whose capital is the I of i)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (text) => {
        const folded = foldCase(text);
        expect(foldCase(folded)).toBe(folded);
        expect(foldCase(text.toLowerCase())).toBe(folded);
        if (!text.includes('ı')) expect(foldCase(text.toUpperCase())).toBe(folded);
      }),
      { numRuns: 2000 },
    );
  });
});
