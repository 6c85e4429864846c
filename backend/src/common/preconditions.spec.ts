import { checkIdempotencyKey, etagOf, noneMatch, parseIfMatch, parseIfNoneMatch } from './preconditions.js';

describe('conditional request headers', () => {
  it('quotes the version as a strong ETag', () => {
    expect(etagOf(3)).toBe('"3"');
  });

  it.each([
    [undefined, undefined],
    ['*', { any: true }],
    ['"3"', { any: false, versions: [3] }],
    ['3', { any: false, versions: [3] }],
    ['"2", "3" ,"9"', { any: false, versions: [2, 3, 9] }],
    ['W/"3"', { any: false, versions: [] }],
    ['"abc"', { any: false, versions: [] }],
    ['"0"', { any: false, versions: [] }],
    ['"03"', { any: false, versions: [] }],
    ['"99999999999999999999"', { any: false, versions: [] }],
    ['', { any: false, versions: [] }],
  ])('If-Match %p allows %p', (header, expected) => {
    expect(parseIfMatch(header)).toEqual(expected);
  });

  it.each([
    [undefined, 3, true],
    ['"3"', 3, false],
    ['W/"3"', 3, false],
    ['"1", "3"', 3, false],
    ['*', 3, false],
    ['"2"', 3, true],
    ['garbage', 3, true],
  ])('If-None-Match %p on version %p: send the body = %p', (header, version, expected) => {
    expect(noneMatch(header, version)).toBe(expected);
  });

  it.each([
    [undefined, undefined],
    ['*', { any: true }],
    ['"3"', { any: false, versions: [3] }],
    ['W/"3"', { any: false, versions: [3] }],
    ['"2", W/"3" ,"9"', { any: false, versions: [2, 3, 9] }],
    ['3', { any: false, versions: [3] }],
    ['"abc"', { any: false, versions: [] }],
    ['', { any: false, versions: [] }],
  ])('If-None-Match %p on a write excludes %p (weak comparison)', (header, expected) => {
    expect(parseIfNoneMatch(header)).toEqual(expected);
  });

  it.each(['k', 'a'.repeat(255), 'with spaces inside', '~!@#$%^&*()_+'])('accepts the key %p', (key) => {
    expect(checkIdempotencyKey(key)).toBe(key);
  });

  it.each(['', 'a'.repeat(256), 'tab\there', 'clé', 'new\nline'])('refuses the key %p with a 400', (key) => {
    expect(() => checkIdempotencyKey(key)).toThrow('Validation failed');
  });
});
