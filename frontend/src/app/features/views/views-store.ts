import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Observable, tap } from 'rxjs';
import { SavedView, ViewQuery } from '../../core/api-models';
import { AuthService } from '../../core/auth.service';
import { TaskEvents } from '../../core/task-events';
import { ViewsApi } from '../../core/views-api';

/** The user's saved views, for the sidebar; kept live. */
@Injectable({ providedIn: 'root' })
export class ViewsStore {
  private readonly api = inject(ViewsApi);
  private readonly state = signal<SavedView[]>([]);
  readonly views = computed(() =>
    [...this.state()].sort((a, b) => a.position - b.position || a.name.localeCompare(b.name)),
  );

  constructor() {
    const auth = inject(AuthService);
    const userId = computed(() => auth.user()?.id ?? null);
    effect(() => {
      const id = userId();
      untracked(() => {
        this.state.set([]);
        if (id) this.load();
      });
    });
    const events = inject(TaskEvents);
    events.viewChanges$.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe((change) => {
      if (change.type === 'view.deleted') this.drop(change.view_id);
      else this.upsert(change.view);
    });
    events.resync$.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe(() => {
      if (userId()) this.load();
    });
  }

  load(): void {
    this.api.list().subscribe({ next: (views) => this.state.set(views), error: () => undefined });
  }

  get(id: string): SavedView | undefined {
    return this.state().find((v) => v.id === id);
  }

  create(name: string, query: ViewQuery): Observable<SavedView> {
    return this.api.create({ name, query }).pipe(tap((view) => this.upsert(view)));
  }

  rename(view: SavedView, name: string): Observable<SavedView> {
    return this.api.update(view.id, { name }).pipe(tap((v) => this.upsert(v)));
  }

  remove(view: SavedView): Observable<void> {
    return this.api.remove(view.id).pipe(tap(() => this.drop(view.id)));
  }

  private upsert(view: SavedView): void {
    this.state.update((views) => {
      const shown = views.find((v) => v.id === view.id);
      if (shown && shown.version >= view.version) return views;
      return shown ? views.map((v) => (v.id === view.id ? view : v)) : [...views, view];
    });
  }

  private drop(id: string): void {
    this.state.update((views) => views.filter((v) => v.id !== id));
  }
}
