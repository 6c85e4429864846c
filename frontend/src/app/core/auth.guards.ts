import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

/** Where a signed-in person starts. */
export const HOME_URL = '/today';

/**
 * Keeps signed-out users out; they log in and come back to the URL they asked for. On the
 * first navigation it waits for the session the browser may still have (the refresh cookie).
 */
export const authGuard: CanActivateFn = async (_route, state) => {
  const auth = inject(AuthService);
  const router = inject(Router);
  await auth.ready;
  if (auth.isSignedIn()) return true;
  return router.createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Signed-in users have no business on /login or /signup. */
export const guestGuard: CanActivateFn = async () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  await auth.ready;
  if (!auth.isSignedIn()) return true;
  return router.createUrlTree([HOME_URL]);
};

/** The home page is for visitors; a signed-in person goes straight to their day. */
export const homeGuard: CanActivateFn = async () => {
  const auth = inject(AuthService);
  const router = inject(Router);
  await auth.ready;
  if (!auth.isSignedIn()) return true;
  return router.createUrlTree([HOME_URL]);
};
