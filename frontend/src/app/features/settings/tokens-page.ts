import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { errorMessage } from '../../core/api-error';
import { ApiToken, ApiTokenScope, CreatedApiToken } from '../../core/api-models';
import { ConfirmDialog } from '../../shared/ui/confirm-dialog';
import { AccountApi } from './account-api';
import { CopyOnce } from './copy-once';

export const SCOPES: { scope: ApiTokenScope; label: string }[] = [
  { scope: 'tasks:read', label: 'Read tasks, the trash and saved views (and their live events)' },
  { scope: 'tasks:write', label: 'Create, change and delete tasks and saved views, bulk edits, the trash (includes reading them)' },
  { scope: 'projects:read', label: 'Read projects' },
  { scope: 'projects:write', label: 'Create, change and delete projects (includes reading them)' },
  { scope: 'webhooks', label: 'Manage webhooks' },
];

@Component({
  selector: 'app-tokens-page',
  imports: [ReactiveFormsModule, DatePipe, ConfirmDialog, CopyOnce],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './tokens-page.html',
})
export class TokensPage {
  private readonly api = inject(AccountApi);
  private readonly fb = inject(FormBuilder).nonNullable;
  protected readonly scopes = SCOPES;
  protected readonly form = this.fb.group({
    name: ['', [Validators.required, Validators.maxLength(100)]],
    scopes: this.fb.group(Object.fromEntries(SCOPES.map(({ scope }) => [scope, scope === 'tasks:read'])) as Record<ApiTokenScope, boolean>),
    expires: ['90'],
  });
  protected readonly tokens = signal<ApiToken[] | null>(null);
  protected readonly created = signal<CreatedApiToken | null>(null);
  protected readonly error = signal<string | null>(null);
  protected readonly saving = signal(false);
  protected readonly revoking = signal<ApiToken | null>(null);
  protected readonly revokeBusy = signal(false);
  protected readonly noScope = signal(false);
  protected readonly scopeLabel = computed(() => new Map(SCOPES.map((s) => [s.scope as string, s.scope as string])));

  constructor() {
    this.reload();
  }

  protected create(): void {
    const value = this.form.getRawValue();
    const scopes = SCOPES.map((s) => s.scope).filter((scope) => value.scopes[scope]);
    this.noScope.set(scopes.length === 0);
    if (this.form.invalid || scopes.length === 0) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.error.set(null);
    this.api
      .createToken({ name: value.name.trim(), scopes, ...(value.expires !== 'never' && { expires_in_days: Number(value.expires) }) })
      .subscribe({
        next: (token) => {
          this.saving.set(false);
          this.created.set(token);
          this.form.controls.name.reset();
          this.reload();
        },
        error: (error: unknown) => {
          this.saving.set(false);
          this.error.set(errorMessage(error));
        },
      });
  }

  protected revoke(): void {
    const token = this.revoking();
    if (!token) return;
    this.revokeBusy.set(true);
    this.api.revokeToken(token.id).subscribe({
      next: () => {
        this.revokeBusy.set(false);
        this.revoking.set(null);
        if (this.created()?.id === token.id) this.created.set(null);
        this.reload();
      },
      error: (error: unknown) => {
        this.revokeBusy.set(false);
        this.error.set(errorMessage(error));
      },
    });
  }

  private reload(): void {
    this.api.tokens().subscribe({
      next: (tokens) => this.tokens.set(tokens),
      error: (error: unknown) => this.error.set(errorMessage(error)),
    });
  }
}
