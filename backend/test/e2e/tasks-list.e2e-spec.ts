import {
  createTask,
  createUser,
  expectError,
  startTestApp,
  storedTasks,
  type TaskBody,
  type TestApp,
  type TestUser,
} from '../support/test-app';

const STATUSES = ['todo', 'in-progress', 'done'] as const;
const PRIORITIES = [null, 'low', 'medium', 'high'] as const;
const PRIORITY_RANK: Record<string, number> = { low: 1, medium: 2, high: 3 };
const WORDS = ['apple', 'Banana', 'cherry', 'Date', 'elder', 'Fig', 'grape'];
const GENERIC_COUNT = 56;

/** The generic tasks: every status, priority, due date (with ties and gaps) and tag combination. */
function genericTask(i: number): Record<string, unknown> {
  const tags: string[] = [];
  if (i % 2 === 0) tags.push('work');
  if (i % 3 === 0) tags.push('urgent');
  if (i % 5 === 1) tags.push('home');
  return {
    // Mixed letter case, so an order by raw code points would differ from the expected one.
    title: i >= 50 ? 'Same title' : `${WORDS[i % WORDS.length]} ${String(i).padStart(2, '0')}`,
    description: i % 4 === 0 ? null : `Generic description ${i}`,
    status: STATUSES[i % 3],
    priority: PRIORITIES[i % 4],
    tags,
    due_date: i % 5 === 0 ? null : `2027-03-${String(1 + (i % 7)).padStart(2, '0')}`,
  };
}

/** Tasks for the text search: literal % and _, case, backslash. */
const SEARCH_TASKS: Record<string, unknown>[] = [
  { title: 'Budget 50% done', tags: ['search'] },
  { title: 'Order 500 units', tags: ['search'] },
  { title: 'Fix a_c token', tags: ['search'] },
  { title: 'Fix abc token', tags: ['search'] },
  { title: 'Needle in the title', tags: ['search'] },
  { title: 'Haystack', description: 'Contains a MiXeD case NeEdLe inside', tags: ['search'] },
  { title: 'Windows path', description: 'C:\\temp\\files', tags: ['search'] },
  { title: 'Plain words', description: 'nothing special here', tags: ['search'] },
];

type Task = TaskBody;
type Compare = (a: Task, b: Task) => number;

/** The primary order of each sort key, nulls last in both directions (ties are left to id). */
function primaryCompare(sort: string): Compare {
  const descending = sort.startsWith('-');
  const key = descending ? sort.slice(1) : sort;
  const direction = descending ? -1 : 1;
  const cmp = (x: string | number, y: string | number) => (x < y ? -1 : x > y ? 1 : 0);
  const nullsLast = (x: string | number | null, y: string | number | null) => {
    if (x === null && y === null) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return direction * cmp(x, y);
  };
  switch (key) {
    case 'created_at':
      return (a, b) => direction * cmp(a.created_at, b.created_at);
    case 'updated_at':
      return (a, b) => direction * cmp(a.updated_at, b.updated_at);
    case 'title':
      return (a, b) => direction * cmp(a.title.toLowerCase(), b.title.toLowerCase());
    case 'due_date':
      return (a, b) => nullsLast(a.due_date, b.due_date);
    case 'priority':
      return (a, b) => nullsLast(a.priority && PRIORITY_RANK[a.priority], b.priority && PRIORITY_RANK[b.priority]);
    default:
      throw new Error(`no comparator for ${sort}`);
  }
}

/**
 * Checks that `list` is ordered by the sort key and that every tie is broken
 * by id, the same way (ascending or descending) throughout.
 */
function expectSorted(list: Task[], sort: string): void {
  const compare = primaryCompare(sort);
  let tieDirection = 0;
  for (let i = 1; i < list.length; i++) {
    const [a, b] = [list[i - 1], list[i]];
    const order = compare(a, b);
    if (order > 0) throw new Error(`sort=${sort}: ${JSON.stringify(a)} comes before ${JSON.stringify(b)}`);
    if (order === 0) {
      const byId = a.id < b.id ? -1 : 1;
      if (tieDirection === 0) tieDirection = byId;
      if (byId !== tieDirection) throw new Error(`sort=${sort}: ties are not broken by id at ${a.id}, ${b.id}`);
    }
  }
}

/** `Link: <url>; rel="next", <url>; rel="prev"` as a map of rel to URL. */
function parseLink(header: string | undefined): Record<string, string> {
  const links: Record<string, string> = {};
  if (!header) return links;
  for (const match of header.matchAll(/<([^>]+)>\s*;\s*rel="([^"]+)"/g)) links[match[2]] = match[1];
  return links;
}

describe('tasks: list, filters, sorting, paging', () => {
  let t: TestApp;
  let user: TestUser;
  let other: TestUser;
  /** Everything the user owns, as stored in the database. */
  let all: Task[];
  let otherIds: Set<string>;

  const list = (query: string) => t.http.get(`/api/tasks${query}`).set(user.auth);
  const ids = (tasks: Task[]) => tasks.map((task) => task.id);
  const sortedIds = (tasks: Task[]) => ids(tasks).sort();

  /** A filtered list must return exactly the matching tasks, with the right total. */
  async function expectMatches(query: string, predicate: (task: Task) => boolean): Promise<Task[]> {
    const expected = all.filter(predicate);
    const res = await list(`${query}${query.includes('?') ? '&' : '?'}limit=100`);
    expect(res.status).toBe(200);
    expect(res.headers['x-total-count']).toBe(String(expected.length));
    expect(sortedIds(res.body)).toEqual(sortedIds(expected));
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestApp();
    [user, other] = await Promise.all([createUser(t), createUser(t)]);

    const specs = [...Array.from({ length: GENERIC_COUNT }, (_, i) => genericTask(i)), ...SEARCH_TASKS];
    const created: Task[] = [];
    for (let i = 0; i < specs.length; i += 8) {
      created.push(...(await Promise.all(specs.slice(i, i + 8).map((spec) => createTask(t, user, spec)))));
    }
    // Spread created_at over known instants, with a group of twenty sharing an instant, so the
    // default order and its tie-break do not depend on how fast the tasks were created.
    await t.db.query(
      `UPDATE tasks SET created_at = timestamptz '2026-01-01T00:00:00Z' + make_interval(mins => CASE WHEN n BETWEEN 10 AND 29 THEN 10 ELSE n END)
       FROM (SELECT unnest($1::uuid[]) AS id, generate_subscripts($1::uuid[], 1) AS n) AS ordered
       WHERE tasks.id = ordered.id`,
      [ids(created).reverse()],
    );
    // A few changes through the API, so updated_at no longer follows created_at.
    for (const task of [created[7], created[3], created[40], created[21]]) {
      await t.http.patch(`/api/tasks/${task.id}`).set(user.auth).send({ status: 'done' }).expect(200);
    }
    await Promise.all([
      createTask(t, other, { title: 'Other user 1', tags: ['work'] }),
      createTask(t, other, { title: 'Budget 50% other' }),
    ]);
    const otherList = await t.http.get('/api/tasks').set(other.auth).expect(200);
    otherIds = new Set(ids(otherList.body));

    all = await storedTasks(t, 't.user_id = $1', [user.id]);
    expect(all).toHaveLength(GENERIC_COUNT + SEARCH_TASKS.length);
  });
  afterAll(async () => {
    await t.close();
  });

  describe('the response', () => {
    it('is a JSON array of full tasks, as stored', async () => {
      const res = await list('?limit=100').expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(Array.isArray(res.body)).toBe(true);
      const byId = new Map(all.map((task) => [task.id, task]));
      expect(res.body).toHaveLength(all.length);
      for (const task of res.body as Task[]) expect(task).toEqual(byId.get(task.id));
    });

    it('holds only the caller’s tasks', async () => {
      const res = await list('?limit=100').expect(200);
      for (const task of res.body as Task[]) {
        expect(task.user_id).toBe(user.id);
        expect(otherIds.has(task.id)).toBe(false);
      }
    });

    it('is an empty array with X-Total-Count 0 and no Link for a user without tasks', async () => {
      const newcomer = await createUser(t);
      const res = await t.http.get('/api/tasks').set(newcomer.auth).expect(200);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
      expect(res.headers.link).toBeUndefined();
    });
  });

  describe('filters', () => {
    it.each(STATUSES)('status=%s', async (status) => {
      await expectMatches(`?status=${status}`, (task) => task.status === status);
    });

    it('status as a comma list', async () => {
      await expectMatches('?status=todo,done', (task) => task.status === 'todo' || task.status === 'done');
      await expectMatches('?status=in-progress,todo,done', () => true);
    });

    it.each(['low', 'medium', 'high'])('priority=%s', async (priority) => {
      await expectMatches(`?priority=${priority}`, (task) => task.priority === priority);
    });

    it('priority as a comma list', async () => {
      await expectMatches('?priority=low,high', (task) => task.priority === 'low' || task.priority === 'high');
    });

    it('tag: one tag', async () => {
      await expectMatches('?tag=work', (task) => task.tags.includes('work'));
    });

    it('tag: repeated, a task must carry every tag', async () => {
      const found = await expectMatches(
        '?tag=work&tag=urgent',
        (task) => task.tags.includes('work') && task.tags.includes('urgent'),
      );
      expect(found.length).toBeGreaterThan(0);
      await expectMatches(
        '?tag=work&tag=urgent&tag=home',
        (task) => task.tags.includes('work') && task.tags.includes('urgent') && task.tags.includes('home'),
      );
    });

    it('tag: one nobody uses matches nothing', async () => {
      const res = await list('?tag=nobody-uses-this').expect(200);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
      expect(res.headers.link).toBeUndefined();
    });

    it('q: case-insensitive substring of the title or the description', async () => {
      const needle = (task: Task) => /needle/i.test(task.title) || /needle/i.test(task.description ?? '');
      const found = await expectMatches('?q=needle', needle);
      expect(found.map((task) => task.title).sort()).toEqual(['Haystack', 'Needle in the title']);
      await expectMatches('?q=NEEDLE', needle);
      await expectMatches('?q=nEeDlE', needle);
    });

    it('q: a substring inside a word', async () => {
      await expectMatches('?q=aysta', (task) => task.title === 'Haystack');
      await expectMatches(`?q=${encodeURIComponent('description 1')}`, (task) =>
        (task.description ?? '').includes('description 1'),
      );
    });

    it('q: % is a literal character', async () => {
      const found = await expectMatches(`?q=${encodeURIComponent('50%')}`, (task) => task.title.includes('50%'));
      expect(found.map((task) => task.title)).toEqual(['Budget 50% done']);
      await expectMatches(`?q=${encodeURIComponent('%')}`, (task) => task.title.includes('%'));
    });

    it('q: _ is a literal character', async () => {
      const found = await expectMatches('?q=a_c', (task) => task.title.includes('a_c'));
      expect(found.map((task) => task.title)).toEqual(['Fix a_c token']);
      await expectMatches('?q=_', (task) => task.title.includes('_'));
    });

    it('q: a backslash is a literal character', async () => {
      const found = await expectMatches(`?q=${encodeURIComponent('C:\\temp')}`, (task) =>
        (task.description ?? '').includes('C:\\temp'),
      );
      expect(found.map((task) => task.title)).toEqual(['Windows path']);
      await expectMatches(`?q=${encodeURIComponent('\\')}`, (task) => (task.description ?? '').includes('\\'));
    });

    it('q: no match gives an empty array', async () => {
      const res = await list('?q=zzzzzz').expect(200);
      expect(res.body).toEqual([]);
      expect(res.headers['x-total-count']).toBe('0');
    });

    it('due_before and due_after are inclusive', async () => {
      const before = await expectMatches(
        '?due_before=2027-03-03',
        (task) => task.due_date !== null && task.due_date <= '2027-03-03',
      );
      expect(before.some((task) => task.due_date === '2027-03-03')).toBe(true);
      const after = await expectMatches(
        '?due_after=2027-03-05',
        (task) => task.due_date !== null && task.due_date >= '2027-03-05',
      );
      expect(after.some((task) => task.due_date === '2027-03-05')).toBe(true);
      const one = await expectMatches(
        '?due_after=2027-03-04&due_before=2027-03-04',
        (task) => task.due_date === '2027-03-04',
      );
      expect(one.length).toBeGreaterThan(0);
      await expectMatches(
        '?due_after=2027-03-02&due_before=2027-03-05',
        (task) => task.due_date !== null && task.due_date >= '2027-03-02' && task.due_date <= '2027-03-05',
      );
    });

    it('due_before before every date, and an empty range, match nothing', async () => {
      await expectMatches('?due_before=2027-02-28', () => false);
      await expectMatches('?due_after=2027-03-06&due_before=2027-03-02', () => false);
    });

    it('combines every filter with AND', async () => {
      const found = await expectMatches(
        '?status=todo,in-progress&priority=low,medium,high&tag=work&q=description&due_after=2027-03-02&due_before=2027-03-07',
        (task) =>
          task.status !== 'done' &&
          task.priority !== null &&
          task.tags.includes('work') &&
          (task.description ?? '').includes('description') &&
          task.due_date !== null &&
          task.due_date >= '2027-03-02' &&
          task.due_date <= '2027-03-07',
      );
      expect(found.length).toBeGreaterThan(0);
    });
  });

  describe('sorting', () => {
    it('defaults to -created_at, newest first', async () => {
      const res = await list('?limit=100').expect(200);
      expectSorted(res.body, '-created_at');
      const explicit = await list('?limit=100&sort=-created_at').expect(200);
      expect(ids(res.body)).toEqual(ids(explicit.body));
      // The data was arranged so the first task created is the newest.
      expect(res.body[res.body.length - 1].title).toBe(SEARCH_TASKS[SEARCH_TASKS.length - 1].title);
    });

    const SORTS = ['created_at', 'updated_at', 'due_date', 'priority', 'title'].flatMap((key) => [key, `-${key}`]);

    it.each(SORTS)('sort=%s orders every task', async (sort) => {
      const res = await list(`?sort=${sort}&limit=100`).expect(200);
      expect(res.headers['x-total-count']).toBe(String(all.length));
      expect(sortedIds(res.body)).toEqual(sortedIds(all));
      expectSorted(res.body, sort);
    });

    it('priority ranks low < medium < high, with no priority last both ways', async () => {
      const up = (await list('?sort=priority&limit=100').expect(200)).body as Task[];
      const down = (await list('?sort=-priority&limit=100').expect(200)).body as Task[];
      const ranks = (tasks: Task[]) => [...new Set(tasks.map((task) => task.priority))];
      expect(ranks(up)).toEqual(['low', 'medium', 'high', null]);
      expect(ranks(down)).toEqual(['high', 'medium', 'low', null]);
    });

    it('tasks without a due date come last both ways', async () => {
      const withoutDate = all.filter((task) => task.due_date === null).length;
      expect(withoutDate).toBeGreaterThan(0);
      for (const sort of ['due_date', '-due_date']) {
        const body = (await list(`?sort=${sort}&limit=100`).expect(200)).body as Task[];
        expect(body.slice(-withoutDate).every((task) => task.due_date === null)).toBe(true);
        expect(body.slice(0, -withoutDate).every((task) => task.due_date !== null)).toBe(true);
      }
      const up = (await list('?sort=due_date&limit=1').expect(200)).body as Task[];
      const down = (await list('?sort=-due_date&limit=1').expect(200)).body as Task[];
      expect(up[0].due_date).toBe('2027-03-01');
      expect(down[0].due_date).toBe('2027-03-07');
    });

    it('title is ordered alphabetically regardless of letter case', async () => {
      const body = (await list('?sort=title&limit=100').expect(200)).body as Task[];
      const titles = body.map((task) => task.title);
      expect(titles.indexOf('apple 00')).toBeLessThan(titles.indexOf('Banana 01'));
      expect(titles.indexOf('Banana 01')).toBeLessThan(titles.indexOf('cherry 02'));
    });

    it('ties are broken by id: the same query answers the same order every time', async () => {
      for (const sort of ['priority', '-created_at', 'title']) {
        const first = await list(`?sort=${sort}&limit=100`).expect(200);
        const second = await list(`?sort=${sort}&limit=100`).expect(200);
        expect(ids(second.body)).toEqual(ids(first.body));
      }
    });

    it.each(SORTS)('sort=%s pages through everything with no duplicate and no gap', async (sort) => {
      const full = ids((await list(`?sort=${sort}&limit=100`).expect(200)).body);
      const paged: string[] = [];
      for (let offset = 0; offset < all.length; offset += 7) {
        const res = await list(`?sort=${sort}&limit=7&offset=${offset}`).expect(200);
        expect(res.headers['x-total-count']).toBe(String(all.length));
        expect(res.body).toHaveLength(Math.min(7, all.length - offset));
        paged.push(...ids(res.body));
      }
      expect(new Set(paged).size).toBe(paged.length);
      expect(paged).toEqual(full);
    });
  });

  describe('limit and offset', () => {
    it('default to limit 50 and offset 0', async () => {
      const res = await list('').expect(200);
      expect(res.body).toHaveLength(50);
      expect(res.headers['x-total-count']).toBe(String(all.length));
      const explicit = await list('?limit=50&offset=0').expect(200);
      expect(ids(res.body)).toEqual(ids(explicit.body));
    });

    it('accepts limit 1 and limit 100', async () => {
      const one = await list('?limit=1').expect(200);
      expect(one.body).toHaveLength(1);
      const hundred = await list('?limit=100').expect(200);
      expect(hundred.body).toHaveLength(all.length);
    });

    it('offset skips that many tasks of the order', async () => {
      const full = ids((await list('?limit=100').expect(200)).body);
      const res = await list('?limit=5&offset=12').expect(200);
      expect(ids(res.body)).toEqual(full.slice(12, 17));
    });

    it('offset past the end is an empty array with the right total', async () => {
      for (const offset of [all.length, all.length + 1, 1000]) {
        const res = await list(`?offset=${offset}&limit=10`).expect(200);
        expect(res.body).toEqual([]);
        expect(res.headers['x-total-count']).toBe(String(all.length));
        expect(parseLink(res.headers.link).next).toBeUndefined();
      }
      const filtered = await list('?status=done&offset=1000').expect(200);
      expect(filtered.body).toEqual([]);
      expect(filtered.headers['x-total-count']).toBe(String(all.filter((task) => task.status === 'done').length));
    });

    it.each(['0', '101', '-1', '1.5', 'abc', '', '1e1', '10abc', '0x10'])('limit=%s is a 400', async (value) => {
      const res = await list(`?limit=${value}`);
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field: 'limit', message: expect.any(String) }]);
    });

    it.each(['-1', '1.5', 'abc', '', '-0.5'])('offset=%s is a 400', async (value) => {
      const res = await list(`?offset=${value}`);
      expectError(res, 400);
      expect(res.body.error.details).toEqual([{ field: 'offset', message: expect.any(String) }]);
    });
  });

  describe('Link header', () => {
    it.each([10, 8])(
      'has rel="next" exactly when a next page exists and rel="prev" exactly when a previous one does (limit %i)',
      async (limit) => {
        for (let offset = 0; offset < all.length; offset += limit) {
          const res = await list(`?limit=${limit}&offset=${offset}`).expect(200);
          const links = parseLink(res.headers.link);
          expect(Object.keys(links).sort()).toEqual(
            [...(offset + limit < all.length ? ['next'] : []), ...(offset > 0 ? ['prev'] : [])].sort(),
          );
        }
      },
    );

    it('has no rel="next" when the page ends exactly at the last task', async () => {
      expect(all.length % 8).toBe(0);
      const exact = await list(`?limit=${all.length}`).expect(200);
      expect(exact.body).toHaveLength(all.length);
      expect(exact.headers.link).toBeUndefined();
      const lastPage = await list(`?limit=8&offset=${all.length - 8}`).expect(200);
      expect(lastPage.body).toHaveLength(8);
      expect(Object.keys(parseLink(lastPage.headers.link))).toEqual(['prev']);
      const oneShort = await list(`?limit=${all.length - 1}`).expect(200);
      expect(Object.keys(parseLink(oneShort.headers.link))).toEqual(['next']);
    });

    it('is absent when everything fits on one page', async () => {
      const res = await list('?limit=100').expect(200);
      expect(res.headers.link).toBeUndefined();
      const filtered = await list('?tag=search').expect(200);
      expect(filtered.body).toHaveLength(SEARCH_TASKS.length);
      expect(filtered.headers.link).toBeUndefined();
    });

    it('following rel="next" walks every task once, keeping the filters and the sort', async () => {
      const expected = ids((await list('?status=todo,done&sort=title&limit=100').expect(200)).body);
      expect(expected.length).toBeGreaterThan(12);
      const walked: string[] = [];
      let url: string | undefined = '/api/tasks?status=todo,done&sort=title&limit=6';
      let pages = 0;
      while (url) {
        const res: { body: Task[]; headers: Record<string, string> } = await t.http.get(url).set(user.auth).expect(200);
        expect(res.headers['x-total-count']).toBe(String(expected.length));
        walked.push(...ids(res.body));
        url = parseLink(res.headers.link).next;
        pages++;
        expect(pages).toBeLessThanOrEqual(Math.ceil(expected.length / 6));
      }
      expect(pages).toBe(Math.ceil(expected.length / 6));
      expect(walked).toEqual(expected);
    });

    it('following rel="prev" from the second page gives the first page', async () => {
      const first = await list('?sort=-priority&limit=9').expect(200);
      const second = await t.http.get(parseLink(first.headers.link).next).set(user.auth).expect(200);
      const prev = parseLink(second.headers.link).prev;
      expect(prev).toEqual(expect.stringMatching(/^\/api\/tasks\?/));
      const back = await t.http.get(prev).set(user.auth).expect(200);
      expect(ids(back.body)).toEqual(ids(first.body));
    });

    it('following every rel="next" of the default list covers all tasks', async () => {
      const seen = new Set<string>();
      let url: string | undefined = '/api/tasks';
      while (url) {
        const res: { body: Task[]; headers: Record<string, string> } = await t.http.get(url).set(user.auth).expect(200);
        for (const id of ids(res.body)) {
          expect(seen.has(id)).toBe(false);
          seen.add(id);
        }
        url = parseLink(res.headers.link).next;
      }
      expect([...seen].sort()).toEqual(sortedIds(all));
    });
  });

  describe('invalid queries', () => {
    it.each([
      ['an unknown parameter', '?foo=1', 'foo'],
      ['a parameter in the wrong case', '?Status=todo', 'Status'],
      ['page, which is not a parameter', '?page=2', 'page'],
      ['user_id, which is not a parameter', `?user_id=00000000-0000-0000-0000-000000000000`, 'user_id'],
      ['an unknown status', '?status=bogus', 'status'],
      ['an unknown status in a list', '?status=todo,bogus', 'status'],
      ['an empty status', '?status=', 'status'],
      ['an unknown priority', '?priority=urgent', 'priority'],
      ['priority none', '?priority=none', 'priority'],
      ['an unknown sort key', '?sort=bogus', 'sort'],
      ['sort with +', `?sort=${encodeURIComponent('+title')}`, 'sort'],
      ['sort with --', '?sort=--title', 'sort'],
      ['sort in upper case', '?sort=TITLE', 'sort'],
      ['sort by id', '?sort=id', 'sort'],
      ['an empty sort', '?sort=', 'sort'],
      ['sort twice', '?sort=title&sort=-title', 'sort'],
      ['limit twice', '?limit=5&limit=6', 'limit'],
      ['q twice', '?q=a&q=b', 'q'],
      ['q with a NUL character', '?q=a%00b', 'q'],
      ['an empty tag', '?tag=', 'tag'],
      ['a tag of 51 characters', `?tag=${'t'.repeat(51)}`, 'tag'],
      ['due_before 2027-02-30', '?due_before=2027-02-30', 'due_before'],
      ['due_before 2027-1-1', '?due_before=2027-1-1', 'due_before'],
      ['due_after 2027-02-29', '?due_after=2027-02-29', 'due_after'],
      ['due_after tomorrow', '?due_after=tomorrow', 'due_after'],
      ['due_after empty', '?due_after=', 'due_after'],
    ])('%s is a 400', async (_name, query, field) => {
      const res = await list(query);
      expectError(res, 400);
      expect(res.body.error.details).toEqual(expect.arrayContaining([{ field, message: expect.any(String) }]));
      expect(res.body.error.details.every((d: { field: string }) => d.field === field)).toBe(true);
    });

    it('accepts a tag of 50 characters and a leap-day date', async () => {
      await list(`?tag=${'t'.repeat(50)}`).expect(200, []);
      await list('?due_before=2028-02-29&due_after=2028-02-29').expect(200, []);
    });
  });
});
