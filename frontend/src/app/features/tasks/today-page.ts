import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { UserSettings } from '../../core/user-settings';
import { QuickAddInput } from '../quick-add/quick-add-input';
import { ListStatus } from './list-status';
import { TaskListView } from './task-list-view';
import { belongsToday, groupToday } from './task-groups';
import { TaskViewStore } from './task-view-store';

/** Today: what is overdue and what is due today, in the user's time zone. */
@Component({
  selector: 'app-today-page',
  imports: [TaskListView, QuickAddInput, ListStatus],
  providers: [TaskViewStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="flex flex-wrap items-baseline justify-between gap-2">
      <h1 tabindex="-1" class="text-2xl font-semibold outline-none">Today</h1>
      <p class="text-sm text-slate-600 dark:text-slate-400" data-testid="today-date">{{ todayLabel() }}</p>
    </div>
    <app-quick-add class="mt-3" [defaults]="{ due_date: settings.today() }" />
    <app-list-status
      [loaded]="store.loaded()"
      [error]="store.error()"
      [empty]="groups().length === 0"
      emptyTitle="Nothing due today."
      emptyHint="Add a task above; it is due today unless you say otherwise."
      (retry)="store.reload()"
    />
    @if (store.loaded() && groups().length) {
      <app-task-list-view class="mt-4" [groups]="groups()" [today]="settings.today()" />
    }
  `,
})
export class TodayPage {
  protected readonly store = inject(TaskViewStore);
  protected readonly settings = inject(UserSettings);
  protected readonly groups = computed(() => groupToday(this.store.tasks(), this.settings.today()));
  protected readonly todayLabel = computed(() => {
    const [y, m, d] = this.settings.today().split('-').map(Number);
    return new Date(Date.UTC(y, m - 1, d)).toLocaleDateString(undefined, {
      weekday: 'long',
      month: 'long',
      day: 'numeric',
      timeZone: 'UTC',
    });
  });

  constructor() {
    this.store.watch(() => {
      const today = this.settings.today();
      return {
        params: { status: ['todo', 'in-progress'], due_before: today, sort: 'due_date' },
        matches: (task) => belongsToday(task, this.settings.today()),
      };
    });
  }
}
