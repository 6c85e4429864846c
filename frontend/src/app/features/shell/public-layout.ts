import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';
import { AuthService } from '../../core/auth.service';

/** The pages anyone can see (home, log in, sign up, not found): a header and the page. */
@Component({
  selector: 'app-public-layout',
  imports: [RouterOutlet, RouterLink, RouterLinkActive],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <nav class="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3" aria-label="Main">
        <a routerLink="/" class="mr-auto font-semibold text-indigo-700 dark:text-indigo-300">Evolution of Todo</a>
        @if (auth.user()) {
          <a routerLink="/today" class="btn-primary">Open your tasks</a>
        } @else {
          <a routerLink="/login" routerLinkActive="nav-active" class="nav-link">Log in</a>
          <a routerLink="/signup" class="btn-primary">Sign up</a>
        }
      </nav>
    </header>
    <main id="main" tabindex="-1" class="mx-auto w-full max-w-5xl px-4 py-6 outline-none">
      <router-outlet />
    </main>
  `,
})
export class PublicLayout {
  protected readonly auth = inject(AuthService);
}
