import { ChangeDetectionStrategy, Component, computed, input, signal } from '@angular/core';
import { toObservable, toSignal } from '@angular/core/rxjs-interop';
import { map, startWith, switchMap } from 'rxjs';
import { formatDate } from '../../quick-add/calendar';
import { describeRule, nextDates, recurrencePresets } from '../../quick-add/recurrence';
import { Frequency, formatRRule, makeRule, parseRRule } from '../../quick-add/rrule';
import { TaskFormGroup } from './task-form';

const LOCALE = typeof navigator === 'undefined' ? 'en-US' : navigator.language || 'en-US';
const CUSTOM = '__custom';
const UNITS: { freq: Frequency; label: string }[] = [
  { freq: 'DAILY', label: 'day(s)' },
  { freq: 'WEEKLY', label: 'week(s)' },
  { freq: 'MONTHLY', label: 'month(s)' },
  { freq: 'YEARLY', label: 'year(s)' },
];
const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

interface Custom {
  freq: Frequency;
  interval: number;
  weekdays: number[];
  end: 'never' | 'count' | 'until';
  count: number;
  until: string;
}

/**
 * The repeat rule of a task: the usual presets for its due date (daily, weekdays, weekly on
 * its weekday, monthly on its day, yearly), or a rule built by hand, always shown in words
 * with the next five dates, so what will happen is never a guess.
 */
@Component({
  selector: 'app-recurrence-editor',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { class: 'block' },
  template: `
    <label class="field-label" [for]="idPrefix() + '-repeat'">Repeat</label>
    <select
      class="field-input"
      [id]="idPrefix() + '-repeat'"
      [value]="choice()"
      [disabled]="!dueDate()"
      [attr.aria-describedby]="idPrefix() + '-repeat-summary'"
      (change)="choose($event)"
    >
      <option value="">Does not repeat</option>
      @for (preset of presets(); track preset.id) {
        <option [value]="preset.rrule">{{ preset.label }}</option>
      }
      @if (rrule() && !isPreset()) {
        <option [value]="rrule()">{{ summary() }}</option>
      }
      <option [value]="custom">Custom…</option>
    </select>
    @if (editingCustom()) {
      <fieldset class="mt-2 space-y-2 rounded-md border border-slate-300 p-3 text-sm dark:border-slate-600">
        <legend class="px-1 font-medium">Custom repeat</legend>
        <div class="flex flex-wrap items-center gap-2">
          <label [for]="idPrefix() + '-interval'">Every</label>
          <input [id]="idPrefix() + '-interval'" type="number" min="1" max="999" class="field-input w-20" [value]="draft().interval" (input)="patch({ interval: +$any($event.target).value || 1 })" />
          <label class="sr-only" [for]="idPrefix() + '-unit'">Unit</label>
          <select [id]="idPrefix() + '-unit'" class="field-input w-auto" [value]="draft().freq" (change)="patch({ freq: $any($event.target).value })">
            @for (unit of units; track unit.freq) {
              <option [value]="unit.freq">{{ unit.label }}</option>
            }
          </select>
        </div>
        @if (draft().freq === 'WEEKLY') {
          <div class="flex flex-wrap gap-2" role="group" aria-label="On">
            @for (day of weekdays; track $index) {
              <label class="flex items-center gap-1">
                <input type="checkbox" [checked]="draft().weekdays.includes($index)" (change)="toggleDay($index)" /> {{ day }}
              </label>
            }
          </div>
        }
        <div class="flex flex-wrap items-center gap-2" role="radiogroup" aria-label="Ends">
          <label class="flex items-center gap-1"><input type="radio" [name]="idPrefix() + '-end'" [checked]="draft().end === 'never'" (change)="patch({ end: 'never' })" /> Never</label>
          <label class="flex items-center gap-1"><input type="radio" [name]="idPrefix() + '-end'" [checked]="draft().end === 'count'" (change)="patch({ end: 'count' })" /> After</label>
          <label class="sr-only" [for]="idPrefix() + '-count'">Number of times</label>
          <input [id]="idPrefix() + '-count'" type="number" min="1" max="999" class="field-input w-20" [value]="draft().count" [disabled]="draft().end !== 'count'" (input)="patch({ count: +$any($event.target).value || 1 })" />
          <span>times</span>
          <label class="flex items-center gap-1"><input type="radio" [name]="idPrefix() + '-end'" [checked]="draft().end === 'until'" (change)="patch({ end: 'until' })" /> On</label>
          <label class="sr-only" [for]="idPrefix() + '-until'">Last date</label>
          <input [id]="idPrefix() + '-until'" type="date" class="field-input w-auto" [value]="draft().until" [disabled]="draft().end !== 'until'" (change)="patch({ until: $any($event.target).value })" />
        </div>
      </fieldset>
    }
    <div class="mt-1" [id]="idPrefix() + '-repeat-summary'">
      @if (!dueDate()) {
        <p class="field-hint">Give the task a due date to make it repeat.</p>
      } @else if (rrule()) {
        <p class="text-sm" data-testid="repeat-summary">{{ summary() }}</p>
        @if (next().length) {
          <p class="field-hint" data-testid="repeat-next">Next: {{ next().join(', ') }}</p>
        }
      }
    </div>
    @if (rrule()) {
      <label class="field-label mt-2" [for]="idPrefix() + '-repeat-from'">Next date counts from</label>
      <select class="field-input" [id]="idPrefix() + '-repeat-from'" [value]="from()" (change)="setFrom($event)">
        <option value="due">The due date</option>
        <option value="completion">The day it is completed</option>
      </select>
    }
  `,
})
export class RecurrenceEditor {
  readonly group = input.required<TaskFormGroup>();
  readonly idPrefix = input('edit');

  protected readonly custom = CUSTOM;
  protected readonly units = UNITS;
  protected readonly weekdays = WEEKDAYS;
  private readonly value = toSignal(
    toObservable(this.group).pipe(
      switchMap((g) => g.valueChanges.pipe(startWith(null), map(() => g.getRawValue()))),
    ),
  );
  protected readonly dueDate = computed(() => this.value()?.due_date ?? '');
  protected readonly rrule = computed(() => this.value()?.repeat ?? '');
  protected readonly from = computed(() => this.value()?.repeat_from ?? 'due');
  protected readonly editingCustom = signal(false);
  protected readonly draft = signal<Custom>({ freq: 'WEEKLY', interval: 1, weekdays: [], end: 'never', count: 10, until: '' });

  protected readonly presets = computed(() => (this.dueDate() ? recurrencePresets(this.dueDate(), LOCALE) : []));
  protected readonly isPreset = computed(() => this.presets().some((p) => p.rrule === this.rrule()));
  protected readonly choice = computed(() => (this.editingCustom() ? CUSTOM : this.rrule()));
  protected readonly summary = computed(() => {
    const rrule = this.rrule();
    if (!rrule) return '';
    try {
      return describeRule(rrule, LOCALE, { from: this.from(), time: this.value()?.due_time || undefined });
    } catch {
      return rrule;
    }
  });
  protected readonly next = computed(() => {
    const rrule = this.rrule();
    const due = this.dueDate();
    if (!rrule || !due) return [];
    try {
      const year = Number(due.slice(0, 4));
      return nextDates(rrule, due, 5).map((d) => formatDate(d, LOCALE, { currentYear: year }));
    } catch {
      return [];
    }
  });

  protected choose(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    if (value === CUSTOM) {
      this.editingCustom.set(true);
      this.startDraft();
      this.apply();
      return;
    }
    this.editingCustom.set(false);
    this.group().controls.repeat.setValue(value);
    this.group().controls.repeat.markAsDirty();
  }

  protected patch(change: Partial<Custom>): void {
    this.draft.update((d) => ({ ...d, ...change }));
    this.apply();
  }

  protected toggleDay(day: number): void {
    const days = this.draft().weekdays;
    this.patch({ weekdays: days.includes(day) ? days.filter((d) => d !== day) : [...days, day].sort() });
  }

  protected setFrom(event: Event): void {
    this.group().controls.repeat_from.setValue((event.target as HTMLSelectElement).value as 'due' | 'completion');
  }

  /** Starts the builder from the current rule, or from the due date's weekday. */
  private startDraft(): void {
    try {
      const rule = parseRRule(this.rrule() || 'FREQ=WEEKLY');
      this.draft.set({
        freq: rule.freq,
        interval: rule.interval,
        weekdays: rule.byDay.filter((d) => d.ordinal === undefined).map((d) => d.weekday),
        end: rule.count ? 'count' : rule.until ? 'until' : 'never',
        count: rule.count ?? 10,
        until: rule.until ?? '',
      });
    } catch {
      this.draft.set({ freq: 'WEEKLY', interval: 1, weekdays: [], end: 'never', count: 10, until: '' });
    }
  }

  private apply(): void {
    const d = this.draft();
    const rule = makeRule({
      freq: d.freq,
      interval: Math.max(1, Math.min(999, d.interval)),
      byDay: d.freq === 'WEEKLY' ? d.weekdays.map((weekday) => ({ weekday })) : [],
      ...(d.end === 'count' && { count: Math.max(1, d.count) }),
      ...(d.end === 'until' && d.until && { until: d.until }),
    });
    this.group().controls.repeat.setValue(formatRRule(rule));
    this.group().controls.repeat.markAsDirty();
  }
}
