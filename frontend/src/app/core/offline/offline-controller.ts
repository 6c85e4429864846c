import {
  HttpClient,
  HttpContext,
  HttpErrorResponse,
  HttpEvent,
  HttpHandlerFn,
  HttpHeaders,
  HttpRequest,
  HttpResponse,
} from '@angular/common/http';
import { Injector, effect, untracked } from '@angular/core';
import { Router } from '@angular/router';
import { Observable, catchError, firstValueFrom, from, map, switchMap, tap, throwError } from 'rxjs';
import { API_BASE_URL } from '../api-base-url';
import { toApiError } from '../api-error';
import { Task } from '../api-models';
import { AuthService } from '../auth.service';
import { BACKGROUND_REQUEST } from '../loading.service';
import { deletedChange, upsertChange } from '../task-changes';
import { TaskEvents } from '../task-events';
import { TaskListParams } from '../tasks-api';
import { Toasts } from '../toasts';
import { DIRECT, OfflineState, OfflineSync, UNAVAILABLE } from './offline';
import { ApiCall, EngineHost, LocalAnswer, OfflineEngine, Route } from './offline-engine';
import { deleteLocalDatabase } from './local-db';
import { OutboxEntry } from './outbox';

/** While the server cannot be reached, it is asked again this often. */
const PROBE_MS = 5_000;

function isNetworkFailure(error: unknown): boolean {
  return (error as { status?: unknown } | null)?.status === 0;
}

/**
 * What OfflineSync does once someone has signed in (loaded then, to keep the first page
 * small): keeps the user's copy (the engine) open and current from the live stream, answers
 * the API's reads from it and queues writes while offline, and sends the queue, after a
 * session refresh, when the server can be reached again.
 */
export class OfflineController {
  private readonly apiBaseUrl: string;
  private readonly conflictsHeld = new Map<string, { entry: OutboxEntry; theirs: Task }>();
  private engine: OfflineEngine | null = null;
  private opening: Promise<OfflineEngine | null> | null = null;
  private userId: string | null = null;
  private probeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly injector: Injector,
    private readonly sync: OfflineSync,
    private readonly state: OfflineState,
  ) {
    this.apiBaseUrl = injector.get(API_BASE_URL);
  }

  start(): void {
    const auth = this.injector.get(AuthService);
    const events = this.injector.get(TaskEvents);
    this.state.online.set(navigator.onLine);
    effect(
      () => {
        const user = auth.user();
        untracked(() => {
          this.follow(user?.id ?? null);
          if (user && !auth.offlineOnly()) void this.opening?.then((engine) => engine?.remember(user)).catch(() => undefined);
        });
      },
      { injector: this.injector },
    );
    // A session renewed (after an offline start, or a lapse): what waits can go now.
    effect(
      () => {
        if (auth.session()?.token) untracked(() => this.kick());
      },
      { injector: this.injector },
    );
    auth.signedOut$.subscribe((userId) => void this.forget(userId));
    events.changes$.subscribe((change) => void this.engine?.absorb(change).catch(() => undefined));
    events.projectChanges$.subscribe((change) => void this.engine?.absorbProject(change).catch(() => undefined));
    events.viewChanges$.subscribe((change) => void this.engine?.absorbView(change).catch(() => undefined));
    events.reset$.subscribe(() => void this.engine?.fill(true).catch(() => undefined));
    window.addEventListener('online', () => {
      this.state.online.set(true);
      this.backOnline();
    });
    window.addEventListener('offline', () => this.state.online.set(false));
  }

  /** The tasks a list would show for `params`, from the local copy; null without one. */
  localTasks(params: TaskListParams | readonly TaskListParams[]): Task[] | null {
    const engine = this.engine;
    if (!engine) return null;
    if (!Array.isArray(params)) return engine.query(params as TaskListParams);
    const byId = new Map<string, Task>();
    for (const p of params as readonly TaskListParams[]) for (const t of engine.query(p)) byId.set(t.id, t);
    return [...byId.values()];
  }

  /** Whether the task has changes here the server has not acknowledged yet. */
  isPending(id: string): boolean {
    return this.engine?.isPending(id) ?? false;
  }

  /** A conflict met while sending the queue, for the editor to show. */
  conflictFor(taskId: string): { before: Task | undefined; changes: unknown; theirs: Task } | null {
    const held = this.conflictsHeld.get(taskId);
    return held ? { before: held.entry.before, changes: held.entry.body, theirs: held.theirs } : null;
  }

  /** The user chose: `theirs` (their version) or null (mine, which the editor sends itself). */
  async resolveConflict(taskId: string, theirs: Task | null): Promise<void> {
    if (!this.conflictsHeld.delete(taskId)) return;
    const problem = this.state.problem();
    if (problem?.kind === 'conflict' && problem.taskId === taskId) this.state.problem.set(null);
    await this.engine?.resolveConflict(taskId, theirs);
  }

  async restoreGone(): Promise<void> {
    const problem = this.state.problem();
    if (problem?.kind !== 'gone') return;
    this.state.problem.set(null);
    try {
      await this.engine?.restoreGone(problem.taskId);
    } catch {
      this.state.problem.set(problem);
    }
  }

  async dropGone(): Promise<void> {
    const problem = this.state.problem();
    if (problem?.kind !== 'gone') return;
    this.state.problem.set(null);
    await this.engine?.dropGone(problem.taskId);
  }

  intercept(req: HttpRequest<unknown>, next: HttpHandlerFn): Observable<HttpEvent<unknown>> {
    // A page may ask before the effect that follows the user has run.
    const user = this.injector.get(AuthService).user();
    if (user && !this.opening) this.follow(user.id);
    if (req.context.get(DIRECT) || !this.opening || !req.url.startsWith(`${this.apiBaseUrl}/`)) {
      return this.watchReach(next(req));
    }
    return from(this.opening).pipe(
      switchMap((engine) => {
        const path = req.url.slice(this.apiBaseUrl.length).split('?')[0];
        return engine ? this.handle(engine, req, path, next) : next(req);
      }),
    );
  }

  private async handleLocally(engine: OfflineEngine, route: Route, req: HttpRequest<unknown>, path: string): Promise<HttpResponse<unknown>> {
    let answer: LocalAnswer;
    if (engine.isRead(route)) {
      const params: Record<string, string[]> = {};
      for (const key of req.params.keys()) params[key] = req.params.getAll(key) ?? [];
      answer = engine.read(route, params);
    } else {
      const headers: Record<string, string> = {};
      for (const key of req.headers.keys()) headers[key] = req.headers.get(key) ?? '';
      answer = await engine.write(route, { method: req.method, path, body: req.body, headers });
      this.kick();
    }
    if (answer.status >= 400) {
      throw toApiError(new HttpErrorResponse({ status: answer.status, error: answer.body, url: req.urlWithParams }));
    }
    return new HttpResponse({
      status: answer.status,
      body: answer.body,
      url: req.urlWithParams,
      headers: answer.total === undefined ? undefined : new HttpHeaders({ 'X-Total-Count': String(answer.total) }),
    });
  }

  private handle(engine: OfflineEngine, req: HttpRequest<unknown>, path: string, next: HttpHandlerFn): Observable<HttpEvent<unknown>> {
    const route = engine.routeOf(req.method, path);
    if (!route) return this.watchReach(next(req));
    const local = () => from(this.handleLocally(engine, route, req, path));
    const id = 'id' in route ? route.id : null;
    // Reads of a task not yet sent, and writes behind others still waiting, stay local too.
    if (this.sync.offline() || (engine.isRead(route) ? id !== null && engine.isPending(id) : engine.waiting > 0)) return local();
    return this.watchReach(next(req)).pipe(
      catchError((error: unknown) => (isNetworkFailure(error) ? local() : throwError(() => error))),
    );
  }

  /** Notices the server going out of reach, and coming back. */
  private watchReach(request: Observable<HttpEvent<unknown>>): Observable<HttpEvent<unknown>> {
    return request.pipe(
      tap({
        next: (event) => {
          if (event instanceof HttpResponse && !this.state.reachable()) this.backOnline();
        },
        error: (error: unknown) => {
          if (isNetworkFailure(error) && this.userId) this.outOfReach();
        },
      }),
    );
  }

  private outOfReach(): void {
    this.state.reachable.set(false);
    clearTimeout(this.probeTimer);
    this.probeTimer = setTimeout(() => this.probe(), PROBE_MS);
  }

  private probe(): void {
    if (!this.userId || this.state.reachable()) return;
    this.injector
      .get(HttpClient)
      .get(`${this.apiBaseUrl}/health`, { context: this.direct() })
      .subscribe({ next: () => this.backOnline(), error: () => this.outOfReach() });
  }

  /** The session first (its token lives in memory and may have lapsed), then the queue. */
  private backOnline(): void {
    this.state.reachable.set(true);
    clearTimeout(this.probeTimer);
    const auth = this.injector.get(AuthService);
    if (!auth.user()) return;
    const go = () => {
      this.kick();
      void this.engine?.fill().catch(() => undefined);
    };
    if (auth.validToken()) go();
    else auth.refresh().subscribe((token) => token && go());
  }

  /** Sends the queue if the server may be reached and the session is good. */
  private kick(): void {
    const auth = this.injector.get(AuthService);
    if (this.engine && this.engine.waiting > 0 && !this.sync.offline() && auth.validToken()) void this.engine.replay();
  }

  private direct(): HttpContext {
    return new HttpContext().set(DIRECT, true).set(BACKGROUND_REQUEST, true);
  }

  private follow(userId: string | null): void {
    if (userId === this.userId) return;
    const engine = this.engine;
    this.engine = null;
    this.opening = null;
    engine?.close();
    this.userId = userId;
    this.conflictsHeld.clear();
    this.state.problem.set(null);
    this.state.queue.set({ pending: 0, syncing: false });
    if (!userId || this.state.unavailable()) return;
    const opening = OfflineEngine.open(this.host(userId))
      .then((opened) => {
        if (this.userId !== userId) {
          opened.close();
          return null;
        }
        this.engine = opened;
        this.state.queue.set({ pending: opened.waiting, syncing: false });
        if (!this.sync.offline()) {
          void opened
            .fill()
            .catch(() => undefined)
            .then(() => this.kick());
        }
        return opened;
      })
      .catch(() => {
        this.storageUnavailable();
        return null;
      });
    this.opening = opening;
  }

  private async forget(userId: string): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.opening = null;
    this.userId = null;
    try {
      if (engine) await engine.destroy();
      else await deleteLocalDatabase(userId);
    } catch {
      // Nothing was stored, or the browser keeps no databases.
    }
  }

  private storageUnavailable(): void {
    if (this.state.unavailable()) return;
    this.state.unavailable.set(true);
    this.engine = null;
    this.opening = null;
    this.injector.get(Toasts).show({ message: UNAVAILABLE });
  }

  private host(userId: string): EngineHost {
    const http = this.injector.get(HttpClient);
    const events = this.injector.get(TaskEvents);
    return {
      userId,
      send: (call: ApiCall) =>
        firstValueFrom(
          http
            .request(call.method, `${this.apiBaseUrl}${call.path}`, {
              body: call.body,
              headers: call.headers,
              params: call.params,
              context: this.direct(),
              observe: 'response',
            })
            .pipe(map((response) => response.body)),
        ),
      announce: (put, removed) => {
        for (const id of removed) events.announce(deletedChange(id, Number.MAX_SAFE_INTEGER));
        for (const task of put) events.announce(upsertChange(task));
      },
      queueChanged: (pending, syncing) => this.state.queue.set({ pending, syncing }),
      conflict: (entry, theirs) => {
        const id = entry.taskIds[0];
        this.conflictsHeld.set(id, { entry, theirs });
        this.state.problem.set({ kind: 'conflict', taskId: id, label: entry.label });
        const router = this.injector.get(Router);
        const tree = router.parseUrl(router.url);
        tree.queryParams = { ...tree.queryParams, task: id };
        void router.navigateByUrl(tree).then(() => this.state.conflicts.next(id));
      },
      gone: (entry) => this.state.problem.set({ kind: 'gone', taskId: entry.taskIds[0], label: entry.label }),
      rejected: (entry, message) => this.state.problem.set({ kind: 'rejected', label: entry.label, message }),
      drained: () => events.resync(),
      unavailable: () => this.storageUnavailable(),
    };
  }
}
