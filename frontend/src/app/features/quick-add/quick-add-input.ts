import {
  ChangeDetectionStrategy,
  Component,
  ElementRef,
  computed,
  inject,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';
import { Observable, of, switchMap } from 'rxjs';
import { ApiError, errorMessage } from '../../core/api-error';
import { CreateTaskInput, Task } from '../../core/api-models';
import { IdempotencyKeys } from '../../core/idempotency-key';
import { UserSettings } from '../../core/user-settings';
import type * as QuickAdd from '../../quick-add/quick-add';
import { ProjectsStore } from '../projects/projects-store';
import { TaskCreator } from '../tasks/create-task';
import { TITLE_MAX, TITLE_MIN } from '../tasks/task-form';
import { codePoints } from '../tasks/text-length';

type Parser = typeof QuickAdd;

/** What a place that creates tasks fills in unless the words say otherwise. */
export interface QuickAddDefaults {
  project_id?: string;
  due_date?: string;
  parent_id?: string;
}

const CHIP_KIND: Record<string, string> = {
  date: 'Due',
  time: 'At',
  recurrence: 'Repeats',
  tag: 'Tag',
  priority: 'Priority',
  project: 'Project',
};

let nextId = 0;

/**
 * One line that reads plain words ("Water the plants every day at 9am #home !high +Garden")
 * and shows what it understood as chips before saving; removing a chip keeps its words as
 * text. The grammar (with chrono-node) is loaded the first time the field is focused or
 * typed into, so pages that never add a task never pay for it.
 */
@Component({
  selector: 'app-quick-add',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    <form class="relative" [attr.aria-label]="label()" (submit)="submit($event)" novalidate>
      <div class="flex gap-2">
        <label class="sr-only" [for]="inputId">{{ fieldLabel() }}</label>
        <input
          #field
          [id]="inputId"
          class="field-input"
          type="text"
          autocomplete="off"
          enterkeyhint="done"
          role="combobox"
          aria-autocomplete="list"
          [attr.aria-expanded]="suggestions().length > 0"
          [attr.aria-controls]="listId"
          [attr.aria-activedescendant]="suggestions().length ? listId + '-' + active() : null"
          [attr.aria-describedby]="hintId"
          [attr.aria-invalid]="error() ? true : null"
          [placeholder]="placeholder()"
          [value]="text()"
          (focus)="load()"
          (input)="onInput()"
          (click)="onInput()"
          (keydown)="onKeydown($event)"
          (keydown.escape)="field.blur()"
        />
        <button type="submit" class="btn-primary shrink-0" [disabled]="saving()">
          @if (saving()) {
            <span class="spinner" aria-hidden="true"></span>
          }
          {{ buttonLabel() }}
        </button>
      </div>
      @if (suggestions().length) {
        <ul
          [id]="listId"
          role="listbox"
          aria-label="Projects"
          class="absolute z-30 mt-1 w-64 rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          @for (project of suggestions(); track project.id; let i = $index) {
            <li
              [id]="listId + '-' + i"
              role="option"
              class="cursor-pointer px-3 py-2"
              [class.bg-indigo-100]="i === active()"
              [class.dark:bg-indigo-900]="i === active()"
              [attr.aria-selected]="i === active()"
              (mousedown)="$event.preventDefault(); accept(i)"
            >
              {{ project.name }}
            </li>
          }
        </ul>
      }
      <p [id]="hintId" class="sr-only">
        Dates, times and repeats in plain words; #tag, !high, +Project; quote text to keep it as
        typed. What was understood is listed below the field.
      </p>
      @if (chips().length) {
        <ul class="mt-2 flex flex-wrap gap-1.5" aria-label="Understood" data-testid="quick-add-chips">
          @for (chip of chips(); track chip.start) {
            <li
              class="inline-flex items-center gap-1 rounded-full border border-indigo-300 bg-indigo-50 py-0.5 pl-2.5 text-xs text-indigo-900 dark:border-indigo-700 dark:bg-indigo-950 dark:text-indigo-100"
              [attr.data-kind]="chip.kind"
            >
              <span><span class="sr-only">{{ kind(chip.kind) }}: </span>{{ chip.label }}</span>
              <button
                type="button"
                class="touch-target-sm flex items-center justify-center rounded-full hover:bg-indigo-200 dark:hover:bg-indigo-800"
                [attr.aria-label]="'Keep “' + chip.text + '” as text'"
                (click)="dismiss(chip)"
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          }
        </ul>
      }
      @if (error(); as message) {
        <p class="field-error" role="alert">{{ message }}</p>
      }
      <p class="mt-1 text-sm text-emerald-800 dark:text-emerald-300" aria-live="polite">
        {{ added() }}
      </p>
    </form>
  `,
})
export class QuickAddInput {
  readonly defaults = input<QuickAddDefaults>({});
  readonly label = input('Quick add');
  readonly fieldLabel = input('New task');
  readonly buttonLabel = input('Add task');
  readonly placeholder = input('Add a task: “Call Ana tomorrow 5pm #home !high”');
  readonly created = output<Task>();

  private readonly creator = inject(TaskCreator);
  private readonly projects = inject(ProjectsStore);
  private readonly settings = inject(UserSettings);
  private readonly field = viewChild.required<ElementRef<HTMLInputElement>>('field');

  protected readonly inputId = `quick-add-${++nextId}`;
  protected readonly listId = `${this.inputId}-projects`;
  protected readonly hintId = `${this.inputId}-hint`;
  protected readonly text = signal('');
  private readonly caret = signal(0);
  private readonly ignored = signal<QuickAdd.TextSpan[]>([]);
  private readonly parser = signal<Parser | null>(null);
  protected readonly active = signal(0);
  protected readonly saving = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly added = signal('');
  private readonly keys = new IdempotencyKeys();
  private loading: Promise<Parser> | null = null;

  protected readonly result = computed(() => {
    const parser = this.parser();
    if (!parser) return null;
    return parser.parseQuickAdd(
      this.text(),
      {
        timeZone: this.settings.timeZone(),
        locale: navigator.language || 'en-US',
        projects: this.projects.refs(),
      },
      { ignored: this.ignored() },
    );
  });
  protected readonly chips = computed(() => this.result()?.chips ?? []);
  protected readonly suggestions = computed(() => {
    const parser = this.parser();
    if (!parser) return [];
    return parser.suggestProjects(this.text(), this.caret(), this.projects.refs())?.projects ?? [];
  });

  focus(): void {
    this.field().nativeElement.focus();
  }

  /** Fetches the grammar; the first focus starts it, so it is there by the first word. */
  protected load(): Promise<Parser> {
    this.loading ??= import('../../quick-add/quick-add').then((m) => {
      this.parser.set(m);
      return m;
    });
    return this.loading;
  }

  protected onInput(): void {
    const el = this.field().nativeElement;
    const before = this.text();
    const after = el.value;
    const parser = this.parser();
    if (parser && before !== after) this.ignored.set(parser.rebaseIgnored(this.ignored(), before, after));
    this.text.set(after);
    this.caret.set(el.selectionStart ?? after.length);
    this.active.set(0);
    if (this.error()) this.error.set(null);
    void this.load();
  }

  protected onKeydown(event: KeyboardEvent): void {
    const count = this.suggestions().length;
    if (!count) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      this.active.set((this.active() + (event.key === 'ArrowDown' ? 1 : count - 1)) % count);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      event.preventDefault();
      this.accept(this.active());
    }
  }

  /** Puts the chosen project's full name in place of what was typed after `+`. */
  protected accept(index: number): void {
    const parser = this.parser();
    const project = this.suggestions()[index];
    const found = parser?.suggestProjects(this.text(), this.caret(), this.projects.refs());
    if (!project || !found) return;
    const text = this.text();
    const insert = `+${project.name} `;
    const next = text.slice(0, found.start) + insert + text.slice(found.end).replace(/^\S*\s?/, '');
    const el = this.field().nativeElement;
    el.value = next;
    const caret = found.start + insert.length;
    el.setSelectionRange(caret, caret);
    this.ignored.set(parser!.rebaseIgnored(this.ignored(), text, next));
    this.text.set(next);
    this.caret.set(caret);
  }

  protected dismiss(chip: QuickAdd.QuickAddChip): void {
    this.ignored.update((spans) => [...spans, { start: chip.start, end: chip.end }]);
    this.focus();
  }

  protected kind(kind: string): string {
    return CHIP_KIND[kind] ?? kind;
  }

  protected async submit(event: Event): Promise<void> {
    event.preventDefault();
    if (this.saving()) return;
    this.added.set('');
    const parser = await this.load();
    const result = parser.parseQuickAdd(
      this.text(),
      { timeZone: this.settings.timeZone(), locale: navigator.language || 'en-US', projects: this.projects.refs() },
      { ignored: this.ignored() },
    );
    const length = codePoints(result.title);
    if (length < TITLE_MIN) {
      this.error.set(length === 0 ? 'Enter a title.' : `Title must be at least ${TITLE_MIN} characters.`);
      this.focus();
      return;
    }
    if (length > TITLE_MAX) {
      this.error.set(`Title must be at most ${TITLE_MAX} characters.`);
      this.focus();
      return;
    }
    const defaults = this.defaults();
    const body: CreateTaskInput = { ...parser.toCreateBody(result) };
    if (defaults.parent_id) body.parent_id = defaults.parent_id;
    else if (!result.project && defaults.project_id) body.project_id = defaults.project_id;
    if (!body.due_date && defaults.due_date) body.due_date = defaults.due_date;
    const unresolved = result.project && 'unresolved' in result.project ? result.project.unresolved : null;
    this.saving.set(true);
    this.error.set(null);
    const withProject: Observable<CreateTaskInput> = unresolved
      ? this.projectNamed(unresolved).pipe(switchMap((id) => of({ ...body, project_id: id })))
      : of(body);
    const sent = this.text();
    withProject.pipe(switchMap((input) => this.creator.create(input, this.keys))).subscribe({
      next: (task) => {
        this.saving.set(false);
        // Words typed while it was saving belong to the next task: leave them.
        if (this.text() === sent) {
          this.text.set('');
          this.ignored.set([]);
          this.field().nativeElement.value = '';
        }
        this.added.set(`Added “${task.title}”.`);
        this.created.emit(task);
        this.focus();
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.error.set(
          error instanceof ApiError ? (error.fieldMessage('title') ?? error.message) : errorMessage(error),
        );
        this.focus();
      },
    });
  }

  /** `+Name` for a project the user does not have yet: it is made, at the top level. */
  private projectNamed(name: string): Observable<string> {
    const existing = this.projects.projects().find((p) => p.name.toLowerCase() === name.toLowerCase());
    if (existing) return of(existing.id);
    return this.projects.create({ name }).pipe(switchMap((p) => of(p.id)));
  }
}
