import {
  createUser,
  expect,
  expectAccessible,
  loginAs,
  screenshots,
  test,
  uniqueEmail,
} from './fixtures';

test.describe('public pages', () => {
  test('home, login, sign-up and not-found pages are accessible', async ({ page }, testInfo) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign up' }).first()).toBeVisible();
    await expectAccessible(page, testInfo, 'home');
    await screenshots(page, testInfo, 'home');

    await page.goto('/login');
    await expect(page.getByRole('heading', { name: 'Log in' })).toBeVisible();
    await expectAccessible(page, testInfo, 'login');
    await screenshots(page, testInfo, 'login');

    await page.goto('/signup');
    await expect(page.getByRole('heading', { name: 'Create your account' })).toBeVisible();
    await expectAccessible(page, testInfo, 'signup');
    await screenshots(page, testInfo, 'signup');

    await page.goto('/no/such/page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expectAccessible(page, testInfo, 'not-found');
    await screenshots(page, testInfo, 'not-found');
  });

  test('sign-up checks input first, then shows the server reason', async ({ page, request }) => {
    await page.goto('/signup');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Password').fill('short');
    await page.getByLabel('Password').press('Enter');
    await expect(page.getByText('Enter a valid email address')).toBeVisible();
    await expect(page.getByText('Password must be at least 8 characters.')).toBeVisible();
    await expect(page.getByLabel('Email')).toBeFocused();

    const existing = await createUser(request, 'taken');
    await page.getByLabel('Email').fill(existing.email.toUpperCase());
    await page.getByLabel('Password').fill('another password');
    await page.getByRole('button', { name: 'Sign up' }).click();
    await expect(page.getByText('Email already registered')).toBeVisible();
    await expect(page).toHaveURL(/\/signup$/);
  });

  test('log in shows "Invalid email or password" in words', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Email').fill(uniqueEmail('nobody'));
    await page.getByLabel('Password').fill('whatever-password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('alert')).toHaveText('Invalid email or password');
    await expect(page.getByRole('button', { name: 'Log in' })).toBeEnabled();
  });

  test('signed-in users are sent from /login, /signup and / to Today', async ({
    page,
    request,
  }) => {
    const account = await createUser(request);
    await loginAs(page, account);
    await page.goto('/login');
    await expect(page).toHaveURL(/\/today$/);
    await page.goto('/signup');
    await expect(page).toHaveURL(/\/today$/);
    await page.goto('/');
    await expect(page).toHaveURL(/\/today$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
    // The first web app's addresses still lead somewhere.
    await page.goto('/dashboard');
    await expect(page).toHaveURL(/\/today$/);
    await page.goto('/dashboard/tasks');
    await expect(page).toHaveURL(/\/tasks$/);
  });
});
