import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  inject,
  input,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule } from '@angular/forms';
import { Router, RouterLink } from '@angular/router';
import { ApiError, errorMessage, placeFieldErrors } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { safeReturnUrl } from '../../core/return-url';
import {
  emailErrorText,
  emailValidator,
  passwordErrorText,
  passwordValidator,
} from './auth-validators';

export type AuthMode = 'login' | 'signup';

/** The log in and sign up pages: same form, different endpoint and wording. */
@Component({
  selector: 'app-auth-page',
  imports: [ReactiveFormsModule, RouterLink],
  templateUrl: './auth-page.html',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AuthPage {
  private readonly auth = inject(AuthService);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);

  /** From the route's data. */
  readonly mode = input<AuthMode>('login');
  /** From the query string: where to go after success. */
  readonly returnUrl = input<string | undefined>();

  protected readonly form = inject(FormBuilder).nonNullable.group({
    email: ['', emailValidator],
    password: ['', passwordValidator],
  });
  protected readonly pending = signal(false);
  protected readonly submitted = signal(false);
  protected readonly formError = signal<string | null>(null);
  /** Bumped whenever control errors change outside an event handler. */
  private readonly revision = signal(0);

  protected readonly isSignup = computed(() => this.mode() === 'signup');
  protected readonly heading = computed(() => (this.isSignup() ? 'Create your account' : 'Log in'));
  protected readonly submitLabel = computed(() => (this.isSignup() ? 'Sign up' : 'Log in'));
  protected readonly otherLink = computed(() => (this.isSignup() ? '/login' : '/signup'));
  protected readonly otherQuery = computed(() => {
    const returnUrl = this.returnUrl();
    return returnUrl ? { returnUrl } : {};
  });

  protected emailError(): string | null {
    this.revision();
    const control = this.form.controls.email;
    return this.submitted() || control.touched ? emailErrorText(control.errors) : null;
  }

  protected passwordError(): string | null {
    this.revision();
    const control = this.form.controls.password;
    return this.submitted() || control.touched ? passwordErrorText(control.errors) : null;
  }

  protected submit(): void {
    if (this.pending()) return;
    this.submitted.set(true);
    this.formError.set(null);
    if (this.form.invalid) {
      this.focusFirstInvalid();
      return;
    }
    const { email, password } = this.form.getRawValue();
    const credentials = { email: email.trim().toLowerCase(), password };
    this.pending.set(true);
    const request = this.isSignup() ? this.auth.signup(credentials) : this.auth.login(credentials);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => {
        this.pending.set(false);
        void this.router.navigateByUrl(safeReturnUrl(this.returnUrl()));
      },
      error: (error: unknown) => {
        this.pending.set(false);
        this.showError(error);
      },
    });
  }

  private showError(error: unknown): void {
    if (error instanceof ApiError) {
      if (error.status === 409) {
        this.form.controls.email.setErrors({ server: error.message });
        this.revision.update((n) => n + 1);
        this.focusFirstInvalid();
        return;
      }
      if (placeFieldErrors(error, this.form.controls)) {
        this.revision.update((n) => n + 1);
        this.focusFirstInvalid();
        return;
      }
    }
    this.formError.set(errorMessage(error));
  }

  private focusFirstInvalid(): void {
    const id = this.form.controls.email.invalid ? 'auth-email' : 'auth-password';
    document.getElementById(id)?.focus();
  }
}
