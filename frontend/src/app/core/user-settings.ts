import { HttpClient, HttpContext } from '@angular/common/http';
import {
  DestroyRef,
  Injectable,
  InjectionToken,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { Observable, tap } from 'rxjs';
import { zonedNow } from '../quick-add/calendar';
import { API_BASE_URL } from './api-base-url';
import { User } from './api-models';
import { AuthService } from './auth.service';
import { BACKGROUND_REQUEST } from './loading.service';
import { Toasts } from './toasts';

/** The current instant; tests pin it. */
export const NOW = new InjectionToken<() => Date>('NOW', {
  providedIn: 'root',
  factory: () => () => new Date(),
});

/** The zone this browser is in, e.g. 'Europe/Berlin'. */
export const BROWSER_TIME_ZONE = new InjectionToken<string>('BROWSER_TIME_ZONE', {
  providedIn: 'root',
  factory: () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
});

/** Set once the browser's zone has been offered to this user, so it is offered only once. */
export const ZONE_OFFERED_KEY = 'eot.zone-offered.';
const DEFAULT_ZONE = 'UTC';
/** "Today" is looked at again this often, so it turns over at midnight without a reload. */
const CLOCK_TICK_MS = 30_000;

/**
 * The signed-in user as the API has them now (GET /auth/me), their time zone, and "today" in
 * that zone. Every date the web app groups or flags (Today, Upcoming, overdue) is computed in
 * the user's zone, not the browser's: a laptop in another country still shows the user's day.
 */
@Injectable({ providedIn: 'root' })
export class UserSettings {
  private readonly http = inject(HttpClient);
  private readonly url = `${inject(API_BASE_URL)}/auth/me`;
  private readonly auth = inject(AuthService);
  private readonly toasts = inject(Toasts);
  private readonly now = inject(NOW);
  private readonly browserZone = inject(BROWSER_TIME_ZONE);
  private readonly tick = signal(0);

  /** The session's user, kept current by GET /auth/me here and by the account pages. */
  readonly user = this.auth.user;
  readonly timeZone = computed(() => this.user()?.time_zone ?? DEFAULT_ZONE);
  /** YYYY-MM-DD in the user's zone. */
  readonly today = computed(() => {
    this.tick();
    return zonedNow(this.now(), this.timeZone()).date;
  });

  constructor() {
    const userId = computed(() => this.auth.user()?.id ?? null);
    effect(() => {
      const id = userId();
      untracked(() => {
        if (id) this.load();
      });
    });
    const timer = setInterval(() => this.tick.update((n) => n + 1), CLOCK_TICK_MS);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  setTimeZone(timeZone: string): Observable<User> {
    return this.http.patch<User>(this.url, { time_zone: timeZone }).pipe(tap((user) => this.auth.updateUser(user)));
  }

  private load(): void {
    this.http
      .get<User>(this.url, { context: new HttpContext().set(BACKGROUND_REQUEST, true) })
      .subscribe({
        next: (user) => {
          this.auth.updateUser(user);
          this.offerBrowserZone(user);
        },
        // The shell works with the zone from sign-in; a 401 is handled by the interceptor.
        error: () => undefined,
      });
  }

  /**
   * A new account starts in UTC. When this browser is elsewhere, its zone is taken once, on
   * the first sign-in here, so "today" is the user's today from the start; the toast says
   * so and undoes it. Someone who later picks UTC on purpose is not overruled: it happens once.
   */
  private offerBrowserZone(user: User): void {
    const key = ZONE_OFFERED_KEY + user.id;
    if (user.time_zone !== DEFAULT_ZONE || this.browserZone === DEFAULT_ZONE) return;
    try {
      if (localStorage.getItem(key)) return;
      localStorage.setItem(key, '1');
    } catch {
      return;
    }
    this.setTimeZone(this.browserZone).subscribe({
      next: () =>
        this.toasts.show({
          message: `Your time zone is now ${this.browserZone}, as on this device.`,
          undo: () => this.setTimeZone(DEFAULT_ZONE),
        }),
      error: () => undefined,
    });
  }
}
