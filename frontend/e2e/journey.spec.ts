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
  const newTaskForm = page.getByRole('form', { name: 'New task' });
  const filters = page.getByRole('search', { name: 'Filter tasks' });
  const summary = page.getByTestId('list-summary');

  await test.step('sign up', async () => {
    await page.goto('/signup');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByLabel('Password').press('Enter');
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId('user-email')).toHaveText(email);
    await expect(page.getByText('No tasks yet.')).toBeVisible();
  });

  await test.step('quick add on the dashboard', async () => {
    await page.getByLabel('Title').fill('Plan the week');
    await page.getByLabel('Title').press('Enter');
    await expect(page.getByText('Added “Plan the week”.')).toBeVisible();
    await expect(page.getByTestId('count-todo')).toContainText('1');
    await expect(page.getByLabel('Title')).toHaveValue('');
  });

  await test.step('add tasks with every field', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Tasks' })
      .click();
    await expect(page).toHaveURL(/\/dashboard\/tasks$/);
    const add = async (task: {
      title: string;
      description?: string;
      priority?: string;
      tags?: string;
      due?: string;
      status?: string;
    }) => {
      await newTaskForm.getByLabel('Title').fill(task.title);
      if (task.description) await newTaskForm.getByLabel('Description').fill(task.description);
      if (task.status) await newTaskForm.getByLabel('Status').selectOption(task.status);
      if (task.priority) await newTaskForm.getByLabel('Priority').selectOption(task.priority);
      if (task.tags) await newTaskForm.getByLabel('Tags').fill(task.tags);
      if (task.due) await newTaskForm.getByLabel('Due date').fill(task.due);
      await newTaskForm.getByRole('button', { name: 'Add task' }).click();
      await expect(page.getByText(`Added “${task.title}”.`)).toBeVisible();
      await expect(row(page, task.title)).toBeVisible();
    };
    await add({ title: 'Buy milk', priority: 'high', tags: 'home, shop', due: isoDate(1) });
    await add({
      title: 'Write report',
      description: 'Q3 numbers for the board',
      priority: 'medium',
      tags: 'work',
      due: isoDate(-2),
    });
    await add({ title: 'Call plumber', priority: 'low', tags: 'home', status: 'in-progress' });
    await expect(row(page, 'Write report')).toContainText('Overdue');
    await expect(summary).toHaveText(/Showing 1–4 of 4 tasks/);
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
    // One request for the whole word; a second one at most if the machine stalls between keys.
    expect(searches.length).toBeGreaterThanOrEqual(1);
    expect(searches.length).toBeLessThanOrEqual(2);

    // A reload (or a shared link) shows the same view.
    await page.reload();
    await expect(filters.getByLabel('Search')).toHaveValue('report');
    await expect(page.getByTestId('task-row')).toHaveCount(1);
    await page.getByRole('button', { name: 'Clear filters' }).first().click();
    await expect(page).toHaveURL(/\/dashboard\/tasks$/);
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
    await expect(page).toHaveURL(/\/dashboard\/tasks$/);
  });

  await test.step('the task list is accessible at phone and desktop width', async () => {
    await expectAccessible(page, testInfo, 'task-list');
    await screenshots(page, testInfo, 'task-list');
  });

  await test.step('edit every field on the detail page', async () => {
    await filters.getByLabel('Search').fill('Write report');
    await filters.getByLabel('Search').press('Enter');
    await row(page, 'Write report').getByRole('link', { name: 'Write report' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Write report' })).toBeVisible();
    const form = page.getByRole('form', { name: 'Edit task' });
    await expect(form.getByLabel('Description')).toHaveValue('Q3 numbers for the board');
    await form.getByLabel('Title').fill('Write the Q3 report');
    await form.getByLabel('Description').fill('Numbers and a short summary');
    await form.getByLabel('Status').selectOption('in-progress');
    await form.getByLabel('Priority').selectOption('high');
    await form.getByLabel('Tags').fill('work, board');
    await form.getByLabel('Due date').fill(isoDate(3));
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    await expectAccessible(page, testInfo, 'task-detail');
    await screenshots(page, testInfo, 'task-detail');

    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Write the Q3 report');
    await expect(form.getByLabel('Description')).toHaveValue('Numbers and a short summary');
    await expect(form.getByLabel('Status')).toHaveValue('in-progress');
    await expect(form.getByLabel('Priority')).toHaveValue('high');
    await expect(form.getByLabel('Tags')).toHaveValue('work, board');
    await expect(form.getByLabel('Due date')).toHaveValue(isoDate(3));
    await page.getByRole('link', { name: 'All tasks' }).click();
    await expect(page).toHaveURL(/\/dashboard\/tasks$/);
    await filters.getByLabel('Sort by').selectOption('title');
    await expect(page.getByTestId('task-row').first()).toContainText('Buy milk');
  });

  await test.step('change a status in the list', async () => {
    const patched = page.waitForResponse(
      (r) => r.request().method() === 'PATCH' && r.url().includes('/api/tasks/'),
    );
    await row(page, 'Buy milk').getByLabel('Status of Buy milk').selectOption('done');
    expect((await patched).status()).toBe(200);
    await page.reload();
    await expect(page).toHaveURL(/sort=title/);
    await expect(row(page, 'Buy milk').getByLabel('Status of Buy milk')).toHaveValue('done');
    if (process.env['SAVE_DOCS_SCREENSHOT']) {
      // The README's picture of the task list, refreshed on demand.
      await filters.getByLabel('Sort by').selectOption('-priority');
      await expect(page.getByTestId('task-row').first()).toContainText('High priority');
      const target = join(__dirname, '..', '..', 'docs', 'screenshots', 'task-list.png');
      mkdirSync(dirname(target), { recursive: true });
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.screenshot({ path: target, animations: 'disabled' });
      await filters.getByLabel('Sort by').selectOption('title');
    }
  });

  await test.step('delete, after confirming; Escape cancels', async () => {
    await row(page, 'Call plumber').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete this task?' });
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(row(page, 'Call plumber')).toBeVisible();

    await row(page, 'Call plumber').getByRole('button', { name: 'Delete' }).click();
    await expect(dialog).toBeVisible();
    await expectAccessible(page, testInfo, 'delete-dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await expect(dialog).toBeHidden();
    await expect(row(page, 'Call plumber')).toHaveCount(0);
    await expect(summary).toHaveText(/of 23 tasks/);
  });

  await test.step('the dashboard sums it up', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Dashboard' })
      .click();
    await expect(page.getByTestId('count-done')).toContainText('1');
    await expect(page.getByTestId('count-in-progress')).toContainText('1');
    await expect(page.getByTestId('count-todo')).toContainText('21');
    await expect(page.getByTestId('due-soon-count')).toHaveText('(1)');
    await expect(page.getByRole('region', { name: 'Recently updated' })).toContainText('Buy milk');
    await expectAccessible(page, testInfo, 'dashboard');
    await screenshots(page, testInfo, 'dashboard');
  });

  await test.step('log out clears the session', async () => {
    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByTestId('user-email')).toHaveCount(0);
    expect(await page.evaluate(() => Object.keys(localStorage))).toEqual([]);
    await page.goto('/dashboard/tasks');
    await expect(page).toHaveURL(/\/login\?returnUrl=%2Fdashboard%2Ftasks$/);
  });

  await test.step('log in again and land where we were going', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL(/\/dashboard\/tasks$/);
    await expect(summary).toHaveText(/of 23 tasks/);
  });
});
