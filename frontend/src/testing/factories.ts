import { Task } from '../app/core/api-models';

export function makeTask(overrides: Partial<Task> = {}): Task {
  return {
    id: 'id-1',
    user_id: 'u1',
    title: 'A task',
    description: null,
    status: 'todo',
    priority: null,
    tags: [],
    due_date: null,
    due_time: null,
    project_id: 'inbox-1',
    parent_id: null,
    position: 1024,
    recurrence: null,
    series_id: null,
    next_occurrence_id: null,
    subtask_count: 0,
    subtask_done_count: 0,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}
