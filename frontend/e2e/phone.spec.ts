import { createTasks, expect, expectAccessible, row, test } from './fixtures';
import { signUp } from './day-helpers';

test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

test('on a phone: the list comes first, targets are big enough, the drawer traps focus, the panel is a full page', async ({
  page,
  request,
}, testInfo) => {
  const account = await signUp(page, 'phone');
  const today = new Date().toISOString().slice(0, 10);
  await createTasks(request, account, [
    { title: 'Buy bread', due_date: today },
    { title: 'Phone the bank', due_date: today, priority: 'high', tags: ['money'] },
  ]);
  await page.reload();

  await test.step('the first task is on the first screen', async () => {
    const first = page.getByTestId('task-row').first();
    await expect(first).toBeVisible();
    const box = (await first.boundingBox())!;
    expect(box.y + box.height).toBeLessThan(844 / 2);
    await expectAccessible(page, testInfo, 'phone-today');
  });

  await test.step('every control in a row, the menu button and the add button are at least 44 px', async () => {
    const targets = [
      page.getByRole('checkbox', { name: 'Complete Buy bread' }),
      page.getByRole('button', { name: 'Actions for Buy bread' }),
      page.getByRole('button', { name: 'Menu' }),
      page.getByRole('button', { name: 'Add a task' }),
    ];
    for (const target of targets) {
      const box = (await target.boundingBox())!;
      expect(Math.round(box.width), await target.getAttribute('aria-label') ?? '').toBeGreaterThanOrEqual(44);
      expect(Math.round(box.height)).toBeGreaterThanOrEqual(44);
    }
  });

  await test.step('the + button goes to quick add', async () => {
    await page.getByRole('button', { name: 'Add a task' }).tap();
    await expect(page.getByLabel('New task')).toBeFocused();
    await page.getByLabel('New task').fill('Water the plants');
    await page.getByLabel('New task').press('Enter');
    await expect(row(page, 'Water the plants')).toBeVisible();
  });

  await test.step('the drawer opens, keeps focus inside, closes on Escape and gives focus back', async () => {
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.tap();
    const drawer = page.getByRole('dialog', { name: 'Menu' });
    await expect(drawer).toBeVisible();
    await expect(drawer.getByRole('link', { name: 'Upcoming' })).toBeVisible();
    for (let i = 0; i < 25; i++) await page.keyboard.press('Tab');
    expect(await drawer.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    const link = drawer.getByRole('link', { name: 'Trash' });
    const box = (await link.boundingBox())!;
    expect(Math.round(box.height)).toBeGreaterThanOrEqual(44);
    await expectAccessible(page, testInfo, 'phone-drawer');
    await page.keyboard.press('Escape');
    await expect(drawer).toHaveCount(0);
    await expect(menu).toBeFocused();

    await menu.tap();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: 'Upcoming' }).tap();
    await expect(page.getByRole('heading', { level: 1, name: 'Upcoming' })).toBeVisible();
    await expect(page.getByRole('dialog', { name: 'Menu' })).toHaveCount(0);
  });

  await test.step('a task opens as a full page, and completes with one tap', async () => {
    await page.goto('/today');
    await row(page, 'Phone the bank').getByRole('link', { name: 'Phone the bank' }).tap();
    const panel = page.getByTestId('task-panel');
    await expect(panel).toBeVisible();
    const box = (await panel.boundingBox())!;
    expect(box.width).toBe(390);
    await expectAccessible(page, testInfo, 'phone-panel');
    await panel.getByRole('button', { name: 'Close' }).tap();
    await page.getByRole('checkbox', { name: 'Complete Phone the bank' }).tap();
    await expect(row(page, 'Phone the bank')).toHaveCount(0);
    await expect(page.getByTestId('toast')).toContainText('Completed “Phone the bank”.');
  });

  await test.step('a project as a board and a calendar: big targets, a card moved by tap', async () => {
    await page.getByRole('button', { name: 'Menu' }).tap();
    await page.getByRole('dialog', { name: 'Menu' }).getByRole('link', { name: 'Inbox' }).tap();
    const layout = page.getByRole('navigation', { name: 'Layout' });
    for (const name of ['List', 'Board', 'Calendar']) {
      const box = (await layout.getByRole('link', { name }).boundingBox())!;
      expect(Math.round(box.height), name).toBeGreaterThanOrEqual(44);
    }
    await layout.getByRole('link', { name: 'Board' }).tap();
    await page.getByRole('button', { name: 'Move “Buy bread” to…' }).tap();
    await page.getByRole('group', { name: 'Move “Buy bread” to' }).getByRole('button', { name: 'In progress' }).tap();
    await expect(page.getByRole('list', { name: /^In progress/ }).getByRole('button', { name: 'Buy bread', exact: true })).toBeVisible();
    await expect(page.getByTestId('toast')).toContainText('“Buy bread” is now In progress.');
    await expectAccessible(page, testInfo, 'phone-board');

    await layout.getByRole('link', { name: 'Calendar' }).tap();
    await expect(page.getByRole('grid')).toBeVisible();
    await expectAccessible(page, testInfo, 'phone-calendar');
  });
});
