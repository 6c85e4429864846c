import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { ApiError, errorMessage } from '../../core/api-error';
import { AuthService } from '../../core/auth.service';
import { emailValidator } from '../auth/auth-validators';
import { AccountApi } from './account-api';

/** Every IANA zone the browser knows, UTC first. */
function timeZones(): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...known.filter((zone) => zone !== 'UTC')];
}

@Component({
  selector: 'app-profile-page',
  imports: [ReactiveFormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './profile-page.html',
})
export class ProfilePage {
  private readonly api = inject(AccountApi);
  private readonly auth = inject(AuthService);
  private readonly fb = inject(FormBuilder).nonNullable;

  protected readonly user = this.auth.user;
  protected readonly zones = computed(() => {
    const current = this.user()?.time_zone;
    const zones = timeZones();
    return current && !zones.includes(current) ? [current, ...zones] : zones;
  });
  protected readonly browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;

  protected readonly zoneForm = this.fb.group({ time_zone: [this.auth.user()?.time_zone ?? 'UTC', Validators.required] });
  protected readonly zoneState = signal<{ kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }>({ kind: 'idle' });

  protected readonly emailForm = this.fb.group({
    email: ['', emailValidator],
    current_password: ['', Validators.required],
  });
  protected readonly emailState = signal<
    { kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string; field?: 'email' | 'current_password' }
  >({ kind: 'idle' });

  protected useBrowserZone(): void {
    this.zoneForm.controls.time_zone.setValue(this.browserZone);
  }

  protected saveZone(): void {
    if (this.zoneForm.invalid || this.zoneState().kind === 'saving') return;
    this.zoneState.set({ kind: 'saving' });
    this.api.updateMe({ time_zone: this.zoneForm.getRawValue().time_zone }).subscribe({
      next: (user) => {
        this.auth.updateUser(user);
        this.zoneState.set({ kind: 'saved' });
      },
      error: (error: unknown) => this.zoneState.set({ kind: 'error', message: errorMessage(error) }),
    });
  }

  protected saveEmail(): void {
    if (this.emailForm.invalid) {
      this.emailForm.markAllAsTouched();
      return;
    }
    if (this.emailState().kind === 'saving') return;
    this.emailState.set({ kind: 'saving' });
    this.api.updateMe(this.emailForm.getRawValue()).subscribe({
      next: (user) => {
        this.auth.updateUser(user);
        this.emailForm.reset();
        this.emailState.set({ kind: 'saved' });
      },
      error: (error: unknown) => {
        const status = error instanceof ApiError ? error.status : 0;
        const field = status === 409 || (error instanceof ApiError && error.fieldMessage('email')) ? 'email' : status === 401 ? 'current_password' : undefined;
        this.emailState.set({ kind: 'error', message: errorMessage(error), field });
      },
    });
  }

  protected emailFieldError(): string | null {
    const state = this.emailState();
    if (state.kind === 'error' && state.field === 'email') return state.message;
    const control = this.emailForm.controls.email;
    if (!control.touched || control.valid) return null;
    return control.hasError('required') ? 'Enter the new email address.' : 'Enter a valid email address.';
  }

  protected passwordFieldError(): string | null {
    const state = this.emailState();
    if (state.kind === 'error' && state.field === 'current_password') return state.message;
    const control = this.emailForm.controls.current_password;
    return control.touched && control.invalid ? 'Enter your current password.' : null;
  }

  protected emailFormError(): string | null {
    const state = this.emailState();
    return state.kind === 'error' && !state.field ? state.message : null;
  }
}
