import { CdkDrag, CdkDragDrop, CdkDropList } from '@angular/cdk/drag-drop';
import { ChangeDetectionStrategy, Component, inject, output, signal, viewChild } from '@angular/core';
import { RouterLink, RouterLinkActive } from '@angular/router';
import { Project, SavedView, Task } from '../../core/api-models';
import { AuthService } from '../../core/auth.service';
import { ConfirmDialog } from '../../shared/ui/confirm-dialog';
import { ProjectDialogs } from '../projects/project-dialogs';
import { ProjectsStore } from '../projects/projects-store';
import { TaskActions } from '../tasks/task-actions';
import { projectDropId } from '../tasks/task-list-view';
import { ViewsStore } from '../views/views-store';

/**
 * The app's navigation: Inbox, Today, Upcoming, the projects (nested, with open counts, each
 * a drop target for dragged tasks), saved views, Trash and Settings.
 */
@Component({
  selector: 'app-sidebar',
  imports: [RouterLink, RouterLinkActive, CdkDropList, ProjectDialogs, ConfirmDialog],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'flex h-full flex-col' },
  template: `
    <nav aria-label="Main" class="flex-1 overflow-y-auto px-2 py-3 text-sm">
      <ul class="space-y-0.5">
        @if (projects.inbox(); as inbox) {
          <li
            cdkDropList
            [id]="dropId(inbox.id)"
            [cdkDropListData]="inbox"
            (cdkDropListDropped)="dropped($event)"
            [cdkDropListEnterPredicate]="acceptTasks"
          >
            <a
              class="side-link"
              routerLink="/inbox"
              routerLinkActive="side-active"
              ariaCurrentWhenActive="page"
              aria-describedby="count-inbox"
              (click)="navigated.emit()"
            >
              <span class="flex-1">Inbox</span>
              <span class="side-count" aria-hidden="true">{{ inbox.open_task_count || '' }}</span>
            </a>
            <span class="sr-only" id="count-inbox">{{ inbox.open_task_count }} open</span>
          </li>
        }
        <li>
          <a class="side-link" routerLink="/today" routerLinkActive="side-active" ariaCurrentWhenActive="page" (click)="navigated.emit()">Today</a>
        </li>
        <li>
          <a class="side-link" routerLink="/upcoming" routerLinkActive="side-active" ariaCurrentWhenActive="page" (click)="navigated.emit()">Upcoming</a>
        </li>
        <li>
          <a class="side-link" routerLink="/tasks" routerLinkActive="side-active" ariaCurrentWhenActive="page" (click)="navigated.emit()">Tasks</a>
        </li>
      </ul>

      <div class="mt-5 flex items-center justify-between px-2">
        <h2 class="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400" id="projects-heading">Projects</h2>
        <button type="button" class="btn-link touch-target-sm" (click)="dialogs().add(null)" aria-label="Add project">+ Add</button>
      </div>
      <ul class="mt-1 space-y-0.5" aria-labelledby="projects-heading" data-testid="project-list">
        @for (node of projects.tree(); track node.project.id) {
          @if (!node.project.is_inbox) {
            <li
              cdkDropList
              [id]="dropId(node.project.id)"
              [cdkDropListData]="node.project"
              (cdkDropListDropped)="dropped($event)"
              class="group relative flex items-center"
              [style.padding-left.rem]="(node.depth) * 0.75"
            >
              <a
                class="side-link min-w-0 flex-1"
                [routerLink]="['/projects', node.project.id]"
                routerLinkActive="side-active"
                ariaCurrentWhenActive="page"
                [attr.aria-describedby]="'count-' + node.project.id"
                (click)="navigated.emit()"
              >
                <span
                  class="size-2.5 shrink-0 rounded-full"
                  [style.background]="node.project.color ?? 'transparent'"
                  [class.border]="!node.project.color"
                  [class.border-slate-500]="!node.project.color"
                  aria-hidden="true"
                ></span>
                <span class="min-w-0 flex-1 truncate">{{ node.project.name }}</span>
                <span class="side-count" aria-hidden="true">{{ node.project.open_task_count || '' }}</span>
              </a>
              <!-- The count describes the link, which is named by the project alone. -->
              <span class="sr-only" [id]="'count-' + node.project.id">{{ node.project.open_task_count }} open</span>
              <button
                type="button"
                class="touch-target-sm flex items-center justify-center rounded text-slate-600 hover:bg-slate-200 dark:text-slate-300 dark:hover:bg-slate-800"
                [attr.aria-label]="'Edit project ' + node.project.name"
                (click)="dialogs().edit(node.project, node.depth)"
              >
                <svg viewBox="0 0 16 16" class="size-4" fill="currentColor" aria-hidden="true"><circle cx="3" cy="8" r="1.4" /><circle cx="8" cy="8" r="1.4" /><circle cx="13" cy="8" r="1.4" /></svg>
              </button>
            </li>
          }
        }
      </ul>

      <div class="mt-5 px-2">
        <h2 class="text-xs font-semibold tracking-wide text-slate-600 uppercase dark:text-slate-400" id="views-heading">Views</h2>
      </div>
      <ul class="mt-1 space-y-0.5" aria-labelledby="views-heading">
        @for (view of views.views(); track view.id) {
          <li class="flex items-center">
            @if (renaming() === view.id) {
              <form class="flex flex-1 gap-1 px-1" (submit)="rename($event, view)">
                <label class="sr-only" [for]="'rename-' + view.id">Name of the view</label>
                <input [id]="'rename-' + view.id" name="name" class="field-input py-1" [value]="view.name" maxlength="100" (keydown.escape)="renaming.set(null)" />
                <button type="submit" class="btn-secondary px-2 py-1">Save</button>
              </form>
            } @else {
              <a class="side-link min-w-0 flex-1" [routerLink]="['/views', view.id]" routerLinkActive="side-active" ariaCurrentWhenActive="page" (click)="navigated.emit()">
                <span class="truncate">{{ view.name }}</span>
              </a>
              <button type="button" class="touch-target-sm btn-link" [attr.aria-label]="'Rename view ' + view.name" (click)="renaming.set(view.id)">Rename</button>
              <button type="button" class="touch-target-sm btn-link" [attr.aria-label]="'Delete view ' + view.name" (click)="viewToDelete.set(view)">Delete</button>
            }
          </li>
        } @empty {
          <li class="px-2 py-1 text-xs text-slate-600 dark:text-slate-400">Filter the task list, then “Save as view”.</li>
        }
      </ul>

      <ul class="mt-5 space-y-0.5 border-t border-slate-200 pt-3 dark:border-slate-800">
        <li><a class="side-link" routerLink="/trash" routerLinkActive="side-active" ariaCurrentWhenActive="page" (click)="navigated.emit()">Trash</a></li>
        <li><a class="side-link" routerLink="/settings" routerLinkActive="side-active" ariaCurrentWhenActive="page" (click)="navigated.emit()">Settings</a></li>
      </ul>
    </nav>
    <div class="border-t border-slate-200 p-3 text-sm dark:border-slate-800">
      <p class="truncate text-slate-700 dark:text-slate-300" data-testid="user-email" [title]="auth.user()?.email ?? ''">{{ auth.user()?.email }}</p>
      <div class="mt-2 flex items-center justify-between gap-2">
        <button type="button" class="btn-secondary" (click)="logout.emit()">Log out</button>
        <button type="button" class="btn-link touch-target-sm" (click)="help.emit()">Shortcuts <kbd class="kbd">?</kbd></button>
      </div>
    </div>
    <app-project-dialogs />
    <app-confirm-dialog
      heading="Delete this view?"
      [open]="viewToDelete() !== null"
      [message]="'“' + (viewToDelete()?.name ?? '') + '” will be deleted. Its tasks are not affected.'"
      (confirmed)="removeView()"
      (cancelled)="viewToDelete.set(null)"
    />
  `,
})
export class Sidebar {
  readonly navigated = output<void>();
  readonly logout = output<void>();
  readonly help = output<void>();

  protected readonly projects = inject(ProjectsStore);
  protected readonly views = inject(ViewsStore);
  protected readonly auth = inject(AuthService);
  private readonly actions = inject(TaskActions);
  protected readonly renaming = signal<string | null>(null);
  protected readonly dialogs = viewChild.required(ProjectDialogs);
  protected readonly viewToDelete = signal<SavedView | null>(null);
  protected readonly dropId = projectDropId;
  protected readonly acceptTasks = (drag: CdkDrag<unknown>) => typeof (drag.data as Task)?.id === 'string';

  /** A task dropped on a project moves there (as a top-level task); the toast undoes it. */
  protected dropped(event: CdkDragDrop<Project, unknown, Task>): void {
    const task = event.item.data;
    const project = event.container.data;
    if (!task || task.project_id === project.id) return;
    this.actions
      .move(task, { project_id: project.id, parent_id: null }, `Moved “${task.title}” to ${project.name}.`)
      .subscribe();
  }

  protected rename(event: Event, view: SavedView): void {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('name') as HTMLInputElement;
    const name = input.value.trim();
    if (!name || name === view.name) {
      this.renaming.set(null);
      return;
    }
    this.views.rename(view, name).subscribe({
      next: () => this.renaming.set(null),
      error: () => input.setAttribute('aria-invalid', 'true'),
    });
  }

  protected removeView(): void {
    const view = this.viewToDelete();
    if (!view) return;
    this.views.remove(view).subscribe({ next: () => this.viewToDelete.set(null) });
  }
}

