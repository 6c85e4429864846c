import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { expect, test, watchCspViolations } from './fixtures';

const root = join(__dirname, '..');
const nginxPolicy = readFileSync(join(root, 'nginx.conf'), 'utf8').match(/add_header Content-Security-Policy "([^"]+)" always;/g) ?? [];
const devServerPolicy = (JSON.parse(readFileSync(join(root, 'angular.json'), 'utf8')) as {
  projects: { frontend: { architect: { serve: { options: { headers: Record<string, string> } } } } };
}).projects.frontend.architect.serve.options.headers['Content-Security-Policy'];

/** The directives the web front must send, and nothing that would let injected script run. */
const REQUIRED = [
  "default-src 'self'",
  "script-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];

test('nginx, the dev server and the test server send the same strict Content-Security-Policy', async ({ request }) => {
  const policies = new Set(nginxPolicy.map((line) => /"([^"]+)"/.exec(line)?.[1]));
  expect(policies.size).toBe(1);
  const policy = [...policies][0] as string;
  expect(devServerPolicy).toBe(policy);
  for (const directive of REQUIRED) expect(policy.split('; ')).toContain(directive);
  expect(policy).not.toMatch(/unsafe-inline|unsafe-eval|\*/);

  for (const path of ['/', '/tasks', '/settings/webhooks']) {
    const served = (await request.get(path)).headers()['content-security-policy'];
    expect(served).toBe(`${policy}; report-uri /__csp-report`);
  }
});

// Not the shared fixture: this test provokes a violation on purpose, and catches it.
base('the policy blocks an injected inline script, and the page says so', async ({ page }) => {
  // The report stays in this test: the other tests fail on any report the server receives.
  let reported = 0;
  await page.route('**/__csp-report', (route) => {
    reported++;
    return route.fulfill({ status: 204 });
  });
  const violations = await watchCspViolations(page, '__probeViolation');
  await page.goto('/login');
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
  });
  await expect.poll(() => violations).toContain('script-src-elem');
  expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
  await expect.poll(() => reported).toBeGreaterThan(0);
});
