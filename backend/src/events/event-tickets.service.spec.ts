import { ticketSigningKey } from './event-tickets.service.js';

describe('ticketSigningKey', () => {
  const secret = 'a-jwt-secret-that-is-long-enough-0123456789';

  it('is derived from JWT_SECRET, and never equal to it', () => {
    const key = ticketSigningKey(secret);
    expect(key).toHaveLength(32);
    expect(key.equals(ticketSigningKey(secret))).toBe(true);
    expect(key.equals(Buffer.from(secret))).toBe(false);
    expect(key.equals(ticketSigningKey(`${secret}x`))).toBe(false);
  });
});
