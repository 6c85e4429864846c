import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  effect,
  input,
  output,
  viewChild,
} from '@angular/core';

let nextId = 0;

/**
 * A modal confirmation on the native <dialog>: focus stays inside, Escape cancels, and
 * focus returns to where it was when it closes.
 */
@Component({
  selector: 'app-confirm-dialog',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog
      #dialog
      class="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      [attr.aria-labelledby]="titleId"
      [attr.aria-describedby]="messageId"
      (cancel)="onCancel($event)"
      (close)="onClose()"
    >
      <h2 class="text-lg font-semibold" [id]="titleId">{{ heading() }}</h2>
      <p class="mt-2 text-sm text-slate-700 dark:text-slate-300" [id]="messageId">
        {{ message() }}
      </p>
      @if (error(); as message) {
        <p class="alert-error mt-3" role="alert">{{ message }}</p>
      }
      <div class="mt-5 flex justify-end gap-2">
        <button type="button" class="btn-secondary" autofocus (click)="cancel()">Cancel</button>
        <button type="button" class="btn-danger" [disabled]="busy()" (click)="confirmed.emit()">
          @if (busy()) {
            <span class="spinner" aria-hidden="true"></span>
          }
          {{ confirmLabel() }}
        </button>
      </div>
    </dialog>
  `,
})
export class ConfirmDialog {
  readonly open = input(false);
  readonly heading = input.required<string>();
  readonly message = input('');
  readonly confirmLabel = input('Delete');
  readonly busy = input(false);
  readonly error = input<string | null>(null);
  readonly confirmed = output<void>();
  readonly cancelled = output<void>();

  protected readonly titleId = `confirm-title-${++nextId}`;
  protected readonly messageId = `confirm-message-${nextId}`;
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  constructor() {
    effect(() => {
      const dialog = this.dialog().nativeElement;
      if (this.open() && !dialog.open) {
        if (typeof dialog.showModal === 'function') dialog.showModal();
        else dialog.setAttribute('open', '');
      } else if (!this.open() && dialog.open) {
        if (typeof dialog.close === 'function') dialog.close();
        else dialog.removeAttribute('open');
      }
    });
  }

  protected cancel(): void {
    this.cancelled.emit();
  }

  protected onCancel(event: Event): void {
    // Escape: let the parent decide, so open() stays the single source of truth.
    event.preventDefault();
    if (!this.busy()) this.cancelled.emit();
  }

  protected onClose(): void {
    if (this.open()) this.cancelled.emit();
  }
}
