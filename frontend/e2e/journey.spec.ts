import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  PASSWORD,
  createTasks,
  expect,
  expectAccessible,
  row,
  screenshots,
  test,
  uniqueEmail,
} from './fixtures';

function isoDate(offsetDays: number): string {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test('the whole journey: sign up, add, find, edit, change, delete, log out, log in', async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(180_000);
  const email = uniqueEmail('journey');
  const quickAdd = page.getByRole('form', { name: 'Quick add' });
  const filters = page.getByRole('search', { name: 'Filter tasks' });
  const summary = page.getByTestId('list-summary');
  const panel = page.getByTestId('task-panel');
  const nav = page.getByRole('navigation', { name: 'Main' });

  await test.step('sign up and land on Today', async () => {
    await page.goto('/signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await expect(page).toHaveURL(/\/today$/);
    await expect(page.getByTestId('user-email')).toHaveText(email);
    await expect(page.getByText('Nothing due today.')).toBeVisible();
  });

  await test.step('quick add on Today: due today unless the words say otherwise', async () => {
    await quickAdd.getByLabel('New task').fill('Plan the week');
    await quickAdd.getByLabel('New task').press('Enter');
    await expect(page.getByText('Added “Plan the week”.')).toBeVisible();
    await expect(row(page, 'Plan the week')).toBeVisible();
    await expect(row(page, 'Plan the week').getByTestId('chip-due')).toHaveText('Today');
    await expect(quickAdd.getByLabel('New task')).toHaveValue('');
  });

  await test.step('add tasks with priority, tags and due date in plain words', async () => {
    await nav.getByRole('link', { name: 'Tasks', exact: true }).click();
    await expect(page).toHaveURL(/\/tasks$/);
    const field = quickAdd.getByLabel('New task');
    const add = async (text: string, title: string, chips: string[]) => {
      await field.fill(text);
      // What was understood shows before saving.
      for (const chip of chips) await expect(quickAdd.getByTestId('quick-add-chips')).toContainText(chip);
      await field.press('Enter');
      await expect(page.getByText(`Added “${title}”.`)).toBeVisible();
      await expect(row(page, title)).toBeVisible();
    };
    await add('Buy milk tomorrow !high #home #shop', 'Buy milk', ['Tomorrow', 'High', '#home', '#shop']);
    await add(`Write report ${isoDate(-2)} !medium #work`, 'Write report', ['Medium', '#work']);
    await add('Call plumber !low #home', 'Call plumber', ['Low', '#home']);
    await expect(row(page, 'Write report')).toContainText('Overdue');
    await expect(summary).toHaveText(/Showing 1–4 of 4 tasks/);

    // The rest of the fields are in the panel.
    await row(page, 'Write report').getByRole('link', { name: 'Write report' }).click();
    await panel.getByLabel('Description').fill('Q3 numbers for the board');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect(panel.getByText('Saved.')).toBeVisible();
    await panel.getByRole('button', { name: 'Close' }).click();
    await expect(panel).toHaveCount(0);
    await row(page, 'Call plumber').getByRole('link', { name: 'Call plumber' }).click();
    await panel.getByLabel('Status').selectOption('in-progress');
    await panel.getByRole('button', { name: 'Save' }).click();
    await expect(panel.getByText('Saved.')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    // Focus goes back to the row the panel was opened from.
    await expect(row(page, 'Call plumber')).toBeFocused();
  });

  await test.step('page through more tasks than fit on one page', async () => {
    // The page keeps its token in memory only: the test logs in through the API for its own.
    const login = await request.post('/auth/login', { data: { email, password: PASSWORD } });
    const token = ((await login.json()) as { access_token: string }).access_token;
    await createTasks(
      request,
      { email, password: PASSWORD, token },
      Array.from({ length: 20 }, (_, i) => ({
        title: `Filler task ${String(i + 1).padStart(2, '0')}`,
        tags: ['bulk'],
      })),
    );
    await page.reload();
    await expect(summary).toHaveText(/Showing 1–20 of 24 tasks/);
    await expect(page.getByTestId('task-row')).toHaveCount(20);
    await expect(page.getByText('Page 1 of 2')).toBeVisible();
    await page.getByRole('link', { name: 'Next page' }).click();
    await expect(page).toHaveURL(/page=2/);
    await expect(summary).toHaveText(/Showing 21–24 of 24 tasks/);
    await expect(page.getByTestId('task-row')).toHaveCount(4);
    await page.getByRole('link', { name: 'Previous page' }).click();
    await expect(summary).toHaveText(/Showing 1–20 of 24 tasks/);
  });

  await test.step('filter by priority, tag and status; search; all kept in the URL', async () => {
    await filters.getByRole('group', { name: 'Priority' }).getByLabel('High').check();
    await expect(page).toHaveURL(/priority=high/);
    await expect(page.getByTestId('task-row')).toHaveCount(1);
    await expect(row(page, 'Buy milk')).toBeVisible();
    await filters.getByRole('group', { name: 'Priority' }).getByLabel('High').uncheck();

    await filters.getByLabel('Tags').fill('home');
    await expect(page).toHaveURL(/tag=home/);
    await expect(page.getByTestId('task-row')).toHaveCount(2);
    await filters.getByRole('group', { name: 'Status' }).getByLabel('In progress').check();
    await expect(page.getByTestId('task-row')).toHaveCount(1);
    await expect(row(page, 'Call plumber')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect(summary).toHaveText(/of 24 tasks/);

    // Typing fires one search after a pause, not one request per key.
    const searches: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/tasks?') && r.url().includes('q=')) searches.push(r.url());
    });
    await filters.getByLabel('Search').pressSequentially('report', { delay: 30 });
    await expect(page).toHaveURL(/q=report/);
    await expect(page.getByTestId('task-row')).toHaveCount(1);
    await expect(row(page, 'Write report')).toBeVisible();
    expect(searches.length).toBeGreaterThanOrEqual(1);
    expect(searches.length).toBeLessThanOrEqual(2);

    // A reload (or a shared link) shows the same view.
    await page.reload();
    await expect(filters.getByLabel('Search')).toHaveValue('report');
    await expect(page.getByTestId('task-row')).toHaveCount(1);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect(page).toHaveURL(/\/tasks$/);
  });

  await test.step('sort', async () => {
    await filters.getByLabel('Sort by').selectOption('title');
    await expect(page).toHaveURL(/sort=title/);
    await expect(page.getByTestId('task-row').first()).toContainText('Buy milk');
    await filters.getByLabel('Sort by').selectOption('-priority');
    await expect(page.getByTestId('task-row').nth(0)).toContainText('Buy milk');
    await expect(page.getByTestId('task-row').nth(1)).toContainText('Write report');
    await expect(page.getByTestId('task-row').nth(2)).toContainText('Call plumber');
    await filters.getByLabel('Sort by').selectOption('due_date');
    await expect(page.getByTestId('task-row').nth(0)).toContainText('Write report');
    await filters.getByLabel('Sort by').selectOption('-created_at');
    await expect(page).toHaveURL(/\/tasks$/);
  });

  await test.step('the task list is accessible at phone and desktop width', async () => {
    await expectAccessible(page, testInfo, 'task-list');
    await screenshots(page, testInfo, 'task-list');
  });

  await test.step('edit every field in the panel', async () => {
    await filters.getByLabel('Search').fill('Write report');
    await filters.getByLabel('Search').press('Enter');
    await row(page, 'Write report').getByRole('link', { name: 'Write report' }).click();
    await expect(panel.getByRole('heading', { name: 'Write report' })).toBeVisible();
    const form = panel.getByRole('form', { name: 'Edit task' });
    await expect(form.getByLabel('Description')).toHaveValue('Q3 numbers for the board');
    await form.getByLabel('Title').fill('Write the Q3 report');
    await form.getByLabel('Description').fill('Numbers and a short summary');
    await form.getByLabel('Status').selectOption('in-progress');
    await form.getByLabel('Priority').selectOption('high');
    await form.getByLabel('Tags').fill('work, board');
    await form.getByLabel('Due date').fill(isoDate(3));
    await form.getByLabel('Time').fill('14:30');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(panel.getByText('Saved.')).toBeVisible();
    await expectAccessible(page, testInfo, 'task-panel');
    await screenshots(page, testInfo, 'task-panel');

    // The panel is in the URL: a reload opens it again, with what was saved.
    await page.reload();
    await expect(panel.getByRole('heading', { name: 'Write the Q3 report' })).toBeVisible();
    await expect(form.getByLabel('Description')).toHaveValue('Numbers and a short summary');
    await expect(form.getByLabel('Status')).toHaveValue('in-progress');
    await expect(form.getByLabel('Priority')).toHaveValue('high');
    await expect(form.getByLabel('Tags')).toHaveValue('work, board');
    await expect(form.getByLabel('Due date')).toHaveValue(isoDate(3));
    await expect(form.getByLabel('Time')).toHaveValue('14:30');

    // The same task on a page of its own.
    await panel.getByRole('link', { name: 'Open as page' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Write the Q3 report' })).toBeVisible();
    await expectAccessible(page, testInfo, 'task-page');
    await page.getByRole('link', { name: 'All tasks' }).click();
    await expect(page).toHaveURL(/\/tasks$/);
    await filters.getByLabel('Sort by').selectOption('title');
    await expect(page.getByTestId('task-row').first()).toContainText('Buy milk');
  });

  await test.step('complete a task in the list in one click', async () => {
    const patched = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes('/api/tasks/'),
    );
    await row(page, 'Buy milk').getByRole('checkbox', { name: 'Complete Buy milk' }).click();
    expect((await patched).status()).toBe(200);
    await expect(page.getByTestId('toast')).toContainText('Completed “Buy milk”.');
    await page.reload();
    await expect(page).toHaveURL(/sort=title/);
    await expect(row(page, 'Buy milk').getByRole('checkbox', { name: 'Reopen Buy milk' })).toHaveAttribute(
      'aria-checked',
      'true',
    );
    if (process.env['SAVE_DOCS_SCREENSHOT']) {
      const target = join(__dirname, '..', '..', 'docs', 'screenshots', 'task-list.png');
      mkdirSync(dirname(target), { recursive: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: target, animations: 'disabled' });
    }
  });

  await test.step('delete, and undo it from the toast', async () => {
    await row(page, 'Call plumber').getByRole('button', { name: 'Actions for Call plumber' }).click();
    await row(page, 'Call plumber').getByRole('button', { name: /^Delete/ }).click();
    await expect(row(page, 'Call plumber')).toHaveCount(0);
    const toast = page.getByTestId('toast');
    await expect(toast).toContainText('Deleted “Call plumber”.');
    // The toast waits while the pointer is on it (it would go after five seconds).
    await toast.hover();
    await expectAccessible(page, testInfo, 'undo-toast');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(row(page, 'Call plumber')).toBeVisible();
    await expect(summary).toHaveText(/of 24 tasks/);

    await row(page, 'Call plumber').getByRole('button', { name: 'Actions for Call plumber' }).click();
    await row(page, 'Call plumber').getByRole('button', { name: /^Delete/ }).click();
    await expect(row(page, 'Call plumber')).toHaveCount(0);
    await expect(summary).toHaveText(/of 23 tasks/);
  });

  await test.step('Today and Upcoming sum up the day', async () => {
    await nav.getByRole('link', { name: 'Today' }).click();
    await expect(page).toHaveURL(/\/today$/);
    const today = page.getByRole('region', { name: 'Today' });
    await expect(today.getByTestId('task-row')).toHaveCount(1);
    await expect(row(page, 'Plan the week')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Overdue' })).toHaveCount(0);
    await expectAccessible(page, testInfo, 'today');
    await screenshots(page, testInfo, 'today');

    await nav.getByRole('link', { name: 'Upcoming' }).click();
    await expect(row(page, 'Write the Q3 report')).toBeVisible();
    await expect(row(page, 'Write the Q3 report')).toContainText('2:30pm');
    // Done is done: the completed "Buy milk" is not coming up.
    await expect(row(page, 'Buy milk')).toHaveCount(0);
    await expectAccessible(page, testInfo, 'upcoming');

    // The Inbox counts open tasks: 24 added, one deleted, one done.
    await expect(nav.getByRole('link', { name: /^Inbox/ })).toContainText('22');
  });

  await test.step('log out clears the session', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByTestId('user-email')).toHaveCount(0);
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    await page.goto('/tasks');
    await expect(page).toHaveURL(/\/login\?returnUrl=%2Ftasks$/);
  });

  await test.step('log in again and land where we were going', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL(/\/tasks$/);
    await expect(summary).toHaveText(/of 23 tasks/);
  });
});
