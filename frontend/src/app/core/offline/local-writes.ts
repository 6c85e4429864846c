import { BulkUpdateInput, CreateTaskInput, Project, Task, TrashedTask, UpdateTaskInput } from '../api-models';

/** The local copy a write is applied to. */
export interface LocalCopy {
  userId: string;
  tasks: ReadonlyMap<string, Task>;
  trash: ReadonlyMap<string, TrashedTask>;
  projects: readonly Project[];
}

/** What a write changed in the local copy. */
export interface Delta {
  put: Task[];
  remove: string[];
  trash: TrashedTask[];
  untrash: string[];
}

export function emptyDelta(): Delta {
  return { put: [], remove: [], trash: [], untrash: [] };
}

const POSITION_STEP = 1024;

/**
 * A change made here, not yet acknowledged, gets a version between the server's: higher than
 * the one it was made on (so every view shows it), lower than the server's next (so the
 * server's answer always replaces it). The server version it was made on is its floor.
 */
export function localVersion(version: number): number {
  return Math.round(version * 1000 + 1) / 1000;
}

export function serverVersion(version: number): number {
  return Math.floor(version);
}

/** As the API places a new item: one step after the last sibling. */
function positionAfterLast(tasks: Iterable<Task>, projectId: string, parentId: string | null): number {
  let last: number | undefined;
  for (const t of tasks) {
    if (t.project_id === projectId && t.parent_id === parentId && (last === undefined || t.position > last)) {
      last = t.position;
    }
  }
  return last === undefined ? POSITION_STEP : Math.floor(last / POSITION_STEP) * POSITION_STEP + POSITION_STEP;
}

/** A working copy of the tasks a write may touch, collecting what it changed. */
class Draft {
  private readonly changed = new Map<string, Task>();
  readonly delta = emptyDelta();

  constructor(private readonly copy: LocalCopy) {}

  get(id: string): Task | undefined {
    return this.changed.get(id) ?? this.copy.tasks.get(id);
  }

  *all(): Iterable<Task> {
    for (const [id, task] of this.copy.tasks) if (!this.changed.has(id)) yield task;
    for (const task of this.changed.values()) yield task;
  }

  children(id: string): Task[] {
    return [...this.all()].filter((t) => t.parent_id === id && !this.delta.remove.includes(t.id));
  }

  put(task: Task): void {
    this.changed.set(task.id, task);
  }

  /** Subtask counts as the API keeps them: direct children, and how many of them are done. */
  recount(parentId: string | null, now: string): void {
    const parent = parentId ? this.get(parentId) : undefined;
    if (!parent) return;
    const children = this.children(parent.id);
    const count = children.length;
    const done = children.filter((t) => t.status === 'done').length;
    if (parent.subtask_count !== count || parent.subtask_done_count !== done) {
      this.put({ ...parent, subtask_count: count, subtask_done_count: done, updated_at: now });
    }
  }

  finish(): Delta {
    this.delta.put = [...this.changed.values()].filter((t) => !this.delta.remove.includes(t.id));
    return this.delta;
  }
}

function descendants(draft: Draft, id: string): Task[] {
  const out: Task[] = [];
  const walk = (parent: string) => {
    for (const child of draft.children(parent)) {
      out.push(child);
      walk(child.id);
    }
  };
  walk(id);
  return out;
}

/** A new task as the API would make it, under a temporary id until the server's is known. */
export function createLocally(copy: LocalCopy, input: CreateTaskInput, id: string, now: string): { task: Task; delta: Delta } {
  const draft = new Draft(copy);
  const parent = input.parent_id ? draft.get(input.parent_id) : undefined;
  const inbox = copy.projects.find((p) => p.is_inbox)?.id ?? '';
  const projectId = parent?.project_id ?? input.project_id ?? inbox;
  const parentId = parent?.id ?? null;
  const task: Task = {
    id,
    user_id: copy.userId,
    title: input.title,
    description: input.description ?? null,
    status: input.status ?? 'todo',
    priority: input.priority ?? null,
    tags: input.tags ?? [],
    due_date: input.due_date ?? null,
    due_time: input.due_time ?? null,
    project_id: projectId,
    parent_id: parentId,
    position: input.position ?? positionAfterLast(draft.all(), projectId, parentId),
    subtask_count: 0,
    subtask_done_count: 0,
    recurrence: (input.recurrence as Task['recurrence']) ?? null,
    series_id: null,
    next_occurrence_id: null,
    created_at: now,
    updated_at: now,
    version: 1,
  } as Task;
  draft.put(task);
  draft.recount(parentId, now);
  return { task, delta: draft.finish() };
}

function applyChanges(draft: Draft, task: Task, changes: UpdateTaskInput, now: string): Task {
  const next = { ...task, ...changes, version: localVersion(task.version), updated_at: now } as Task;
  if ('parent_id' in changes && changes.parent_id !== task.parent_id) {
    const parent = changes.parent_id ? draft.get(changes.parent_id) : undefined;
    next.parent_id = parent?.id ?? null;
    if (parent) next.project_id = parent.project_id;
  }
  if (changes.due_date === null) next.due_time = null;
  const moved = next.project_id !== task.project_id || next.parent_id !== task.parent_id;
  if (moved && changes.position === undefined) {
    next.position = positionAfterLast(draft.all(), next.project_id, next.parent_id);
  }
  draft.put(next);
  if (next.project_id !== task.project_id) {
    for (const child of descendants(draft, task.id)) {
      draft.put({ ...child, project_id: next.project_id, version: localVersion(child.version), updated_at: now });
    }
  }
  if (moved || next.status !== task.status) {
    draft.recount(task.parent_id, now);
    draft.recount(next.parent_id, now);
  }
  return draft.get(task.id)!;
}

export function updateLocally(copy: LocalCopy, task: Task, changes: UpdateTaskInput, now: string): { task: Task; delta: Delta } {
  const draft = new Draft(copy);
  const updated = applyChanges(draft, task, changes, now);
  return { task: updated, delta: draft.finish() };
}

/** Many tasks changed at once, as POST /api/tasks/bulk would (tags compared without case). */
export function bulkLocally(copy: LocalCopy, input: BulkUpdateInput, now: string): { tasks: Task[]; delta: Delta } {
  const draft = new Draft(copy);
  const tasks: Task[] = [];
  for (const id of input.ids) {
    const task = draft.get(id);
    if (!task) continue;
    let tags = task.tags;
    for (const tag of input.add_tags ?? []) {
      if (!tags.some((t) => t.toLowerCase() === tag.toLowerCase())) tags = [...tags, tag];
    }
    const removed = (input.remove_tags ?? []).map((t) => t.toLowerCase());
    tags = tags.filter((t) => !removed.includes(t.toLowerCase()));
    const changes: UpdateTaskInput = { ...(input.set ?? {}) } as UpdateTaskInput;
    if (input.add_tags?.length || input.remove_tags?.length) changes.tags = tags;
    tasks.push(applyChanges(draft, task, changes, now));
  }
  const delta = draft.finish();
  return { tasks: tasks.map((t) => delta.put.find((p) => p.id === t.id) ?? t), delta };
}

/** Into the trash, with every subtask below it, as DELETE /api/tasks/:id does. */
export function trashLocally(copy: LocalCopy, ids: readonly string[], now: string): Delta {
  const draft = new Draft(copy);
  const parents = new Set<string | null>();
  for (const id of ids) {
    const task = draft.get(id);
    if (!task || draft.delta.remove.includes(id)) continue;
    for (const t of [task, ...descendants(draft, id)]) {
      draft.delta.remove.push(t.id);
      draft.delta.trash.push({ ...t, deleted_at: now });
    }
    parents.add(task.parent_id);
  }
  for (const parent of parents) draft.recount(parent, now);
  return draft.finish();
}

/** Out of the trash with the subtasks that went with it. */
export function restoreLocally(copy: LocalCopy, id: string, now: string): { task: Task; delta: Delta } | null {
  const trashed = copy.trash.get(id);
  if (!trashed) return null;
  const draft = new Draft(copy);
  const restore = (t: TrashedTask): Task => {
    const { deleted_at: _, ...task } = t;
    const back = { ...task, version: localVersion(task.version), updated_at: now } as Task;
    draft.put(back);
    draft.delta.untrash.push(t.id);
    return back;
  };
  const task = restore(trashed);
  const walk = (parent: string) => {
    for (const t of copy.trash.values()) {
      if (t.parent_id === parent && t.deleted_at === trashed.deleted_at) {
        restore(t);
        walk(t.id);
      }
    }
  };
  walk(id);
  draft.recount(task.parent_id, now);
  return { task, delta: draft.finish() };
}

/**
 * A task the server sent (stream, answer, full read) against the local copy. A task with
 * changes still waiting to be sent keeps them: they are sent with the version they were made
 * on, so the server, not this merge, decides whether they conflict.
 */
export function mergeRemote(local: Task | undefined, remote: Task, pending: ReadonlySet<string>): Task {
  if (!local) return remote;
  if (pending.has(remote.id)) return local;
  return local.version > remote.version ? local : remote;
}

/**
 * The local copy after a full read from the server: the server's tasks (merged as above),
 * plus the ones made here and not yet sent. Everything else local is gone from the server.
 */
export function mergeFill(local: ReadonlyMap<string, Task>, remote: readonly Task[], pending: ReadonlySet<string>): Map<string, Task> {
  const out = new Map<string, Task>();
  for (const task of remote) out.set(task.id, mergeRemote(local.get(task.id), task, pending));
  for (const id of pending) {
    const task = local.get(id);
    if (task && !out.has(id)) out.set(id, task);
  }
  return out;
}
