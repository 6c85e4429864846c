import { openStream } from '../support/sse-client';
import { logInAgain, refresh, signUpWithSession } from '../support/sessions';
import { createTask, expectError, startTestApp, type TestApp } from '../support/test-app';
import { WebhookReceiver } from '../support/webhook-receiver';

/**
 * DELETE /api/me removes the account and everything it owns in one
 * transaction. The check is generic: every row of every table, the job
 * queue's included, is read as text and must not mention the user or
 * anything of theirs, so a table added later without its cleanup fails here.
 */
describe('account deletion', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    t = await startTestApp({ WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_SECONDS: '1' });
  });
  afterAll(async () => {
    await t.close();
    await receiver.close();
  });

  async function everyTable(): Promise<string[]> {
    const { rows } = await t.db.query(
      `SELECT table_schema || '.' || table_name AS name FROM information_schema.tables
       WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1`,
    );
    return rows.map((row: { name: string }) => row.name);
  }

  /** Every row of every table that mentions one of `needles`, as "table: row". */
  async function rowsMentioning(needles: string[]): Promise<string[]> {
    const found: string[] = [];
    for (const table of await everyTable()) {
      const [schema, name] = table.split('.');
      const { rows } = await t.db.query(
        `SELECT t::text AS row FROM ${schema}."${name}" t WHERE EXISTS (SELECT 1 FROM unnest($1::text[]) n WHERE position(lower(n) IN lower(t::text)) > 0)`,
        [needles],
      );
      for (const row of rows) found.push(`${table}: ${(row as { row: string }).row.slice(0, 200)}`);
    }
    return found;
  }

  it('needs the password: a wrong one is a 401 and nothing is deleted', async () => {
    const user = await signUpWithSession(t);
    expectError(await t.http.delete('/api/me').set(user.auth).send({ password: 'not the password' }), 401, 'Current password is incorrect');
    expectError(await t.http.delete('/api/me').set(user.auth).send({}), 400);
    await t.http.get('/auth/me').set(user.auth).expect(200);
  });

  it('deletes the account and everything it owns, closes its streams, and frees the email', async () => {
    const user = await signUpWithSession(t);
    const other = await logInAgain(t, user);
    const bystander = await signUpWithSession(t);
    const bystanderTask = await createTask(t, bystander, { title: 'Not theirs to delete' });

    // Something in every table the account can reach.
    const tasks = [await createTask(t, user, { title: 'Secret plan', tags: ['private'] }), await createTask(t, user)];
    await t.http.post('/api/tasks').set(user.auth).set('Idempotency-Key', 'once-only').send({ title: 'Keyed create' }).expect(201);
    await t.http.patch(`/api/tasks/${tasks[0].id}`).set(user.auth).send({ status: 'done' }).expect(200);
    // Projects (nested), a saved view, subtasks, a repeating series and the trash.
    const project = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Private project', color: '#112233' }).expect(201)).body;
    const subproject = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Deeper', parent_id: project.id }).expect(201)).body;
    const parent = await createTask(t, user, { title: 'Parent in a project', project_id: subproject.id });
    const child = await createTask(t, user, { title: 'A subtask', parent_id: parent.id });
    const repeating = await createTask(t, user, { title: 'Every day', due_date: '2027-01-04', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    await t.http.patch(`/api/tasks/${repeating.id}`).set(user.auth).send({ status: 'done' }).expect(200);
    const trashed = await createTask(t, user, { title: 'In the trash', project_id: project.id });
    await t.http.delete(`/api/tasks/${trashed.id}`).set(user.auth).expect(204);
    const view = (await t.http.post('/api/views').set(user.auth).send({ name: 'My view', query: { project_id: [project.id] } }).expect(201)).body;
    await t.http.post('/api/projects').set(user.auth).set('Idempotency-Key', 'project-once').send({ name: 'Keyed project' }).expect(201);
    const token = (await t.http.post('/api/me/tokens').set(user.auth).send({ name: 'CI', scopes: ['tasks:read'] }).expect(201)).body;
    const hook = (await t.http.post('/api/webhooks').set(user.auth).send({ url: receiver.url, events: ['task.*', 'project.*', 'view.*'] }).expect(201)).body;
    await createTask(t, user, { title: 'Delivered somewhere' });
    await t.http.patch(`/api/projects/${project.id}`).set(user.auth).send({ name: 'Renamed project' }).expect(200);
    await receiver.waitFor(1);
    await t.http.post('/api/events/ticket').set(user.auth).expect(201);
    const stream = await openStream(t.baseUrl, '/api/events', other.auth);
    await stream.until('ready');

    const { rows: sessions } = await t.db.query('SELECT id FROM sessions WHERE user_id = $1', [user.id]);
    const { rows: deliveries } = await t.db.query('SELECT id FROM webhook_deliveries WHERE user_id = $1', [user.id]);
    expect(deliveries.length).toBeGreaterThan(0);
    const needles = [
      user.id,
      user.email,
      token.id,
      hook.id,
      ...tasks.map((task) => task.id),
      project.id,
      subproject.id,
      parent.id,
      child.id,
      repeating.id,
      trashed.id,
      view.id,
      user.inboxId,
      ...sessions.map((s: { id: string }) => s.id),
      ...deliveries.map((d: { id: string }) => d.id),
    ];
    expect((await rowsMentioning(needles)).length).toBeGreaterThan(10);

    await t.http.delete('/api/me').set(user.auth).send({ password: user.password }).expect(204);

    expect(await rowsMentioning(needles)).toEqual([]);
    await stream.until('revoked', 5_000);
    await stream.ended;
    expectError(await refresh(t, other.refreshToken), 401);
    expectError(await t.http.get('/auth/me').set(user.auth), 401);
    expectError(await t.http.get('/api/tasks').set({ Authorization: `Bearer ${token.token}` }), 401);
    // Nobody else lost anything.
    await t.http.get(`/api/tasks/${bystanderTask.id}`).set(bystander.auth).expect(200);
    // The email can sign up again.
    await t.http.post('/auth/signup').send({ email: user.email, password: 'a new start 1' }).expect(201);
  });

  it('hands the address to an account the email migration had kept apart from it', async () => {
    const id = Date.now().toString(36);
    const keptEmail = `jos\u00e9.${id}@example.com`;
    const signup = await t.http.post('/auth/signup').send({ email: keptEmail, password: 'kept password 1' }).expect(201);
    const kept = { id: signup.body.user.id as string, email: keptEmail, password: 'kept password 1', auth: { Authorization: `Bearer ${signup.body.access_token}` } };
    const heir = await signUpWithSession(t);
    // The heir's stored address (decomposed é) normalizes to the kept account's: a conflict the email migration recorded.
    const legacy = `jose\u0301.${id}@example.com`;
    await t.db.query('UPDATE users SET email = $2 WHERE id = $1', [heir.id, legacy]);
    await t.db.query('INSERT INTO email_normalization_conflicts (user_id, email, normalized_email, kept_user_id) VALUES ($1, $2, $3, $4)', [
      heir.id,
      legacy,
      kept.email,
      kept.id,
    ]);
    await t.http.delete('/api/me').set(kept.auth).send({ password: kept.password }).expect(204);
    const { rows } = await t.db.query('SELECT email FROM users WHERE id = $1', [heir.id]);
    expect(rows[0].email).toBe(kept.email);
    expect((await t.db.query('SELECT count(*)::int AS n FROM email_normalization_conflicts')).rows[0].n).toBe(0);
    expect(await rowsMentioning([kept.id])).toEqual([]);
    // Its owner logs in with the address as before; a new sign-up with it finds it taken.
    await t.http.post('/auth/login').send({ email: kept.email, password: heir.password }).expect(200);
    expectError(await t.http.post('/auth/signup').send({ email: kept.email, password: 'someone else 1' }), 409);
  });

  it('checks every table there is: the list of tables is known to this test', async () => {
    // A new table must appear here on purpose, with a thought about how an account's rows in it are deleted.
    const tables = (await everyTable()).filter((name) => !name.startsWith('pgboss.'));
    expect(tables).toEqual([
      'public.api_tokens',
      'public.email_normalization_conflicts',
      'public.event_sequences',
      'public.event_tickets',
      'public.events',
      'public.idempotency_keys',
      'public.migrations',
      'public.projects',
      'public.refresh_tokens',
      'public.sessions',
      'public.tasks',
      'public.users',
      'public.views',
      'public.webhook_deliveries',
      'public.webhooks',
    ]);
  });
});
