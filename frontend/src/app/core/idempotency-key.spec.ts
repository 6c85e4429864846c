import { IdempotencyKeys, newIdempotencyKey } from './idempotency-key';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('idempotency keys', () => {
  it('are random UUIDs, also where crypto.randomUUID is missing (plain HTTP)', () => {
    expect(newIdempotencyKey()).toMatch(UUID_V4);
    expect(newIdempotencyKey()).not.toBe(newIdempotencyKey());
    // Shadows the inherited method for this test only.
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    try {
      expect(newIdempotencyKey()).toMatch(UUID_V4);
    } finally {
      Reflect.deleteProperty(crypto, 'randomUUID');
    }
    expect(typeof crypto.randomUUID).toBe('function');
  });

  it('stay the same for a body sent again after a failure, and change after a success', () => {
    const keys = new IdempotencyKeys();
    const first = keys.keyFor({ title: 'Buy milk' });
    expect(keys.keyFor({ title: 'Buy milk' })).toBe(first);
    const other = keys.keyFor({ title: 'Buy bread' });
    expect(other).not.toBe(first);
    keys.succeeded();
    expect(keys.keyFor({ title: 'Buy bread' })).not.toBe(other);
  });
});
