import AxeBuilder from '@axe-core/playwright';
import { APIRequestContext, BrowserContext, Page, TestInfo, expect, test as base } from '@playwright/test';
import { randomUUID } from 'node:crypto';

export const PASSWORD = 'correct horse battery';

export interface Account {
  email: string;
  password: string;
  token: string;
}

export interface NewTask {
  title: string;
  description?: string | null;
  status?: 'todo' | 'in-progress' | 'done';
  priority?: 'low' | 'medium' | 'high' | null;
  tags?: string[];
  due_date?: string | null;
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomUUID().slice(0, 8)}@example.com`;
}

/** Signs up straight through the API: for tests whose subject is not the sign-up form. */
export async function createUser(request: APIRequestContext, prefix = 'user'): Promise<Account> {
  const email = uniqueEmail(prefix);
  const response = await request.post('/auth/signup', { data: { email, password: PASSWORD } });
  expect(response.status()).toBe(201);
  const body = (await response.json()) as { access_token: string };
  return { email, password: PASSWORD, token: body.access_token };
}

export async function createTasks(
  request: APIRequestContext,
  account: Account,
  tasks: NewTask[],
): Promise<{ id: string; title: string }[]> {
  const created = [];
  for (const task of tasks) {
    const response = await request.post('/api/tasks', {
      data: task,
      headers: { Authorization: `Bearer ${account.token}` },
    });
    expect(response.status()).toBe(201);
    created.push((await response.json()) as { id: string; title: string });
  }
  return created;
}

/** Logs in through the form. */
export async function loginAs(page: Page, account: Pick<Account, 'email' | 'password'>) {
  await page.goto('/login');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL(/\/today$/);
}

/** Fails on any axe-core violation (WCAG 2.1 A/AA and best practices, every impact), in light and in dark mode. */
export async function expectAccessible(page: Page, testInfo: TestInfo, name: string) {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const results = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
      .analyze();
    const blocking = results.violations;
    if (blocking.length) {
      await testInfo.attach(`axe-${name}-${colorScheme}.json`, {
        body: JSON.stringify(blocking, null, 2),
        contentType: 'application/json',
      });
    }
    expect(
      blocking.map(
        (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
      `axe violations on ${name} (${colorScheme})`,
    ).toEqual([]);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** Full-page screenshots at phone and desktop width (and desktop in dark mode), kept with the test's results. */
export async function screenshots(page: Page, testInfo: TestInfo, name: string) {
  const original = page.viewportSize() ?? { width: 1280, height: 800 };
  const shots = [
    ['phone-360', 360, 'light'],
    ['desktop-1280', 1280, 'light'],
    ['desktop-1280-dark', 1280, 'dark'],
  ] as const;
  for (const [label, width, colorScheme] of shots) {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width, height: 800 });
    await page.evaluate(() => document.fonts.ready);
    const path = testInfo.outputPath(`${name}-${label}.png`);
    await page.screenshot({ path, fullPage: true, animations: 'disabled' });
    await testInfo.attach(`${name}-${label}`, { path, contentType: 'image/png' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(original);
}

/** The row of a task list that shows `title`. */
export function row(page: Page, title: string) {
  return page
    .getByTestId('task-row')
    .filter({ has: page.getByRole('link', { name: title, exact: true }) });
}

/** Records what `page` logs as an error. Failed responses (401, 403) are expected and not counted. */
export function collectConsoleErrors(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(message.text());
    }
  });
  page.on('pageerror', (error) => errors.push(error.message));
}

/** The CSP violations the test server has been sent so far (e2e/serve-dist.mjs collects them). */
export async function cspReports(request: APIRequestContext): Promise<string[]> {
  return (await (await request.get('/__csp-reports')).json()) as string[];
}

/**
 * Collects the CSP violations the pages of `target` see (the `securitypolicyviolation` event),
 * through a binding named `binding` (one name per page or context): each is its directive, or
 * with `detailed` also what was blocked and where.
 */
export async function watchCspViolations(target: Page | BrowserContext, binding: string, detailed = false): Promise<string[]> {
  const violations: string[] = [];
  await target.exposeBinding(binding, (_source, violation: string) => {
    violations.push(violation);
  });
  await target.addInitScript(
    ({ binding, detailed }) => {
      document.addEventListener('securitypolicyviolation', (event) => {
        const report = (window as unknown as Record<string, ((v: string) => void) | undefined>)[binding];
        report?.(
          detailed
            ? `${event.effectiveDirective} blocked ${event.blockedURI || 'inline'} in ${event.sourceFile}:${event.lineNumber}`
            : event.effectiveDirective,
        );
      });
    },
    { binding, detailed },
  );
  return violations;
}

/**
 * Pages must not log errors; a test that opens more pages adds them to `consoleErrors`. No page
 * may violate the Content-Security-Policy: every violation is seen in the page (the
 * `securitypolicyviolation` event, in every context this test's pages run in) and reported to
 * the test server (report-uri), and either fails the test.
 */
export const test = base.extend<{ consoleErrors: string[]; cspViolations: string[] }>({
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      collectConsoleErrors(page, errors);
      await use(errors);
      expect(errors, 'console errors').toEqual([]);
    },
    { auto: true },
  ],
  cspViolations: [
    async ({ context, request }, use) => {
      const reportedBefore = (await cspReports(request)).length;
      const violations = await watchCspViolations(context, '__cspViolation', true);
      await use(violations);
      // Reports travel on their own; give the last ones a moment to arrive.
      await new Promise((resolve) => setTimeout(resolve, 250));
      expect(violations, 'CSP violations seen in the page').toEqual([]);
      expect((await cspReports(request)).slice(reportedBefore), 'CSP violations reported to the server').toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };
