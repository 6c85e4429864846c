import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { DOCUMENT, inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, finalize, switchMap, throwError } from 'rxjs';
import { API_BASE_URL, isApiUrl } from './api-base-url';
import { toApiError } from './api-error';
import { AuthService, CREDENTIAL_CHECK } from './auth.service';
import { urlInView } from './return-url';
import { BACKGROUND_REQUEST, LoadingService } from './loading.service';

function targetsApi(req: HttpRequest<unknown>): boolean {
  return isApiUrl(req.url, inject(API_BASE_URL), inject(DOCUMENT).baseURI);
}

/** The session routes: authenticated by credentials or the refresh cookie, never by the bearer token. */
const SESSION_PATHS = ['/auth/login', '/auth/signup', '/auth/refresh', '/auth/logout'];

function isSessionRoute(req: HttpRequest<unknown>): boolean {
  const path = new URL(req.url, 'http://x').pathname;
  return SESSION_PATHS.some((p) => path.endsWith(p));
}

const withToken = (req: HttpRequest<unknown>, token: string | null) =>
  token ? req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : req;

/**
 * Adds the bearer token, and only to requests for the API's origin. A token about to expire
 * is refreshed first (the request waits for it), so none goes out stale.
 */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!targetsApi(req) || isSessionRoute(req)) return next(req);
  return inject(AuthService)
    .accessToken()
    .pipe(switchMap((token) => next(withToken(req, token))));
};

/** Counts the request in the global progress indicator while it runs. */
export const loadingInterceptor: HttpInterceptorFn = (req, next) => {
  if (req.context.get(BACKGROUND_REQUEST)) return next(req);
  const loading = inject(LoadingService);
  loading.start();
  return next(req).pipe(finalize(() => loading.stop()));
};

/**
 * Turns every HTTP failure into an ApiError. A 401 from the API first refreshes the session
 * and sends the request once more; only if that fails too has the session ended: then the
 * user goes to log in, and back to where they were.
 */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  const isApi = targetsApi(req);
  const auth = inject(AuthService);
  const router = inject(Router);
  const sessionEnded = () => {
    auth.end();
    const current = urlInView(router);
    if (!current.startsWith('/login') && !current.startsWith('/signup')) {
      void router.navigate(['/login'], { queryParams: { returnUrl: current === '/' ? null : current } });
    }
  };
  const fail = (error: unknown) =>
    throwError(() => (error instanceof HttpErrorResponse ? toApiError(error) : error));
  return next(req).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      const refreshable = isApi && error.status === 401 && !isSessionRoute(req) && !req.context.get(CREDENTIAL_CHECK);
      if (!refreshable) return fail(error);
      return auth.refresh().pipe(
        switchMap((token) => {
          if (!token) {
            sessionEnded();
            return fail(error);
          }
          return next(withToken(req, token)).pipe(
            catchError((again: unknown) => {
              if (again instanceof HttpErrorResponse && again.status === 401) sessionEnded();
              return fail(again);
            }),
          );
        }),
      );
    }),
  );
};
