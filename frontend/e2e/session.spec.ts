import { createTasks, createUser, expect, loginAs, test } from './fixtures';

/**
 * The session (issue 14): the access token lives in the page's memory only, the refresh token in
 * an HttpOnly cookie no script can read. A reload, a new tab or a lapsed token is a silent
 * refresh, not a log-in; only a session that has really ended sends the user to log in (and back
 * to where they were).
 *
 * These replace the earlier tests of the token kept in localStorage ("removed token", "expired
 * token is dropped before it is sent", "token the API refuses is forgotten"): there is no stored
 * token any more to remove or expire; the same stories are now a reload, a silent refresh, a 401
 * cured by a refresh, and a session ended elsewhere.
 */
test.describe('sessions in the browser', () => {
  test('stay signed in across reloads, with no token where scripts can read it', async ({ page, context, request }) => {
    const account = await createUser(request);
    await createTasks(request, account, [{ title: 'Still here after a reload' }]);
    await loginAs(page, account);
    await page.goto('/tasks?sort=title');
    await expect(page.getByRole('link', { name: 'Still here after a reload' })).toBeVisible();

    await page.reload();
    await expect(page).toHaveURL('/tasks?sort=title');
    await expect(page.getByRole('link', { name: 'Still here after a reload' })).toBeVisible();

    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(storage).not.toMatch(/eyJ|access_token|token/);
    expect(await page.evaluate(() => document.cookie)).not.toContain('eot_refresh');
    const cookie = (await context.cookies()).find((c) => c.name === 'eot_refresh');
    expect(cookie).toMatchObject({ path: '/auth', httpOnly: true, sameSite: 'Strict' });
    expect(cookie?.value).toMatch(/^[\w-]{43}$/);

    // A second tab of the same browser is signed in too.
    const other = await context.newPage();
    await other.goto('/tasks');
    await expect(other.getByRole('link', { name: 'Still here after a reload' })).toBeVisible();
    await other.close();
  });

  test('refreshes the access token silently before it expires', async ({ page, request }) => {
    const account = await createUser(request);
    // The API is told nothing; the page is told its token lives 61 s, so it refreshes after about 1 s.
    await page.route('**/auth/login', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), expires_in: 61 } });
    });
    const refreshed = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/refresh' && r.status() === 200);
    await loginAs(page, account);
    const first = await page.evaluate(() => performance.now());
    const response = await refreshed;
    const body = (await response.json()) as { access_token: string };
    expect(await page.evaluate(() => performance.now()) - first).toBeLessThan(10_000);
    // What is sent next carries the new token.
    const next = page.waitForRequest((r) => new URL(r.url()).pathname === '/api/tasks');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
    expect((await next).headers()['authorization']).toBe(`Bearer ${body.access_token}`);
  });

  test('cures a 401 with a refresh and sends the request again', async ({ page, request }) => {
    const account = await createUser(request);
    await createTasks(request, account, [{ title: 'Behind a refused token' }]);
    await loginAs(page, account);
    let refused = 0;
    await page.route('**/api/tasks?*', async (route) => {
      if (refused++ === 0) {
        await route.fulfill({ status: 401, json: { error: { code: 401, message: 'Token expired' } }, headers: { 'WWW-Authenticate': 'Bearer' } });
        return;
      }
      await route.continue();
    });
    const refresh = page.waitForResponse((r) => new URL(r.url()).pathname === '/auth/refresh');
    await page.goto('/tasks?q=refused');
    expect((await refresh).status()).toBe(200);
    await expect(page).toHaveURL('/tasks?q=refused');
    await expect(page.getByRole('link', { name: 'Behind a refused token' })).toBeVisible();
  });

  test('a session ended elsewhere sends the user to log in, then back', async ({ page, request }) => {
    const account = await createUser(request);
    const [task] = await createTasks(request, account, [{ title: 'Ended elsewhere' }]);
    await loginAs(page, account);
    await page.goto(`/tasks/${task.id}`);
    await expect(page.getByRole('heading', { name: 'Ended elsewhere' })).toBeVisible();

    // From another device: sign out everywhere else.
    const other = await request.post('/auth/login', { data: { email: account.email, password: account.password } });
    const token = ((await other.json()) as { access_token: string }).access_token;
    await request.delete('/api/me/sessions', { headers: { Authorization: `Bearer ${token}` } });

    // The live stream is ended (revoked) within seconds; the page finds its session gone.
    await expect(page).toHaveURL(`/login?returnUrl=%2Ftasks%2F${task.id}`, { timeout: 15_000 });
    await page.getByLabel('Email').fill(account.email);
    await page.getByLabel('Password').fill(account.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page).toHaveURL(`/tasks/${task.id}`);
    await expect(page.getByRole('heading', { name: 'Ended elsewhere' })).toBeVisible();
  });

  test('log out ends the session on the server and in every tab', async ({ page, context, request }) => {
    const account = await createUser(request);
    await loginAs(page, account);
    const second = await context.newPage();
    await second.goto('/tasks');
    await expect(second.getByRole('heading', { name: 'Tasks', exact: true })).toBeVisible();

    await page.getByRole('button', { name: 'Log out' }).click();
    await expect(page).toHaveURL('/login');
    await expect(second).toHaveURL('/login?returnUrl=%2Ftasks');
    expect((await context.cookies()).find((c) => c.name === 'eot_refresh')).toBeUndefined();
    await page.reload();
    await expect(page.getByRole('link', { name: 'Log in' })).toBeVisible();
    await second.close();
  });
});
