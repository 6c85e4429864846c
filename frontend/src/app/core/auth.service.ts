import { HttpClient } from '@angular/common/http';
import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Observable, Subject, map, tap } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { AuthResponse, Credentials, User } from './api-models';

/** What the app keeps between visits. */
export interface StoredSession {
  token: string;
  /** Epoch milliseconds after which the token is no longer sent. */
  expiresAt: number;
  user: User;
}

export const SESSION_STORAGE_KEY = 'eot.session';
/** Every key the app writes starts with this, so log out can clear them all. */
export const STORAGE_PREFIX = 'eot.';

/** Treat a token as expired slightly early so it does not lapse in flight. */
const EXPIRY_MARGIN_MS = 5_000;
/** setTimeout cannot wait longer than a signed 32-bit number of milliseconds. */
const MAX_TIMER_MS = 2_147_483_647;

function readStoredSession(): StoredSession | null {
  try {
    const raw = localStorage.getItem(SESSION_STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Partial<StoredSession>;
    if (
      typeof parsed.token !== 'string' ||
      typeof parsed.expiresAt !== 'number' ||
      typeof parsed.user?.email !== 'string'
    ) {
      return null;
    }
    return parsed as StoredSession;
  } catch {
    return null;
  }
}

@Injectable({ providedIn: 'root' })
export class AuthService {
  private readonly http = inject(HttpClient);
  private readonly apiBaseUrl = inject(API_BASE_URL);
  private readonly state = signal<StoredSession | null>(null);
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly expiredSubject = new Subject<void>();

  readonly session = this.state.asReadonly();
  readonly user = computed(() => this.state()?.user ?? null);
  readonly isSignedIn = computed(() => this.state() !== null);
  /** Emits when a session lapses on its own (not on log out). */
  readonly expired$ = this.expiredSubject.asObservable();

  constructor() {
    this.adopt(readStoredSession());
    // Another tab logging in or out changes this one too.
    const onStorage = (event: StorageEvent) => {
      if (event.key === SESSION_STORAGE_KEY || event.key === null) {
        this.adopt(readStoredSession());
      }
    };
    window.addEventListener('storage', onStorage);
    inject(DestroyRef).onDestroy(() => {
      window.removeEventListener('storage', onStorage);
      clearTimeout(this.expiryTimer);
    });
  }

  signup(credentials: Credentials): Observable<User> {
    return this.http.post<AuthResponse>(`${this.apiBaseUrl}/auth/signup`, credentials).pipe(
      tap((response) => this.store(response)),
      map((response) => response.user),
    );
  }

  login(credentials: Credentials): Observable<User> {
    return this.http.post<AuthResponse>(`${this.apiBaseUrl}/auth/login`, credentials).pipe(
      tap((response) => this.store(response)),
      map((response) => response.user),
    );
  }

  /**
   * The token to send, or null. An expired token is forgotten here, before any request
   * could carry it.
   */
  validToken(): string | null {
    const session = this.state();
    if (!session) return null;
    if (Date.now() >= session.expiresAt - EXPIRY_MARGIN_MS) {
      this.clear();
      this.expiredSubject.next();
      return null;
    }
    return session.token;
  }

  /** Forgets the session and everything else the app stored in this browser. */
  logout(): void {
    this.clear();
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

  /** Drops the session (expired, rejected by the API, or logged out). */
  clear(): void {
    try {
      localStorage.removeItem(SESSION_STORAGE_KEY);
    } catch {
      // See logout().
    }
    this.adopt(null);
  }

  private store(response: AuthResponse): void {
    const session: StoredSession = {
      token: response.access_token,
      expiresAt: Date.now() + response.expires_in * 1000,
      user: response.user,
    };
    try {
      localStorage.setItem(SESSION_STORAGE_KEY, JSON.stringify(session));
    } catch {
      // The session still lives for this tab.
    }
    this.adopt(session);
  }

  private adopt(session: StoredSession | null): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    if (session && Date.now() >= session.expiresAt - EXPIRY_MARGIN_MS) {
      session = null;
      try {
        localStorage.removeItem(SESSION_STORAGE_KEY);
      } catch {
        // See logout().
      }
    }
    this.state.set(session);
    if (session) {
      const delay = Math.min(session.expiresAt - EXPIRY_MARGIN_MS - Date.now(), MAX_TIMER_MS);
      this.expiryTimer = setTimeout(
        () => {
          // A timer capped below the expiry just re-arms itself.
          if (this.validToken()) this.adopt(this.state());
        },
        Math.max(delay, 0),
      );
    }
  }
}
