import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject } from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { NavigationEnd, Router, RouterOutlet } from '@angular/router';
import { filter, map, take } from 'rxjs';
import { SIGNED_IN_PREFIXES } from './app.routes';
import { AuthService } from './core/auth.service';
import { LoadingService } from './core/loading.service';
import { OfflineSync } from './core/offline/offline';
import { urlInView } from './core/return-url';
import { TaskEvents } from './core/task-events';
import { UpdateBanner } from './shared/ui/update-banner';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet, UpdateBanner],
  templateUrl: './app.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthService);
  protected readonly loading = inject(LoadingService);
  /** Held here so live updates flow from sign-in on, whichever page is open. */
  protected readonly liveEvents = inject(TaskEvents);
  private readonly offline = inject(OfflineSync);
  /**
   * The stream reconnecting is worth a word only while the app is online: offline, the
   * offline status already says that nothing reaches this device, and a second banner would
   * cover it.
   */
  protected readonly livePaused = computed(() => this.liveEvents.interrupted() && !this.offline.offline());
  /**
   * False until the first page is shown: while the session is looked for, the
   * page is still a page (a main landmark with a heading), not an empty body.
   */
  protected readonly firstPageShown = toSignal(
    this.router.events.pipe(
      filter((event) => event instanceof NavigationEnd),
      take(1),
      map(() => true),
    ),
    { initialValue: false },
  );

  constructor() {
    // The session this browser may still have (the refresh cookie): looked for at once.
    void this.auth.ready;
    // The offline copy follows whoever signs in, whichever page is open.
    this.offline.start();
    // A session that lapses while a protected page is open sends the user to log in.
    this.auth.expired$.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe(() => {
      const url = urlInView(this.router);
      if (SIGNED_IN_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`))) {
        void this.router.navigate(['/login'], { queryParams: { returnUrl: url } });
      }
    });
  }
}
