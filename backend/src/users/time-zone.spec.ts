import { canonicalTimeZone } from './time-zone.js';

describe('canonicalTimeZone', () => {
  it.each([
    ['Europe/Berlin', 'Europe/Berlin'],
    ['europe/berlin', 'Europe/Berlin'],
    ['UTC', 'UTC'],
    // ICU's canonical spelling is CLDR's, which keeps the older name.
    ['America/Argentina/Buenos_Aires', 'America/Buenos_Aires'],
    ['Etc/GMT+1', 'Etc/GMT+1'],
  ])('knows %s as %s', (name, canonical) => {
    expect(canonicalTimeZone(name)).toBe(canonical);
  });

  it.each([['Mars/Olympus'], ['+01:00'], ['UTC+1'], [''], ['Europe/'], ['../etc/passwd'], ['Europe/Berlin\n'], ['x'.repeat(65)]])(
    'refuses %j',
    (name) => {
      expect(canonicalTimeZone(name)).toBeUndefined();
    },
  );
});
