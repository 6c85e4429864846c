import { Injectable, inject } from '@angular/core';
import { Observable, tap } from 'rxjs';
import { CreateTaskInput, Task } from '../../core/api-models';
import { IdempotencyKeys } from '../../core/idempotency-key';
import { TaskEvents } from '../../core/task-events';
import { TasksApi } from '../../core/tasks-api';

/**
 * The one way the web app creates a task (quick add, a subtask, re-adding a task deleted
 * elsewhere). Each caller keeps its own IdempotencyKeys: sending the same body again after a
 * failure reuses the key, so a create whose answer was lost is never made twice.
 */
@Injectable({ providedIn: 'root' })
export class TaskCreator {
  private readonly api = inject(TasksApi);
  private readonly events = inject(TaskEvents);

  create(input: CreateTaskInput, keys: IdempotencyKeys): Observable<Task> {
    return this.api.create(input, keys.keyFor(input)).pipe(
      tap((task) => {
        keys.succeeded();
        this.events.announce({
          id: '',
          type: 'task.created',
          task_id: task.id,
          version: task.version,
          task,
          occurred_at: task.created_at,
        });
      }),
    );
  }
}
