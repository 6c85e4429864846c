import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Router } from '@angular/router';
import { ApiError, errorMessage } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { AccountApi } from './account-api';

@Component({
  selector: 'app-delete-account-page',
  imports: [ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card max-w-lg border-red-300 dark:border-red-900">
      <h2 class="text-lg font-semibold">Delete your account</h2>
      <p class="mt-1 text-sm text-slate-700 dark:text-slate-300">
        Your account and everything in it (tasks, sessions, API tokens, webhooks) are deleted at once and for good. Download an
        export first if you want to keep anything.
      </p>
      <form class="mt-4 space-y-3" [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <div>
          <label class="field-label" for="delete-email">Type your email, {{ email() }}, to confirm</label>
          <input id="delete-email" class="field-input" type="email" autocomplete="off" formControlName="email" />
        </div>
        <div>
          <label class="field-label" for="delete-password">Password</label>
          <input id="delete-password" class="field-input" type="password" autocomplete="current-password" formControlName="password"
            [attr.aria-invalid]="passwordError() ? true : null" [attr.aria-describedby]="passwordError() ? 'delete-password-error' : null" />
          @if (passwordError(); as message) {
            <p id="delete-password-error" class="field-error">{{ message }}</p>
          }
        </div>
        @if (formError(); as message) {
          <p class="alert-error" role="alert">{{ message }}</p>
        }
        <button type="submit" class="btn-danger" [disabled]="!confirmed() || busy()">Delete my account</button>
      </form>
    </section>
  `,
})
export class DeleteAccountPage {
  private readonly api = inject(AccountApi);
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  protected readonly email = computed(() => this.auth.user()?.email ?? '');
  protected readonly form = inject(FormBuilder).nonNullable.group({ email: [''], password: ['', Validators.required] });
  private readonly typed = toSignal(this.form.controls.email.valueChanges, { initialValue: '' });
  protected readonly confirmed = computed(() => this.typed().trim().toLowerCase() === this.email().toLowerCase() && this.email() !== '');
  protected readonly busy = signal(false);
  private readonly failure = signal<{ message: string; onPassword: boolean } | null>(null);
  protected readonly passwordError = computed(() => (this.failure()?.onPassword ? this.failure()?.message : null) ?? null);
  protected readonly formError = computed(() => (this.failure() && !this.failure()?.onPassword ? this.failure()?.message : null) ?? null);

  protected submit(): void {
    if (!this.confirmed() || this.busy()) return;
    this.busy.set(true);
    this.failure.set(null);
    this.api.deleteAccount(this.form.getRawValue().password).subscribe({
      next: () => {
        this.auth.logout().subscribe(() => void this.router.navigate(['/'], { state: { accountDeleted: true } }));
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.failure.set({ message: errorMessage(error), onPassword: error instanceof ApiError && error.status === 401 });
      },
    });
  }
}
