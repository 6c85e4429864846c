import { shortLivedToken } from './e2e-secret';
import { createTasks, createUser, expect, row, test } from './fixtures';

/**
 * An event stream ends with the token that opened it (the server sends `expired` and closes),
 * and the page resumes it without a gap once it has a fresh token.
 *
 * The page is given a token that expires in a few seconds while it believes it has an hour, as a
 * device whose clock runs behind would: so it is the server, not the page's own expiry timer,
 * that ends the stream.
 */
test('a stream closes when its token expires, and resumes after sign-in without missing a change', async ({
  page,
  request,
}) => {
  const account = await createUser(request, 'expiry');
  await createTasks(request, account, [{ title: 'Water the plants' }]);
  const me = (await (
    await request.get('/auth/me', { headers: { Authorization: `Bearer ${account.token}` } })
  ).json()) as { id: string; email: string; created_at: string };
  const short = shortLivedToken(me.id, 8);

  // Records every EventSource the page opens, and when each delivered what.
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const opened: { url: string; received: { type: string; id: string; data: unknown; at: number }[] }[] = [];
    (window as unknown as { liveSources: typeof opened }).liveSources = opened;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        const entry = { url: String(url), received: [] as (typeof opened)[number]['received'] };
        opened.push(entry);
        // Project events count too: a new task changes its project's open count, and the
        // stream resumes after the last event of any kind.
        for (const type of ['ready', 'task.created', 'task.updated', 'task.deleted', 'project.updated', 'expired']) {
          this.addEventListener(type, (event) => {
            const message = event as MessageEvent<string>;
            entry.received.push({ type, id: message.lastEventId, data: JSON.parse(message.data), at: Date.now() });
          });
        }
      }
    } as typeof EventSource;
  });
  await page.goto('/login');
  await page.evaluate(
    ({ token, user }) =>
      localStorage.setItem(
        'eot.session',
        JSON.stringify({ token, expiresAt: Date.now() + 3_600_000, user }),
      ),
    { token: short.token, user: me },
  );
  await page.goto('/dashboard/tasks');
  await expect(row(page, 'Water the plants')).toBeVisible();

  // A change while the token is valid arrives live, with its id.
  await createTasks(request, account, [{ title: 'Before the expiry' }]);
  await expect(row(page, 'Before the expiry')).toBeVisible();
  type Source = { url: string; received: { type: string; id: string; at: number }[] };
  const sources = () =>
    page.evaluate(() => (window as unknown as { liveSources: Source[] }).liveSources);
  await expect
    .poll(async () => (await sources())[0].received.some((e) => e.type === 'project.updated'))
    .toBe(true);
  const lastSeenId = (await sources())[0].received.filter((e) => e.type !== 'expired').at(-1)!.id;

  // At expiry the server says so and ends the stream, within 2 s.
  await expect
    .poll(async () => (await sources())[0].received.some((e) => e.type === 'expired'), { timeout: 15_000 })
    .toBe(true);
  const expired = (await sources())[0].received.find((e) => e.type === 'expired')!;
  expect(expired.at - short.expiresAt).toBeLessThan(2000);
  expect(expired.at).toBeGreaterThanOrEqual(short.expiresAt - 100);
  expect(expired.id).toBe(lastSeenId);

  // The page cannot get a new ticket with the expired token: it asks the user to sign in again.
  await expect(page).toHaveURL('/login?returnUrl=%2Fdashboard%2Ftasks');
  // Meanwhile a change is made elsewhere.
  const [missed] = await createTasks(request, account, [{ title: 'While signed out' }]);

  const resumed = page.waitForRequest((r) => {
    const url = new URL(r.url());
    return url.pathname === '/api/events' && url.searchParams.has('ticket');
  });
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page).toHaveURL('/dashboard/tasks');
  expect(new URL((await resumed).url()).searchParams.get('last_event_id')).toBe(lastSeenId);
  await expect(row(page, 'While signed out')).toBeVisible();

  // The new stream replayed exactly what happened after the last event seen.
  await expect
    .poll(async () => (await sources()).at(-1)!.received.filter((e) => e.type.startsWith('task.')).length)
    .toBe(1);
  const replay = (await sources()).at(-1)!.received.filter((e) => e.type.startsWith('task.'));
  expect(replay.map((e) => [e.type, (e as unknown as { data: { task_id: string } }).data.task_id])).toEqual([
    ['task.created', missed.id],
  ]);
  expect(Number(replay[0].id)).toBe(Number(lastSeenId) + 1);
});
