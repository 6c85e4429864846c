import { exceedsDepth, MAX_JSON_DEPTH } from './json-body.js';

describe('exceedsDepth', () => {
  it('allows the depth of every real body', () => {
    expect(exceedsDepth('{"title":"a","tags":["x","y"]}', MAX_JSON_DEPTH)).toBe(false);
    expect(exceedsDepth(`${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`, MAX_JSON_DEPTH)).toBe(false);
  });

  it('refuses one level more, arrays and objects alike', () => {
    expect(exceedsDepth(`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`, MAX_JSON_DEPTH)).toBe(true);
    expect(exceedsDepth(`${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`, MAX_JSON_DEPTH)).toBe(true);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const text = JSON.stringify({ title: `${'['.repeat(100)}"\\${'{'.repeat(100)}` });
    expect(exceedsDepth(text, 2)).toBe(false);
  });

  it('counts siblings, not their number', () => {
    expect(exceedsDepth(`[${new Array(10_000).fill('[1]').join(',')}]`, 2)).toBe(false);
  });
});
