import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { AbstractControl, FormBuilder, ReactiveFormsModule, ValidationErrors, Validators } from '@angular/forms';
import { ApiError, errorMessage } from '../../core/api-error';
import { passwordValidator } from '../auth/auth-validators';
import { AccountApi } from './account-api';

function sameAs(other: string) {
  return (control: AbstractControl): ValidationErrors | null =>
    control.parent && control.value !== control.parent.get(other)?.value ? { mismatch: true } : null;
}

@Component({
  selector: 'app-password-page',
  imports: [ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="card max-w-lg">
      <h2 class="text-lg font-semibold">Change password</h2>
      <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">
        Every other device you are signed in on is signed out; this one stays signed in.
      </p>
      <form class="mt-4 space-y-3" [formGroup]="form" (ngSubmit)="submit()" novalidate>
        <div>
          <label class="field-label" for="password-current">Current password</label>
          <input id="password-current" class="field-input" type="password" autocomplete="current-password" formControlName="current"
            [attr.aria-invalid]="currentError() ? true : null" [attr.aria-describedby]="currentError() ? 'password-current-error' : null" />
          @if (currentError(); as message) {
            <p id="password-current-error" class="field-error">{{ message }}</p>
          }
        </div>
        <div>
          <label class="field-label" for="password-new">New password</label>
          <input id="password-new" class="field-input" type="password" autocomplete="new-password" formControlName="next"
            aria-describedby="password-new-hint" [attr.aria-invalid]="nextError() ? true : null" />
          <p id="password-new-hint" class="field-hint">8 to 72 characters.</p>
          @if (nextError(); as message) {
            <p class="field-error">{{ message }}</p>
          }
        </div>
        <div>
          <label class="field-label" for="password-repeat">Repeat the new password</label>
          <input id="password-repeat" class="field-input" type="password" autocomplete="new-password" formControlName="repeat"
            [attr.aria-invalid]="repeatError() ? true : null" />
          @if (repeatError(); as message) {
            <p class="field-error">{{ message }}</p>
          }
        </div>
        @if (state(); as s) {
          @if (s.kind === 'error' && !s.onCurrent) {
            <p class="alert-error" role="alert">{{ s.message }}</p>
          }
        }
        <div role="status">
          @if (state().kind === 'done') {
            <p class="alert-success">Password changed. Your other devices have been signed out.</p>
          }
        </div>
        <button type="submit" class="btn-primary" [disabled]="state().kind === 'saving'">Change password</button>
      </form>
    </section>
  `,
})
export class PasswordPage {
  private readonly api = inject(AccountApi);
  protected readonly form = inject(FormBuilder).nonNullable.group({
    current: ['', Validators.required],
    next: ['', passwordValidator],
    repeat: ['', [Validators.required, sameAs('next')]],
  });
  protected readonly state = signal<{ kind: 'idle' | 'saving' | 'done' } | { kind: 'error'; message: string; onCurrent: boolean }>({
    kind: 'idle',
  });

  protected currentError(): string | null {
    const state = this.state();
    if (state.kind === 'error' && state.onCurrent) return state.message;
    const control = this.form.controls.current;
    return control.touched && control.invalid ? 'Enter your current password.' : null;
  }

  protected nextError(): string | null {
    const control = this.form.controls.next;
    return control.touched && control.invalid ? 'Use 8 to 72 characters.' : null;
  }

  protected repeatError(): string | null {
    const control = this.form.controls.repeat;
    return control.touched && control.invalid ? 'The two new passwords differ.' : null;
  }

  protected submit(): void {
    this.form.controls.repeat.updateValueAndValidity();
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    if (this.state().kind === 'saving') return;
    this.state.set({ kind: 'saving' });
    const { current, next } = this.form.getRawValue();
    this.api.changePassword(current, next).subscribe({
      next: () => {
        this.form.reset();
        this.state.set({ kind: 'done' });
      },
      error: (error: unknown) =>
        this.state.set({ kind: 'error', message: errorMessage(error), onCurrent: error instanceof ApiError && error.status === 401 }),
    });
  }
}
