import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { toErrorDetails } from '../../common/validation.js';
import { CredentialsDto } from './credentials.dto.js';

const read = (email: unknown) => {
  const dto = plainToInstance(CredentialsDto, { email, password: 'correct horse 1' });
  return { email: dto.email, errors: toErrorDetails(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })) };
};

/** Signup and login share this DTO, so both read an address the same way. */
describe('CredentialsDto email', () => {
  it.each([
    [' Grace.Hopper@Example.COM ', 'grace.hopper@example.com'],
    ['jose\u0301@example.com', 'jos\u00e9@example.com'],
    ['ＪＯＳＥ@example.com', 'jose@example.com'],
    ['ΟΔΥΣΣΕΥΣ@example.gr', 'οδυσσευσ@example.gr'],
    ['ada@xn--bcher-kva.de', 'ada@bücher.de'],
    ['δοκιμή@παράδειγμα.δοκιμή', 'δοκιμή@παράδειγμα.δοκιμή'],
  ])('reads %p as %p and accepts it', (input, expected) => {
    expect(read(input)).toEqual({ email: expected, errors: [] });
  });

  it('refuses an invisible or bidi character with a message saying so', () => {
    for (const email of ['ad\u200dmin@example.com', 'ad\u202emin@example.com', 'admin@exam\u00adple.com']) {
      expect(read(email).errors).toEqual([
        { field: 'email', message: 'email must not contain invisible, control or bidirectional formatting characters' },
      ]);
    }
  });

  it('refuses a domain UTS #46 rejects, and keeps the old messages for the rest', () => {
    expect(read('ada@xn--abc.com').errors).toEqual([{ field: 'email', message: 'email must be a valid email address' }]);
    expect(read('not-an-email').errors).toEqual([{ field: 'email', message: 'email must be a valid email address' }]);
    expect(read('ada@exa%41mple.com').errors).toEqual([{ field: 'email', message: 'email must be a valid email address' }]);
    expect(read(42).errors).toEqual([{ field: 'email', message: 'email must be a string' }]);
    expect(read(`${'a'.repeat(244)}@example.com`).errors).toEqual([{ field: 'email', message: 'email must be at most 255 characters' }]);
  });

  it('checks the length of the normalized address, which NFKC can make longer', () => {
    // U+FDFA is one character that NFKC spells out in 18.
    expect(read(`${'\ufdfa'.repeat(14)}@example.com`).errors).toEqual([{ field: 'email', message: 'email must be at most 255 characters' }]);
  });
});
