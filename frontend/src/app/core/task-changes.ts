import { Task, TaskChangeEvent, TaskUpsertEvent } from './api-models';

/** The event a view would get for `task` having changed (made here, or read from the API). */
export function upsertChange(task: Task): TaskUpsertEvent {
  return {
    id: '',
    type: 'task.updated',
    task_id: task.id,
    version: task.version,
    task,
    occurred_at: task.updated_at,
  };
}

/** The event for a task that is gone (in the trash, or deleted for good). */
export function deletedChange(id: string, version: number): TaskChangeEvent {
  return { id: '', type: 'task.deleted', task_id: id, version, occurred_at: new Date().toISOString() };
}
