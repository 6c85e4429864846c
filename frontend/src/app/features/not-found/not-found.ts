import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthService } from '../../core/auth.service';

@Component({
  selector: 'app-not-found',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="mx-auto max-w-md py-12 text-center">
      <p class="text-sm font-semibold text-indigo-700 dark:text-indigo-300">404</p>
      <h1 class="mt-2 text-2xl font-semibold">Page not found</h1>
      <p class="mt-3 text-slate-700 dark:text-slate-300">
        There is nothing at this address. Check the link, or start again from a page you know.
      </p>
      <div class="mt-6 flex justify-center gap-3">
        @if (auth.isSignedIn()) {
          <a routerLink="/today" class="btn-primary">Go to Today</a>
        } @else {
          <a routerLink="/" class="btn-primary">Go to the home page</a>
        }
      </div>
    </section>
  `,
})
export class NotFound {
  protected readonly auth = inject(AuthService);
}
