import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { api, dateIn, signUp } from './day-helpers';

// The README's screenshots: Today, a project as a list, the board and the calendar, on a
// desktop and on a phone. Run with `npm run screenshots -w frontend` (not part of `e2e`).

const ZONE = 'Europe/London';
test.use({ timezoneId: ZONE, locale: 'en-GB' });

const out = join(__dirname, '..', '..', 'docs', 'screenshots');

async function shoot(page: Page, name: string) {
  await page.evaluate(() => document.fonts.ready);
  // The toast and the focus ring are not part of the picture.
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  for (const [label, width, height] of [
    ['desktop', 1280, 800],
    ['phone', 390, 844],
  ] as const) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `${name}-${label}.png`), animations: 'disabled' });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('screenshots for the README', async ({ page, request }) => {
  test.setTimeout(120_000);
  mkdirSync(out, { recursive: true });
  const account = await signUp(page, 'shots');
  const client = api(request, account);
  const day = (n: number) => dateIn(ZONE, n);
  const home = await client.post<{ id: string }>('/api/projects', { name: 'Home', color: '#16a34a' });
  await client.post('/api/projects', { name: 'Work', color: '#2563eb' });
  const tasks: Record<string, unknown>[] = [
    { title: 'Pay rent', project_id: home.id, due_date: day(0), priority: 'high', tags: ['bills'], recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=1', from: 'due' } },
    { title: 'Water the plants', project_id: home.id, due_date: day(0), due_time: '09:00', tags: ['garden'], recurrence: { rrule: 'FREQ=DAILY', from: 'due' } },
    { title: 'Renew the car insurance', project_id: home.id, due_date: day(-2), priority: 'medium', tags: ['bills'] },
    { title: 'Book the dentist', project_id: home.id, due_date: day(3), status: 'in-progress' },
    { title: 'Fix the garden fence', project_id: home.id, due_date: day(9), priority: 'low', tags: ['garden'] },
    { title: 'Sort the winter clothes', project_id: home.id },
    { title: 'Clean the gutters', project_id: home.id, status: 'done', due_date: day(-1) },
  ];
  const created = [];
  for (const task of tasks) created.push(await client.post<{ id: string }>('/api/tasks', task));
  await client.post('/api/tasks', { title: 'Buy wood', parent_id: created[4].id });
  await client.post('/api/tasks', { title: 'Borrow a saw', parent_id: created[4].id, status: 'done' });
  await client.post('/api/tasks', { title: 'Send the quarterly report', due_date: day(0), priority: 'high', tags: ['work'] });

  await page.goto('/today');
  await expect(page.getByTestId('task-row')).toHaveCount(4);
  await shoot(page, 'today');

  await page.goto(`/projects/${home.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Home' })).toBeVisible();
  await expect(page.getByTestId('task-row').first()).toBeVisible();
  await shoot(page, 'project-list');

  await page.goto(`/projects/${home.id}?layout=board`);
  await expect(page.getByRole('list', { name: /^To do/ })).toBeVisible();
  await shoot(page, 'board');

  await page.goto(`/projects/${home.id}?layout=calendar`);
  await expect(page.getByRole('grid')).toBeVisible();
  await expect(page.getByRole('grid').getByRole('button', { name: /Pay rent/ }).first()).toBeVisible();
  await shoot(page, 'calendar');
});
