import { CdkDrag, CdkDragDrop, CdkDropList, CdkDropListGroup } from '@angular/cdk/drag-drop';
import { NgTemplateOutlet } from '@angular/common';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  model,
  output,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import type { Task } from '../../core/api-models';
import { addDays, formatTime, splitDate, type IsoDate } from '../../quick-add/calendar';
import {
  addMonthsToDate,
  calendarEntries,
  isYearMonth,
  jsWeekday,
  monthGrid,
  monthOf,
  todayIn,
  type CalendarEntry,
  type WeekStart,
  type YearMonth,
} from './month-grid';

/** Chips a day shows before "+N more" (which then takes the last row). */
export const DAY_CHIPS = 3;

/** How long a live region stays empty before a message, for screen readers to notice it. */
export const ANNOUNCE_DELAY_MS = 100;

const CHIP_CLASSES = {
  open: 'border-indigo-200 bg-indigo-50 text-indigo-900 dark:border-indigo-800 dark:bg-indigo-950 dark:text-indigo-100',
  done: 'border-slate-200 bg-slate-100 text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300',
  // Dashed and without fill: a date the task will have, not a task.
  projected:
    'border-dashed border-slate-400 bg-transparent text-slate-700 dark:border-slate-500 dark:text-slate-200',
} as const;

/** Where a task is shown: the month grid, the day's list under it on a phone, or the day dialog. */
type Surface = 'grid' | 'agenda' | 'dialog';

interface EntryView {
  readonly key: string;
  readonly task: Task;
  readonly projected: boolean;
  readonly done: boolean;
  readonly time: string | null;
  readonly classes: string;
  /**
   * The chip's name: what it shows, then ', done' or ', projected repeat'. Spelled out
   * rather than left to hidden text, which Chrome would set off from the title by a space.
   */
  readonly label: string;
}

interface DayView {
  readonly date: IsoDate;
  readonly day: number;
  readonly inMonth: boolean;
  readonly isToday: boolean;
  /** "Thursday, December 3". */
  readonly name: string;
  /** What the gridcell's name begins with: "Thursday, December 3, today, 2 tasks". */
  readonly label: string;
  readonly count: number;
  readonly chips: readonly EntryView[];
  readonly more: number;
}

let nextCalendarId = 0;

/**
 * A month of tasks on their due dates, with the repeats of recurring tasks projected. Like
 * the board it changes nothing itself: a task dragged or moved by keyboard to another day is
 * reported as `reschedule`, and shown there once `tasks` says so.
 */
@Component({
  selector: 'app-task-calendar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [CdkDropListGroup, CdkDropList, CdkDrag, NgTemplateOutlet],
  templateUrl: './task-calendar.html',
})
export class TaskCalendar {
  readonly tasks = input.required<readonly Task[]>();
  /** The user's IANA time zone: "today" is computed in it. */
  readonly timeZone = input<string>('UTC');
  /** 'YYYY-MM'; the current month in `timeZone` until set. */
  readonly month = model<string>();
  /** 0 = Sunday, 1 = Monday. */
  readonly weekStart = input<WeekStart>(1);
  /** For weekday and month names; the browser's language when not given. */
  readonly locale = input<string | undefined>(undefined);
  /** The grid's first and last date, whenever they change (and once at the start). */
  readonly rangeChange = output<{ from: string; to: string }>();
  readonly reschedule = output<{ task: Task; due_date: string }>();
  readonly open = output<Task>();

  protected readonly id = `calendar-${++nextCalendarId}`;
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dayDialog');

  // Ticks once a minute so that "today" turns over at midnight in the user's zone.
  private readonly now = signal(new Date());
  protected readonly today = computed(() => todayIn(this.timeZone(), this.now()));
  protected readonly visibleMonth = computed<YearMonth>(() => {
    const month = this.month();
    return isYearMonth(month) ? month : monthOf(this.today());
  });
  private readonly grid = computed(() => monthGrid(this.visibleMonth(), this.weekStart()));
  private readonly range = computed(
    () => ({ from: this.grid()[0], to: this.grid()[this.grid().length - 1] }),
    { equal: (a, b) => a.from === b.from && a.to === b.to },
  );
  private readonly entries = computed(() =>
    calendarEntries(this.tasks(), this.range().from, this.range().to, this.today()),
  );

  /** The day last chosen (by focus, click or keyboard); it only counts while on screen. */
  private readonly chosenDay = signal<IsoDate | null>(null);
  /** The day with tabindex 0 in the grid, and whose tasks the phone layout lists. */
  protected readonly activeDay = computed<IsoDate>(() => {
    const chosen = this.chosenDay();
    if (chosen !== null && this.grid().includes(chosen)) return chosen;
    const today = this.today();
    return monthOf(today) === this.visibleMonth() ? today : `${this.visibleMonth()}-01`;
  });
  /** The day whose "+N more" dialog is open. */
  protected readonly dialogDay = signal<IsoDate | null>(null);
  /** The list item (surface and task id) whose "Move to date…" form is open. */
  protected readonly moveFormFor = signal<string | null>(null);
  /** A task moved by keyboard stays among its new day's chips even when the day is full. */
  private readonly pinned = signal<string | null>(null);
  /** A task moved by keyboard, to be focused once `tasks` shows it on its new day. */
  private pendingFocus: { id: string; date: IsoDate; surface: Surface } | null = null;

  private readonly formats = computed(() => {
    const locale = resolveLocale(this.locale());
    const utc = { timeZone: 'UTC' } as const;
    return {
      locale,
      long: new Intl.DateTimeFormat(locale, {
        ...utc,
        weekday: 'long',
        month: 'long',
        day: 'numeric',
      }),
      title: new Intl.DateTimeFormat(locale, { ...utc, month: 'long', year: 'numeric' }),
      weekdayShort: new Intl.DateTimeFormat(locale, { ...utc, weekday: 'short' }),
      weekdayLong: new Intl.DateTimeFormat(locale, { ...utc, weekday: 'long' }),
    };
  });

  protected readonly title = computed(() =>
    this.formats().title.format(utcDate(`${this.visibleMonth()}-01`)),
  );

  protected readonly weekdays = computed(() => {
    const { weekdayShort, weekdayLong } = this.formats();
    // 2023-01-01 was a Sunday.
    return Array.from({ length: 7 }, (_, i) => {
      const day = utcDate(addDays('2023-01-01', (this.weekStart() + i) % 7));
      return { short: weekdayShort.format(day), long: weekdayLong.format(day) };
    });
  });

  protected readonly weeks = computed<DayView[][]>(() => {
    const entries = this.entries();
    const today = this.today();
    const month = this.visibleMonth();
    const pinned = this.pinned();
    const days = this.grid().map((date): DayView => {
      const list = (entries.get(date) ?? []).map((e) => this.entryView(e));
      let chips = list.length > DAY_CHIPS ? list.slice(0, DAY_CHIPS - 1) : list;
      const pinnedEntry = list.find((e) => !e.projected && e.task.id === pinned);
      if (pinnedEntry && !chips.includes(pinnedEntry)) chips = [...chips.slice(0, -1), pinnedEntry];
      const isToday = date === today;
      return {
        date,
        day: splitDate(date)[2],
        inMonth: monthOf(date) === month,
        isToday,
        name: this.longDate(date),
        label: this.dayLabel(date, isToday, list),
        count: list.length,
        chips,
        more: list.length - chips.length,
      };
    });
    return Array.from({ length: days.length / 7 }, (_, w) => days.slice(w * 7, w * 7 + 7));
  });

  protected readonly agenda = computed(() => this.dayList(this.activeDay()));
  protected readonly dialogList = computed(() => {
    const day = this.dialogDay();
    return day === null ? null : this.dayList(day);
  });

  /**
   * What the live region says. CDK's LiveAnnouncer would do, but it can announce HTML and so
   * brings Angular's HTML sanitizer into the initial bundle (about 3 kB gzipped).
   */
  protected readonly announcement = signal('');
  private announceTimer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const timer = setInterval(() => this.now.set(new Date()), 60_000);
    inject(DestroyRef).onDestroy(() => {
      clearInterval(timer);
      clearTimeout(this.announceTimer);
    });

    effect(() => {
      const range = this.range();
      untracked(() => this.rangeChange.emit(range));
    });

    effect(() => {
      const dialog = this.dialog().nativeElement;
      const open = this.dialogDay() !== null;
      if (open && !dialog.open) {
        if (typeof dialog.showModal === 'function') dialog.showModal();
        else dialog.setAttribute('open', '');
      } else if (!open && dialog.open) {
        if (typeof dialog.close === 'function') dialog.close();
        else dialog.removeAttribute('open');
      }
    });

    // Once the DOM shows the new `tasks` (afterRenderEffect would do, at 2 kB of the
    // initial bundle).
    effect(() => {
      const tasks = this.tasks();
      untracked(() => afterNextRender(() => this.restoreFocus(tasks), { injector: this.injector }));
    });
  }

  protected previousMonth(): void {
    this.showMonth(addMonthsToDate(`${this.visibleMonth()}-01`, -1));
  }

  protected nextMonth(): void {
    this.showMonth(addMonthsToDate(`${this.visibleMonth()}-01`, 1));
  }

  protected goToToday(): void {
    this.month.set(monthOf(this.today()));
    this.chosenDay.set(this.today());
  }

  private showMonth(first: IsoDate): void {
    this.month.set(monthOf(first));
    this.chosenDay.set(null);
  }

  protected chooseDay(date: IsoDate): void {
    this.chosenDay.set(date);
  }

  /**
   * Arrow keys, Home/End and Page Up/Down move between days, as in a date picker; they reach
   * here from the day's chips too.
   */
  protected onDayKeydown(event: KeyboardEvent, date: IsoDate): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const cell = event.currentTarget as HTMLElement;
    const onCell = event.target === cell;
    const offset = (jsWeekday(date) - this.weekStart() + 7) % 7;
    let next: IsoDate;
    switch (event.key) {
      case 'ArrowLeft':
        next = addDays(date, -1);
        break;
      case 'ArrowRight':
        next = addDays(date, 1);
        break;
      case 'ArrowUp':
        next = addDays(date, -7);
        break;
      case 'ArrowDown':
        next = addDays(date, 7);
        break;
      case 'Home':
        next = addDays(date, -offset);
        break;
      case 'End':
        next = addDays(date, 6 - offset);
        break;
      case 'PageUp':
        next = addMonthsToDate(date, event.shiftKey ? -12 : -1);
        break;
      case 'PageDown':
        next = addMonthsToDate(date, event.shiftKey ? 12 : 1);
        break;
      case 'Enter':
      case ' ':
        if (onCell) {
          event.preventDefault();
          this.chosenDay.set(date);
          this.firstShownChip(cell)?.focus();
        }
        return;
      case 'Escape':
        if (!onCell) {
          event.preventDefault();
          cell.focus();
        }
        return;
      default:
        return;
    }
    event.preventDefault();
    // Page Up/Down show the month they go to, even when the day is on screen already.
    const paging = event.key === 'PageUp' || event.key === 'PageDown';
    this.focusDay(next, paging);
  }

  protected onChipKeydown(event: KeyboardEvent, entry: EntryView, surface: Surface): void {
    if (!event.altKey || event.ctrlKey || event.metaKey) return;
    const steps: Record<string, number> = {
      ArrowLeft: -1,
      ArrowRight: 1,
      ArrowUp: -7,
      ArrowDown: 7,
    };
    const step = steps[event.key];
    if (step === undefined) return;
    // Alt+Left/Right are also the browser's Back and Forward.
    event.preventDefault();
    event.stopPropagation();
    if (entry.projected || entry.task.due_date === null) return;
    this.move(entry.task, addDays(entry.task.due_date, step), surface);
  }

  protected dropped(event: CdkDragDrop<IsoDate, IsoDate, Task>): void {
    if (event.previousContainer === event.container) return;
    this.move(event.item.data, event.container.data, null);
  }

  protected openDay(date: IsoDate): void {
    // The dialog's own live region must not open with an old message in it.
    this.announcement.set('');
    this.chosenDay.set(date);
    this.dialogDay.set(date);
  }

  protected closeDay(): void {
    this.dialogDay.set(null);
    this.moveFormFor.set(null);
  }

  protected toggleMoveForm(key: string): void {
    this.moveFormFor.update((open) => (open === key ? null : key));
  }

  protected submitMove(event: Event, task: Task, value: string, surface: Surface): void {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return;
    this.move(task, value, surface);
  }

  private move(task: Task, date: IsoDate, surface: Surface | null): void {
    if (task.due_date === null || task.due_date === date) return;
    this.moveFormFor.set(null);
    if (surface !== null) {
      // The focus follows the task, so the surface it is on follows its new date.
      this.pendingFocus = { id: task.id, date, surface };
      this.pinned.set(task.id);
      this.chosenDay.set(date);
      if (surface === 'dialog') this.dialogDay.set(date);
      if (!this.grid().includes(date)) this.month.set(monthOf(date));
    }
    this.reschedule.emit({ task, due_date: date });
    this.announce(`Moved “${task.title}” to ${this.longDate(date)}.`);
  }

  /** Focuses the task moved by keyboard, once `tasks` shows where it went. */
  private restoreFocus(tasks: readonly Task[]): void {
    const pending = this.pendingFocus;
    if (!pending) return;
    const task = tasks.find((t) => t.id === pending.id);
    if (task && task.due_date !== pending.date) return; // not applied yet, or put back
    this.pendingFocus = null;
    // Only where the focus went away with the old chip: never taken from elsewhere.
    const active = document.activeElement;
    if (task && (!active || active === document.body)) {
      this.chip(task.id, pending.surface)?.focus();
    }
  }

  /** Cleared first and said a moment later, so that the same words twice are read twice. */
  private announce(message: string): void {
    this.announcement.set('');
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => this.announcement.set(message), ANNOUNCE_DELAY_MS);
  }

  private focusDay(date: IsoDate, showMonth: boolean): void {
    const cell = () => this.find('[role="gridcell"]', (c) => c.dataset['date'] === date);
    this.chosenDay.set(date);
    if (showMonth || !this.grid().includes(date)) {
      this.month.set(monthOf(date));
      afterNextRender(() => cell()?.focus(), { injector: this.injector });
    } else {
      // At once, not after the render: the next key may come before it.
      cell()?.focus();
    }
  }

  /** The first chip of a cell that is displayed (on a phone the cell shows a count instead). */
  private firstShownChip(cell: HTMLElement): HTMLElement | undefined {
    const shown = (e: HTMLElement) => (e.checkVisibility ? e.checkVisibility() : true);
    const inCell = Array.from(cell.querySelectorAll<HTMLElement>('[data-chip]')).find(shown);
    if (inCell) return inCell;
    return this.find('[data-surface="agenda"]', shown);
  }

  private chip(id: string, surface: Surface): HTMLElement | undefined {
    return this.find(
      `[data-surface="${surface}"]`,
      (e) => e.dataset['chip'] === id && e.dataset['projected'] !== 'true',
    );
  }

  private find(selector: string, test: (e: HTMLElement) => boolean): HTMLElement | undefined {
    return Array.from(this.host.nativeElement.querySelectorAll<HTMLElement>(selector)).find(test);
  }

  private longDate(date: IsoDate): string {
    return this.formats().long.format(utcDate(date));
  }

  private dayLabel(date: IsoDate, isToday: boolean, list: readonly EntryView[]): string {
    const projected = list.filter((e) => e.projected).length;
    const real = list.length - projected;
    const parts = [this.longDate(date)];
    if (isToday) parts.push('today');
    parts.push(real === 0 ? 'no tasks' : real === 1 ? '1 task' : `${real} tasks`);
    if (projected > 0) parts.push(projected === 1 ? '1 repeat' : `${projected} repeats`);
    return parts.join(', ');
  }

  private dayList(date: IsoDate) {
    return {
      date,
      label: this.longDate(date),
      entries: (this.entries().get(date) ?? []).map((e) => this.entryView(e)),
    };
  }

  private entryView(entry: CalendarEntry): EntryView {
    const { task } = entry;
    const time = task.due_time === null ? null : formatTime(task.due_time, this.formats().locale);
    return {
      key: `${task.id}@${entry.date}`,
      task,
      projected: entry.projected,
      done: task.status === 'done',
      time,
      label: [
        time === null ? '' : `${time} `,
        task.title,
        entry.projected ? ', projected repeat' : task.status === 'done' ? ', done' : '',
      ].join(''),
      classes: entry.projected
        ? CHIP_CLASSES.projected
        : task.status === 'done'
          ? CHIP_CLASSES.done
          : CHIP_CLASSES.open,
    };
  }
}

function utcDate(date: IsoDate): Date {
  const [year, month, day] = splitDate(date);
  return new Date(Date.UTC(year, month - 1, day));
}

function resolveLocale(locale: string | undefined): string {
  const wanted = locale ?? (typeof navigator === 'undefined' ? undefined : navigator.language);
  try {
    return Intl.getCanonicalLocales(wanted ?? 'en-US')[0] ?? 'en-US';
  } catch {
    return 'en-US';
  }
}
