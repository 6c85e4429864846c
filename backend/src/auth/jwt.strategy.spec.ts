import { bearerToken } from './jwt.strategy.js';

describe('bearerToken', () => {
  const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
  const from = (authorization?: string | string[]) => bearerToken({ headers: { authorization } });

  it('takes the token of `Bearer <jwt>`, the scheme in any case', () => {
    expect(from(`Bearer ${jwt}`)).toBe(jwt);
    expect(from(`bearer ${jwt}`)).toBe(jwt);
  });

  it.each([
    ['no header', undefined],
    ['another scheme', `Basic ${jwt}`],
    ['trailing words', `Bearer ${jwt} extra`],
    ['two spaces', `Bearer  ${jwt}`],
    ['two parts', 'Bearer eyJh.eyJz'],
    ['characters outside base64url', `Bearer ${jwt}=`],
    ['the bare token', jwt],
    ['a list', [`Bearer ${jwt}`, `Bearer ${jwt}`]],
  ])('refuses %s', (_case, header) => {
    expect(from(header)).toBeNull();
  });
});
