import type { AuthUser } from '../common/current-user.decorator.js';
import { VerifiedTokens } from './verified-tokens.js';

const user = (id: string, expiresAt: number): AuthUser => ({ id, expiresAt, credential: { kind: 'session' } });

describe('VerifiedTokens', () => {
  it('answers a token it was given until the second its expiry names', () => {
    const tokens = new VerifiedTokens();
    tokens.set('a.b.c', user('u1', 10_000));
    expect(tokens.get('a.b.c', 9_999)?.id).toBe('u1');
    expect(tokens.get('a.b.c', 10_000)).toBeUndefined();
    // An expired entry is gone, not just hidden.
    expect(tokens.get('a.b.c', 0)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('knows only the exact token strings it was given', () => {
    const tokens = new VerifiedTokens();
    tokens.set('a.b.c', user('u1', 10_000));
    expect(tokens.get('a.b.C', 0)).toBeUndefined();
    expect(tokens.get('a.b.c ', 0)).toBeUndefined();
    expect(tokens.get('a.b', 0)).toBeUndefined();
  });

  it('holds at most its capacity, dropping the oldest first', () => {
    const tokens = new VerifiedTokens(3);
    for (const t of ['t1', 't2', 't3', 't4']) tokens.set(t, user(t, 10_000));
    expect(tokens.size).toBe(3);
    expect(tokens.get('t1', 0)).toBeUndefined();
    expect(tokens.get('t4', 0)?.id).toBe('t4');
    // Setting a token it already holds does not evict another.
    tokens.set('t4', user('t4', 20_000));
    expect(tokens.size).toBe(3);
    expect(tokens.get('t2', 0)?.id).toBe('t2');
  });
});
