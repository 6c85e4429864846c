import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { Router, RouterLink } from '@angular/router';
import { TaskEditor } from './task-editor';

/** A task on a page of its own (a link to it, or "Open as page" from the panel). */
@Component({
  selector: 'app-task-page',
  imports: [TaskEditor, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <a routerLink="/tasks" class="btn-link">← All tasks</a>
    <app-task-editor class="mt-4" [taskId]="id()" [headingLevel]="1" (deleted)="back()" />
  `,
})
export class TaskPage {
  /** The `:id` route parameter. */
  readonly id = input.required<string>();
  private readonly router = inject(Router);

  protected back(): void {
    void this.router.navigate(['/tasks']);
  }
}
