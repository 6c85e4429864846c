import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { errorMessage } from '../../core/api-error';
import { BROWSER_TIME_ZONE, UserSettings } from '../../core/user-settings';

/** Every IANA zone the browser knows, or a short list where Intl cannot tell. */
function zones(current: string): string[] {
  const supported = (Intl as { supportedValuesOf?: (key: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  const list = supported.length ? supported : ['UTC', 'Europe/London', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo'];
  return list.includes(current) ? list : [current, ...list];
}

/** The user's time zone: what "today", due dates and repeats are computed in. */
@Component({
  selector: 'app-preferences-page',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <h1 tabindex="-1" class="text-2xl font-semibold outline-none">Settings</h1>
    <section class="card mt-4" aria-labelledby="zone-heading">
      <h2 id="zone-heading" class="text-lg font-semibold">Time zone</h2>
      <p class="mt-1 text-sm text-slate-600 dark:text-slate-300">
        “Today”, due dates and repeating tasks follow this zone, on every device.
      </p>
      <form class="mt-3 flex flex-wrap items-end gap-2" (submit)="save($event)">
        <div>
          <label class="field-label" for="settings-zone">Time zone</label>
          <select id="settings-zone" name="zone" class="field-input w-auto">
            @for (zone of options(); track zone) {
              <option [value]="zone" [selected]="zone === settings.timeZone()">{{ zone }}</option>
            }
          </select>
        </div>
        <button type="submit" class="btn-primary" [disabled]="saving()">Save time zone</button>
      </form>
      <p class="field-hint">This device is in {{ browserZone }}.</p>
      <p class="mt-2 text-sm" role="status">{{ status() }}</p>
    </section>
  `,
})
export class PreferencesPage {
  protected readonly settings = inject(UserSettings);
  protected readonly browserZone = inject(BROWSER_TIME_ZONE);
  protected readonly options = computed(() => zones(this.settings.timeZone()));
  protected readonly saving = signal(false);
  protected readonly status = signal('');

  protected save(event: Event): void {
    event.preventDefault();
    const zone = ((event.target as HTMLFormElement).elements.namedItem('zone') as HTMLSelectElement).value;
    this.saving.set(true);
    this.settings.setTimeZone(zone).subscribe({
      next: () => {
        this.saving.set(false);
        this.status.set('Saved.');
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.status.set(errorMessage(error));
      },
    });
  }
}
