import { HttpContextToken, HttpEvent, HttpHandlerFn, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { Injectable, Injector, WritableSignal, computed, effect, inject, signal, untracked } from '@angular/core';
import { Observable, Subject, from, switchMap } from 'rxjs';
import { Task } from '../api-models';
import { AuthService } from '../auth.service';
import { TaskListParams } from '../tasks-api';
import type { OfflineController } from './offline-controller';

/** A request that must reach the server (the outbox sending, the copy being filled). */
export const DIRECT = new HttpContextToken<boolean>(() => false);

/** Something about a waiting change the user has to hear about or decide. */
export type OfflineProblem =
  | { kind: 'conflict'; taskId: string; label: string }
  | { kind: 'gone'; taskId: string; label: string }
  | { kind: 'rejected'; label: string; message: string };

export const UNAVAILABLE = 'Offline copy unavailable: working online only.';

/** The state OfflineSync shows, written by its controller only. */
export interface OfflineState {
  online: WritableSignal<boolean>;
  reachable: WritableSignal<boolean>;
  queue: WritableSignal<{ pending: number; syncing: boolean }>;
  unavailable: WritableSignal<boolean>;
  problem: WritableSignal<OfflineProblem | null>;
  conflicts: Subject<string>;
}

/**
 * Offline-first: after sign-in the user's tasks, projects and views are kept in IndexedDB and
 * kept current from the live stream. Offline, every read the app makes of them is answered
 * from there, and every write is applied there and queued; back online the queue is sent, in
 * order, after the session is refreshed. The work is done by OfflineController, loaded with
 * the first sign-in; this is what the rest of the app sees of it.
 */
@Injectable({ providedIn: 'root' })
export class OfflineSync {
  private readonly injector = inject(Injector);
  private readonly auth = signal<AuthService | null>(null);
  private readonly state: OfflineState = {
    online: signal(typeof navigator === 'undefined' || navigator.onLine),
    reachable: signal(true),
    queue: signal({ pending: 0, syncing: false }),
    unavailable: signal(false),
    problem: signal<OfflineProblem | null>(null),
    conflicts: new Subject<string>(),
  };
  private controller: OfflineController | null = null;
  private loading: Promise<OfflineController | null> | null = null;

  /** No network, the server out of reach, or a session not yet renewed: work from the copy. */
  readonly offline = computed(
    () => !this.state.online() || !this.state.reachable() || (this.auth()?.offlineOnly() ?? false),
  );
  readonly pending = computed(() => this.state.queue().pending);
  readonly syncing = computed(() => this.state.queue().syncing);
  readonly unavailable = this.state.unavailable.asReadonly();
  readonly problem = this.state.problem.asReadonly();
  /** Ids of tasks whose waiting change met a newer version: the editor offers the choice. */
  readonly conflicts$ = this.state.conflicts.asObservable();

  /** Starts following the signed-in user; the app shell calls it once. */
  start(): void {
    if (this.auth()) return;
    const auth = this.injector.get(AuthService);
    this.auth.set(auth);
    effect(
      () => {
        if (auth.user()) untracked(() => void this.load());
      },
      { injector: this.injector },
    );
  }

  intercept(req: HttpRequest<unknown>, next: HttpHandlerFn): Observable<HttpEvent<unknown>> {
    if (this.controller) return this.controller.intercept(req, next);
    if (!this.auth()?.user()) return next(req);
    return from(this.load()).pipe(switchMap((controller) => (controller ? controller.intercept(req, next) : next(req))));
  }

  /** The tasks a list would show for `params`, from the local copy; null without one. */
  localTasks(params: TaskListParams | readonly TaskListParams[]): Task[] | null {
    return this.controller?.localTasks(params) ?? null;
  }

  /** Whether the task has changes here the server has not acknowledged yet. */
  isPending(id: string): boolean {
    return this.controller?.isPending(id) ?? false;
  }

  /** A conflict met while sending the queue, for the editor to show. */
  conflictFor(taskId: string): { before: Task | undefined; changes: unknown; theirs: Task } | null {
    return this.controller?.conflictFor(taskId) ?? null;
  }

  /** The user chose: `theirs` (their version) or null (mine, which the editor sends itself). */
  async resolveConflict(taskId: string, theirs: Task | null): Promise<void> {
    await this.controller?.resolveConflict(taskId, theirs);
  }

  async restoreGone(): Promise<void> {
    await this.controller?.restoreGone();
  }

  async dropGone(): Promise<void> {
    await this.controller?.dropGone();
  }

  dismissProblem(): void {
    if (this.state.problem()?.kind === 'rejected') this.state.problem.set(null);
  }

  private load(): Promise<OfflineController | null> {
    this.loading ??= import('./offline-controller')
      .then(({ OfflineController }) => {
        this.controller = new OfflineController(this.injector, this, this.state);
        this.controller.start();
        return this.controller;
      })
      .catch(() => {
        this.loading = null;
        return null;
      });
    return this.loading;
  }
}

/** Answers the API's task, project and view routes from the local copy when offline. */
export const offlineInterceptor: HttpInterceptorFn = (req, next) => inject(OfflineSync).intercept(req, next);
