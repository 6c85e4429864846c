import { killApi, spawnApi, waitHealthy, type ApiProcess } from '../support/api-process';
import { createTestDatabase } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * Delivery is durable and at least once: an API killed (SIGKILL) while a
 * delivery is in flight loses nothing. The delivery job stays in PostgreSQL;
 * once its 20 s expiry has passed, pg-boss's maintenance hands it to a worker
 * again (on the restarted instance here), which sends it, with the same
 * webhook-id, and records it.
 */
describe('webhook delivery across a crash', () => {
  let receiver: WebhookReceiver;
  let database: { url: string; drop(): Promise<void> };
  let api: ApiProcess | undefined;
  const env = () => ({ DATABASE_URL: database.url, WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_SECONDS: '1' });

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    if (api) await killApi(api);
    await receiver.close();
    await database.drop();
  });

  it('is sent again after the API is killed mid-delivery and restarted', async () => {
    api = await spawnApi(env());
    await waitHealthy(api);
    const call = async (path: string, body?: unknown, token?: string) => {
      const res = await fetch(`${(api as ApiProcess).baseUrl}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json', ...(token && { Authorization: `Bearer ${token}` }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return res.json() as Promise<Record<string, unknown>>;
    };
    const { access_token: token } = (await call('/auth/signup', { email: 'crash@example.com', password: 'correct horse 1' })) as { access_token: string };
    const hook = (await call('/api/webhooks', { url: receiver.url, events: ['task.created'] }, token)) as { id: string; secret: string };

    // The receiver takes the first attempt and never answers it: the delivery is in flight when the API dies.
    receiver.respond = () => 'hang';
    await call('/api/tasks', { title: 'Delivered despite the crash' }, token);
    const [first] = await receiver.waitFor(1, 10_000);
    const killedAt = Date.now();
    await killApi(api, 'SIGKILL');

    receiver.respond = () => ({ status: 200 });
    api = await spawnApi(env());
    await waitHealthy(api);
    const [, again] = await receiver.waitFor(2, 60_000);
    const recoveredAfter = Date.now() - killedAt;
    expect(again.headers['webhook-id']).toBe(first.headers['webhook-id']);
    expect(WebhookReceiver.verify(hook.secret, again)).toMatchObject({ type: 'task.created', data: { task: { title: 'Delivered despite the crash' } } });
    // The job's 20 s expiry plus up to one 10 s maintenance round and a poll.
    expect(recoveredAfter).toBeLessThan(45_000);
    process.stdout.write(`webhook delivery resent ${recoveredAfter} ms after the SIGKILL\n`);

    // Recorded as delivered, and sent no more.
    const deadline = Date.now() + 10_000;
    let list: { status: string; attempts: number }[] = [];
    while (Date.now() < deadline) {
      list = (await call(`/api/webhooks/${hook.id}/deliveries`, undefined, token)) as unknown as typeof list;
      if (list[0]?.status === 'succeeded') break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(list).toEqual([expect.objectContaining({ status: 'succeeded', attempts: 1 })]);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(receiver.received).toHaveLength(2);
  });
});
