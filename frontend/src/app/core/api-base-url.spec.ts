import { isApiUrl, resolveApiBaseUrl } from './api-base-url';

describe('resolveApiBaseUrl', () => {
  it('defaults to the page origin', () => {
    expect(resolveApiBaseUrl('', 'http://localhost:4200/dashboard/tasks')).toBe(
      'http://localhost:4200',
    );
  });

  it('keeps a configured host and path, without a trailing slash', () => {
    expect(resolveApiBaseUrl('https://api.example.com/v1/', 'http://localhost:4200/')).toBe(
      'https://api.example.com/v1',
    );
  });
});

describe('isApiUrl', () => {
  const page = 'http://localhost:4200/dashboard';

  it('accepts relative and same-origin URLs for a same-origin API', () => {
    const base = 'http://localhost:4200';
    expect(isApiUrl('/api/tasks', base, page)).toBe(true);
    expect(isApiUrl('http://localhost:4200/auth/me', base, page)).toBe(true);
  });

  it('refuses other hosts, ports and schemes', () => {
    const base = 'http://localhost:4200';
    expect(isApiUrl('https://evil.example/api/tasks', base, page)).toBe(false);
    expect(isApiUrl('http://localhost:3000/api/tasks', base, page)).toBe(false);
    expect(isApiUrl('https://localhost:4200/api/tasks', base, page)).toBe(false);
    expect(isApiUrl('//evil.example/api', base, page)).toBe(false);
  });

  it('honours a path prefix of the base URL', () => {
    const base = 'https://api.example.com/v1';
    expect(isApiUrl('https://api.example.com/v1/api/tasks', base, page)).toBe(true);
    expect(isApiUrl('https://api.example.com/v10/api/tasks', base, page)).toBe(false);
    expect(isApiUrl('https://api.example.com/other', base, page)).toBe(false);
  });
});
