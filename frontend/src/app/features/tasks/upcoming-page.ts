import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { UserSettings } from '../../core/user-settings';
import { addDays } from '../../quick-add/calendar';
import { QuickAddInput } from '../quick-add/quick-add-input';
import { ListStatus } from './list-status';
import { TaskListView } from './task-list-view';
import { belongsUpcoming, groupUpcoming } from './task-groups';
import { TaskViewStore } from './task-view-store';

/** Upcoming: the next 14 days, a group for each day that has tasks, then Later. */
@Component({
  selector: 'app-upcoming-page',
  imports: [TaskListView, QuickAddInput, ListStatus],
  providers: [TaskViewStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 tabindex="-1" class="text-2xl font-semibold outline-none">Upcoming</h1>
    <app-quick-add class="mt-3" [defaults]="{ due_date: tomorrow() }" placeholder="Add a task: “Dentist next tuesday 10am”" />
    <app-list-status
      [loaded]="store.loaded()"
      [error]="store.error()"
      [empty]="groups().length === 0"
      emptyTitle="Nothing coming up."
      emptyHint="Tasks with a due date after today show here, by day."
      (retry)="store.reload()"
    />
    @if (store.loaded() && groups().length) {
      <app-task-list-view class="mt-4" [groups]="groups()" [today]="settings.today()" />
    }
  `,
})
export class UpcomingPage {
  protected readonly store = inject(TaskViewStore);
  protected readonly settings = inject(UserSettings);
  protected readonly tomorrow = computed(() => addDays(this.settings.today(), 1));
  protected readonly groups = computed(() =>
    groupUpcoming(this.store.tasks(), this.settings.today(), navigator.language || 'en-US'),
  );

  constructor() {
    this.store.watch(() => ({
      params: { status: ['todo', 'in-progress'], due_after: this.tomorrow(), sort: 'due_date' },
      matches: (task) => belongsUpcoming(task, this.settings.today()),
    }));
  }
}
