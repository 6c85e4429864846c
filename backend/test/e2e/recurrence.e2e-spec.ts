import { createTask, createUser, expectError, startTestApp, type TaskBody, type TestApp, type TestUser } from '../support/test-app';

/** Today in a time zone, as YYYY-MM-DD. */
function todayIn(timeZone: string, offsetDays = 0): string {
  const date = new Date(Date.now() + offsetDays * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

describe('recurring tasks', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const get = async (user: TestUser, id: string): Promise<TaskBody> => (await t.http.get(`/api/tasks/${id}`).set(user.auth).expect(200)).body;
  const complete = (user: TestUser, id: string) => t.http.patch(`/api/tasks/${id}`).set(user.auth).send({ status: 'done' });
  const series = async (seriesId: string) =>
    (
      await t.db.query(
        `SELECT id, status, due_date::text AS due_date, next_occurrence_id FROM tasks
         WHERE series_id = $1 AND deleted_at IS NULL ORDER BY due_date, created_at`,
        [seriesId],
      )
    ).rows;

  it('needs a due date, and an RRULE it supports: a 400 naming the part', async () => {
    const user = await createUser(t);
    const noDate = await t.http.post('/api/tasks').set(user.auth).send({ title: 'Water plants', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    expectError(noDate, 400);
    expect(noDate.body.error.details).toEqual([{ field: 'recurrence', message: 'a recurring task needs a due_date' }]);
    const cases: [unknown, string, RegExp][] = [
      [{ rrule: 'FREQ=HOURLY', from: 'due' }, 'recurrence.rrule', /FREQ/],
      [{ rrule: 'FREQ=WEEKLY;BYDAY=XX', from: 'due' }, 'recurrence.rrule', /BYDAY/],
      [{ rrule: 'FREQ=DAILY;COUNT=2;UNTIL=20271231', from: 'due' }, 'recurrence.rrule', /COUNT and UNTIL/],
      [{ rrule: 'FREQ=DAILY;BYHOUR=9', from: 'due' }, 'recurrence.rrule', /BYHOUR/],
      [{ rrule: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30', from: 'due' }, 'recurrence.rrule', /no date/],
      [{ rrule: 'FREQ=DAILY', from: 'tomorrow' }, 'recurrence.from', /from/],
      [{ rrule: 'FREQ=DAILY' }, 'recurrence.from', /from/],
      [{ rrule: 'FREQ=DAILY', from: 'due', extra: 1 }, 'recurrence.extra', /not an allowed property/],
      ['FREQ=DAILY', 'recurrence', /object/],
    ];
    for (const [recurrence, field, message] of cases) {
      const res = await t.http.post('/api/tasks').set(user.auth).send({ title: 'Water plants', due_date: '2027-01-01', recurrence });
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field, message: expect.stringMatching(message) }]);
    }
    const clearDate = await createTask(t, user, { due_date: '2027-01-01', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    const refused = await t.http.patch(`/api/tasks/${clearDate.id}`).set(user.auth).send({ due_date: null });
    expectError(refused, 400);
    expect(refused.body.error.details[0].field).toBe('due_date');
    // Both at once is fine.
    await t.http.patch(`/api/tasks/${clearDate.id}`).set(user.auth).send({ due_date: null, recurrence: null }).expect(200);
  });

  it('completing an occurrence keeps it done and creates the next, with its subtasks open again', async () => {
    const user = await createUser(t);
    const project = (await t.http.post('/api/projects').set(user.auth).send({ name: 'Home' }).expect(201)).body.id;
    const task = await createTask(t, user, {
      title: 'Clean the house',
      description: 'All rooms',
      priority: 'high',
      tags: ['home'],
      project_id: project,
      due_date: '2027-03-01',
      due_time: '09:00',
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' },
    });
    expect(task).toMatchObject({ recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' }, series_id: expect.any(String), next_occurrence_id: null });
    const kitchen = await createTask(t, user, { title: 'Kitchen', parent_id: task.id });
    await t.http.patch(`/api/tasks/${kitchen.id}`).set(user.auth).send({ status: 'done' }).expect(200);

    const done = await complete(user, task.id).expect(200);
    expect(done.body).toMatchObject({ status: 'done', next_occurrence_id: expect.any(String) });
    const next = await get(user, done.body.next_occurrence_id);
    expect(next).toMatchObject({
      title: 'Clean the house',
      description: 'All rooms',
      priority: 'high',
      tags: ['home'],
      project_id: project,
      parent_id: null,
      status: 'todo',
      due_date: '2027-03-08',
      due_time: '09:00',
      recurrence: { rrule: 'FREQ=WEEKLY;BYDAY=MO', from: 'due' },
      series_id: task.series_id,
      next_occurrence_id: null,
      subtask_count: 1,
      subtask_done_count: 0,
    });
    const [copy] = (await t.http.get(`/api/tasks?parent_id=${next.id}`).set(user.auth).expect(200)).body as TaskBody[];
    expect(copy).toMatchObject({ title: 'Kitchen', status: 'todo', project_id: project });
    // The completed one is history: still there, done, with its own subtask.
    expect(await get(user, task.id)).toMatchObject({ status: 'done', subtask_count: 1, subtask_done_count: 1 });
  });

  it('from: due skips the dates already past: a task completed late leaves no overdue copies', async () => {
    const user = await createUser(t);
    const task = await createTask(t, user, { due_date: '2026-01-05', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    const next = await get(user, (await complete(user, task.id).expect(200)).body.next_occurrence_id);
    expect(next.due_date).toBe(todayIn('UTC'));
  });

  it('from: completion starts the rule afresh on the day of completion, in the user’s time zone', async () => {
    const user = await createUser(t);
    // Far east of UTC: for half of each day its date is not UTC's.
    await t.http.patch('/auth/me').set(user.auth).send({ time_zone: 'Pacific/Kiritimati' }).expect(200);
    const task = await createTask(t, user, { due_date: '2026-01-05', recurrence: { rrule: 'FREQ=DAILY;INTERVAL=3', from: 'completion' } });
    const next = await get(user, (await complete(user, task.id).expect(200)).body.next_occurrence_id);
    expect(next.due_date).toBe(addDays(todayIn('Pacific/Kiritimati'), 3));
  });

  it('keeps 09:00 local time across a daylight-saving change', async () => {
    const user = await createUser(t);
    await t.http.patch('/auth/me').set(user.auth).send({ time_zone: 'Europe/Berlin' }).expect(200);
    // Clocks go forward in Berlin on 2027-03-28.
    let task = await createTask(t, user, { due_date: '2027-03-27', due_time: '09:00', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    const dates: string[] = [];
    for (let i = 0; i < 3; i++) {
      task = await get(user, (await complete(user, task.id).expect(200)).body.next_occurrence_id);
      dates.push(`${task.due_date} ${task.due_time}`);
    }
    expect(dates).toEqual(['2027-03-28 09:00', '2027-03-29 09:00', '2027-03-30 09:00']);
  });

  it('ends the series when COUNT is used up', async () => {
    const user = await createUser(t);
    const first = await createTask(t, user, { due_date: '2027-06-01', recurrence: { rrule: 'FREQ=MONTHLY;COUNT=2', from: 'due' } });
    const second = await get(user, (await complete(user, first.id).expect(200)).body.next_occurrence_id);
    expect(second.due_date).toBe('2027-07-01');
    const last = await complete(user, second.id).expect(200);
    expect(last.body.next_occurrence_id).toBeNull();
    expect(await series(first.series_id as string)).toHaveLength(2);
  });

  it('never creates two next occurrences: concurrent completions and retries', async () => {
    const user = await createUser(t);
    for (let round = 0; round < 5; round++) {
      const task = await createTask(t, user, { due_date: '2027-01-01', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
      const answers = await Promise.all([complete(user, task.id), complete(user, task.id), complete(user, task.id)]);
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
      await complete(user, task.id).expect(200);
      const all = await series(task.series_id as string);
      expect(all).toHaveLength(2);
      expect(all.filter((row) => row.status === 'todo')).toHaveLength(1);
      expect(new Set(answers.map((a) => a.body.next_occurrence_id))).toEqual(new Set([all[0].next_occurrence_id]));
    }
  });

  it('reopening takes back an untouched next occurrence; a changed one stays', async () => {
    const user = await createUser(t);
    const task = await createTask(t, user, { due_date: '2027-01-01', recurrence: { rrule: 'FREQ=DAILY', from: 'due' } });
    await createTask(t, user, { parent_id: task.id, title: 'A step' });
    const nextId = (await complete(user, task.id).expect(200)).body.next_occurrence_id as string;
    const reopened = await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ status: 'todo' }).expect(200);
    expect(reopened.body).toMatchObject({ status: 'todo', next_occurrence_id: null });
    expectError(await t.http.get(`/api/tasks/${nextId}`).set(user.auth), 403);
    const { rows } = await t.db.query('SELECT count(*)::int AS n FROM tasks WHERE parent_id = $1', [nextId]);
    expect(rows[0].n).toBe(0);

    const again = (await complete(user, task.id).expect(200)).body.next_occurrence_id as string;
    await t.http.patch(`/api/tasks/${again}`).set(user.auth).send({ title: 'Changed meanwhile' }).expect(200);
    const kept = await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ status: 'in-progress' }).expect(200);
    expect(kept.body.next_occurrence_id).toBe(again);
    expect((await get(user, again)).title).toBe('Changed meanwhile');
  });

  it('a bulk completion applies the same rule to each recurring task', async () => {
    const user = await createUser(t);
    const a = await createTask(t, user, { due_date: '2027-02-01', recurrence: { rrule: 'FREQ=WEEKLY', from: 'due' } });
    const b = await createTask(t, user, { due_date: '2027-02-03' });
    const res = await t.http.post('/api/tasks/bulk').set(user.auth).send({ ids: [a.id, b.id], set: { status: 'done' } }).expect(200);
    expect(res.body.tasks.map((x: TaskBody) => x.status)).toEqual(['done', 'done']);
    const next = await get(user, res.body.tasks[0].next_occurrence_id);
    expect(next).toMatchObject({ due_date: '2027-02-08', status: 'todo', series_id: a.series_id });
    expect(res.body.tasks[1].next_occurrence_id).toBeNull();
  });

  it('changing the rule or the date of a recurring task carries on from there', async () => {
    const user = await createUser(t);
    const task = await createTask(t, user, { due_date: '2027-01-01', recurrence: { rrule: 'FREQ=WEEKLY;INTERVAL=2', from: 'due' } });
    await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ due_date: '2027-01-05' }).expect(200);
    const next = await get(user, (await complete(user, task.id).expect(200)).body.next_occurrence_id);
    expect(next.due_date).toBe('2027-01-19');
    const changed = await t.http.patch(`/api/tasks/${next.id}`).set(user.auth).send({ recurrence: { rrule: 'FREQ=MONTHLY;BYMONTHDAY=-1', from: 'due' } }).expect(200);
    expect(changed.body.series_id).toBe(task.series_id);
    const after = await get(user, (await complete(user, next.id).expect(200)).body.next_occurrence_id);
    expect(after.due_date).toBe('2027-01-31');
  });
});
