import { HttpClient, HttpContext, HttpContextToken, HttpErrorResponse } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Observable, Subject, catchError, defer, finalize, from, map, of, shareReplay, switchMap, tap } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { AuthResponse, Credentials, User } from './api-models';
import { BACKGROUND_REQUEST } from './loading.service';

/** The signed-in session as this tab holds it: in memory only, never in storage. */
export interface Session {
  token: string;
  /** Epoch milliseconds after which the access token is no longer sent. */
  expiresAt: number;
  user: User;
}

/**
 * Marks a request whose 401 means "wrong password" (password change, email change, account
 * deletion): it is shown as such, and neither refreshes the session nor ends it.
 */
export const CREDENTIAL_CHECK = new HttpContextToken<boolean>(() => false);

/** Every key the app writes to storage starts with this, so log out can clear them all. */
export const STORAGE_PREFIX = 'eot.';
/**
 * Set while this browser has a session: no secret, only whether a refresh is worth trying at
 * start-up. Without it a visitor who never signed in would be answered 401 on every page load.
 */
export const SESSION_HINT_KEY = 'eot.has-session';
/**
 * Set when a log out could not reach the server (offline): the refresh cookie then still
 * names a live session, which anyone at this browser could renew. The log out is sent again
 * at the next start, when the network comes back, and before the next sign-in.
 */
export const LOGOUT_PENDING_KEY = 'eot.logout-pending';

/** Refresh this long before the access token expires, so a request never carries a lapsing one. */
const REFRESH_AHEAD_MS = 60_000;
/** A token this close to its expiry is not sent; it is refreshed first. */
const EXPIRY_MARGIN_MS = 5_000;
/** setTimeout cannot wait longer than a signed 32-bit number of milliseconds. */
const MAX_TIMER_MS = 2_147_483_647;
const CHANNEL = 'eot.auth';

type TabMessage = { type: 'signed-in' } | { type: 'signed-out' };

/**
 * The session. The access token (15 minutes) lives in this tab's memory only; the refresh
 * token is an HttpOnly cookie the browser sends to /auth only, which no script can read. So a
 * reload, a new tab or a return after days starts with `POST /auth/refresh`: signed in again
 * without a password for as long as the session is used at least every 30 days. The token is
 * refreshed a minute before it expires, and at once when the API answers 401; concurrent
 * callers share one refresh. Tabs tell each other of sign-ins and sign-outs.
 */
@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly apiBaseUrl = inject(API_BASE_URL);
  private readonly state = signal<Session | null>(null);
  private readonly expiredSubject = new Subject<void>();
  private readonly signedOutSubject = new Subject<string>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight: Observable<string | null> | null = null;
  private readonly channel: BroadcastChannel | null =
    typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL);

  readonly session = this.state.asReadonly();
  readonly user = computed(() => this.state()?.user ?? null);
  readonly isSignedIn = computed(() => this.state() !== null);
  /**
   * Opened with no network for the user last signed in here: no token until the refresh
   * cookie can be used, so nothing reaches the server meanwhile.
   */
  readonly offlineOnly = computed(() => this.state()?.token === '');
  /** The id of the user who logs out in this tab, whose data on this device goes with them. */
  readonly signedOut$ = this.signedOutSubject.asObservable();
  /** Emits when the session ends without this tab logging out (refused, revoked, elsewhere). */
  readonly expired$ = this.expiredSubject.asObservable();
  private restoring: Promise<void> | null = null;

  constructor() {
    const onMessage = (event: MessageEvent<TabMessage>) => {
      if (event.data?.type === 'signed-in' && !this.state()) this.refresh().subscribe();
      if (event.data?.type === 'signed-out' && this.state()) this.end();
    };
    this.channel?.addEventListener('message', onMessage);
    const onOnline = () => void this.finishLogout();
    window.addEventListener('online', onOnline);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('online', onOnline);
      this.channel?.close();
      clearTimeout(this.refreshTimer);
    });
  }

  /**
   * Settles once the session this browser may still have (the refresh cookie) has been looked
   * for: the first read starts the look (the app shell does so at start-up; guards wait for it).
   */
  get ready(): Promise<void> {
    // A microtask later: the request passes interceptors that inject this service.
    this.restoring ??= Promise.resolve().then(() =>
      logoutPending() ? this.finishLogout().then(() => this.restore()) : this.restore(),
    );
    return this.restoring;
  }

  private restore(): Promise<void> | undefined {
    return hasSessionHint()
      ? new Promise<void>((resolve) => this.refresh().subscribe({ complete: resolve, error: () => resolve() }))
      : undefined;
  }

  signup(credentials: Credentials): Observable<User> {
    return this.afterPendingLogout(() => this.http.post<AuthResponse>(`${this.apiBaseUrl}/auth/signup`, credentials)).pipe(
      tap((response) => this.signedIn(response, true)),
      map((response) => response.user),
    );
  }

  login(credentials: Credentials): Observable<User> {
    return this.afterPendingLogout(() => this.http.post<AuthResponse>(`${this.apiBaseUrl}/auth/login`, credentials)).pipe(
      tap((response) => this.signedIn(response, true)),
      map((response) => response.user),
    );
  }

  /**
   * A fresh access token from the refresh cookie; null when there is no session (any more).
   * One request at a time: everyone asking meanwhile shares its answer.
   */
  refresh(): Observable<string | null> {
    this.inFlight ??= this.http
      .post<AuthResponse>(`${this.apiBaseUrl}/auth/refresh`, null, {
        context: new HttpContext().set(BACKGROUND_REQUEST, true),
      })
      .pipe(
        tap((response) => this.signedIn(response, false)),
        map((response) => response.access_token),
        catchError((error: unknown) => {
          const status = error instanceof HttpErrorResponse ? error.status : (error as { status?: number }).status;
          // Refused: the session is over. Anything else (offline, a 503): keep what we have.
          if (status === 401 || status === 403) {
            this.end();
            return of(null);
          }
          if (status === 0 && !this.state()) return from(this.resumeOffline()).pipe(map(() => null));
          return of(this.validToken());
        }),
        finalize(() => (this.inFlight = null)),
        shareReplay(1),
      );
    return this.inFlight;
  }

  /** The token to send: the current one, or a refreshed one when it is about to expire. */
  accessToken(): Observable<string | null> {
    const token = this.validToken();
    if (token) return of(token);
    return this.state() ? this.refresh() : of(null);
  }

  /** The access token if it is still good for a while; null otherwise (never an expired one). */
  validToken(): string | null {
    const session = this.state();
    if (!session || Date.now() >= session.expiresAt - EXPIRY_MARGIN_MS) return null;
    return session.token;
  }

  /** Ends the session on the server (its refresh token dies, its streams close) and here. */
  logout(): Observable<void> {
    const userId = this.state()?.user.id;
    if (userId) this.signedOutSubject.next(userId);
    this.forget();
    this.channel?.postMessage({ type: 'signed-out' } satisfies TabMessage);
    return this.http.post<void>(`${this.apiBaseUrl}/auth/logout`, null).pipe(
      map(() => undefined),
      catchError((error: unknown) => {
        if ((error as { status?: number }).status === 0) setFlag(LOGOUT_PENDING_KEY);
        return of(undefined);
      }),
    );
  }

  /** A sign-in first ends the session a log out made offline left behind. */
  private afterPendingLogout<T>(request: () => Observable<T>): Observable<T> {
    return logoutPending() ? defer(() => this.finishLogout()).pipe(switchMap(request)) : request();
  }

  /** Sends a log out that could not be sent before; settles either way, never fails. */
  private finishLogout(): Promise<void> {
    if (!logoutPending()) return Promise.resolve();
    return new Promise<void>((resolve) =>
      this.http
        .post<void>(`${this.apiBaseUrl}/auth/logout`, null, { context: new HttpContext().set(BACKGROUND_REQUEST, true) })
        .subscribe({
          next: () => undefined,
          complete: () => {
            removeFlag(LOGOUT_PENDING_KEY);
            resolve();
          },
          error: (error: unknown) => {
            // Still out of reach: kept for next time. Any answer at all means it was heard.
            if ((error as { status?: number }).status !== 0) removeFlag(LOGOUT_PENDING_KEY);
            resolve();
          },
        }),
    );
  }

  /** After the server ended the session (401 that a refresh could not cure, a deleted account). */
  end(): void {
    const wasSignedIn = this.state() !== null;
    this.forget();
    if (wasSignedIn) this.expiredSubject.next();
  }

  /** The signed-in user changed (email, time zone). */
  updateUser(user: User): void {
    const session = this.state();
    if (session) this.state.set({ ...session, user });
  }

  /** Adopts a token the API issued (log in, sign up, refresh). */
  signedIn(response: AuthResponse, announce: boolean): void {
    const session: Session = {
      token: response.access_token,
      expiresAt: Date.now() + response.expires_in * 1000,
      user: response.user,
    };
    this.state.set(session);
    setSessionHint();
    clearTimeout(this.refreshTimer);
    const delay = Math.min(Math.max(session.expiresAt - REFRESH_AHEAD_MS - Date.now(), 0), MAX_TIMER_MS);
    this.refreshTimer = setTimeout(() => this.refresh().subscribe(), delay);
    if (announce) this.channel?.postMessage({ type: 'signed-in' } satisfies TabMessage);
  }

  /**
   * No network at start-up: the last user signed in here, on their offline copy, until a
   * refresh works. Who that was is kept in their copy (never a token), not in localStorage.
   */
  private async resumeOffline(): Promise<void> {
    const { lastUser } = await import('./offline/local-db');
    const user = await lastUser().catch(() => null);
    if (user && !this.state()) this.state.set({ token: '', expiresAt: 0, user });
  }

  /** Forgets the session and everything else the app stored in this browser. */
  private forget(): void {
    clearTimeout(this.refreshTimer);
    this.state.set(null);
    try {
      for (let i = localStorage.length - 1; i >= 0; i--) {
        const key = localStorage.key(i);
        if (key?.startsWith(STORAGE_PREFIX)) localStorage.removeItem(key);
      }
      sessionStorage.clear();
    } catch {
      // Storage can be unavailable (private mode); nothing is kept then anyway.
    }
  }
}


function hasSessionHint(): boolean {
  // No storage (private mode): always look.
  return hasFlag(SESSION_HINT_KEY, true);
}

function logoutPending(): boolean {
  return hasFlag(LOGOUT_PENDING_KEY, false);
}

function setSessionHint(): void {
  setFlag(SESSION_HINT_KEY);
}

function hasFlag(key: string, withoutStorage: boolean): boolean {
  try {
    return localStorage.getItem(key) !== null;
  } catch {
    return withoutStorage;
  }
}

function setFlag(key: string): void {
  try {
    localStorage.setItem(key, '1');
  } catch {
    // No storage (private mode): nothing can be remembered.
  }
}

function removeFlag(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // See setFlag.
  }
}
