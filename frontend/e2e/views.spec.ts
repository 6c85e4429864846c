import { APIRequestContext } from '@playwright/test';
import { Account, createTasks, expect, expectAccessible, screenshots, test } from './fixtures';
import { signUp } from './day-helpers';

async function post<T>(request: APIRequestContext, account: Account, path: string, data: unknown) {
  const r = await request.post(path, { data, headers: { Authorization: `Bearer ${account.token}` } });
  expect(r.status()).toBeLessThan(300);
  return (await r.json()) as T;
}

/** Every view of the signed-in app, checked by axe in light and dark. */
test('every view is accessible, in light and dark', async ({ page, request }, testInfo) => {
  test.setTimeout(180_000);
  const account = await signUp(page, 'views');
  const home = await post<{ id: string }>(request, account, '/api/projects', { name: 'Home', color: '#16a34a' });
  await post(request, account, '/api/projects', { name: 'Garden', parent_id: home.id });
  await createTasks(request, account, [
    { title: 'Fix the fence', priority: 'high', tags: ['outside'] },
    { title: 'Sort the post', due_date: new Date().toISOString().slice(0, 10) },
  ]);
  const view = await post<{ id: string }>(request, account, '/api/views', {
    name: 'Urgent',
    query: { priority: ['high'] },
  });
  const nav = page.getByRole('navigation', { name: 'Main' });

  const visit = async (name: string, url: string, heading: string) => {
    await page.goto(url);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expectAccessible(page, testInfo, name);
  };
  await visit('inbox', '/inbox', 'Inbox');
  await visit('project', `/projects/${home.id}`, 'Home');
  await visit('view', `/views/${view.id}`, 'Urgent');
  await expect(page.getByTestId('task-row')).toHaveCount(1);
  await visit('board', `/projects/${home.id}?layout=board`, 'Home');
  await visit('calendar', `/projects/${home.id}?layout=calendar`, 'Home');
  await visit('settings', '/settings', 'Settings');
  await visit('trash-empty', '/trash', 'Trash');
  await visit('tasks', '/tasks', 'Tasks');
  await visit('not-found-signed-in', '/no/such/page', 'Page not found');

  await page.goto(`/projects/${home.id}`);
  await nav.getByRole('button', { name: 'Edit project Home' }).click();
  const dialog = page.getByRole('dialog', { name: 'Edit project' });
  await expect(dialog).toBeVisible();
  await expectAccessible(page, testInfo, 'project-dialog');
  await dialog.getByRole('button', { name: 'Delete…' }).click();
  // Home holds a task and a sub-project: the API's two choices are offered.
  const remove = page.getByRole('dialog', { name: 'Delete “Home”?' });
  await expect(remove.getByLabel('Move them to the trash')).toBeVisible();
  await expectAccessible(page, testInfo, 'project-delete');
  await remove.getByRole('button', { name: 'Cancel' }).click();
  await screenshots(page, testInfo, 'project');
});

test('deleting a project that holds tasks moves them where the user says', async ({ page, request }) => {
  const account = await signUp(page, 'projects');
  const moving = await post<{ id: string }>(request, account, '/api/projects', { name: 'Moving' });
  await post(request, account, '/api/tasks', { title: 'Pack the books', project_id: moving.id });
  await page.goto(`/projects/${moving.id}`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: /^Moving/ })).toContainText('1');
  await nav.getByRole('button', { name: 'Edit project Moving' }).click();
  await page.getByRole('dialog', { name: 'Edit project' }).getByRole('button', { name: 'Delete…' }).click();
  const remove = page.getByRole('dialog', { name: 'Delete “Moving”?' });
  await remove.getByLabel('Project to move them to').selectOption({ label: 'Inbox' });
  await remove.getByRole('button', { name: 'Delete project' }).click();
  await expect(nav.getByRole('link', { name: /^Moving/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Pack the books' })).toBeVisible();
});
