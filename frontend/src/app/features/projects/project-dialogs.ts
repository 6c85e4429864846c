import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  effect,
  inject,
  signal,
  viewChild,
} from '@angular/core';
import { Router } from '@angular/router';
import { ApiError, errorMessage } from '../../core/api-error';
import { Project } from '../../core/api-models';
import { MAX_PROJECT_DEPTH, ProjectsStore, subtreeIds } from './projects-store';

export const PROJECT_COLORS: readonly { value: string; name: string }[] = [
  { value: '#dc2626', name: 'Red' },
  { value: '#ea580c', name: 'Orange' },
  { value: '#ca8a04', name: 'Yellow' },
  { value: '#16a34a', name: 'Green' },
  { value: '#0891b2', name: 'Teal' },
  { value: '#2563eb', name: 'Blue' },
  { value: '#7c3aed', name: 'Purple' },
  { value: '#db2777', name: 'Pink' },
  { value: '#64748b', name: 'Grey' },
];

type Mode =
  | { kind: 'closed' }
  | { kind: 'add'; parent: Project | null }
  | { kind: 'edit'; project: Project; depth: number }
  | { kind: 'delete'; project: Project };

/**
 * Adding, renaming, recolouring and deleting a project, in one native dialog. Deleting a
 * project that holds tasks asks what becomes of them, with the API's two answers: move them
 * to another project, or to the trash. Nothing is ever deleted along silently.
 */
@Component({
  selector: 'app-project-dialogs',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog
      #dialog
      class="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-5 text-slate-900 shadow-xl dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      aria-labelledby="project-dialog-title"
      (cancel)="$event.preventDefault(); close()"
    >
      @switch (mode().kind) {
        @case ('delete') {
          <h2 id="project-dialog-title" class="text-lg font-semibold">Delete “{{ target()?.name }}”?</h2>
          <form class="mt-3 space-y-3" (submit)="confirmDelete($event)">
            @if (hasContent()) {
              <p class="text-sm">It holds tasks or sub-projects. What should happen to them?</p>
              <fieldset class="space-y-2 text-sm">
                <legend class="sr-only">Its tasks</legend>
                <label class="flex items-center gap-2">
                  <input type="radio" name="choice" value="move" [checked]="choice() === 'move'" (change)="choice.set('move')" />
                  Move them to
                </label>
                <label class="sr-only" for="delete-move-to">Project to move them to</label>
                <select id="delete-move-to" name="to" class="field-input" [disabled]="choice() !== 'move'">
                  @for (p of moveTargets(); track p.id) {
                    <option [value]="p.id">{{ p.name }}</option>
                  }
                </select>
                <label class="flex items-center gap-2">
                  <input type="radio" name="choice" value="trash" [checked]="choice() === 'trash'" (change)="choice.set('trash')" />
                  Move them to the trash
                </label>
              </fieldset>
            } @else {
              <p class="text-sm">It is empty.</p>
            }
            @if (error(); as message) {
              <p class="alert-error" role="alert">{{ message }}</p>
            }
            <div class="flex justify-end gap-2">
              <button type="button" class="btn-secondary" (click)="close()">Cancel</button>
              <button type="submit" class="btn-danger" [disabled]="busy()">Delete project</button>
            </div>
          </form>
        }
        @default {
          <h2 id="project-dialog-title" class="text-lg font-semibold">{{ heading() }}</h2>
          <form class="mt-3 space-y-3" (submit)="save($event)" novalidate>
            <div>
              <label class="field-label" for="project-name">Name</label>
              <input id="project-name" name="name" class="field-input" autocomplete="off" [value]="target()?.name ?? ''" required />
            </div>
            <fieldset>
              <legend class="field-label">Colour</legend>
              <div class="flex flex-wrap gap-2">
                <label class="touch-target-sm flex items-center gap-1 text-sm">
                  <input type="radio" name="color" value="" [checked]="!target()?.color" /> None
                </label>
                @for (c of colors; track c.value) {
                  <label class="touch-target-sm flex items-center gap-1 text-sm">
                    <input type="radio" name="color" [value]="c.value" [checked]="target()?.color === c.value" />
                    <span class="size-4 rounded-full" [style.background]="c.value" aria-hidden="true"></span>
                    <span class="sr-only">{{ c.name }}</span>
                  </label>
                }
              </div>
            </fieldset>
            @if (error(); as message) {
              <p class="alert-error" role="alert">{{ message }}</p>
            }
            <div class="flex flex-wrap justify-end gap-2">
              @if (mode().kind === 'edit') {
                @if (canNest()) {
                  <button type="button" class="btn-secondary mr-auto" (click)="add(target())">Add sub-project</button>
                }
                <button type="button" class="btn-danger" (click)="askDelete()">Delete…</button>
              }
              <button type="button" class="btn-secondary" (click)="close()">Cancel</button>
              <button type="submit" class="btn-primary" [disabled]="busy()">Save</button>
            </div>
          </form>
        }
      }
    </dialog>
  `,
})
export class ProjectDialogs {
  private readonly store = inject(ProjectsStore);
  private readonly router = inject(Router);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');
  protected readonly colors = PROJECT_COLORS;
  protected readonly mode = signal<Mode>({ kind: 'closed' });
  protected readonly busy = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly choice = signal<'move' | 'trash'>('move');
  private returnFocus: HTMLElement | null = null;

  protected readonly target = computed(() => {
    const mode = this.mode();
    return mode.kind === 'edit' || mode.kind === 'delete' ? mode.project : null;
  });
  protected readonly heading = computed(() => {
    const mode = this.mode();
    if (mode.kind === 'add') return mode.parent ? `New sub-project of ${mode.parent.name}` : 'New project';
    return 'Edit project';
  });
  protected readonly canNest = computed(() => {
    const mode = this.mode();
    return mode.kind === 'edit' && mode.depth < MAX_PROJECT_DEPTH - 1;
  });
  protected readonly hasContent = computed(() => {
    const project = this.target();
    if (!project) return false;
    return project.open_task_count > 0 || this.store.projects().some((p) => p.parent_id === project.id) || this.forced();
  });
  private readonly forced = signal(false);
  protected readonly moveTargets = computed(() => {
    const project = this.target();
    if (!project) return [];
    const excluded = new Set(subtreeIds(this.store.projects(), project.id));
    return this.store.tree().map((n) => n.project).filter((p) => !excluded.has(p.id));
  });

  constructor() {
    effect(() => {
      const open = this.mode().kind !== 'closed';
      const dialog = this.dialog().nativeElement;
      if (open && !dialog.open) dialog.showModal?.();
      else if (!open && dialog.open) dialog.close?.();
    });
  }

  add(parent: Project | null): void {
    this.open({ kind: 'add', parent });
  }

  edit(project: Project, depth: number): void {
    this.open({ kind: 'edit', project, depth });
  }

  protected askDelete(): void {
    const project = this.target();
    if (project) this.open({ kind: 'delete', project });
  }

  protected close(): void {
    this.mode.set({ kind: 'closed' });
    this.returnFocus?.focus();
  }

  protected save(event: Event): void {
    event.preventDefault();
    const form = event.target as HTMLFormElement;
    const name = (form.elements.namedItem('name') as HTMLInputElement).value.trim();
    const color = (form.querySelector('input[name=color]:checked') as HTMLInputElement | null)?.value || null;
    if (!name) {
      this.error.set('Enter a name.');
      return;
    }
    const mode = this.mode();
    this.busy.set(true);
    const call =
      mode.kind === 'edit'
        ? this.store.update(mode.project, { ...(name !== mode.project.name && { name }), color })
        : this.store.create({ name, color, parent_id: mode.kind === 'add' ? (mode.parent?.id ?? null) : null });
    call.subscribe({
      next: (project) => {
        this.busy.set(false);
        this.close();
        if (mode.kind === 'add') void this.router.navigate(['/projects', project.id]);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        this.error.set(errorMessage(error));
      },
    });
  }

  protected confirmDelete(event: Event): void {
    event.preventDefault();
    const project = this.target();
    if (!project) return;
    const form = event.target as HTMLFormElement;
    const to = (form.elements.namedItem('to') as HTMLSelectElement | null)?.value;
    const choice = this.hasContent()
      ? this.choice() === 'move' && to
        ? ({ tasks: 'move', to } as const)
        : ({ tasks: 'trash' } as const)
      : undefined;
    this.busy.set(true);
    this.store.remove(project, choice).subscribe({
      next: () => {
        this.busy.set(false);
        this.mode.set({ kind: 'closed' });
        void this.router.navigate(choice?.tasks === 'move' ? ['/projects', choice.to] : ['/inbox']);
      },
      error: (error: unknown) => {
        this.busy.set(false);
        // Done tasks are not in the open count: the API says it is not empty after all.
        if (error instanceof ApiError && error.status === 409 && !choice) {
          this.forced.set(true);
          return;
        }
        this.error.set(errorMessage(error));
      },
    });
  }

  private open(mode: Mode): void {
    this.returnFocus ??= document.activeElement as HTMLElement | null;
    if (this.mode().kind === 'closed') this.returnFocus = document.activeElement as HTMLElement | null;
    this.error.set(null);
    this.forced.set(false);
    this.choice.set('move');
    this.mode.set(mode);
  }
}
