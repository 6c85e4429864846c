import { CdkDrag, CdkDragDrop, CdkDropList, CdkDropListGroup } from '@angular/cdk/drag-drop';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';
import type { Task, TaskPriority, TaskStatus } from '../../core/api-models';
import { formatTime, relativeDateLabel, zonedNow, type IsoDate } from '../../quick-add/calendar';
import {
  BOARD_STATUS_LABELS,
  BOARD_STATUSES,
  groupByStatus,
  neighbourStatus,
} from './board-columns';

/**
 * Cards a column shows before "Show more". CDK drag-drop measures every card of every
 * connected list when a drag starts, so a board of thousands stays quick only if it does
 * not render them all.
 */
export const BOARD_PAGE_SIZE = 50;

/** How long a live region stays empty before a message, for screen readers to notice it. */
export const ANNOUNCE_DELAY_MS = 100;

const PRIORITIES: Record<TaskPriority, { readonly label: string; readonly badge: string }> = {
  high: { label: 'High', badge: 'bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-200' },
  medium: {
    label: 'Medium',
    badge: 'bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200',
  },
  low: { label: 'Low', badge: 'bg-slate-100 text-slate-700 dark:bg-slate-700 dark:text-slate-100' },
};

/** What a card shows, worked out once per render rather than by template calls. */
interface CardView {
  readonly task: Task;
  readonly done: boolean;
  readonly due: string | null;
  readonly overdue: boolean;
  readonly priority: { readonly label: string; readonly badge: string } | null;
  readonly project: string | null;
  readonly subtasks: { readonly done: number; readonly total: number } | null;
  /** The columns the "Move to…" panel offers. */
  readonly targets: readonly { readonly status: TaskStatus; readonly label: string }[];
}

interface ColumnView {
  readonly status: TaskStatus;
  readonly label: string;
  readonly total: number;
  readonly cards: readonly CardView[];
  readonly hidden: number;
}

let nextBoardId = 0;

/**
 * The tasks it is given as a board with one column per status. It changes nothing itself:
 * a card dragged or moved by keyboard to another column is reported as `statusChange`, and
 * the card changes column when `tasks` says so: once the API has answered (at once offline,
 * where the device's copy answers), and not at all if it refuses.
 */
@Component({
  selector: 'app-task-board',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CdkDropListGroup, CdkDropList, CdkDrag],
  templateUrl: './task-board.html',
})
export class TaskBoard {
  readonly tasks = input.required<readonly Task[]>();
  /** Project names by id; cards show their project only when this is given. */
  readonly projectNames = input<ReadonlyMap<string, string>>(new Map());
  /** The user's IANA time zone, in which a due date is overdue (past today). */
  readonly timeZone = input<string>('UTC');
  readonly statusChange = output<{ task: Task; status: TaskStatus }>();
  readonly open = output<Task>();

  protected readonly id = `board-${++nextBoardId}`;
  protected readonly pageSize = BOARD_PAGE_SIZE;
  protected readonly locale = typeof navigator === 'undefined' ? 'en-US' : navigator.language;

  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  private readonly limits = signal<Record<TaskStatus, number>>({
    todo: BOARD_PAGE_SIZE,
    'in-progress': BOARD_PAGE_SIZE,
    done: BOARD_PAGE_SIZE,
  });
  /** The card whose "Move to…" panel is open. */
  protected readonly menuFor = signal<string | null>(null);

  // Ticks once a minute so that "overdue" turns over at midnight in the user's zone.
  private readonly now = signal(new Date());
  private readonly today = computed<IsoDate>(() => {
    try {
      return zonedNow(this.now(), this.timeZone()).date;
    } catch {
      return zonedNow(this.now(), 'UTC').date;
    }
  });

  protected readonly columns = computed<ColumnView[]>(() => {
    const groups = groupByStatus(this.tasks());
    const limits = this.limits();
    return BOARD_STATUSES.map((status) => {
      const tasks = groups[status];
      const cards = tasks.slice(0, limits[status]).map((task) => this.cardView(task));
      return {
        status,
        label: BOARD_STATUS_LABELS[status],
        total: tasks.length,
        cards,
        hidden: tasks.length - cards.length,
      };
    });
  });

  /**
   * A card moved by keyboard, to be focused once `tasks` shows it in its new column: the
   * element is a new one there, and the old one took the focus with it.
   */
  private pendingFocus: { readonly id: string; readonly status: TaskStatus } | null = null;

  /**
   * What the live region says. CDK's LiveAnnouncer would do, but it can announce HTML and so
   * brings Angular's HTML sanitizer into the initial bundle (about 3 kB gzipped).
   */
  protected readonly announcement = signal('');
  private announceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const timer = setInterval(() => this.now.set(new Date()), 60_000);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      clearTimeout(this.announceTimer);
    });

    // Once the DOM shows the new `tasks` (afterRenderEffect would do, at 2 kB of the
    // initial bundle).
    effect(() => {
      const tasks = this.tasks();
      untracked(() => afterNextRender(() => this.restoreFocus(tasks), { injector: this.injector }));
    });
  }

  protected onCardKeydown(event: KeyboardEvent, task: Task): void {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const step = event.key === 'ArrowLeft' ? -1 : event.key === 'ArrowRight' ? 1 : 0;
    if (step === 0) return;
    // Alt+arrow is also the browser's Back and Forward.
    event.preventDefault();
    const status = neighbourStatus(task.status, step);
    if (status) this.move(task, status, true);
  }

  protected toggleMenu(task: Task): void {
    this.menuFor.update((id) => (id === task.id ? null : task.id));
  }

  protected onMenuKeydown(event: KeyboardEvent, task: Task): void {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    this.menuFor.set(null);
    this.element('data-menu-toggle', task.id)?.focus();
  }

  protected moveFromMenu(task: Task, status: TaskStatus): void {
    this.move(task, status, true);
  }

  protected dropped(event: CdkDragDrop<TaskStatus, TaskStatus, Task>): void {
    if (event.previousContainer === event.container) return;
    this.move(event.item.data, event.container.data, false);
  }

  protected showMore(status: TaskStatus): void {
    const shown = this.limits()[status];
    this.limits.update((limits) => ({ ...limits, [status]: shown + BOARD_PAGE_SIZE }));
    // The button may go away with the last page; the first new card takes the focus.
    afterNextRender(
      () => {
        const cards = this.host.nativeElement.querySelectorAll<HTMLElement>(
          `[data-column="${status}"] [data-card-open]`,
        );
        cards[shown]?.focus();
      },
      { injector: this.injector },
    );
  }

  private move(task: Task, status: TaskStatus, keepFocus: boolean): void {
    if (task.status === status) return;
    this.menuFor.set(null);
    this.revealInColumn(task, status);
    if (keepFocus) this.pendingFocus = { id: task.id, status };
    this.statusChange.emit({ task, status });
    this.announce(`Moved “${task.title}” to ${BOARD_STATUS_LABELS[status]}.`);
  }

  /** Lets the target column show enough cards to include the moved one. */
  private revealInColumn(task: Task, status: TaskStatus): void {
    const moved = { ...task, status };
    const column = groupByStatus(this.tasks().map((t) => (t.id === task.id ? moved : t)))[status];
    const index = column.findIndex((t) => t.id === task.id);
    if (index >= this.limits()[status]) {
      this.limits.update((limits) => ({
        ...limits,
        [status]: Math.ceil((index + 1) / BOARD_PAGE_SIZE) * BOARD_PAGE_SIZE,
      }));
    }
  }

  /** Focuses the task moved by keyboard, once `tasks` shows where it went. */
  private restoreFocus(tasks: readonly Task[]): void {
    const pending = this.pendingFocus;
    if (!pending) return;
    const task = tasks.find((t) => t.id === pending.id);
    if (task && task.status !== pending.status) return; // not applied yet, or put back
    this.pendingFocus = null;
    // Only where the focus went away with the old card: never taken from elsewhere.
    const active = document.activeElement;
    if (task && (!active || active === document.body)) this.focusCard(task.id);
  }

  /** Cleared first and said a moment later, so that the same words twice are read twice. */
  private announce(message: string): void {
    this.announcement.set('');
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => this.announcement.set(message), ANNOUNCE_DELAY_MS);
  }

  private focusCard(id: string): void {
    this.element('data-card-open', id)?.focus();
  }

  /** The element whose `attribute` is `value`; compared, not put in a selector, so ids need no escaping. */
  private element(attribute: string, value: string): HTMLElement | undefined {
    return Array.from(this.host.nativeElement.querySelectorAll<HTMLElement>(`[${attribute}]`)).find(
      (e) => e.getAttribute(attribute) === value,
    );
  }

  private cardView(task: Task): CardView {
    const today = this.today();
    const done = task.status === 'done';
    let due: string | null = null;
    if (task.due_date !== null) {
      due = relativeDateLabel(task.due_date, today, this.locale);
      if (task.due_time !== null) due += `, ${formatTime(task.due_time, this.locale)}`;
    }
    return {
      task,
      done,
      due,
      overdue: !done && task.due_date !== null && task.due_date < today,
      priority: task.priority === null ? null : PRIORITIES[task.priority],
      project: this.projectNames().get(task.project_id) ?? null,
      subtasks:
        task.subtask_count > 0
          ? { done: task.subtask_done_count, total: task.subtask_count }
          : null,
      targets: BOARD_STATUSES.filter((s) => s !== task.status).map((s) => ({
        status: s,
        label: BOARD_STATUS_LABELS[s],
      })),
    };
  }
}
