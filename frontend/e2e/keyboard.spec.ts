import { createTasks, expect, expectAccessible, row, test } from './fixtures';
import { api, dateIn, signUp } from './day-helpers';

test.use({ timezoneId: 'UTC', locale: 'en-US' });

/** The day's path with the keyboard alone: no click, no tap. */
test('keyboard only: add, complete and undo, edit, nest and reorder, move between projects, board and calendar, select, delete and undo', async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(180_000);
  const key = (k: string) => page.keyboard.press(k);
  const focusedRow = page.locator('[data-testid=task-row]:focus');
  const panel = page.getByTestId('task-panel');
  const toast = page.getByTestId('toast');
  const account = await signUp(page, 'keys');
  const client = api(request, account);
  // A new user's zone is the browser's: UTC here, so the API's dates and the page's agree.
  const today = dateIn('UTC');
  const nextWeek = dateIn('UTC', 7);
  let packBoxes: { id: string } = { id: '' };

  await test.step('q opens quick add anywhere; Enter adds; Escape leaves the field', async () => {
    await page.locator('#main h1').focus();
    await key('q');
    await expect(page.getByLabel('New task')).toBeFocused();
    await page.keyboard.type('Water the plants every day #home');
    await key('Enter');
    await expect(row(page, 'Water the plants')).toBeVisible();
    await page.keyboard.type('Pay the rent today !high');
    await key('Enter');
    await expect(row(page, 'Pay the rent')).toBeVisible();
    // Shortcuts never fire while typing: "c" and "x" above went into the title.
    await page.keyboard.type('x');
    await expect(page.getByLabel('New task')).toHaveValue('x');
    await key('Backspace');
    await key('Escape');
  });

  await test.step('j and k move focus; c completes; z undoes; focus stays on a row', async () => {
    await key('j');
    await expect(focusedRow).toHaveCount(1);
    const first = (await focusedRow.getAttribute('aria-label'))!;
    await key('k');
    await expect(focusedRow).not.toHaveAttribute('aria-label', first);
    await key('j');
    await expect(focusedRow).toHaveAttribute('aria-label', first);
    await key('c');
    await expect(row(page, first)).toHaveCount(0);
    await expect(toast).toContainText(`Completed “${first}”.`);
    await expect(focusedRow).toHaveCount(1);
    await key('z');
    await expect(row(page, first)).toBeVisible();
    await expect(row(page, first)).toBeFocused();
    // Space completes too.
    await key('Space');
    await expect(row(page, first)).toHaveCount(0);
    await expect(focusedRow).toHaveCount(1);
    await key('z');
    await expect(row(page, first)).toBeFocused();
  });

  await test.step('Enter opens the panel; # ! + jump to tags, priority and project; Escape closes it, focus back on the row', async () => {
    await row(page, 'Pay the rent').focus();
    await key('Enter');
    await expect(panel).toBeVisible();
    await expect(panel.getByRole('heading', { name: 'Pay the rent' })).toBeFocused();
    await key('!');
    await expect(panel.getByLabel('Priority')).toBeFocused();
    // In a menu, keys choose options: back out of it (as Shift+Tab would) before the next jump.
    await page.locator('#task-heading').focus();
    await key('+');
    await expect(panel.getByLabel('Project')).toBeFocused();
    await page.locator('#task-heading').focus();
    await key('#');
    await expect(panel.getByLabel('Tags')).toBeFocused();
    await page.keyboard.type('bills');
    await key('Enter');
    await expect(panel.getByText('Saved.')).toBeVisible();
    await page.locator('#task-heading').focus();
    await key('Escape');
    await expect(panel).toHaveCount(0);
    await expect(row(page, 'Pay the rent')).toBeFocused();
    await expect(row(page, 'Pay the rent')).toContainText('#bills');
  });

  await test.step('reorder and nest in a project with Alt+arrows', async () => {
    [packBoxes] = await createTasks(request, account, [{ title: 'Pack boxes', due_date: today }, { title: 'Label boxes' }]);
    await page.locator('#main h1').focus();
    await key('g');
    await key('i');
    await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
    const rows = page.getByTestId('task-row');
    await expect(rows).toHaveCount(4);
    await row(page, 'Label boxes').focus();
    await key('Alt+ArrowUp');
    await expect(toast).toContainText('Moved “Label boxes” up.');
    await expect(rows.nth(2)).toHaveAttribute('aria-label', 'Label boxes');
    await expect(row(page, 'Label boxes')).toBeFocused();
    await key('Alt+ArrowDown');
    await expect(rows.nth(3)).toHaveAttribute('aria-label', 'Label boxes');
    await key('Alt+ArrowRight');
    await expect(toast).toContainText('“Label boxes” is now a subtask.');
    await expect(row(page, 'Pack boxes').getByTestId('chip-subtasks')).toHaveText('0/1');
    await key('Alt+ArrowLeft');
    await expect(toast).toContainText('“Label boxes” moved out a level.');
    await expect(row(page, 'Pack boxes').getByTestId('chip-subtasks')).toHaveCount(0);
  });

  await test.step('a project by keyboard, and a task moved to it from the panel', async () => {
    await page.getByRole('button', { name: 'Add project' }).focus();
    await key('Enter');
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await expect(dialog.getByLabel('Name')).toBeFocused();
    await page.keyboard.type('Moving house');
    await key('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Moving house' })).toBeVisible();
    await page.locator('#main h1').focus();
    await key('g');
    await key('i');
    await row(page, 'Pack boxes').focus();
    await key('Enter');
    await expect(panel.getByRole('heading', { name: 'Pack boxes' })).toBeFocused();
    await key('+');
    await expect(panel.getByLabel('Project')).toBeFocused();
    // A focused menu takes a letter as the first of an option's name.
    await key('M');
    await expect(panel.getByLabel('Project').locator('option:checked')).toHaveText('Moving house');
    await page.locator('#task-heading').focus();
    await key('e');
    await expect(panel.getByLabel('Title')).toBeFocused();
    await key('Enter');
    await expect(panel.getByText('Saved.')).toBeVisible();
    await page.locator('#task-heading').focus();
    await key('Escape');
    await expect(row(page, 'Pack boxes')).toHaveCount(0);
  });

  await test.step('the board and the calendar by keyboard: Alt+arrows move, the toast says so', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Moving house' }).focus();
    await key('Enter');
    await expect(page.getByRole('heading', { level: 1, name: 'Moving house' })).toBeVisible();
    const layout = page.getByRole('navigation', { name: 'Layout' });
    await layout.getByRole('link', { name: 'Board' }).focus();
    await key('Enter');
    const inProgress = page.getByRole('list', { name: /^In progress/ });
    const card = page.getByRole('list', { name: /^To do/ }).getByRole('button', { name: 'Pack boxes', exact: true });
    await card.focus();
    await key('Alt+ArrowRight');
    await expect(inProgress.getByRole('button', { name: 'Pack boxes', exact: true })).toBeFocused();
    await expect(toast).toContainText('“Pack boxes” is now In progress.');
    await expect.poll(async () => (await client.get<{ status: string }>(`/api/tasks/${packBoxes.id}`)).status).toBe('in-progress');

    await layout.getByRole('link', { name: 'Calendar' }).focus();
    await key('Enter');
    const chip = page.getByRole('grid').getByRole('button', { name: 'Pack boxes', exact: true });
    await chip.focus();
    await key('Alt+ArrowDown');
    await expect(toast).toContainText('Rescheduled “Pack boxes” to');
    await expect(chip).toBeFocused();
    await expect.poll(async () => (await client.get<{ due_date: string }>(`/api/tasks/${packBoxes.id}`)).due_date).toBe(nextWeek);
    await layout.getByRole('link', { name: 'List' }).focus();
    await key('Enter');
    await expect(row(page, 'Pack boxes')).toBeVisible();
    await page.locator('#main h1').focus();
    await key('g');
    await key('i');
    await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
  });

  await test.step('x selects, the bulk bar acts on the selection, Delete deletes and z brings it back', async () => {
    await row(page, 'Water the plants').focus();
    await key('x');
    await row(page, 'Label boxes').focus();
    await key('x');
    const bar = page.getByRole('toolbar', { name: 'Selected tasks' });
    await expect(bar).toContainText('2 selected');
    await bar.getByLabel('Tag').focus();
    await page.keyboard.type('weekend');
    await key('Enter');
    await expect(toast).toContainText('Tagged 2 tasks #weekend.');
    await expect(row(page, 'Label boxes')).toContainText('#weekend');

    await row(page, 'Label boxes').focus();
    await key('Delete');
    await expect(row(page, 'Label boxes')).toHaveCount(0);
    await expect(focusedRow).toHaveCount(1);
    await key('z');
    await expect(row(page, 'Label boxes')).toBeVisible();
  });

  await test.step('g t, g u, / and ? work from anywhere outside a field', async () => {
    await page.locator('#main h1').focus();
    await key('g');
    await key('t');
    await expect(page.getByRole('heading', { level: 1, name: 'Today' })).toBeVisible();
    await page.locator('#main h1').focus();
    await key('g');
    await key('u');
    await expect(page.getByRole('heading', { level: 1, name: 'Upcoming' })).toBeVisible();
    // The help sheet lists what can be pressed now: the rows' keys once the rows are drawn.
    await expect(row(page, 'Pack boxes')).toBeVisible();
    await key('/');
    await expect(page.getByRole('search').getByLabel('Search')).toBeFocused();
    await page.locator('#main h1').focus();
    await key('?');
    const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect(help).toBeVisible();
    await expect(help).toContainText('Quick add a task');
    await expect(help).toContainText('Make a subtask of the task above');
    await expectAccessible(page, testInfo, 'help-sheet');
    await key('Escape');
    await expect(help).toBeHidden();
  });
});
