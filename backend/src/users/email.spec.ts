import fc from 'fast-check';
import { normalizeEmail, normalizeStoredEmail } from './email.js';

const normalized = (input: string) => {
  const result = normalizeEmail(input);
  if (!result.ok) throw new Error(`refused ${JSON.stringify(input)}: ${result.problem}`);
  return result.email;
};

describe('normalizeEmail', () => {
  it.each([
    ['trims and lower-cases', '  Grace.Hopper@Example.COM ', 'grace.hopper@example.com'],
    ['composes a decomposed accent (NFD → NFC)', 'jose\u0301@example.com', 'jos\u00e9@example.com'],
    ['maps full-width letters and @', 'ＪＯＳＥ＠ｅｘａｍｐｌｅ．ｃｏｍ', 'jose@example.com'],
    ['folds Greek capitals and the final sigma', 'ΟΔΥΣΣΕΥΣ@example.gr', 'οδυσσευσ@example.gr'],
    ['folds a final sigma', 'οδυσσευς@example.gr', 'οδυσσευσ@example.gr'],
    ['folds ß to ss', 'Straße@example.de', 'strasse@example.de'],
    ['folds capital ẞ to ss', 'STRAẞE@example.de', 'strasse@example.de'],
    ['folds long s', 'ſam@example.com', 'sam@example.com'],
    ['keeps dotless ı', 'ılık@example.com.tr', 'ılık@example.com.tr'],
    ['keeps an IDN domain in Unicode', 'ada@bücher.de', 'ada@bücher.de'],
    ['turns an xn-- domain into Unicode', 'ada@xn--bcher-kva.de', 'ada@bücher.de'],
    ['lower-cases an xn-- domain', 'ada@XN--BCHER-KVA.DE', 'ada@bücher.de'],
    ['lower-cases a Unicode domain', 'ada@BÜCHER.DE', 'ada@bücher.de'],
    ['composes a decomposed domain', 'ada@bu\u0308cher.de', 'ada@bücher.de'],
    ['maps an ideographic full stop in the domain', 'ada@example。com', 'ada@example.com'],
    ['keeps ß in a domain (nontransitional UTS #46)', 'ada@faß.de', 'ada@faß.de'],
    ['splits at the last @ of a quoted local part', '"A@B"@Example.com', '"a@b"@example.com'],
  ])('%s', (_case, input, expected) => {
    expect(normalized(input)).toBe(expected);
  });

  it.each([
    ['zero-width joiner', '\u200d'],
    ['zero-width non-joiner', '\u200c'],
    ['zero-width space', '\u200b'],
    ['word joiner', '\u2060'],
    ['right-to-left override', '\u202e'],
    ['left-to-right embedding', '\u202a'],
    ['pop directional isolate', '\u2069'],
    ['left-to-right mark', '\u200e'],
    ['Arabic letter mark', '\u061c'],
    ['soft hyphen', '\u00ad'],
    ['byte order mark', '\ufeff'],
    ['combining grapheme joiner', '\u034f'],
    ['variation selector', '\ufe0f'],
    ['Hangul filler', '\u3164'],
    ['tag character', '\u{e0041}'],
    ['NUL', '\u0000'],
    ['bell', '\u0007'],
    ['DEL', '\u007f'],
    ['C1 control', '\u0085'],
    ['private-use character', '\ue000'],
    ['lone surrogate', '\ud800'],
    ['unassigned code point', '\u0378'],
    ['line separator', '\u2028'],
    ['paragraph separator', '\u2029'],
  ])('refuses a %s in the local part and in the domain', (_name, char) => {
    expect(normalizeEmail(`ad${char}min@example.com`)).toEqual({ ok: false, problem: 'refused-character' });
    expect(normalizeEmail(`admin@exa${char}mple.com`)).toEqual({ ok: false, problem: 'refused-character' });
  });

  it('trims a byte order mark at either end, like other surrounding white space', () => {
    expect(normalized('\ufeffada@example.com\ufeff')).toBe('ada@example.com');
  });

  it.each(['ada@xn--abc.com', 'ada@', 'ada@xn--a.com'])('refuses the domain of %p, which UTS #46 rejects', (input) => {
    expect(normalizeEmail(input)).toEqual({ ok: false, problem: 'invalid-domain' });
  });

  it.each(['ada@exa%41mple.com', 'ada@bü%63her.de', 'ada@[127.0.0.1]', 'ada@ex ample.com', 'ada@exa:mple.com'])(
    'leaves %p as typed rather than percent-decode or parse it as a URL host would',
    (input) => {
      expect(normalized(input)).toBe(input);
    },
  );

  it('returns an address without @ trimmed and NFKC-normalized, for the email validator to refuse', () => {
    expect(normalized(' ＡＤＡ ')).toBe('ADA');
  });

  it('gives every spelling of one address one normal form, which normalizes to itself', () => {
    const local = fc.array(fc.constantFrom('a', 'B', 'é', 'e\u0301', 'É', 'ß', 'ẞ', 'Σ', 'σ', 'ς', 'ｊ', 'Ｊ', 'ı', 'İ', '.', '+', '1'), {
      minLength: 1,
      maxLength: 12,
    });
    const domain = fc.constantFrom('example.com', 'EXAMPLE.COM', 'bücher.de', 'xn--bcher-kva.de', 'BU\u0308CHER.de', 'ｅｘａｍｐｌｅ．ｃｏｍ');
    fc.assert(
      fc.property(local, domain, (chars, host) => {
        const result = normalizeEmail(`${chars.join('')}@${host}`);
        if (!result.ok) return;
        expect(normalizeEmail(result.email)).toEqual(result);
        // The capital of ı is the I of i (see foldCase).
        if (!chars.includes('ı')) expect(normalizeEmail(`${chars.join('').toUpperCase()}@${host.toUpperCase()}`)).toEqual(result);
        expect(result.email).toBe(result.email.normalize('NFC'));
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent on any input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 20 }), fc.string({ unit: 'grapheme', maxLength: 20 }), (local, host) => {
        const result = normalizeEmail(`${local}@${host}`);
        if (result.ok) expect(normalizeEmail(result.email)).toEqual(result);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('normalizeStoredEmail', () => {
  it('removes the characters a new address would be refused for, then normalizes', () => {
    expect(normalizeStoredEmail('ZW\u200bJ@Exa\u00admple.com')).toEqual({ ok: true, email: 'zwj@example.com' });
  });

  it('normalizes a clean address exactly as normalizeEmail does', () => {
    expect(normalizeStoredEmail('jose\u0301@EXAMPLE.com')).toEqual(normalizeEmail('jose\u0301@EXAMPLE.com'));
  });
});
