import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';
import { AuthService } from '../../core/auth.service';

@Component({
  selector: 'app-home',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="mx-auto max-w-2xl py-8 text-center sm:py-16">
      <h1 class="text-3xl font-bold tracking-tight sm:text-4xl">
        Your tasks, in order, wherever you are.
      </h1>
      <p class="mt-4 text-lg text-slate-700 dark:text-slate-300">
        Evolution of Todo is a task manager for people who would otherwise keep a paper list: add
        tasks in a second, give them a priority, tags and a due date, and find them again with
        filters and search. Your tasks are yours alone.
      </p>
      <div class="mt-8 flex flex-wrap justify-center gap-3">
        @if (auth.isSignedIn()) {
          <a routerLink="/today" class="btn-primary">Go to Today</a>
        } @else {
          <a routerLink="/signup" class="btn-primary">Sign up</a>
          <a routerLink="/login" class="btn-secondary">Log in</a>
        }
      </div>
    </section>
    <section class="mx-auto grid max-w-4xl gap-4 sm:grid-cols-3" aria-label="Features">
      <div class="card">
        <h2 class="font-semibold">Quick to capture</h2>
        <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">
          Type a title and press Enter. Details can come later.
        </p>
      </div>
      <div class="card">
        <h2 class="font-semibold">Easy to find</h2>
        <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">
          Filter by status, priority and tag, search the text, and share the link to any view.
        </p>
      </div>
      <div class="card">
        <h2 class="font-semibold">Nothing overdue by surprise</h2>
        <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">
          The dashboard shows what is late and what is due in the next seven days.
        </p>
      </div>
    </section>
  `,
})
export class Home {
  protected readonly auth = inject(AuthService);
}
