import { expect, expectAccessible, row, screenshots, test } from './fixtures';
import { ZONE, api, center, dateIn, drag, signUp, zonedInstant } from './day-helpers';

interface TaskJson {
  id: string;
  title: string;
  status: string;
  priority: string | null;
  project_id: string;
  parent_id: string | null;
  due_date: string | null;
  next_occurrence_id: string | null;
}
interface ProjectJson {
  id: string;
  name: string;
  is_inbox: boolean;
}

// The browser is in Auckland, and its clock stands at 23:58 there on the server's "today":
// the day turns over during the test, in the user's zone, whatever zone this machine is in.
test.use({ timezoneId: ZONE });

test('a new user’s whole day: quick add, complete and undo, Today and Upcoming across midnight, subtasks, projects, board and calendar, bulk edit, trash', async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(240_000);
  const today = dateIn(ZONE);
  const tomorrow = dateIn(ZONE, 1);
  await page.clock.install({ time: zonedInstant(today, '23:58:00', ZONE) });
  const quickAdd = page.getByRole('form', { name: 'Quick add' });
  const field = quickAdd.getByLabel('New task');
  const nav = page.getByRole('navigation', { name: 'Main' });
  const panel = page.getByTestId('task-panel');
  const toast = page.getByTestId('toast');

  const account = await signUp(page, 'day');
  const client = api(request, account);

  await test.step('the browser’s time zone is taken on first sign-in', async () => {
    await expect(toast).toContainText(`Your time zone is now ${ZONE}`);
    await expect.poll(async () => (await client.get<{ time_zone: string }>('/auth/me')).time_zone).toBe(ZONE);
  });

  await test.step('quick add reads plain words, a recurring task included', async () => {
    await field.fill('Water the plants every day at 9am #home');
    const chips = quickAdd.getByTestId('quick-add-chips');
    await expect(chips).toContainText('Every day at 9am');
    await expect(chips).toContainText('#home');
    await field.press('Enter');
    await expect(row(page, 'Water the plants')).toBeVisible();
    await expect(row(page, 'Water the plants').getByTestId('chip-repeat')).toBeVisible();

    // A chip taken back keeps its words in the title.
    await field.fill('Read "the plan for tomorrow" !high');
    await expect(chips).toContainText('High');
    await expect(chips).not.toContainText('Tomorrow');
    await field.press('Enter');
    await expect(row(page, 'Read the plan for tomorrow')).toContainText('High priority');

    await field.fill('Call Ana tomorrow 5pm');
    await expect(chips).toContainText('Tomorrow 5pm');
    await field.press('Enter');
    await expect(page.getByText('Added “Call Ana”.')).toBeVisible();
    // Due tomorrow: not on Today.
    await expect(row(page, 'Call Ana')).toHaveCount(0);
    await expectAccessible(page, testInfo, 'today-with-tasks');
  });

  await test.step('a task due yesterday is overdue', async () => {
    await client.post('/api/tasks', { title: 'Pay the rent', due_date: dateIn(ZONE, -1) });
    const overdue = page.getByRole('region', { name: 'Overdue' });
    await expect(overdue.getByTestId('task-row')).toHaveCount(1);
    await expect(row(page, 'Pay the rent').getByTestId('chip-due')).toContainText('Overdue');
  });

  await test.step('complete with undo; a repeating task names its next date', async () => {
    await row(page, 'Water the plants').getByRole('checkbox', { name: 'Complete Water the plants' }).click();
    await expect(row(page, 'Water the plants')).toHaveCount(0);
    await expect(toast).toContainText('Completed “Water the plants”. Next:');
    // Focus moved to a row still there, not to the page.
    await expect(page.locator('[data-testid=task-row]:focus')).toHaveCount(1);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(row(page, 'Water the plants')).toBeVisible();
    await expect(toast).toContainText('Undone.');
    // Reopening took back the occurrence the completion had made.
    const open = await client.get<TaskJson[]>('/api/tasks?q=Water%20the%20plants');
    expect(open.map((t) => t.status)).toEqual(['todo']);

    await row(page, 'Water the plants').getByRole('checkbox', { name: 'Complete Water the plants' }).click();
    await expect(toast).toContainText('Next:');
    await nav.getByRole('link', { name: 'Upcoming' }).click();
    const tomorrowGroup = page.getByRole('region', { name: /^Tomorrow/ });
    await expect(tomorrowGroup.getByTestId('task-row')).toHaveCount(2);
    await expect(row(page, 'Water the plants')).toBeVisible();
    await expect(row(page, 'Call Ana')).toBeVisible();
    await expectAccessible(page, testInfo, 'upcoming');
  });

  await test.step('subtasks: add, complete, and the count on the row', async () => {
    await nav.getByRole('link', { name: /^Inbox/ }).click();
    // The field is Inbox's own (Upcoming's would make it due tomorrow).
    await expect(page.getByRole('heading', { level: 1, name: 'Inbox' })).toBeVisible();
    await field.fill('Plan the party');
    await field.press('Enter');
    await expect(page.getByText('Added “Plan the party”.')).toBeVisible();
    expect((await client.get<TaskJson[]>('/api/tasks?q=Plan%20the%20party'))[0].due_date).toBeNull();
    await row(page, 'Plan the party').getByRole('link', { name: 'Plan the party' }).click();
    const subtasks = panel.getByRole('form', { name: 'Add a subtask' });
    await subtasks.getByLabel('New subtask').fill('Buy balloons');
    await subtasks.getByLabel('New subtask').press('Enter');
    await expect(subtasks.getByText('Added “Buy balloons”.')).toBeVisible();
    await subtasks.getByLabel('New subtask').fill('Send invites');
    await subtasks.getByLabel('New subtask').press('Enter');
    await expect(panel.getByTestId('subtasks').getByRole('listitem')).toHaveCount(2);
    await panel.getByRole('checkbox', { name: 'Complete Buy balloons' }).click();
    await expect(panel.getByRole('checkbox', { name: 'Reopen Buy balloons' })).toBeVisible();
    await expectAccessible(page, testInfo, 'panel-subtasks');
    await panel.getByRole('button', { name: 'Close' }).click();
    await expect(row(page, 'Plan the party').getByTestId('chip-subtasks')).toHaveText('1/2');
    // The open subtask is nested under its parent in the project's list.
    await expect(row(page, 'Send invites')).toBeVisible();
  });

  await test.step('move a task to another project by dragging it onto the sidebar, and back by keyboard', async () => {
    await nav.getByRole('button', { name: 'Add project' }).click();
    const dialog = page.getByRole('dialog', { name: 'New project' });
    await dialog.getByLabel('Name').fill('Garden');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { level: 1, name: 'Garden' })).toBeVisible();
    await nav.getByRole('link', { name: /^Inbox/ }).click();
    const target = nav.getByRole('link', { name: /^Garden/ });
    const handle = row(page, 'Plan the party').locator('[cdkDragHandle]').first();
    await row(page, 'Plan the party').hover();
    await drag(page, await center(handle), await center(target));
    await expect(toast).toContainText('Moved “Plan the party” to Garden.');
    await expect(row(page, 'Plan the party')).toHaveCount(0);
    await target.click();
    await expect(row(page, 'Plan the party')).toBeVisible();
    // Its subtasks went with it.
    await expect(row(page, 'Send invites')).toBeVisible();
    expect((await client.get<TaskJson[]>('/api/tasks?q=Plan%20the%20party'))[0].due_date).toBeNull();

    // Back by keyboard: focus the row, open it (Enter), jump to Project (+), choose, save.
    await row(page, 'Plan the party').focus();
    await page.keyboard.press('Enter');
    await expect(panel).toBeVisible();
    await page.locator('#edit-title').blur();
    await page.keyboard.press('+');
    await expect(panel.getByLabel('Project')).toBeFocused();
    await panel.getByLabel('Project').selectOption({ label: 'Inbox' });
    await panel.getByRole('button', { name: 'Save' }).press('Enter');
    await expect(panel.getByText('Saved.')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(row(page, 'Plan the party')).toHaveCount(0);
    const moved = await client.get<TaskJson[]>('/api/tasks?q=Plan%20the%20party');
    const projects = await client.get<ProjectJson[]>('/api/projects');
    expect(moved[0].project_id).toBe(projects.find((p) => p.is_inbox)!.id);
    expect(moved[0].due_date).toBeNull();
  });

  await test.step('the board changes a status, the calendar a date, each undone from the toast', async () => {
    await nav.getByRole('link', { name: /^Inbox/ }).click();
    const layout = page.getByRole('navigation', { name: 'Layout' });
    await layout.getByRole('link', { name: 'Board' }).click();
    await expect(page).toHaveURL(/layout=board/);
    const todo = page.getByRole('list', { name: /^To do/ });
    const inProgress = page.getByRole('list', { name: /^In progress/ });
    await expect(todo.getByRole('button', { name: 'Plan the party', exact: true })).toBeVisible();
    await drag(page, await center(todo.getByRole('listitem').filter({ hasText: 'Plan the party' }).first()), await center(inProgress));
    await expect(toast).toContainText('“Plan the party” is now In progress.');
    await expect(inProgress.getByRole('button', { name: 'Plan the party', exact: true })).toBeVisible();
    const party = async () => (await client.get<TaskJson[]>('/api/tasks?q=Plan%20the%20party'))[0];
    expect((await party()).status).toBe('in-progress');
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(todo.getByRole('button', { name: 'Plan the party', exact: true })).toBeVisible();
    await expect.poll(async () => (await party()).status).toBe('todo');

    const hall = await client.post<TaskJson>('/api/tasks', { title: 'Book the hall', due_date: today });
    await layout.getByRole('link', { name: 'Calendar' }).click();
    await expect(page).toHaveURL(/layout=calendar/);
    const longDate = (date: string) =>
      new Date(`${date}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' });
    const day = (date: string) => page.getByRole('gridcell', { name: new RegExp(`^${longDate(date)},`) });
    const chip = (date: string) => day(date).getByRole('button', { name: 'Book the hall', exact: true });
    // A week away within this month, so both days are on the grid.
    const target = Number(today.slice(8)) > 7 ? dateIn(ZONE, -7) : dateIn(ZONE, 7);
    await expect(chip(today)).toBeVisible();
    await drag(page, await center(chip(today)), await center(day(target)));
    await expect(toast).toContainText('Rescheduled “Book the hall” to');
    await expect(chip(target)).toBeVisible();
    const dueOf = async () => (await client.get<TaskJson>(`/api/tasks/${hall.id}`)).due_date;
    expect(await dueOf()).toBe(target);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(chip(today)).toBeVisible();
    await expect.poll(dueOf).toBe(today);
    // Out of Today's way for the midnight step: a week on, by keyboard.
    await chip(today).focus();
    await page.keyboard.press('Alt+ArrowDown');
    await expect.poll(dueOf).toBe(dateIn(ZONE, 7));
    await layout.getByRole('link', { name: 'List' }).click();
    await expect(row(page, 'Plan the party')).toBeVisible();
  });

  await test.step('bulk edit of 20 tasks, and undo', async () => {
    const errands = await client.post<ProjectJson>('/api/projects', { name: 'Errands' });
    for (let i = 1; i <= 20; i++) {
      await client.post('/api/tasks', { title: `Errand ${String(i).padStart(2, '0')}`, project_id: errands.id });
    }
    await nav.getByRole('link', { name: /^Errands/ }).click();
    await expect(page.getByTestId('task-row')).toHaveCount(20);
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    await page.getByRole('button', { name: 'Select all in view (20)' }).click();
    const bar = page.getByRole('toolbar', { name: 'Selected tasks' });
    await expect(bar).toContainText('20 selected');
    await expectAccessible(page, testInfo, 'bulk-bar');
    const bulk = page.waitForRequest((r) => r.url().endsWith('/api/tasks/bulk'));
    await bar.getByLabel('Set priority').selectOption('high');
    expect((await bulk).postDataJSON()).toMatchObject({ set: { priority: 'high' } });
    await expect(toast).toContainText('Set 20 tasks to High priority.');
    const rows = page.getByTestId('task-row');
    await expect(rows.filter({ hasText: 'High priority' })).toHaveCount(20);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect(rows.filter({ hasText: 'High priority' })).toHaveCount(0);
    const after = await client.get<TaskJson[]>(`/api/tasks?project_id=${errands.id}&limit=100`);
    expect(after.map((t) => t.priority)).toEqual(Array(20).fill(null));

    // The bar closes after each action; tag them all.
    await page.getByRole('button', { name: 'Select', exact: true }).click();
    await page.getByRole('button', { name: 'Select all in view (20)' }).click();
    await bar.getByLabel('Tag').fill('errand');
    await bar.getByRole('button', { name: 'Add tag' }).click();
    await expect(rows.filter({ hasText: '#errand' })).toHaveCount(20);
  });

  await test.step('delete, and restore from the trash', async () => {
    await row(page, 'Errand 01').focus();
    await page.keyboard.press('Delete');
    await expect(row(page, 'Errand 01')).toHaveCount(0);
    await nav.getByRole('link', { name: 'Trash' }).click();
    await expect(page.getByTestId('trash-row')).toHaveCount(1);
    await expectAccessible(page, testInfo, 'trash');
    await page.getByRole('button', { name: 'Restore Errand 01' }).click();
    await expect(page.getByTestId('empty-state')).toHaveText('The trash is empty.');
    await nav.getByRole('link', { name: /^Errands/ }).click();
    await expect(row(page, 'Errand 01')).toBeVisible();
  });
  await test.step('at midnight, in Auckland, tomorrow becomes today and today becomes overdue', async () => {
    // Last, because the browser's clock jumps: the steps above run on a clock that flows.
    await nav.getByRole('link', { name: 'Today' }).click();
    await expect(page.getByRole('region', { name: 'Today' }).getByTestId('task-row')).toHaveCount(1);
    await expect(row(page, 'Read the plan for tomorrow')).toBeVisible();
    await page.clock.fastForward('03:00');
    await expect(page.getByTestId('today-date')).toContainText(
      new Date(`${tomorrow}T12:00:00Z`).toLocaleDateString('en-US', { weekday: 'long', month: 'long', day: 'numeric', timeZone: 'UTC' }),
    );
    const todayGroup = page.getByRole('region', { name: 'Today' });
    await expect(todayGroup.getByTestId('task-row')).toHaveCount(2);
    await expect(todayGroup).toContainText('Water the plants');
    await expect(todayGroup).toContainText('Call Ana');
    const overdue = page.getByRole('region', { name: 'Overdue' });
    await expect(overdue).toContainText('Pay the rent');
    await expect(overdue).toContainText('Read the plan for tomorrow');
    await screenshots(page, testInfo, 'today-after-midnight');
  });

});
