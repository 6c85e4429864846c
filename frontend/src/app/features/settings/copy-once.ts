import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

/** A secret shown once (a new token, a signing secret), with a button to copy it. */
@Component({
  selector: 'app-copy-once',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="alert-success space-y-2">
      <p class="font-medium">{{ heading() }}</p>
      <p>Copy it now: it is not shown again.</p>
      <div class="flex flex-wrap gap-2">
        <label class="sr-only" [for]="inputId">{{ label() }}</label>
        <input [id]="inputId" class="field-input min-w-0 flex-1 font-mono" readonly [value]="value()" data-testid="secret" />
        <button type="button" class="btn-secondary" (click)="copy()">Copy</button>
      </div>
      <p role="status" class="text-xs">{{ copied() ? 'Copied to the clipboard.' : '' }}</p>
    </div>
  `,
})
export class CopyOnce {
  readonly heading = input.required<string>();
  readonly label = input.required<string>();
  readonly value = input.required<string>();
  protected readonly copied = signal(false);
  protected readonly inputId = `copy-once-${Math.random().toString(36).slice(2)}`;

  protected copy(): void {
    void navigator.clipboard.writeText(this.value()).then(
      () => this.copied.set(true),
      () => this.copied.set(false),
    );
  }
}
