import { CdkDrag, CdkDragDrop, CdkDropList } from '@angular/cdk/drag-drop';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { ActivatedRoute, Router } from '@angular/router';
import { Task } from '../../core/api-models';
import { Shortcuts } from '../../core/shortcuts';
import { ProjectsStore } from '../projects/projects-store';
import { BulkBar } from './bulk-bar';
import { TaskActions } from './task-actions';
import { TaskGroup } from './task-groups';
import { MoveChange, dropAt, indent, moveBy, outdent } from './task-moves';
import { RowCommand, TaskRow } from './task-row';
import { SelectionStore } from './selection-store';

/** Rows drawn at first, and added each time the end of the list comes into view. */
export const RENDER_CHUNK = 150;
/** Dragged this far to the right, a task becomes a subtask of the row above it. */
const NEST_DISTANCE_PX = 40;

/** Keys that also mean something to a focused control act on the row only when it has focus. */
function onRow(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return !target || target === document.body || target.hasAttribute('data-task-id');
}

export function projectDropId(projectId: string): string {
  return `drop-project-${projectId}`;
}

/**
 * A list of task groups (Overdue/Today, days, project sections): rows, focus with j/k,
 * selection and the bulk bar, drag and drop with keyboard alternatives, and rows drawn a
 * chunk at a time so a project of thousands of tasks opens and scrolls without a stall.
 */
@Component({
  selector: 'app-task-list-view',
  imports: [TaskRow, BulkBar, CdkDropList, CdkDrag],
  providers: [SelectionStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    <div class="mb-2 flex flex-wrap items-center gap-2">
      <button
        type="button"
        class="btn-link touch-target"
        [attr.aria-pressed]="selection.active()"
        (click)="selection.setMode(!selection.active())"
      >
        {{ selection.active() ? 'Done selecting' : 'Select' }}
      </button>
      @if (selection.active()) {
        <button type="button" class="btn-link touch-target" (click)="selectAll()">
          Select all in view ({{ order().length }})
        </button>
      }
    </div>
    @if (selection.active()) {
      <app-bulk-bar class="sticky top-0 z-10 mb-2" [tasks]="selectedTasks()" (finished)="afterBulk()" />
    }
    @for (group of shown(); track group.id) {
      <section class="mb-4" [attr.aria-labelledby]="'group-' + group.id" [style.margin-left.rem]="(group.depth ?? 0) * 1">
        <h2
          [id]="'group-' + group.id"
          class="flex items-center gap-2 border-b border-slate-300 pb-1 text-sm font-semibold dark:border-slate-700"
          [class.text-red-700]="group.tone === 'overdue'"
          [class.dark:text-red-300]="group.tone === 'overdue'"
          data-testid="group-heading"
        >
          @if (group.collapsible) {
            <button
              type="button"
              class="touch-target -ml-2 flex items-center gap-1"
              [attr.aria-expanded]="!group.collapsed"
              [attr.aria-controls]="'items-' + group.id"
              (click)="toggleGroup(group.id)"
            >
              <span aria-hidden="true">{{ group.collapsed ? '▸' : '▾' }}</span> {{ group.label }}
              <span class="font-normal text-slate-600 dark:text-slate-400">{{ group.total }}</span>
            </button>
          } @else {
            <span>{{ group.label }}</span>
            <span class="font-normal text-slate-600 dark:text-slate-400">{{ group.total }}</span>
          }
        </h2>
        @if (!group.collapsed) {
          <div
            role="list"
            [id]="'items-' + group.id"
            [attr.aria-labelledby]="'group-' + group.id"
            cdkDropList
            [cdkDropListData]="group"
            [cdkDropListSortingDisabled]="!orderable()"
            [cdkDropListConnectedTo]="dropTargets()"
            (cdkDropListDropped)="dropped($any($event))"
            (focusin)="onFocusIn($event)"
          >
            @for (item of group.items; track item.task.id) {
              <app-task-row
                cdkDrag
                [cdkDragData]="item.task"
                [cdkDragDisabled]="pendingIds().has(item.task.id)"
                [task]="item.task"
                [depth]="item.depth"
                [today]="today()"
                [projectName]="showProject() ? projects.name(item.task.project_id) : null"
                [focused]="focusedId() === item.task.id"
                [selecting]="selection.active()"
                [selected]="selection.ids().has(item.task.id)"
                [pending]="pendingIds().has(item.task.id)"
                [draggable]="true"
                [orderable]="orderable()"
                [message]="actions.rowMessages()[item.task.id]"
                (doneToggle)="complete(item.task)"
                (opened)="open(item.task)"
                (selectToggle)="select(item.task, $event)"
                (rowCommand)="command(item.task, $event)"
              />
            }
          </div>
        }
      </section>
    }
    @if (hidden() > 0) {
      <div #sentinel class="py-4 text-center text-sm text-slate-600 dark:text-slate-400" role="status">
        Showing {{ order().length - hidden() }} of {{ order().length }} tasks…
      </div>
    }
  `,
})
export class TaskListView {
  readonly groups = input.required<TaskGroup[]>();
  readonly today = input.required<string>();
  readonly showProject = input(true);
  /** Manual order applies (a project): rows can be moved and nested. */
  readonly orderable = input(false);
  /** Every task the view holds, for nesting (a subtask's parent may be collapsed away). */
  readonly allTasks = input<readonly Task[]>([]);

  protected readonly selection = inject(SelectionStore);
  protected readonly actions = inject(TaskActions);
  protected readonly projects = inject(ProjectsStore);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly injector = inject(Injector);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);

  protected readonly focusedId = signal<string | null>(null);
  private readonly toggled = signal<ReadonlyMap<string, boolean>>(new Map());
  private readonly limit = signal(RENDER_CHUNK);
  /** A row to focus once it is drawn (see focusRow). */
  private pendingFocus: string | null = null;
  private readonly sentinel = viewChild<ElementRef<HTMLElement>>('sentinel');
  protected readonly pendingIds = this.actions.pending;

  /** Collapsed state: the user's choice, else the group's default. */
  private readonly visibleGroups = computed(() =>
    this.groups().map((g) => ({
      ...g,
      collapsible: g.collapsed !== undefined,
      collapsed: this.toggled().get(g.id) ?? g.collapsed ?? false,
      total: g.items.length,
    })),
  );
  /** Every row a person can reach, in order (collapsed groups left out). */
  private readonly items = computed(() =>
    this.visibleGroups().flatMap((g) => (g.collapsed ? [] : g.items)),
  );
  protected readonly order = computed(() => this.items().map((i) => i.task.id));
  /** The groups cut at the render limit. */
  protected readonly shown = computed(() => {
    let left = this.limit();
    return this.visibleGroups().map((g) => {
      if (g.collapsed) return g;
      const items = g.items.slice(0, Math.max(0, left));
      left -= items.length;
      return { ...g, items };
    });
  });
  protected readonly hidden = computed(() => Math.max(0, this.items().length - this.limit()));
  protected readonly selectedTasks = computed(() => {
    const ids = this.selection.ids();
    return this.items().map((i) => i.task).filter((t) => ids.has(t.id));
  });
  protected readonly dropTargets = computed(() => [
    ...this.groups().map((g) => `items-${g.id}`),
    ...this.projects.projects().map((p) => projectDropId(p.id)),
  ]);

  constructor() {
    const shortcuts = inject(Shortcuts);
    const unregister = shortcuts.register([
      { keys: 'j', description: 'Next task', run: () => this.step(1) },
      { keys: 'ArrowDown', description: 'Next task', run: () => this.step(1), when: onRow },
      { keys: 'k', description: 'Previous task', run: () => this.step(-1) },
      { keys: 'ArrowUp', description: 'Previous task', run: () => this.step(-1), when: onRow },
      { keys: 'Enter', description: 'Open the task', run: () => this.withFocused((t) => this.open(t)), when: onRow },
      { keys: 'e', description: 'Edit the title', run: () => this.withFocused((t) => this.open(t, 'title')) },
      { keys: 'c', description: 'Complete (or reopen)', run: () => this.withFocused((t) => this.complete(t)) },
      { keys: 'Space', description: 'Complete (or reopen)', run: () => this.withFocused((t) => this.complete(t)), when: onRow },
      { keys: 'x', description: 'Select', run: () => this.withFocused((t) => this.select(t, false)) },
      { keys: 'Delete', description: 'Delete', run: () => this.withFocused((t) => this.remove(t)) },
      { keys: 'Alt+ArrowUp', description: 'Move up', run: () => this.withFocused((t) => this.command(t, 'up')) },
      { keys: 'Alt+ArrowDown', description: 'Move down', run: () => this.withFocused((t) => this.command(t, 'down')) },
      { keys: 'Alt+ArrowRight', description: 'Make a subtask of the task above', run: () => this.withFocused((t) => this.command(t, 'indent')) },
      { keys: 'Alt+ArrowLeft', description: 'Move out of its parent', run: () => this.withFocused((t) => this.command(t, 'outdent')) },
      { keys: 'Escape', description: 'Clear the selection', run: () => this.selection.clear() },
    ]);
    inject(DestroyRef).onDestroy(unregister);

    // Rows that left the view leave the selection, and focus stays on a row that exists.
    effect(() => {
      const order = this.order();
      untracked(() => {
        this.selection.retain(order);
        const focused = this.focusedId();
        if (focused === null || !order.includes(focused)) this.focusedId.set(order[0] ?? null);
        const pending = this.pendingFocus;
        if (pending !== null && order.includes(pending)) {
          this.pendingFocus = null;
          afterNextRender(() => this.focusDrawn(pending), { injector: this.injector });
        }
      });
    });

    // Draw more rows once the end of what is drawn comes into view.
    let observer: IntersectionObserver | undefined;
    effect((onCleanup) => {
      const el = this.sentinel()?.nativeElement;
      if (!el || typeof IntersectionObserver === 'undefined') return;
      observer = new IntersectionObserver((entries) => {
        if (entries.some((e) => e.isIntersecting)) this.limit.update((n) => n + RENDER_CHUNK * 2);
      }, { rootMargin: '800px' });
      observer.observe(el);
      onCleanup(() => observer?.disconnect());
    });
  }

  protected toggleGroup(id: string): void {
    const group = this.visibleGroups().find((g) => g.id === id);
    if (!group) return;
    this.toggled.update((map) => new Map(map).set(id, !group.collapsed));
  }

  protected onFocusIn(event: FocusEvent): void {
    const row = (event.target as HTMLElement).closest<HTMLElement>('[data-task-id]');
    if (row) this.focusedId.set(row.dataset['taskId'] ?? null);
    this.pendingFocus = null;
  }

  protected open(task: Task, focus?: 'title'): void {
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { task: task.id, focus: focus ?? null },
      queryParamsHandling: 'merge',
    });
  }

  protected complete(task: Task): void {
    if (this.pendingIds().has(task.id)) return;
    const next = this.neighbour(task.id);
    this.actions.toggleDone(task, () => this.focusRow(task.id)).subscribe(() => this.refocus(task.id, next));
  }

  protected remove(task: Task): void {
    const next = this.neighbour(task.id);
    this.actions.remove(task, () => this.focusRow(task.id)).subscribe({
      next: () => this.refocus(task.id, next),
      error: () => undefined,
    });
  }

  protected select(task: Task, range: boolean): void {
    if (range) this.selection.extendTo(task.id, this.order());
    else this.selection.toggle(task.id);
  }

  protected selectAll(): void {
    this.limit.set(Math.max(this.limit(), this.items().length));
    this.selection.selectAll(this.order());
  }

  protected afterBulk(): void {
    this.selection.clear();
    this.focusRow(this.order()[0] ?? null);
  }

  protected command(task: Task, command: RowCommand): void {
    if (command === 'delete') return this.remove(task);
    if (command === 'select') return this.select(task, false);
    if (!this.orderable()) return;
    const items = this.items();
    let change: MoveChange | null = null;
    let message = '';
    switch (command) {
      case 'up':
      case 'down':
        change = moveBy(items, task, command === 'up' ? -1 : 1);
        message = `Moved “${task.title}” ${command}.`;
        break;
      case 'indent':
        change = indent(items, task);
        message = `“${task.title}” is now a subtask.`;
        break;
      case 'outdent':
        change = outdent(items, this.allTasks(), task);
        message = `“${task.title}” moved out a level.`;
        break;
    }
    if (!change) return;
    this.actions.move(task, change, message).subscribe(() => this.focusRow(task.id));
  }

  protected dropped(event: CdkDragDrop<TaskGroup | unknown, unknown, Task>): void {
    const task = event.item.data;
    const group = event.container.data as TaskGroup;
    if (!this.orderable()) return;
    const sameGroup = event.previousContainer === event.container;
    if (sameGroup && event.previousIndex === event.currentIndex && Math.abs(event.distance.x) < NEST_DISTANCE_PX) return;
    const items = group.items.filter((i) => i.task.id !== task.id);
    const nest = event.distance.x >= NEST_DISTANCE_PX;
    let change = dropAt(items, this.allTasks(), task, event.currentIndex, nest);
    if (change && items.length === 0 && group.id !== task.project_id && this.projects.byId().has(group.id)) {
      change = { ...change, project_id: group.id, parent_id: null };
    }
    if (!change) return;
    const message = change.parent_id && nest ? `“${task.title}” is now a subtask.` : `Moved “${task.title}”.`;
    this.actions.move(task, change, message).subscribe(() => this.focusRow(task.id));
  }

  private withFocused(run: (task: Task) => void): void {
    const id = this.focusedId();
    const task = this.items().find((i) => i.task.id === id)?.task;
    if (task) run(task);
  }

  private step(by: 1 | -1): void {
    const order = this.order();
    if (!order.length) return;
    const active = this.host.nativeElement.contains(document.activeElement)
      ? (document.activeElement as HTMLElement).closest<HTMLElement>('[data-task-id]')?.dataset['taskId']
      : undefined;
    // Coming from outside the list, j or k lands on the row it last had (or the first).
    if (!active) {
      const kept = this.focusedId();
      this.focusRow(kept && order.includes(kept) ? kept : order[0]);
      return;
    }
    const index = order.indexOf(active);
    const next = Math.min(order.length - 1, Math.max(0, index + by));
    if (next >= this.limit()) this.limit.update((n) => n + RENDER_CHUNK);
    this.focusRow(order[next]);
  }

  /** The row focus should move to if `id` leaves the list: the next, else the previous. */
  private neighbour(id: string): string | null {
    const order = this.order();
    const index = order.indexOf(id);
    return order[index + 1] ?? order[index - 1] ?? null;
  }

  /** After an action: keep focus on the row if it is still there, else on its neighbour. */
  private refocus(id: string, fallback: string | null): void {
    afterNextRender(
      () => {
        const active = document.activeElement;
        if (active && active !== document.body && this.host.nativeElement.contains(active)) return;
        this.focusRow(this.order().includes(id) ? id : fallback);
      },
      { injector: this.injector },
    );
  }

  focusRow(id: string | null): void {
    if (id === null) {
      (document.querySelector<HTMLElement>('#main h1') ?? document.getElementById('main'))?.focus();
      return;
    }
    this.focusedId.set(id);
    this.pendingFocus = null;
    // A row already drawn takes focus at once, so the next key press acts on it; and again
    // after the next render, which may have drawn it (an undo) or moved it (moving a focused
    // element in the DOM drops its focus). A row not drawn by then (an undo whose change is
    // still on its way) takes focus when it enters the list, unless the user has moved on.
    this.row(id)?.focus();
    afterNextRender(
      () => {
        const row = this.row(id);
        if (!row) this.pendingFocus = id;
        else if (document.activeElement !== row) row.focus();
      },
      { injector: this.injector },
    );
  }

  private row(id: string): HTMLElement | null {
    return this.host.nativeElement.querySelector<HTMLElement>(`[data-task-id="${id}"]`);
  }

  /** Focuses a row drawn late, unless focus has gone somewhere the user put it meanwhile. */
  private focusDrawn(id: string): void {
    const row = this.row(id);
    const active = document.activeElement;
    const free =
      !active || active === document.body || this.host.nativeElement.contains(active) || !!active.closest('[data-testid=toast]');
    if (row && free && active !== row) row.focus();
  }
}
