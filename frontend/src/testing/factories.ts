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
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    version: 1,
    ...overrides,
  };
}
