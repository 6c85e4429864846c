import { createTasks, createUser, expect, loginAs, test } from './fixtures';

test.describe('an ended session sends the user to log in, then back', () => {
  test('removed token', async ({ page, request }) => {
    const account = await createUser(request);
    await loginAs(page, account);
    await page.goto('/tasks?status=todo&sort=title');
    await expect(page.getByTestId('empty-state')).toBeVisible();

    await page.evaluate(() => localStorage.removeItem('eot.session'));
    await page.reload();
    await expect(page).toHaveURL(
      '/login?returnUrl=%2Ftasks%3Fstatus%3Dtodo%26sort%3Dtitle',
    );
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL('/tasks?status=todo&sort=title');
    await expect(page.getByRole('search').getByLabel('Sort by')).toHaveValue('title');
  });

  test('expired token is dropped before it is sent', async ({ page, request }) => {
    const account = await createUser(request);
    const [task] = await createTasks(request, account, [{ title: 'Expiring view' }]);
    await loginAs(page, account);
    const live = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/events' && r.status() === 200,
    );
    await page.goto(`/tasks/${task.id}`);
    await expect(page.getByRole('heading', { name: 'Expiring view' })).toBeVisible();
    // Once its live connection is open this page sends nothing more on its own, so every
    // request counted below comes from the reloaded page.
    await live;

    await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('eot.session')!);
      localStorage.setItem(
        'eot.session',
        JSON.stringify({ ...session, expiresAt: Date.now() - 1 }),
      );
    });
    const sentTokens: (string | null)[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/')) sentTokens.push(r.headers()['authorization'] ?? null);
    });
    await page.reload();
    await expect(page).toHaveURL(`/login?returnUrl=%2Ftasks%2F${task.id}`);
    expect(sentTokens).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('eot.session'))).toBeNull();

    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByLabel('Password').press('Enter');
    await expect(page).toHaveURL(`/tasks/${task.id}`);
    await expect(page.getByRole('heading', { name: 'Expiring view' })).toBeVisible();
  });

  test('token the API refuses (401) is forgotten', async ({ page, request }) => {
    const account = await createUser(request);
    await createTasks(request, account, [{ title: 'Behind a bad token' }]);
    await loginAs(page, account);
    await page.evaluate(() => {
      const session = JSON.parse(localStorage.getItem('eot.session')!);
      localStorage.setItem('eot.session', JSON.stringify({ ...session, token: 'not.a.jwt' }));
    });
    await page.goto('/tasks?q=bad');
    await expect(page).toHaveURL('/login?returnUrl=%2Ftasks%3Fq%3Dbad');
    expect(await page.evaluate(() => localStorage.getItem('eot.session'))).toBeNull();
    await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();

    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL('/tasks?q=bad');
    await expect(page.getByRole('link', { name: 'Behind a bad token' })).toBeVisible();
  });
});
