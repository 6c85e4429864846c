import { MAX_TRIGRAM_REPEATS, overRepeatedTrigram } from './search-text.js';

describe('overRepeatedTrigram', () => {
  it.each([
    ['quarterly report'],
    ['banana'],
    ['hahahaha'],
    ['-----'],
    ['a'.repeat(MAX_TRIGRAM_REPEATS + 2)],
    ['αβγ αβγ αβγ αβγ'],
    ['x'],
    [''],
    // A long text with a long period is fine: its matches cannot overlap much.
    ['0123456789abcdefghijklmnopqrstuvwxyz!'.repeat(MAX_TRIGRAM_REPEATS)],
  ])('accepts %j', (q) => {
    expect(overRepeatedTrigram(q)).toBeUndefined();
  });

  it.each([
    ['a'.repeat(254) + 'c', 'aaa'],
    ['a'.repeat(MAX_TRIGRAM_REPEATS + 3), 'aaa'],
    ['ab'.repeat(6), 'aba'],
    ['AaAaAaAaA', 'aaa'],
    ['hahahahahaha', 'hah'],
    // Code points, not UTF-16 units: an astral character is one character.
    ['😀'.repeat(MAX_TRIGRAM_REPEATS + 3), '😀😀😀'],
  ])('refuses %j, naming %j', (q, trigram) => {
    expect(overRepeatedTrigram(q)).toBe(trigram);
  });
});
