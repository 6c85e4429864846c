import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { FormsModule } from '@angular/forms';
import { ApiError, errorMessage } from '../../core/api-error';
import { ApiFieldError, ImportResult } from '../../core/api-models';
import { newIdempotencyKey } from '../../core/idempotency-key';
import { AccountApi, ImportFormat } from './account-api';

type ImportState =
  | { kind: 'idle' }
  | { kind: 'checking' | 'importing' }
  | { kind: 'checked'; result: ImportResult }
  | { kind: 'imported'; result: ImportResult }
  | { kind: 'refused'; message: string; details: readonly ApiFieldError[] };

const FORMATS: { value: ImportFormat; label: string; accept: string }[] = [
  { value: 'json', label: 'Evolution of Todo export (JSON)', accept: '.json,application/json' },
  { value: 'csv', label: 'Evolution of Todo export (CSV)', accept: '.csv,text/csv' },
  { value: 'todoist', label: 'Todoist project export (CSV)', accept: '.csv,text/csv' },
];

@Component({
  selector: 'app-data-page',
  imports: [FormsModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './data-page.html',
})
export class DataPage {
  private readonly api = inject(AccountApi);
  protected readonly formats = FORMATS;
  protected readonly format = signal<ImportFormat>('json');
  protected readonly file = signal<File | null>(null);
  protected readonly state = signal<ImportState>({ kind: 'idle' });
  protected readonly exporting = signal<'json' | 'csv' | null>(null);
  protected readonly exportError = signal<string | null>(null);
  protected readonly accept = computed(() => FORMATS.find((f) => f.value === this.format())?.accept ?? '');
  protected readonly checked = computed(() => {
    const state = this.state();
    return state.kind === 'checked' ? state.result : null;
  });
  /** One key per file checked: pressing Import again after a lost answer creates nothing twice. */
  private importKey = newIdempotencyKey();

  protected download(format: 'json' | 'csv'): void {
    this.exporting.set(format);
    this.exportError.set(null);
    this.api.export(format).subscribe({
      next: ({ blob, filename }) => {
        const url = URL.createObjectURL(blob);
        const link = document.createElement('a');
        link.href = url;
        link.download = filename;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        this.exporting.set(null);
      },
      error: (error: unknown) => {
        this.exporting.set(null);
        this.exportError.set(errorMessage(error));
      },
    });
  }

  protected choose(event: Event): void {
    this.file.set((event.target as HTMLInputElement).files?.[0] ?? null);
    this.state.set({ kind: 'idle' });
    this.importKey = newIdempotencyKey();
  }

  protected setFormat(format: ImportFormat): void {
    this.format.set(format);
    this.state.set({ kind: 'idle' });
  }

  /** A dry run: what the file would create, and every warning; nothing is created. */
  protected check(): void {
    const file = this.file();
    if (!file) return;
    this.state.set({ kind: 'checking' });
    this.api.import(file, this.format(), true).subscribe({
      next: (result) => this.state.set({ kind: 'checked', result }),
      error: (error: unknown) => this.refused(error),
    });
  }

  protected import(): void {
    const file = this.file();
    if (!file) return;
    this.state.set({ kind: 'importing' });
    this.api.import(file, this.format(), false, this.importKey).subscribe({
      next: (result) => this.state.set({ kind: 'imported', result }),
      error: (error: unknown) => this.refused(error),
    });
  }

  /** "3 projects, 1 view and 120 tasks": what an import creates, leaving out what it creates none of. */
  protected counted(result: ImportResult): string {
    const parts = (
      [
        [result.created.projects, 'project'],
        [result.created.views, 'view'],
        [result.created.tasks, 'task'],
      ] as const
    )
      .filter(([n], i) => n > 0 || i === 2)
      .map(([n, noun]) => `${n} ${noun}${n === 1 ? '' : 's'}`);
    return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0];
  }

  private refused(error: unknown): void {
    this.state.set({ kind: 'refused', message: errorMessage(error), details: error instanceof ApiError ? error.details : [] });
  }
}
