import { APIRequestContext, expect, test } from '@playwright/test';
import type { Project, Task, TaskSort } from '../src/app/core/api-models';
import type { components } from '../src/app/core/api-types';
import { queryTasks } from '../src/app/core/offline/local-query';
import type { TaskListParams } from '../src/app/core/tasks-api';
import { Account, createUser } from './fixtures';

/**
 * The local query engine against the real API: one account with a varied set of tasks (made
 * by an import, so that timestamps, positions and titles tie on purpose, and through the
 * ordinary routes), then for many parameter combinations the page `GET /api/tasks` answers
 * must equal what queryTasks computes from the account's tasks as the API lists them, plus
 * those in the trash.
 */

const auth = (account: Account) => ({ Authorization: `Bearer ${account.token}` });

/** A repeatable pseudo-random sequence (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const TITLES = [
  'apple', 'Apple', 'APPLE', 'banana', 'Éclair', 'éclair', 'eclair', 'Zebra', 'zebra', '_under', '100% done',
  'a_b', 'straße', 'STRASSE', 'İstanbul', 'istanbul', 'ΟΔΟΣ', 'οδός', '😀 smile', '\uffe0 wide', 'Ωmega', 'zzz', 'Milk',
  'buy milk', '9 lives', '10 items', 'back\\slash', 'Ärger', 'arger',
];
const DESCRIPTIONS = [null, null, 'about the milkman', 'Notes: APPLE pie', '50% off', 'école', 'ΣΟΦΙΑ', 'under_score'];
const TAGS = ['work', 'Work', 'home', 'urgent', 'café', 'q3'];
const DATES = [null, null, '2026-03-01', '2026-03-02', '2026-03-03', '2026-02-28', '2026-12-31', '2027-01-01'];
const STATUSES = ['todo', 'todo', 'in-progress', 'done'] as const;
const PRIORITIES = [null, 'low', 'medium', 'high'] as const;
// Few distinct instants, so that sorts by time tie and fall back to the id.
const INSTANTS = ['2026-01-01T10:00:00.000Z', '2026-01-01T10:00:00.001Z', '2026-01-02T09:00:00.000Z', '2026-01-05T12:30:00.500Z'];
const PROJECTS = ['inbox', 'work', 'work-a', 'work-a-1', 'home', 'home-sub'];

/** A task of the JSON import document, as the API's contract types it. */
type ImportTask = components['schemas']['ExportTask'];

function exportDocument(): object {
  const next = random(16);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
  const tasks: ImportTask[] = [];
  for (let i = 0; i < 140; i++) {
    const id = `t${i}`;
    // A third are subtasks of an earlier task, in its project.
    const parent = i > 5 && next() < 0.33 ? pick(tasks) : undefined;
    const trashed = next() < 0.08;
    tasks.push({
      id,
      title: pick(TITLES),
      description: pick(DESCRIPTIONS),
      status: pick(STATUSES),
      priority: pick(PRIORITIES),
      tags: [...new Set([pick(TAGS), pick(TAGS)])].slice(0, Math.floor(next() * 3)),
      due_date: pick(DATES),
      project_id: parent?.project_id ?? pick(PROJECTS),
      parent_id: parent?.id ?? null,
      position: pick([1024, 2048, 2048, 3072.5, 4096]),
      created_at: pick(INSTANTS),
      updated_at: pick(INSTANTS),
      deleted_at: trashed ? '2026-01-06T00:00:00.000Z' : null,
      deleted_with: trashed ? id : null,
    });
  }
  // A live subtask cannot hang under a trashed task: it goes to the trash with its parent.
  for (const task of tasks) {
    const parent = tasks.find((t) => t.id === task.parent_id);
    if (parent?.deleted_at && !task.deleted_at) {
      task.deleted_at = parent.deleted_at;
      task.deleted_with = parent.id;
    }
  }
  return {
    schema_version: 2,
    settings: { time_zone: 'UTC' },
    projects: [
      { id: 'inbox', name: 'Inbox', is_inbox: true },
      { id: 'work', name: 'Work', parent_id: null },
      { id: 'work-a', name: 'Work A', parent_id: 'work' },
      { id: 'work-a-1', name: 'Work A 1', parent_id: 'work-a' },
      { id: 'home', name: 'Home', parent_id: null },
      { id: 'home-sub', name: 'Home sub', parent_id: 'home' },
    ],
    tasks,
  };
}

async function readAll<T>(request: APIRequestContext, account: Account, path: string): Promise<T[]> {
  const all: T[] = [];
  for (let offset = 0; ; offset += 100) {
    const response = await request.get(`${path}?limit=100&offset=${offset}`, { headers: auth(account) });
    expect(response.status()).toBe(200);
    const page = (await response.json()) as T[];
    all.push(...page);
    if (page.length < 100) return all;
  }
}

/** The query string the web app sends for these params (tasks-api.ts's toHttpParams). */
function queryString(params: TaskListParams): string {
  const search = new URLSearchParams();
  if (params.status?.length) search.set('status', params.status.join(','));
  if (params.priority?.length) search.set('priority', params.priority.join(','));
  for (const tag of params.tags ?? []) search.append('tag', tag);
  if (params.q?.trim()) search.set('q', params.q.trim());
  if (params.due_before) search.set('due_before', params.due_before);
  if (params.due_after) search.set('due_after', params.due_after);
  for (const id of params.project_id ?? []) search.append('project_id', id);
  if (params.project_id?.length && params.include_subprojects) search.set('include_subprojects', 'true');
  if (params.parent_id) search.set('parent_id', params.parent_id);
  if (params.sort) search.set('sort', params.sort);
  if (params.limit !== undefined) search.set('limit', String(params.limit));
  if (params.offset) search.set('offset', String(params.offset));
  return search.toString();
}

test('queryTasks answers what GET /api/tasks answers', async ({ request }) => {
  test.setTimeout(180_000);
  const account = await createUser(request, 'local-query');
  const imported = await request.post('/api/me/import?format=json', { data: exportDocument(), headers: auth(account) });
  expect(imported.status(), await imported.text()).toBe(201);

  await test.step('tasks made and changed through the ordinary routes, timestamped by the server', async () => {
    const made: Task[] = [];
    for (const title of ['Made online', 'made online', 'MADE ONLINE milk', 'Straße online']) {
      const response = await request.post('/api/tasks', { data: { title, tags: ['work'] }, headers: auth(account) });
      expect(response.status()).toBe(201);
      made.push((await response.json()) as Task);
    }
    // One bulk edit: the same updated_at on every task it changes.
    const bulk = await request.post('/api/tasks/bulk', {
      data: { ids: made.map((t) => t.id), set: { priority: 'high', due_date: '2026-03-02' } },
      headers: auth(account),
    });
    expect(bulk.status()).toBe(200);
    const removed = await request.delete(`/api/tasks/${made[3].id}`, { headers: auth(account) });
    expect(removed.status()).toBe(204);
  });

  const live = await readAll<Task>(request, account, '/api/tasks');
  const trash = await readAll<Task>(request, account, '/api/trash');
  expect(trash.length).toBeGreaterThan(0);
  // Ties on every sort key, so that each tie-breaker is exercised.
  for (const key of ['created_at', 'updated_at', 'due_date', 'priority', 'title', 'position'] as const) {
    expect(new Set(live.map((task) => task[key])).size, `${key} ties`).toBeLessThan(live.length / 2);
  }
  const projects = (await (await request.get('/api/projects', { headers: auth(account) })).json()) as Project[];
  // The local copy: every task the API knows, those in the trash mixed in among them.
  const local = [...live, ...trash].sort((a, b) => (a.title < b.title ? -1 : 1));
  const ctx = { projects };
  const id = (name: string) => projects.find((p) => p.name === name)!.id;
  const parents = live.filter((t) => t.subtask_count > 0);

  const filters: TaskListParams[] = [
    {},
    { status: ['todo'] },
    { status: ['in-progress', 'done'] },
    { priority: ['high'] },
    { priority: ['low', 'medium'] },
    { tags: ['work'] },
    { tags: ['Work'] },
    { tags: ['work', 'urgent'] },
    { tags: ['cafe\u0301'] },
    { project_id: [id('Work')] },
    { project_id: [id('Work')], include_subprojects: true },
    { project_id: [id('Work A'), id('Home')], include_subprojects: true },
    { project_id: [id('Inbox'), id('Home sub')] },
    { project_id: [id('Work A 1').toUpperCase()] },
    { parent_id: 'none' },
    { parent_id: parents[0].id },
    { parent_id: parents[1].id.toUpperCase() },
    { due_before: '2026-03-01' },
    { due_after: '2026-03-02' },
    { due_after: '2026-03-01', due_before: '2026-03-03' },
    ...['milk', 'APPLE', 'é', 'É', 'eclair', 'ss', 'ß', 'İ', 'istanbul', 'οδοσ', 'σοφια', 'ä', '%', '_', 'a_b', '😀', '\uffe0', '\\', ' spaced '].map(
      (q) => ({ q }),
    ),
    { status: ['todo'], parent_id: 'none', q: 'a' },
    { priority: ['high', 'low'], tags: ['work'], due_after: '2026-02-01' },
    { project_id: [id('Home')], include_subprojects: true, status: ['done', 'todo'], sort: 'position' },
  ];
  const sorts: (TaskSort | undefined)[] = [
    undefined,
    ...['created_at', 'updated_at', 'due_date', 'priority', 'title', 'position'].flatMap(
      (field) => [field, `-${field}`] as TaskSort[],
    ),
  ];

  const mismatches: string[] = [];
  let compared = 0;
  async function compare(params: TaskListParams) {
    const query = queryString(params);
    const response = await request.get(`/api/tasks?${query}`, { headers: auth(account) });
    expect(response.status(), query).toBe(200);
    const api = { tasks: (await response.json()) as Task[], total: Number(response.headers()['x-total-count']) };
    const mine = queryTasks(local, params, ctx);
    compared++;
    if (JSON.stringify(mine) !== JSON.stringify(api)) {
      const names = (tasks: Task[]) => tasks.map((t) => `${t.title}#${t.id.slice(0, 4)}`).join(' | ');
      mismatches.push(
        `${decodeURIComponent(query)}\n  api   (${api.total}): ${names(api.tasks)}\n  local (${mine.total}): ${names(mine.tasks)}`,
      );
    }
  }

  for (const filter of filters) {
    for (const sort of filter.sort ? [filter.sort] : sorts) await compare({ ...filter, sort, limit: 100 });
  }
  for (const sort of ['title', '-due_date', 'position', '-priority'] as TaskSort[]) {
    for (let offset = 0; offset <= 150; offset += 23) await compare({ sort, limit: 23, offset });
  }
  await compare({});
  await compare({ q: 'a', offset: 10 });

  expect(compared).toBeGreaterThan(500);
  expect(mismatches.slice(0, 10).join('\n'), `${mismatches.length} of ${compared} queries differ`).toBe('');
});
