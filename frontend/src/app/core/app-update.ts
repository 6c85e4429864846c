import { DOCUMENT, DestroyRef, Injectable, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { SwUpdate } from '@angular/service-worker';
import { filter, fromEvent } from 'rxjs';

/**
 * `current`: nothing to say. `ready`: a newer version is downloaded and starts on the next
 * load. `broken`: the version this tab runs can no longer be served (its files are gone from
 * the cache and from the server), so a lazy page may fail to open until the tab reloads.
 */
export type AppUpdateState = 'current' | 'ready' | 'broken';

/** How often a tab that is shown again asks the service worker to look for a new version. */
export const UPDATE_CHECK_INTERVAL_MS = 60 * 60 * 1000;

/**
 * New versions of the app, announced and never forced: the service worker downloads a new
 * version in the background and this says so; the tab keeps running the version it started
 * with (an edit in progress stays where it is) until the user chooses to reload. Without a
 * service worker (development, tests, a browser without one) the state stays `current`.
 */
@Injectable({ providedIn: 'root' })
export class AppUpdate {
  private readonly updates = inject(SwUpdate, { optional: true });
  private readonly document = inject(DOCUMENT);
  private readonly state = signal<AppUpdateState>('current');
  readonly status = this.state.asReadonly();
  private lastCheck = Date.now();

  constructor() {
    const updates = this.updates;
    if (!updates?.isEnabled) return;
    const destroyRef = inject(DestroyRef);
    updates.versionUpdates
      .pipe(
        filter((event) => event.type === 'VERSION_READY'),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe(() => this.state.update((state) => (state === 'broken' ? state : 'ready')));
    updates.unrecoverable.pipe(takeUntilDestroyed(destroyRef)).subscribe(() => this.state.set('broken'));
    // The worker looks for a new version when a page is loaded; a task list stays open for
    // days without one, so it is also asked when the tab comes back into view.
    fromEvent(this.document, 'visibilitychange')
      .pipe(
        filter(() => this.document.visibilityState === 'visible'),
        filter(() => Date.now() - this.lastCheck >= UPDATE_CHECK_INTERVAL_MS),
        takeUntilDestroyed(destroyRef),
      )
      .subscribe(() => {
        this.lastCheck = Date.now();
        // Offline or a server error: the next time the tab is shown tries again.
        updates.checkForUpdate().catch(() => false);
      });
  }

  /** Starts the new version (or, when broken, the current one afresh). */
  reload(): void {
    this.document.location.reload();
  }
}
