import { shortLivedToken } from './e2e-secret';
import { createTasks, createUser, expect, loginAs, row, test } from './fixtures';

/**
 * An event stream ends with the token that opened it (the server sends `expired` and closes),
 * and the page resumes it without a gap: it refreshes its session silently (the refresh cookie)
 * and opens a new stream after the last event seen. No sign-in is needed any more (before
 * sessions could be refreshed, the page asked for one here).
 *
 * The page is given an access token that expires in a few seconds while it believes it has an
 * hour, as a device whose clock runs behind would: so it is the server, not the page's own
 * refresh timer, that ends the stream.
 */
test('a stream closes when its token expires, and resumes after a silent refresh without missing a change', async ({
  page,
  request,
}) => {
  const account = await createUser(request, 'expiry');
  await createTasks(request, account, [{ title: 'Water the plants' }]);
  const me = (await (await request.get('/auth/me', { headers: { Authorization: `Bearer ${account.token}` } })).json()) as { id: string };

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
        for (const type of ['ready', 'task.created', 'task.updated', 'task.deleted', 'project.updated', 'expired', 'revoked']) {
          this.addEventListener(type, (event) => {
            const message = event as MessageEvent<string>;
            entry.received.push({ type, id: message.lastEventId, data: JSON.parse(message.data), at: Date.now() });
          });
        }
      }
    } as typeof EventSource;
  });

  // The log-in answer carries a token of the same session that expires in 8 s, announced as an hour.
  let short: { token: string; expiresAt: number } | undefined;
  await page.route('**/auth/login', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { access_token: string };
    const sid = JSON.parse(Buffer.from(body.access_token.split('.')[1], 'base64url').toString()).sid as string;
    short = shortLivedToken(me.id, 8, sid);
    await route.fulfill({ response, json: { ...body, access_token: short.token, expires_in: 3600 } });
  });
  await loginAs(page, account);
  await page.unroute('**/auth/login');
  // Within the app: a reload would start with a refresh, and a normal token.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
  await expect(row(page, 'Water the plants')).toBeVisible();

  // A change while the token is valid arrives live, with its id.
  await createTasks(request, account, [{ title: 'Before the expiry' }]);
  await expect(row(page, 'Before the expiry')).toBeVisible();
  type Source = { url: string; received: { type: string; id: string; at: number; data: unknown }[] };
  const sources = () => page.evaluate(() => (window as unknown as { liveSources: Source[] }).liveSources);
  await expect.poll(async () => (await sources())[0].received.some((e) => e.type === 'project.updated')).toBe(true);
  const lastSeenId = (await sources())[0].received.filter((e) => e.type !== 'expired').at(-1)!.id;

  // At expiry the server says so and ends the stream, within 2 s.
  await expect.poll(async () => (await sources())[0].received.some((e) => e.type === 'expired'), { timeout: 15_000 }).toBe(true);
  const expired = (await sources())[0].received.find((e) => e.type === 'expired')!;
  expect(expired.at - short!.expiresAt).toBeLessThan(2000);
  expect(expired.at).toBeGreaterThanOrEqual(short!.expiresAt - 100);
  expect(expired.id).toBe(lastSeenId);

  // The page refreshes its session (the ticket request is refused with the expired token) and
  // opens a new stream after the last event seen; the user stays where they are.
  await expect.poll(async () => (await sources()).length, { timeout: 10_000 }).toBeGreaterThan(1);
  const resumed = new URL((await sources()).at(-1)!.url, 'http://x');
  expect(resumed.searchParams.get('last_event_id')).toBe(lastSeenId);
  expect(resumed.searchParams.get('ticket')).toBeTruthy();
  await expect(page).toHaveURL('/tasks');
  const [missed] = await createTasks(request, account, [{ title: 'After the refresh' }]);
  await expect(row(page, 'After the refresh')).toBeVisible();
  await expect
    .poll(async () => (await sources()).at(-1)!.received.filter((e) => e.type.startsWith('task.')).map((e) => (e.data as { task_id: string }).task_id))
    .toEqual([missed.id]);
  const replay = (await sources()).at(-1)!.received.filter((e) => e.type.startsWith('task.'));
  expect(Number(replay[0].id)).toBe(Number(lastSeenId) + 1);
});
