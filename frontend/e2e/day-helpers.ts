import { APIRequestContext, Page, expect, request } from '@playwright/test';
import { Account, PASSWORD, uniqueEmail } from './fixtures';

export const ZONE = 'Pacific/Auckland';

/** YYYY-MM-DD in `zone` at `at`, moved by `days`. */
export function dateIn(zone: string, days = 0, at = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  const [y, m, d] = parts.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return date.toISOString().slice(0, 10);
}

/** The instant when the wall clock in `zone` shows `date` `time`. */
export function zonedInstant(date: string, time: string, zone: string): Date {
  const guess = Date.parse(`${date}T${time}Z`);
  const shown = new Intl.DateTimeFormat('en-CA', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(guess));
  const get = (t: string) => Number(shown.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return new Date(guess - (asUtc - guess));
}

/** Signs up through the form and returns the account with its token. */
export async function signUp(page: Page, prefix: string): Promise<Account> {
  const email = uniqueEmail(prefix);
  await page.goto('/signup');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByLabel('Password').press('Enter');
  await expect(page).toHaveURL(/\/today$/);
  // The page keeps its token in memory only: the test logs in on the side for its own, with
  // cookies of its own, so the page's session is left as it is.
  const side = await request.newContext({ baseURL: new URL(page.url()).origin });
  const response = await side.post('/auth/login', { data: { email, password: PASSWORD } });
  expect(response.status()).toBe(200);
  const token = ((await response.json()) as { access_token: string }).access_token;
  await side.dispose();
  return { email, password: PASSWORD, token };
}

export function api(request: APIRequestContext, account: Account) {
  const headers = { Authorization: `Bearer ${account.token}` };
  return {
    get: async <T>(path: string) => {
      const r = await request.get(path, { headers });
      expect(r.status(), `GET ${path}`).toBe(200);
      return (await r.json()) as T;
    },
    post: async <T>(path: string, data: unknown) => {
      const r = await request.post(path, { headers, data });
      expect(r.status(), `POST ${path}`).toBeLessThan(300);
      return (await r.json()) as T;
    },
  };
}

/** Drags with the mouse the way the CDK expects: press, move past its threshold, move, release. */
export async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }, steps = 12) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 8, from.y + 8, { steps: 2 });
  await page.mouse.move(to.x, to.y, { steps });
  await page.mouse.move(to.x + 1, to.y + 1);
  await page.mouse.up();
}

export async function center(locator: import('@playwright/test').Locator) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not visible');
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
