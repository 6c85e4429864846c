import { HttpContextToken } from '@angular/common/http';
import { Injectable, computed, signal } from '@angular/core';

/**
 * Marks a request the user did not ask for (a live refresh, the event-stream ticket): the
 * progress bar would otherwise flicker every time another device changes a task.
 */
export const BACKGROUND_REQUEST = new HttpContextToken<boolean>(() => false);

/** Counts requests in flight so the shell can show one progress indicator. */
@Injectable({ providedIn: 'root' })
export class LoadingService {
  private readonly inFlight = signal(0);
  readonly active = computed(() => this.inFlight() > 0);

  start(): void {
    this.inFlight.update((n) => n + 1);
  }

  stop(): void {
    this.inFlight.update((n) => Math.max(0, n - 1));
  }
}
