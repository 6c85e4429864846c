import { Provider, signal } from '@angular/core';
import { Subject } from 'rxjs';
import {
  ProjectChangeEvent,
  Task,
  TaskChangeEvent,
  TaskDeletedEvent,
  TaskUpsertEvent,
  ViewChangeEvent,
} from '../app/core/api-models';
import { TaskEvents } from '../app/core/task-events';

/** Stands in for the event stream: tests push changes and reconnections by hand. */
export class FakeTaskEvents {
  private readonly changes = new Subject<TaskChangeEvent>();
  private readonly resyncs = new Subject<number>();
  private readonly projects = new Subject<ProjectChangeEvent>();
  private readonly views = new Subject<ViewChangeEvent>();
  readonly projectChanges$ = this.projects.asObservable();
  readonly viewChanges$ = this.views.asObservable();
  private readonly epochState = signal(0);
  readonly changes$ = this.changes.asObservable();
  readonly resync$ = this.resyncs.asObservable();
  readonly reset$ = new Subject<void>().asObservable();
  readonly epoch = this.epochState.asReadonly();
  readonly connected = signal(true).asReadonly();
  /** Set by a test to show the shell what a long-lost connection looks like. */
  readonly interrupted = signal(false);

  emit(change: TaskChangeEvent): void {
    this.changes.next(change);
  }

  announce(change: TaskChangeEvent): void {
    this.changes.next(change);
  }

  emitProject(change: ProjectChangeEvent): void {
    this.projects.next(change);
  }

  emitView(change: ViewChangeEvent): void {
    this.views.next(change);
  }

  /** As after a `ready` on a new connection, or a `reset`. */
  resync(): void {
    this.epochState.update((n) => n + 1);
    this.resyncs.next(this.epochState());
  }
}

export function provideFakeTaskEvents(): Provider[] {
  return [FakeTaskEvents, { provide: TaskEvents, useExisting: FakeTaskEvents }];
}

let nextEventId = 100;

export function updatedEvent(
  task: Task,
  type: TaskUpsertEvent['type'] = 'task.updated',
): TaskUpsertEvent {
  return {
    id: String(++nextEventId),
    type,
    task_id: task.id,
    version: task.version,
    task,
    occurred_at: task.updated_at,
  };
}

export function deletedEvent(taskId: string, version: number): TaskDeletedEvent {
  return {
    id: String(++nextEventId),
    type: 'task.deleted',
    task_id: taskId,
    version,
    occurred_at: '2026-01-02T00:00:00.000Z',
  };
}
