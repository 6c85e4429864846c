import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, inject, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { Subscription, switchMap, timer } from 'rxjs';
import { ApiError, errorMessage } from '../../core/api-error';
import { CreatedWebhook, Webhook, WebhookDelivery } from '../../core/api-models';
import { ConfirmDialog } from '../../shared/ui/confirm-dialog';
import { AccountApi } from './account-api';
import { CopyOnce } from './copy-once';

export const EVENT_CHOICES = [
  { value: 'task.created', label: 'A task is created' },
  { value: 'task.updated', label: 'A task is changed' },
  { value: 'task.deleted', label: 'A task is deleted' },
  { value: 'project.*', label: 'Anything about projects' },
  { value: 'view.*', label: 'Anything about saved views' },
] as const;

/** While a webhook's deliveries are shown, they are read again this often. */
const DELIVERY_REFRESH_MS = 2_000;

@Component({
  selector: 'app-webhooks-page',
  imports: [ReactiveFormsModule, DatePipe, ConfirmDialog, CopyOnce],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './webhooks-page.html',
})
export class WebhooksPage {
  private readonly api = inject(AccountApi);
  private readonly fb = inject(FormBuilder).nonNullable;
  private readonly destroyRef = inject(DestroyRef);
  protected readonly choices = EVENT_CHOICES;
  protected readonly form = this.fb.group({
    url: ['', [Validators.required, Validators.maxLength(2048)]],
    description: ['', Validators.maxLength(500)],
    events: this.fb.group(Object.fromEntries(EVENT_CHOICES.map((c) => [c.value, c.value.startsWith('task.')])) as Record<string, boolean>),
  });
  protected readonly webhooks = signal<Webhook[] | null>(null);
  protected readonly created = signal<CreatedWebhook | null>(null);
  protected readonly formError = signal<string | null>(null);
  protected readonly urlError = signal<string | null>(null);
  protected readonly noEvents = signal(false);
  protected readonly saving = signal(false);
  protected readonly open = signal<string | null>(null);
  protected readonly deliveries = signal<WebhookDelivery[] | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly deleting = signal<Webhook | null>(null);
  protected readonly deleteBusy = signal(false);
  private polling: Subscription | null = null;

  constructor() {
    this.reload();
    this.destroyRef.onDestroy(() => this.polling?.unsubscribe());
  }

  protected create(): void {
    const value = this.form.getRawValue();
    const events = EVENT_CHOICES.map((c) => c.value).filter((event) => value.events[event]);
    this.noEvents.set(events.length === 0);
    this.urlError.set(null);
    if (this.form.invalid || events.length === 0) {
      this.form.markAllAsTouched();
      return;
    }
    this.saving.set(true);
    this.formError.set(null);
    this.api.createWebhook({ url: value.url.trim(), events, description: value.description.trim() || null }).subscribe({
      next: (webhook) => {
        this.saving.set(false);
        this.created.set(webhook);
        this.form.controls.url.reset();
        this.form.controls.description.reset();
        this.reload();
      },
      error: (error: unknown) => {
        this.saving.set(false);
        const onUrl = error instanceof ApiError ? error.fieldMessage('url') : null;
        if (onUrl) this.urlError.set(onUrl);
        else this.formError.set(errorMessage(error));
      },
    });
  }

  protected toggleDeliveries(webhook: Webhook): void {
    this.polling?.unsubscribe();
    this.polling = null;
    if (this.open() === webhook.id) {
      this.open.set(null);
      return;
    }
    this.open.set(webhook.id);
    this.deliveries.set(null);
    this.polling = timer(0, DELIVERY_REFRESH_MS)
      .pipe(
        switchMap((round) => this.api.deliveries(webhook.id, round > 0)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (deliveries) => this.deliveries.set(deliveries),
        error: (error: unknown) => this.notice.set(errorMessage(error)),
      });
  }

  protected test(webhook: Webhook): void {
    this.api.testWebhook(webhook.id).subscribe({
      next: () => {
        this.notice.set(`A test event is on its way to ${webhook.url}.`);
        if (this.open() !== webhook.id) this.toggleDeliveries(webhook);
      },
      error: (error: unknown) => this.notice.set(errorMessage(error)),
    });
  }

  protected redeliver(webhook: Webhook, delivery: WebhookDelivery): void {
    this.api.redeliver(webhook.id, delivery.id).subscribe({
      next: () => this.notice.set(`The ${delivery.event} event is being sent again.`),
      error: (error: unknown) => this.notice.set(errorMessage(error)),
    });
  }

  protected setEnabled(webhook: Webhook, enabled: boolean): void {
    this.api.updateWebhook(webhook.id, { enabled }).subscribe({
      next: () => {
        this.notice.set(enabled ? `Deliveries to ${webhook.url} resumed.` : `Deliveries to ${webhook.url} paused.`);
        this.reload();
      },
      error: (error: unknown) => this.notice.set(errorMessage(error)),
    });
  }

  protected remove(): void {
    const webhook = this.deleting();
    if (!webhook) return;
    this.deleteBusy.set(true);
    this.api.deleteWebhook(webhook.id).subscribe({
      next: () => {
        this.deleteBusy.set(false);
        this.deleting.set(null);
        if (this.open() === webhook.id) this.toggleDeliveries(webhook);
        if (this.created()?.id === webhook.id) this.created.set(null);
        this.reload();
      },
      error: (error: unknown) => {
        this.deleteBusy.set(false);
        this.notice.set(errorMessage(error));
      },
    });
  }

  private reload(): void {
    this.api.webhooks().subscribe({
      next: (webhooks) => this.webhooks.set(webhooks),
      error: (error: unknown) => this.formError.set(errorMessage(error)),
    });
  }
}

