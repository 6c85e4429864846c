import { CdkDragHandle } from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, computed, input, output, signal } from '@angular/core';
import { RouterLink } from '@angular/router';
import { Task } from '../../core/api-models';
import { formatDate, formatTime, relativeDateLabel, splitDate } from '../../quick-add/calendar';
import { RowMessage } from './task-actions';
import { isOverdue } from './task-groups';
import { PRIORITY_BADGE, PRIORITY_LABELS } from './task-labels';

/** A menu action on a row: the keyboard and touch alternative to dragging. */
export type RowCommand = 'up' | 'down' | 'indent' | 'outdent' | 'delete' | 'select';

const LOCALE = typeof navigator === 'undefined' ? 'en-US' : navigator.language || 'en-US';

/**
 * One task in a list: a round checkbox (done in one click), the title (opens the panel) and
 * small chips. Rows are focused with j/k (roving tabindex: only the focused row is in the
 * tab order), and every keyboard action also has a button, in the row's menu.
 */
@Component({
  selector: 'app-task-row',
  imports: [RouterLink, CdkDragHandle],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: {
    'data-testid': 'task-row',
    class: 'task-row group relative flex items-start gap-2 border-b border-slate-200 px-2 py-1.5 outline-none focus-visible:bg-indigo-50 dark:border-slate-800 dark:focus-visible:bg-indigo-950',
    '[class.row-selected]': 'selected()',
    '[attr.tabindex]': 'focused() ? 0 : -1',
    '[attr.data-task-id]': 'task().id',
    '[attr.aria-label]': 'task().title',
    '[style.padding-left.rem]': '0.5 + depth() * 1.5',
    role: 'listitem',
  },
  template: `
    @if (selecting()) {
      <label class="touch-target flex shrink-0 items-center justify-center">
        <input
          type="checkbox"
          class="size-4 accent-indigo-700"
          [checked]="selected()"
          (click)="selectToggle.emit($event.shiftKey); $event.stopPropagation()"
        />
        <span class="sr-only">Select {{ task().title }}</span>
      </label>
    }
    <button
      type="button"
      role="checkbox"
      class="touch-target flex shrink-0 items-center justify-center"
      [attr.aria-checked]="done()"
      [attr.aria-label]="(done() ? 'Reopen ' : 'Complete ') + task().title"
      [disabled]="pending()"
      (click)="doneToggle.emit()"
    >
      <span
        class="flex size-5 items-center justify-center rounded-full border-2"
        [class]="done() ? 'border-emerald-700 bg-emerald-700 text-white dark:border-emerald-400 dark:bg-emerald-400 dark:text-slate-900' : priorityRing()"
        aria-hidden="true"
      >
        @if (done()) {
          <svg viewBox="0 0 16 16" class="size-3" fill="none" stroke="currentColor" stroke-width="2.5"><path d="M3 8.5l3 3 7-7" /></svg>
        }
      </span>
    </button>
    <div class="min-w-0 flex-1 py-1.5">
      <a
        class="block break-words text-sm text-slate-900 hover:underline dark:text-slate-100"
        [class.line-through]="done()"
        [class.text-slate-600]="done()"
        [routerLink]="[]"
        [queryParams]="{ task: task().id }"
        queryParamsHandling="merge"
        (click)="open($event)"
        >{{ task().title }}</a
      >
      <div class="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-slate-700 dark:text-slate-300">
        @if (task().status === 'in-progress') {
          <span class="rounded bg-violet-100 px-1.5 text-violet-900 dark:bg-violet-950 dark:text-violet-200" data-testid="chip-status">In progress</span>
        }
        @if (due(); as d) {
          <span
            data-testid="chip-due"
            [class]="d.overdue ? 'font-medium text-red-700 dark:text-red-300' : ''"
            >{{ d.overdue ? 'Overdue · ' : '' }}{{ d.label }}</span
          >
        }
        @if (task().recurrence) {
          <span title="Repeats" data-testid="chip-repeat" class="inline-flex items-center">
            <svg viewBox="0 0 16 16" class="size-3.5" fill="none" stroke="currentColor" stroke-width="1.6" aria-hidden="true"><path d="M2.5 8a5.5 5.5 0 0 1 9.4-3.9L13.5 5.5M13.5 8a5.5 5.5 0 0 1-9.4 3.9L2.5 10.5M13.5 2.5v3h-3M2.5 13.5v-3h3" /></svg>
            <span class="sr-only">Repeats</span>
          </span>
        }
        @if (task().priority; as p) {
          <span class="rounded px-1.5" [class]="priorityBadge[p]">{{ priorityLabels[p] }} priority</span>
        }
        @for (tag of task().tags; track tag) {
          <span class="rounded bg-slate-100 px-1.5 dark:bg-slate-800">#{{ tag }}</span>
        }
        @if (projectName(); as name) {
          <span class="text-slate-600 dark:text-slate-400" data-testid="chip-project">{{ name }}</span>
        }
        @if (task().subtask_count) {
          <span data-testid="chip-subtasks" [attr.aria-label]="task().subtask_done_count + ' of ' + task().subtask_count + ' subtasks done'"
            >{{ task().subtask_done_count }}/{{ task().subtask_count }}</span
          >
        }
      </div>
      @if (message(); as m) {
        <p
          class="mt-1 text-xs"
          [class]="m.kind === 'error' ? 'text-red-700 dark:text-red-300' : 'text-sky-800 dark:text-sky-200'"
          [attr.data-testid]="m.kind === 'error' ? 'row-error' : 'row-notice'"
          [attr.role]="m.kind === 'error' ? 'alert' : 'status'"
        >{{ m.text }}</p>
      }
    </div>
    @if (draggable()) {
      <span
        cdkDragHandle
        class="touch-target hidden shrink-0 cursor-grab items-center justify-center text-slate-500 sm:flex"
        title="Drag to reorder, onto a project to move, or to the right to make it a subtask"
        aria-hidden="true"
      >
        <svg viewBox="0 0 16 16" class="size-4" fill="currentColor"><circle cx="5" cy="4" r="1.3" /><circle cx="11" cy="4" r="1.3" /><circle cx="5" cy="8" r="1.3" /><circle cx="11" cy="8" r="1.3" /><circle cx="5" cy="12" r="1.3" /><circle cx="11" cy="12" r="1.3" /></svg>
      </span>
    }
    <div class="relative shrink-0">
      <button
        type="button"
        class="touch-target flex items-center justify-center rounded text-slate-600 hover:bg-slate-100 dark:text-slate-300 dark:hover:bg-slate-800"
        [attr.aria-label]="'Actions for ' + task().title"
        [attr.aria-expanded]="menuOpen()"
        (click)="menuOpen.set(!menuOpen())"
      >
        <svg viewBox="0 0 16 16" class="size-4" fill="currentColor" aria-hidden="true"><circle cx="3" cy="8" r="1.4" /><circle cx="8" cy="8" r="1.4" /><circle cx="13" cy="8" r="1.4" /></svg>
      </button>
      @if (menuOpen()) {
        <div
          class="absolute right-0 z-20 mt-1 w-48 rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
          tabindex="-1"
          (keydown.escape)="menuOpen.set(false)"
          (focusout)="closeIfOutside($event)"
        >
          @for (item of menu(); track item.command) {
            <button type="button" class="menu-item" (click)="run(item.command)">
              {{ item.label }} <span class="ml-auto text-xs text-slate-600 dark:text-slate-400">{{ item.keys }}</span>
            </button>
          }
        </div>
      }
    </div>
  `,
})
export class TaskRow {
  readonly task = input.required<Task>();
  readonly today = input.required<string>();
  readonly depth = input(0);
  readonly projectName = input<string | null>(null);
  readonly focused = input(false);
  readonly selecting = input(false);
  readonly selected = input(false);
  readonly pending = input(false);
  readonly draggable = input(false);
  /** Manual order applies: the menu offers moving and nesting. */
  readonly orderable = input(false);
  readonly message = input<RowMessage | null | undefined>(null);

  readonly doneToggle = output<void>();
  readonly opened = output<void>();
  /** With shift: select the range from the last row selected. */
  readonly selectToggle = output<boolean>();
  readonly rowCommand = output<RowCommand>();

  protected readonly menuOpen = signal(false);
  protected readonly priorityLabels = PRIORITY_LABELS;
  protected readonly priorityBadge = PRIORITY_BADGE;
  protected readonly done = computed(() => this.task().status === 'done');
  protected readonly priorityRing = computed(() => {
    switch (this.task().priority) {
      case 'high':
        return 'border-red-700 dark:border-red-400';
      case 'medium':
        return 'border-amber-600 dark:border-amber-400';
      default:
        return 'border-slate-500 dark:border-slate-400';
    }
  });
  protected readonly due = computed(() => {
    const task = this.task();
    if (!task.due_date) return null;
    const today = this.today();
    const relative = relativeDateLabel(task.due_date, today, LOCALE);
    const label =
      relative === 'Today' || relative === 'Tomorrow' || relative === 'Yesterday' || !/\d/.test(relative)
        ? relative
        : formatDate(task.due_date, LOCALE, { currentYear: splitDate(today)[0] });
    return {
      overdue: isOverdue(task, today),
      label: task.due_time ? `${label} ${formatTime(task.due_time, LOCALE)}` : label,
    };
  });
  protected readonly menu = computed(() => {
    const items: { command: RowCommand; label: string; keys: string }[] = [];
    if (this.orderable()) {
      items.push(
        { command: 'up', label: 'Move up', keys: 'Alt+↑' },
        { command: 'down', label: 'Move down', keys: 'Alt+↓' },
        { command: 'indent', label: 'Make subtask', keys: 'Alt+→' },
        { command: 'outdent', label: 'Move out a level', keys: 'Alt+←' },
      );
    }
    items.push(
      { command: 'select', label: this.selected() ? 'Deselect' : 'Select', keys: 'x' },
      { command: 'delete', label: 'Delete', keys: 'Del' },
    );
    return items;
  });

  protected open(event: MouseEvent): void {
    // The link keeps its address for new tabs; a plain click opens the panel in place.
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    this.opened.emit();
  }

  protected run(command: RowCommand): void {
    this.menuOpen.set(false);
    this.rowCommand.emit(command);
  }

  protected closeIfOutside(event: FocusEvent): void {
    const next = event.relatedTarget as Node | null;
    if (!next || !(event.currentTarget as HTMLElement).parentElement?.contains(next)) {
      this.menuOpen.set(false);
    }
  }
}
