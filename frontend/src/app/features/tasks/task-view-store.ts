import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Observable, Subject, catchError, combineLatest, map, of, switchMap } from 'rxjs';
import { errorMessage } from '../../core/api-error';
import { Task, TaskChangeEvent } from '../../core/api-models';
import { OfflineSync } from '../../core/offline/offline';
import { TaskEvents } from '../../core/task-events';
import { TaskListParams, TaskProgress, TasksApi } from '../../core/tasks-api';
import { TagIndex } from './tag-index';

/** What a view (Today, a project, a saved view) lists. */
export interface TaskViewQuery {
  /**
   * What to ask the API for (null: not known yet); read in a reactive context, so a change
   * reloads. Several queries (the calendar's range and the repeats before it) are merged.
   */
  params: TaskListParams | readonly TaskListParams[] | null;
  /** Whether a task the stream or this app changed belongs in the view now. */
  matches: (task: Task) => boolean;
}

interface ViewState {
  tasks: Task[];
  /** Until the first page arrives the view shows neither tasks nor an empty state. */
  loaded: boolean;
  /** Pages are still coming in (a project of thousands of tasks). */
  loadingMore: boolean;
  error: string | null;
}

type LoadResult = { progress: TaskProgress; background: boolean } | { error: string; background: boolean };

function newer(a: Task, b: Task): Task {
  return b.version >= a.version ? b : a;
}

/**
 * The tasks of one view, live. Every change (from the stream, or answered to this app's own
 * writes) is applied in place by version, and a task enters or leaves the view by `matches`,
 * so nothing is fetched again for it; only a (re)connection that may have missed events
 * reloads, quietly.
 */
@Injectable()
export class TaskViewStore {
  private readonly api = inject(TasksApi);
  private readonly events = inject(TaskEvents);
  private readonly tagIndex = inject(TagIndex);
  private readonly offline = inject(OfflineSync);
  private readonly state = signal<ViewState>({ tasks: [], loaded: false, loadingMore: false, error: null });
  private readonly query = signal<TaskViewQuery | null>(null);
  private readonly loads = new Subject<boolean>();
  private loadedEpoch: number | null = null;

  /** Every task of the view that still belongs to it. */
  readonly tasks = computed(() => {
    const query = this.query();
    return query ? this.state().tasks.filter(query.matches) : [];
  });
  readonly loaded = computed(() => this.state().loaded);
  readonly loadingMore = computed(() => this.state().loadingMore);
  readonly error = computed(() => this.state().error);

  constructor() {
    const destroyRef = inject(DestroyRef);
    this.loads
      .pipe(
        switchMap((background) => {
          const query = this.query();
          if (!query?.params) return of();
          this.loadedEpoch = this.events.epoch();
          if (!background) {
            // The local copy's answer at once; the server's reconciles it as it arrives.
            const local = this.offline.localTasks(query.params);
            this.state.update((s) =>
              local ? { tasks: local, loaded: true, loadingMore: false, error: null } : { ...s, error: null },
            );
          }
          return this.listAll(query.params, background).pipe(
            map((progress): LoadResult => ({ progress, background })),
            catchError((error: unknown) => of<LoadResult>({ error: errorMessage(error), background })),
          );
        }),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe((result) => {
        if ('error' in result) {
          this.state.update((s) => ({
            ...s,
            loadingMore: false,
            error: result.background && s.loaded ? s.error : result.error,
          }));
          return;
        }
        const { tasks, done } = result.progress;
        this.tagIndex.add(tasks);
        this.state.update((s) => {
          // Changes may have arrived while the pages were in flight: keep the newer copy.
          const shown = new Map(s.tasks.map((t) => [t.id, t]));
          const arrived = new Set(tasks.map((t) => t.id));
          // Until the last page, what is shown stays; after it, only changes not yet sent.
          const kept = s.tasks.filter((t) => !arrived.has(t.id) && (!done || this.offline.isPending(t.id)));
          return {
            // The same version keeps the object shown, so nothing is drawn again for it.
            tasks: [...tasks.map((t) => newer(t, shown.get(t.id) ?? t)), ...kept],
            loaded: true,
            loadingMore: !done,
            error: null,
          };
        });
      });
    this.events.changes$.pipe(takeUntilDestroyed(destroyRef)).subscribe((change) => this.apply(change));
    this.events.resync$.pipe(takeUntilDestroyed(destroyRef)).subscribe((epoch) => {
      if (this.loadedEpoch !== null && this.loadedEpoch < epoch) this.loads.next(true);
    });
  }

  /** Shows `query`; called from a reactive context, it follows the signals it reads. */
  watch(query: () => TaskViewQuery): void {
    let lastParams = '';
    effect(() => {
      const next = query();
      const params = JSON.stringify(next.params);
      untracked(() => {
        this.query.set(next);
        if (params !== lastParams) {
          // The same view again (a new day for Today): reload quietly over what is shown.
          const sameView = lastParams !== '' && lastParams !== 'null' && next.params !== null;
          lastParams = params;
          if (!sameView) this.state.set({ tasks: [], loaded: false, loadingMore: false, error: null });
          if (next.params) this.loads.next(sameView);
        }
      });
    });
  }

  private listAll(params: TaskListParams | readonly TaskListParams[], background: boolean): Observable<TaskProgress> {
    if (!Array.isArray(params)) return this.api.listAll(params as TaskListParams, { background });
    const all = params as readonly TaskListParams[];
    if (all.length === 0) return of({ tasks: [], total: 0, done: true });
    return combineLatest(all.map((p) => this.api.listAll(p, { background }))).pipe(
      map((parts) => {
        const byId = new Map<string, Task>();
        for (const part of parts) for (const task of part.tasks) byId.set(task.id, task);
        return {
          tasks: [...byId.values()],
          total: parts.reduce((sum, part) => sum + part.total, 0),
          done: parts.every((part) => part.done),
        };
      }),
    );
  }

  reload(): void {
    this.loads.next(false);
  }

  /** A change, from the stream or this app: applied in place, by version. */
  apply(change: TaskChangeEvent): void {
    if (change.type === 'task.deleted') {
      this.state.update((s) =>
        s.tasks.some((t) => t.id === change.task_id)
          ? { ...s, tasks: s.tasks.filter((t) => t.id !== change.task_id) }
          : s,
      );
      return;
    }
    const task = change.task;
    const query = this.query();
    this.state.update((s) => {
      const index = s.tasks.findIndex((t) => t.id === task.id);
      if (index >= 0) {
        if (s.tasks[index].version >= task.version) return s;
        const tasks = s.tasks.slice();
        tasks[index] = task;
        return { ...s, tasks };
      }
      return query?.matches(task) ? { ...s, tasks: [...s.tasks, task] } : s;
    });
  }
}
