import { ChangeDetectionStrategy, Component, ElementRef, effect, input, output, viewChild } from '@angular/core';
import { Shortcut } from '../../core/shortcuts';

/** Keys as a person reads them. */
const PRETTY: Record<string, string> = {
  ArrowUp: '↑',
  ArrowDown: '↓',
  ArrowLeft: '←',
  ArrowRight: '→',
  Delete: 'Del',
  Escape: 'Esc',
};

export function prettyKeys(keys: string): string {
  return keys
    .split(' ')
    .map((part) => part.split('+').map((k) => PRETTY[k] ?? k).join('+'))
    .join(' then ');
}

/** `?`: every shortcut that works here, with its mouse and touch alternative in docs/web-app.md. */
@Component({
  selector: 'app-help-sheet',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog
      #dialog
      class="m-auto max-h-[85vh] w-[min(32rem,calc(100vw-2rem))] overflow-y-auto rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      aria-labelledby="help-title"
      (cancel)="$event.preventDefault(); closed.emit()"
    >
      <h2 id="help-title" class="text-lg font-semibold">Keyboard shortcuts</h2>
      <p class="mt-1 text-sm text-slate-700 dark:text-slate-300">
        They never fire while you type in a field. Everything here also has a button.
      </p>
      <dl class="mt-3 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        @for (s of shortcuts(); track s.keys) {
          <dt><kbd class="kbd">{{ pretty(s.keys) }}</kbd></dt>
          <dd>{{ s.description }}</dd>
        }
      </dl>
      <h3 class="mt-4 text-sm font-semibold">On the board and the calendar</h3>
      <dl class="mt-1 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt><kbd class="kbd">Alt+← Alt+→</kbd></dt>
        <dd>Board: move the card to the column before or after</dd>
        <dt><kbd class="kbd">← → ↑ ↓</kbd></dt>
        <dd>Calendar: go to another day; Page Up and Page Down change the month</dd>
        <dt><kbd class="kbd">Alt+arrows</kbd></dt>
        <dd>Calendar: move the task a day (← →) or a week (↑ ↓)</dd>
      </dl>
      <div class="mt-4 flex justify-end">
        <button type="button" class="btn-primary" autofocus (click)="closed.emit()">Close</button>
      </div>
    </dialog>
  `,
})
export class HelpSheet {
  readonly open = input(false);
  readonly shortcuts = input<Shortcut[]>([]);
  readonly closed = output<void>();
  protected readonly pretty = prettyKeys;
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  constructor() {
    effect(() => {
      const dialog = this.dialog().nativeElement;
      if (this.open() && !dialog.open) dialog.showModal?.();
      else if (!this.open() && dialog.open) dialog.close?.();
    });
  }
}
