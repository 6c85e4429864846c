import { HttpErrorResponse, HttpInterceptorFn, HttpRequest } from '@angular/common/http';
import { DOCUMENT, inject } from '@angular/core';
import { Router } from '@angular/router';
import { catchError, finalize, throwError } from 'rxjs';
import { API_BASE_URL, isApiUrl } from './api-base-url';
import { toApiError } from './api-error';
import { AuthService } from './auth.service';
import { urlInView } from './return-url';
import { BACKGROUND_REQUEST, LoadingService } from './loading.service';

function targetsApi(req: HttpRequest<unknown>): boolean {
  return isApiUrl(req.url, inject(API_BASE_URL), inject(DOCUMENT).baseURI);
}

/** Adds the bearer token, and only to requests for the API's origin. */
export const authInterceptor: HttpInterceptorFn = (req, next) => {
  if (!targetsApi(req)) return next(req);
  const token = inject(AuthService).validToken();
  if (!token) return next(req);
  return next(req.clone({ setHeaders: { Authorization: `Bearer ${token}` } }));
};

/** Counts the request in the global progress indicator while it runs. */
export const loadingInterceptor: HttpInterceptorFn = (req, next) => {
  if (req.context.get(BACKGROUND_REQUEST)) return next(req);
  const loading = inject(LoadingService);
  loading.start();
  return next(req).pipe(finalize(() => loading.stop()));
};

/** On these a 401 means wrong credentials, not a lapsed session. */
const CREDENTIAL_PATHS = ['/auth/login', '/auth/signup'];

/**
 * Turns every HTTP failure into an ApiError. A 401 from the API ends the session and
 * sends the user to log in, then back to where they were.
 */
export const errorInterceptor: HttpInterceptorFn = (req, next) => {
  const isApi = targetsApi(req);
  const auth = inject(AuthService);
  const router = inject(Router);
  return next(req).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      const apiError = toApiError(error);
      const path = new URL(req.url, 'http://x').pathname;
      if (isApi && error.status === 401 && !CREDENTIAL_PATHS.some((p) => path.endsWith(p))) {
        auth.clear();
        const current = urlInView(router);
        if (!current.startsWith('/login') && !current.startsWith('/signup')) {
          void router.navigate(['/login'], {
            queryParams: { returnUrl: current === '/' ? null : current },
          });
        }
      }
      return throwError(() => apiError);
    }),
  );
};
