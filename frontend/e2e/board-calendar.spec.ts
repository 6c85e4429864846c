import { APIRequestContext, Page } from '@playwright/test';
import {
  Account,
  createUser,
  expect,
  expectAccessible,
  loginAs,
  screenshots,
  test,
} from './fixtures';

// The board and the calendar on a project page, through its List / Board / Calendar switch.

// Dates are computed in UTC, a new user's time zone; the browser agrees.
test.use({ timezoneId: 'UTC', locale: 'en-US' });

const MS_PER_DAY = 86_400_000;
const iso = (d: Date) => d.toISOString().slice(0, 10);
const today = () => iso(new Date());
const addDays = (date: string, days: number) =>
  iso(new Date(Date.parse(`${date}T00:00:00Z`) + days * MS_PER_DAY));
/** A day of the current month, so that it is on the calendar's first screen. */
const dayOfThisMonth = (day: number) => `${today().slice(0, 8)}${String(day).padStart(2, '0')}`;
/** "Thursday, December 10": what a day's name in the grid begins with. */
const longDate = (date: string) =>
  new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    weekday: 'long',
    month: 'long',
    day: 'numeric',
  }).format(new Date(`${date}T00:00:00Z`));

interface ApiTask {
  id: string;
  title: string;
  status: string;
  due_date: string | null;
}

async function createProject(request: APIRequestContext, account: Account, name: string) {
  const response = await request.post('/api/projects', {
    data: { name },
    headers: { Authorization: `Bearer ${account.token}` },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as { id: string };
}

async function createTask(
  request: APIRequestContext,
  account: Account,
  data: Record<string, unknown>,
): Promise<ApiTask> {
  const response = await request.post('/api/tasks', {
    data,
    headers: { Authorization: `Bearer ${account.token}` },
  });
  expect(response.status()).toBe(201);
  return (await response.json()) as ApiTask;
}

async function readTask(request: APIRequestContext, account: Account, id: string) {
  const response = await request.get(`/api/tasks/${id}`, {
    headers: { Authorization: `Bearer ${account.token}` },
  });
  expect(response.status()).toBe(200);
  return (await response.json()) as ApiTask;
}

/** The project page's layout switch: links, since the layout is kept in the address. */
function viewOption(page: Page, name: 'List' | 'Board' | 'Calendar') {
  return page.getByRole('navigation', { name: 'Layout' }).getByRole('link', { name, exact: true });
}

async function dragTo(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  // CDK starts a drag after a few pixels; then a few steps so it sees the pointer arrive.
  await page.mouse.move(from.x + 10, from.y + 10, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 10 });
  await page.mouse.up();
}

async function centre(locator: ReturnType<Page['locator']>) {
  const box = await locator.boundingBox();
  if (!box) throw new Error('not on screen');
  return { x: box.x + box.width / 2, y: box.y + Math.min(box.height / 2, 30) };
}

test('the board: drag, keyboard and menu moves are saved, announced and accessible', async ({
  page,
  request,
}, testInfo) => {
  const account = await createUser(request, 'board');
  const project = await createProject(request, account, 'Home');
  const rent = await createTask(request, account, {
    title: 'Pay rent',
    project_id: project.id,
    priority: 'high',
    tags: ['money'],
    due_date: addDays(today(), -1),
  });
  const report = await createTask(request, account, {
    title: 'Write report',
    project_id: project.id,
    status: 'in-progress',
  });
  await createTask(request, account, { title: 'Ship it', project_id: project.id, status: 'done' });

  await loginAs(page, account);
  await page.getByRole('link', { name: 'Home', exact: true }).first().click();
  await viewOption(page, 'Board').click();

  const todo = page.getByRole('list', { name: /^To do/ });
  const inProgress = page.getByRole('list', { name: /^In progress/ });
  const done = page.getByRole('list', { name: /^Done/ });
  const card = (list: typeof todo, title: string) =>
    list.getByRole('button', { name: title, exact: true });
  await expect(card(todo, 'Pay rent')).toBeVisible();
  await expect(card(inProgress, 'Write report')).toBeVisible();
  await expect(card(done, 'Ship it')).toBeVisible();
  await expect(
    todo.getByRole('listitem').filter({ hasText: 'Pay rent' }).getByText('Overdue, due'),
  ).toBeAttached();

  await test.step('accessible in light and dark, at phone and desktop width', async () => {
    await expectAccessible(page, testInfo, 'board');
    await screenshots(page, testInfo, 'board');
  });

  await test.step('a card dragged to another column changes status', async () => {
    const from = await centre(todo.getByRole('listitem').filter({ hasText: 'Pay rent' }));
    const to = await centre(inProgress);
    await dragTo(page, from, to);
    await expect(card(inProgress, 'Pay rent')).toBeVisible();
    await expect
      .poll(async () => (await readTask(request, account, rent.id)).status)
      .toBe('in-progress');
  });

  await test.step('Alt+Right moves the focused card on, and the focus stays on it', async () => {
    await card(inProgress, 'Write report').focus();
    await page.keyboard.press('Alt+ArrowRight');
    await expect(card(done, 'Write report')).toBeFocused();
    await expect(page.getByText('Moved “Write report” to Done.')).toBeAttached();
    await expect
      .poll(async () => (await readTask(request, account, report.id)).status)
      .toBe('done');
  });

  await test.step('the Move to… panel moves a card back', async () => {
    await page.getByRole('button', { name: 'Move “Write report” to…' }).click();
    await page
      .getByRole('group', { name: 'Move “Write report” to' })
      .getByRole('button', { name: 'To do' })
      .click();
    await expect(card(todo, 'Write report')).toBeFocused();
    await expect
      .poll(async () => (await readTask(request, account, report.id)).status)
      .toBe('todo');
  });

  await test.step('after a reload the board shows what was saved', async () => {
    await page.reload();
    await viewOption(page, 'Board').click();
    await expect(card(inProgress, 'Pay rent')).toBeVisible();
    await expect(card(todo, 'Write report')).toBeVisible();
  });
});

test('the calendar: tasks on their days, projected repeats, moves by drag and keyboard', async ({
  page,
  request,
}, testInfo) => {
  const account = await createUser(request, 'calendar');
  const project = await createProject(request, account, 'Errands');
  const tenth = dayOfThisMonth(10);
  const seventeenth = dayOfThisMonth(17);
  const dentist = await createTask(request, account, {
    title: 'Dentist',
    project_id: project.id,
    due_date: tenth,
    due_time: '09:30',
  });
  // Due today and daily: tomorrow (always on the first screen) shows a projected repeat.
  await createTask(request, account, {
    title: 'Water plants',
    project_id: project.id,
    due_date: today(),
    recurrence: { rrule: 'FREQ=DAILY', from: 'due' },
  });

  await loginAs(page, account);
  await page.getByRole('link', { name: 'Errands', exact: true }).first().click();
  await viewOption(page, 'Calendar').click();

  const monthName = new Intl.DateTimeFormat('en-US', {
    timeZone: 'UTC',
    month: 'long',
    year: 'numeric',
  }).format(new Date());
  const grid = page.getByRole('grid', { name: monthName });
  const day = (date: string) =>
    grid.getByRole('gridcell', { name: new RegExp(`^${longDate(date)},`) });
  await expect(day(today())).toHaveAttribute('aria-current', 'date');
  await expect(day(tenth).getByRole('button', { name: '9:30am Dentist' })).toBeVisible();
  await expect(
    day(addDays(today(), 1)).getByRole('button', { name: 'Water plants, projected repeat' }),
  ).toBeVisible();

  await test.step('accessible in light and dark, at phone and desktop width', async () => {
    await expectAccessible(page, testInfo, 'calendar');
    await screenshots(page, testInfo, 'calendar');
  });

  await test.step('a task dragged to another day is rescheduled', async () => {
    const from = await centre(day(tenth).getByRole('button', { name: '9:30am Dentist' }));
    const to = await centre(day(seventeenth));
    await dragTo(page, from, to);
    await expect(day(seventeenth).getByRole('button', { name: '9:30am Dentist' })).toBeVisible();
    await expect
      .poll(async () => (await readTask(request, account, dentist.id)).due_date)
      .toBe(seventeenth);
  });

  await test.step('Alt+arrows move the focused task by a day and a week', async () => {
    await day(seventeenth).getByRole('button', { name: '9:30am Dentist' }).focus();
    await page.keyboard.press('Alt+ArrowLeft');
    const sixteenth = dayOfThisMonth(16);
    await expect(day(sixteenth).getByRole('button', { name: '9:30am Dentist' })).toBeFocused();
    await expect(page.getByText(`Moved “Dentist” to ${longDate(sixteenth)}.`)).toBeAttached();
    await page.keyboard.press('Alt+ArrowUp');
    await expect(
      day(dayOfThisMonth(9)).getByRole('button', { name: '9:30am Dentist' }),
    ).toBeFocused();
    await expect
      .poll(async () => (await readTask(request, account, dentist.id)).due_date)
      .toBe(dayOfThisMonth(9));
  });

  await test.step('arrow keys walk the days; Page Down shows the next month', async () => {
    await day(tenth).focus();
    await page.keyboard.press('ArrowRight');
    await expect(day(dayOfThisMonth(11))).toBeFocused();
    await page.keyboard.press('PageDown');
    await expect(page.getByRole('grid')).not.toHaveAccessibleName(monthName);
    await page.getByRole('button', { name: 'Today', exact: true }).click();
    await expect(grid).toBeVisible();
  });

  await test.step('on a phone a day is a count and its tasks are listed under the grid', async () => {
    await page.setViewportSize({ width: 360, height: 800 });
    await day(dayOfThisMonth(9)).click();
    const agenda = page.getByRole('region', { name: longDate(dayOfThisMonth(9)) });
    await expect(agenda.getByRole('button', { name: '9:30am Dentist' })).toBeVisible();
    await agenda.getByRole('button', { name: 'Move to date…: Dentist' }).click();
    await agenda.getByLabel('New date').fill(tenth);
    await agenda.getByRole('button', { name: 'Move', exact: true }).click();
    await expect
      .poll(async () => (await readTask(request, account, dentist.id)).due_date)
      .toBe(tenth);
    const box = await page
      .getByRole('region', { name: longDate(tenth) })
      .getByRole('button', { name: '9:30am Dentist' })
      .boundingBox();
    expect(box!.height).toBeGreaterThanOrEqual(44);
  });
});
