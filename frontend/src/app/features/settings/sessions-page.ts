import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { errorMessage } from '../../core/api-error';
import { SessionInfo } from '../../core/api-models';
import { AccountApi } from './account-api';

type Load = { kind: 'loading' } | { kind: 'loaded'; sessions: SessionInfo[] } | { kind: 'error'; message: string };

@Component({
  selector: 'app-sessions-page',
  imports: [DatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="space-y-4">
      <div class="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h2 class="text-lg font-semibold">Where you are signed in</h2>
          <p class="text-sm text-slate-600 dark:text-slate-300">A session lasts 30 days after its last use.</p>
        </div>
        <button type="button" class="btn-secondary" [disabled]="busy() || others().length === 0" (click)="endOthers()">
          Sign out everywhere else
        </button>
      </div>
      <div role="status">
        @if (notice(); as message) {
          <p class="alert-success">{{ message }}</p>
        }
      </div>
      @switch (load().kind) {
        @case ('loading') {
          <p class="text-sm text-slate-600 dark:text-slate-300">Loading…</p>
        }
        @case ('error') {
          <p class="alert-error" role="alert">{{ loadError() }}</p>
        }
        @default {
          <ul class="space-y-2" data-testid="sessions">
            @for (session of sessions(); track session.id) {
              <li class="card flex flex-wrap items-center justify-between gap-3" data-testid="session">
                <div>
                  <p class="font-medium">
                    {{ session.device }}
                    @if (session.current) {
                      <span class="ml-2 rounded bg-indigo-100 px-2 py-0.5 text-xs text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100">This device</span>
                    }
                  </p>
                  <p class="text-sm text-slate-600 dark:text-slate-300">
                    Last used {{ session.last_used_at | date: 'medium' }}
                    @if (session.ip) {
                      from {{ session.ip }}
                    }
                    · signed in {{ session.created_at | date: 'mediumDate' }}
                  </p>
                </div>
                @if (!session.current) {
                  <button type="button" class="btn-secondary" [disabled]="busy()" (click)="end(session)"
                    [attr.aria-label]="'Sign out ' + session.device">Sign out</button>
                }
              </li>
            }
          </ul>
        }
      }
    </section>
  `,
})
export class SessionsPage {
  private readonly api = inject(AccountApi);
  protected readonly load = signal<Load>({ kind: 'loading' });
  protected readonly busy = signal(false);
  protected readonly notice = signal<string | null>(null);
  protected readonly sessions = computed(() => {
    const load = this.load();
    return load.kind === 'loaded' ? load.sessions : [];
  });
  protected readonly others = computed(() => this.sessions().filter((s) => !s.current));
  protected readonly loadError = computed(() => {
    const load = this.load();
    return load.kind === 'error' ? load.message : '';
  });

  constructor() {
    this.reload();
  }

  protected end(session: SessionInfo): void {
    this.run(this.api.endSession(session.id), `${session.device} has been signed out.`);
  }

  protected endOthers(): void {
    this.run(this.api.endOtherSessions(), 'Every other session has been signed out.');
  }

  private run(action: ReturnType<AccountApi['endOtherSessions']>, done: string): void {
    this.busy.set(true);
    this.notice.set(null);
    action.subscribe({
      next: () => {
        this.notice.set(done);
        this.busy.set(false);
        this.reload();
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.load.set({ kind: 'error', message: errorMessage(error) });
      },
    });
  }

  private reload(): void {
    this.api.sessions().subscribe({
      next: (sessions) => this.load.set({ kind: 'loaded', sessions }),
      error: (error: unknown) => this.load.set({ kind: 'error', message: errorMessage(error) }),
    });
  }
}
