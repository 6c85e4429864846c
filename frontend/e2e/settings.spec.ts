import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { PASSWORD, createTasks, createUser, expect, expectAccessible, loginAs, screenshots, test, uniqueEmail } from './fixtures';

/** A webhook endpoint on 127.0.0.1 (the only address these tests send webhooks to). */
async function startReceiver() {
  const received: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString() });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const todoistSample = join(__dirname, '..', '..', 'backend', 'test', 'fixtures', 'todoist', 'recurring.csv');

test.describe('settings', () => {
  test('profile: time zone and email, with the password asked for', async ({ page, request }, testInfo) => {
    const account = await createUser(request, 'profile');
    await loginAs(page, account);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
    await expect(page).toHaveURL('/settings/profile');
    await expectAccessible(page, testInfo, 'settings-profile');

    await page.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();

    const newEmail = uniqueEmail('moved');
    await page.getByLabel('New email').fill(newEmail);
    await page.getByLabel('Current password').fill('not my password');
    await page.getByRole('button', { name: 'Change email' }).click();
    await expect(page.getByText('Current password is incorrect')).toBeVisible();
    // A wrong password is not a lapsed session: still here, still signed in.
    await expect(page).toHaveURL('/settings/profile');

    await page.getByLabel('Current password').fill(account.password);
    await page.getByRole('button', { name: 'Change email' }).click();
    await expect(page.getByText('Email changed.')).toBeVisible();
    await expect(page.getByTestId('user-email')).toHaveText(newEmail);
    await expect(page.getByTestId('current-email')).toHaveText(newEmail);
    await page.reload();
    await expect(page.getByLabel('Time zone')).toHaveValue('Europe/Berlin');
    await screenshots(page, testInfo, 'settings-profile');
  });

  test('password: changing it signs out every other device, this one stays', async ({ page, request }, testInfo) => {
    const account = await createUser(request, 'password');
    await loginAs(page, account);
    await page.goto('/settings/password');
    await expectAccessible(page, testInfo, 'settings-password');
    await page.getByLabel('Current password').fill(account.password);
    await page.getByLabel('New password', { exact: true }).fill('a brand new password');
    await page.getByLabel('Repeat the new password').fill('a brand new password');
    await page.getByRole('button', { name: 'Change password' }).click();
    await expect(page.getByText('Password changed. Your other devices have been signed out.')).toBeVisible();
    // The other device's session (the API sign-up's) is gone; this one lives on.
    const other = await request.post('/auth/refresh');
    expect(other.status()).toBe(401);
    await page.reload();
    await expect(page).toHaveURL('/settings/password');
    const login = await request.post('/auth/login', { data: { email: account.email, password: 'a brand new password' } });
    expect(login.status()).toBe(200);
  });

  test('sessions: listed with this device marked; sign out everywhere else', async ({ page, browser, request }, testInfo) => {
    const account = await createUser(request, 'sessions');
    await loginAs(page, account);
    const laptop = await browser.newContext();
    const laptopPage = await laptop.newPage();
    await loginAs(laptopPage, account);

    await page.goto('/settings/sessions');
    await expect(page.getByTestId('session')).toHaveCount(3);
    await expect(page.getByTestId('session').filter({ hasText: 'This device' })).toHaveCount(1);
    await expectAccessible(page, testInfo, 'settings-sessions');
    await screenshots(page, testInfo, 'settings-sessions');

    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await expect(page.getByText('Every other session has been signed out.')).toBeVisible();
    await expect(page.getByTestId('session')).toHaveCount(1);
    // The laptop finds out within seconds (its live stream is revoked) and is asked to sign in.
    await expect(laptopPage).toHaveURL(/\/login\?returnUrl=%2Ftoday/, { timeout: 15_000 });
    await laptop.close();
  });

  test('API tokens: create with scopes, copy once, use, revoke', async ({ page, context, request }, testInfo) => {
    const account = await createUser(request, 'tokens');
    await createTasks(request, account, [{ title: 'Read by a script' }]);
    await loginAs(page, account);
    await page.goto('/settings/tokens');
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await expectAccessible(page, testInfo, 'settings-tokens');

    // The sidebar's (closed) project dialog has a Name field too.
    await page.getByRole('main').getByLabel('Name').fill('Nightly backup');
    await page.getByRole('checkbox', { name: /tasks:write/ }).check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.getByTestId('secret');
    await expect(secret).toHaveValue(/^evt_[\w-]{43}$/);
    const token = await secret.inputValue();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect(page.getByText('Copied to the clipboard.')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    await expect(page.getByTestId('token')).toHaveCount(1);
    await expect(page.getByTestId('token')).toContainText('tasks:read, tasks:write');
    await expect(page.getByTestId('token')).not.toContainText(token);
    await screenshots(page, testInfo, 'settings-tokens');

    const auth = { Authorization: `Bearer ${token}` };
    expect((await request.get('/api/tasks', { headers: auth })).status()).toBe(200);
    expect((await request.get('/api/me/tokens', { headers: auth })).status()).toBe(403);

    await page.getByRole('button', { name: 'Revoke Nightly backup' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect(page.getByTestId('empty-state')).toBeVisible();
    await expect.poll(async () => (await request.get('/api/tasks', { headers: auth })).status(), { timeout: 6_000 }).toBe(401);
  });

  test('webhooks: add, receive signed events, see deliveries, redeliver, test, pause, delete', async ({ page, request }, testInfo) => {
    const receiver = await startReceiver();
    try {
      const account = await createUser(request, 'webhooks');
      await loginAs(page, account);
      await page.goto('/settings/webhooks');
      await expectAccessible(page, testInfo, 'settings-webhooks');
      // A URL the API refuses says why, next to the field.
      await page.getByLabel('Endpoint URL').fill('ftp://hooks.example.com/');
      await page.getByRole('button', { name: 'Add webhook' }).click();
      await expect(page.getByText('url must start with https:// or http://')).toBeVisible();
      await page.getByLabel('Endpoint URL').fill(receiver.url);
      await page.getByRole('button', { name: 'Add webhook' }).click();
      const secret = await page.getByTestId('secret').inputValue();
      expect(secret).toMatch(/^whsec_/);
      await expect(page.getByTestId('webhook').filter({ hasText: receiver.url })).toBeVisible();

      await createTasks(request, account, [{ title: 'Tell the webhook' }]);
      await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBeGreaterThan(0);
      const body = new Webhook(secret).verify(receiver.received[0].body, {
        'webhook-id': String(receiver.received[0].headers['webhook-id']),
        'webhook-timestamp': String(receiver.received[0].headers['webhook-timestamp']),
        'webhook-signature': String(receiver.received[0].headers['webhook-signature']),
      }) as { type: string; data: { task: { title: string } } };
      expect(body).toMatchObject({ type: 'task.created', data: { task: { title: 'Tell the webhook' } } });

      const hook = page.getByTestId('webhook').filter({ hasText: receiver.url });
      await hook.getByRole('button', { name: 'Deliveries' }).click();
      await expect(hook.getByTestId('delivery')).toHaveCount(1);
      await expect(hook.getByTestId('delivery').first()).toContainText('succeeded · 204');
      await expectAccessible(page, testInfo, 'settings-webhook-deliveries');
      await screenshots(page, testInfo, 'settings-webhooks');

      await hook.getByRole('button', { name: /^Redeliver task.created/ }).click();
      await expect(hook.getByTestId('delivery')).toHaveCount(2, { timeout: 10_000 });
      await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(2);
      expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);

      await hook.getByRole('button', { name: 'Send test' }).click();
      await expect(hook.getByTestId('delivery').filter({ hasText: 'webhook.test' })).toContainText('succeeded', { timeout: 10_000 });

      await hook.getByRole('button', { name: 'Pause' }).click();
      await expect(hook.getByTestId('webhook-disabled')).toHaveText('Paused');
      await hook.getByRole('button', { name: 'Resume' }).click();
      await expect(hook.getByTestId('webhook-disabled')).toHaveCount(0);

      await hook.getByRole('button', { name: `Delete ${receiver.url}` }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
      await expect(page.getByTestId('empty-state')).toBeVisible();
    } finally {
      await receiver.close();
    }
  });

  test('export and import: download JSON and CSV, check a file, see the preview, import it', async ({ page, request }, testInfo) => {
    const source = await createUser(request, 'exporter');
    await createTasks(request, source, [
      { title: 'Exported task one', priority: 'high', tags: ['work'] },
      { title: 'Exported task two', due_date: '2027-03-01' },
    ]);
    await loginAs(page, source);
    await page.goto('/settings/data');
    await expectAccessible(page, testInfo, 'settings-data');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download JSON' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^evolution-of-todo-\d{4}-\d\d-\d\d\.json$/);
    const file = await download.path();
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { schema_version: number; tasks: { title: string }[] };
    expect(exported.schema_version).toBe(2);
    expect(exported.tasks.map((t) => t.title)).toEqual(['Exported task one', 'Exported task two']);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(readFileSync(await csv.path()).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));

    // Into a fresh account: check, then import.
    await page.getByRole('button', { name: 'Log out' }).click();
    const target = await createUser(request, 'importer');
    await loginAs(page, target);
    await page.goto('/settings/data');
    await page.getByLabel('File (up to 20 MB)').setInputFiles(file);
    await page.getByRole('button', { name: 'Check file' }).click();
    await expect(page.getByTestId('import-preview')).toContainText('Would create 2 tasks');
    await expect(page.getByTestId('import-preview')).toContainText('Exported task one');
    await expectAccessible(page, testInfo, 'settings-data-preview');
    await screenshots(page, testInfo, 'settings-data');
    expect((await request.get('/api/tasks', { headers: { Authorization: `Bearer ${target.token}` } }).then((r) => r.json())) as unknown[]).toEqual([]);
    await page.getByRole('button', { name: 'Import 2 tasks' }).click();
    await expect(page.getByTestId('import-done')).toHaveText('Imported 2 tasks.');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
    await expect(page.getByRole('link', { name: 'Exported task two' })).toBeVisible();

    // A Todoist export: repeating dates become RRULEs, the rest a warning.
    await page.goto('/settings/data');
    await page.getByLabel('File type').selectOption('todoist');
    await page.getByLabel('File (up to 20 MB)').setInputFiles(todoistSample);
    await page.getByRole('button', { name: 'Check file' }).click();
    await expect(page.getByTestId('import-preview')).toContainText('FREQ=WEEKLY;BYDAY=MO');
    await expect(page.getByTestId('import-warnings')).toContainText('every 2nd sunday of the month');

    // A broken file says where.
    await page.getByLabel('File type').selectOption('json');
    await page.getByLabel('File (up to 20 MB)').setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{"schema_version": 1, "tasks": [{"title": "ab"}]}') });
    await page.getByRole('button', { name: 'Check file' }).click();
    await expect(page.getByTestId('import-refused')).toContainText('$.tasks[0].title');
  });

  test('delete account: type the email to confirm; everything is gone', async ({ page, request }, testInfo) => {
    const account = await createUser(request, 'leaving');
    await createTasks(request, account, [{ title: 'Soon gone' }]);
    await loginAs(page, account);
    await page.goto('/settings/delete');
    await expectAccessible(page, testInfo, 'settings-delete');
    const button = page.getByRole('button', { name: 'Delete my account' });
    await expect(button).toBeDisabled();
    await page.getByLabel(/Type your email/).fill('someone-else@example.com');
    await expect(button).toBeDisabled();
    await page.getByLabel(/Type your email/).fill(account.email);
    await page.getByLabel('Password').fill('wrong password');
    await button.click();
    await expect(page.getByText('Current password is incorrect')).toBeVisible();
    await page.getByLabel('Password').fill(PASSWORD);
    await button.click();
    await expect(page).toHaveURL('/');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Log in' })).toBeVisible();
    expect((await request.post('/auth/login', { data: { email: account.email, password: PASSWORD } })).status()).toBe(401);
    expect((await request.get('/api/tasks', { headers: { Authorization: `Bearer ${account.token}` } })).status()).toBe(401);
  });
});
