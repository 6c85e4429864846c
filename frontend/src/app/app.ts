import { ChangeDetectionStrategy, Component, DestroyRef, inject } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Router, RouterOutlet } from '@angular/router';
import { SIGNED_IN_PREFIXES } from './app.routes';
import { AuthService } from './core/auth.service';
import { LoadingService } from './core/loading.service';
import { urlInView } from './core/return-url';
import { TaskEvents } from './core/task-events';

@Component({
  selector: 'app-root',
  imports: [RouterOutlet],
  templateUrl: './app.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class App {
  private readonly router = inject(Router);
  protected readonly auth = inject(AuthService);
  protected readonly loading = inject(LoadingService);
  /** Held here so live updates flow from sign-in on, whichever page is open. */
  protected readonly liveEvents = inject(TaskEvents);

  constructor() {
    // The session this browser may still have (the refresh cookie): looked for at once.
    void this.auth.ready;
    // A session that lapses while a protected page is open sends the user to log in.
    this.auth.expired$.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe(() => {
      const url = urlInView(this.router);
      if (SIGNED_IN_PREFIXES.some((prefix) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`))) {
        void this.router.navigate(['/login'], { queryParams: { returnUrl: url } });
      }
    });
  }
}
