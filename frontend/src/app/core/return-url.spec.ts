import { safeReturnUrl } from './return-url';

describe('safeReturnUrl', () => {
  it('keeps a path inside the app', () => {
    expect(safeReturnUrl('/dashboard/tasks?status=done')).toBe('/dashboard/tasks?status=done');
  });

  it('refuses other sites and loops back to the auth pages', () => {
    expect(safeReturnUrl('https://evil.example')).toBe('/today');
    expect(safeReturnUrl('//evil.example/x')).toBe('/today');
    expect(safeReturnUrl('/\\evil.example')).toBe('/today');
    expect(safeReturnUrl('/login?returnUrl=/x')).toBe('/today');
    expect(safeReturnUrl(undefined)).toBe('/today');
  });
});
