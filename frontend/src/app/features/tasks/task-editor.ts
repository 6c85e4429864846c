import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  ElementRef,
  Injector,
  afterNextRender,
  effect,
  inject,
  input,
  output,
  untracked,
} from '@angular/core';
import { ReactiveFormsModule } from '@angular/forms';
import { Title } from '@angular/platform-browser';
import { Shortcuts } from '../../core/shortcuts';
import { ProjectsStore } from '../projects/projects-store';
import { TaskConflict } from './task-conflict';
import { TaskEditorStore } from './task-editor-store';
import { TaskFields } from './task-fields';
import { STATUS_BADGE, STATUS_LABELS } from './task-labels';
import { TaskSubtasks } from './task-subtasks';

/**
 * A task, every field editable, with its subtasks: the body of the side panel and of the
 * full page (/tasks/:id). Its states are TaskEditorStore's; this only shows them.
 */
@Component({
  selector: 'app-task-editor',
  imports: [ReactiveFormsModule, TaskFields, TaskConflict, TaskSubtasks],
  providers: [TaskEditorStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  templateUrl: './task-editor.html',
})
export class TaskEditor {
  readonly taskId = input.required<string>();
  /** 1 on the full page, 2 in the panel. */
  readonly headingLevel = input<1 | 2>(1);
  /** Where focus goes once loaded: the title field (`e`), else the heading. */
  readonly focusField = input<string | null>(null);
  /** The task was deleted here: the host closes. */
  readonly deleted = output<void>();

  protected readonly store = inject(TaskEditorStore);
  protected readonly projects = inject(ProjectsStore);
  protected readonly statusLabels = STATUS_LABELS;
  protected readonly statusBadge = STATUS_BADGE;
  protected readonly projectName = (id: string) => this.projects.name(id);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  constructor() {
    const title = inject(Title);
    effect(() => {
      const id = this.taskId();
      untracked(() => this.store.open(id));
    });
    let focused: string | null = null;
    effect(() => {
      const state = this.store.state();
      if (state.kind === 'deleted') untracked(() => this.deleted.emit());
      const task = this.store.task();
      if (task && this.headingLevel() === 1) title.setTitle(`${task.title} · Evolution of Todo`);
      if (task && focused !== task.id && state.kind === 'editing') {
        focused = task.id;
        const field = untracked(() => this.focusField());
        this.focusOnRender(field === 'title' ? 'edit-title' : 'task-heading');
      }
    });
    effect(() => {
      if (this.store.state().kind === 'conflict') untracked(() => this.focusOnRender('conflict-heading'));
    });

    const shortcuts = inject(Shortcuts);
    const unregister = shortcuts.register([
      { keys: '#', description: 'Tags', run: () => this.focus('edit-tags') },
      { keys: '!', description: 'Priority', run: () => this.focus('edit-priority') },
      { keys: '+', description: 'Project', run: () => this.focus('edit-project_id') },
      { keys: 'e', description: 'Edit the title', run: () => this.focus('edit-title') },
    ]);
    inject(DestroyRef).onDestroy(unregister);
  }

  protected formatTimestamp(iso: string): string {
    return new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  }

  protected save(): void {
    this.store.save();
    if (this.store.form.invalid) this.focusFirstInvalid();
  }

  private focus(id: string): void {
    this.host.nativeElement.querySelector<HTMLElement>(`#${id}`)?.focus();
  }

  private focusOnRender(id: string): void {
    afterNextRender(() => this.focus(id), { injector: this.injector });
  }

  private focusFirstInvalid(): void {
    const field = Object.keys(this.store.form.controls).find(
      (name) => this.store.form.controls[name as keyof typeof this.store.form.controls].invalid,
    );
    if (field) this.focus(`edit-${field}`);
  }
}
