import {
  createTasks,
  createUser,
  expect,
  expectAccessible,
  loginAs,
  screenshots,
  test,
} from './fixtures';

test('a second user never sees the first user’s tasks', async ({ page, request }, testInfo) => {
  const alice = await createUser(request, 'alice');
  const [secret] = await createTasks(request, alice, [
    { title: 'Alice private plan', tags: ['secret'] },
    { title: 'Alice other task' },
  ]);
  const bob = await createUser(request, 'bob');
  await createTasks(request, bob, [{ title: 'Bob own task' }]);

  await loginAs(page, bob);
  await page.goto('/tasks');
  await expect(page.getByTestId('task-row')).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Bob own task' })).toBeVisible();
  await expect(page.getByText('Alice private plan')).toHaveCount(0);

  await page.getByRole('search').getByLabel('Search').fill('Alice');
  await expect(page.getByText('No tasks match these filters.')).toBeVisible();

  await test.step('opening the first user’s task URL shows the not-yours page', async () => {
    await page.goto(`/tasks/${secret.id}`);
    await expect(page.getByRole('heading', { name: 'This task is not available' })).toBeVisible();
    await expect(page.getByText('Alice private plan')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
    await expectAccessible(page, testInfo, 'task-unavailable');
    await screenshots(page, testInfo, 'task-unavailable');
  });

  await test.step('a task id that does not exist at all looks the same', async () => {
    await page.goto('/tasks/00000000-0000-4000-8000-000000000000');
    await expect(page.getByRole('heading', { name: 'This task is not available' })).toBeVisible();
    await page.goto('/tasks/not-a-uuid');
    await expect(page.getByRole('heading', { name: 'This task is not available' })).toBeVisible();
  });

  // The first user's task is untouched.
  const check = await request.get(`/api/tasks/${secret.id}`, {
    headers: { Authorization: `Bearer ${alice.token}` },
  });
  expect(check.status()).toBe(200);
  expect((await check.json()).title).toBe('Alice private plan');
});
