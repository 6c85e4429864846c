import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { RouterLink } from '@angular/router';

export type Layout = 'list' | 'board' | 'calendar';

export function parseLayout(value: string | null | undefined): Layout {
  return value === 'board' || value === 'calendar' ? value : 'list';
}

/** List / Board / Calendar, kept in the URL (?layout=) so a reload shows the same. */
@Component({
  selector: 'app-layout-switch',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <nav aria-label="Layout" class="inline-flex rounded-md border border-slate-300 dark:border-slate-600">
      @for (option of options; track option.value) {
        <a
          class="touch-target flex items-center px-3 text-sm first:rounded-l-md last:rounded-r-md"
          [class]="option.value === current() ? 'bg-indigo-700 text-white dark:bg-indigo-300 dark:text-slate-900' : 'text-slate-800 hover:bg-slate-100 dark:text-slate-100 dark:hover:bg-slate-800'"
          [routerLink]="[]"
          [queryParams]="{ layout: option.value === 'list' ? null : option.value }"
          queryParamsHandling="merge"
          [attr.aria-current]="option.value === current() ? 'page' : null"
          >{{ option.label }}</a
        >
      }
    </nav>
  `,
})
export class LayoutSwitch {
  readonly current = input<Layout>('list');
  protected readonly options: { value: Layout; label: string }[] = [
    { value: 'list', label: 'List' },
    { value: 'board', label: 'Board' },
    { value: 'calendar', label: 'Calendar' },
  ];
}
