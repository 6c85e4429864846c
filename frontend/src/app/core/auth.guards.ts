import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

/** Where a signed-in person starts. */
export const HOME_URL = '/today';

/** Keeps signed-out users out; they log in and come back to the URL they asked for. */
export const authGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthService).validToken()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Signed-in users have no business on /login or /signup. */
export const guestGuard: CanActivateFn = () => {
  if (!inject(AuthService).validToken()) return true;
  return inject(Router).createUrlTree([HOME_URL]);
};

/** The home page is for visitors; a signed-in person goes straight to their day. */
export const homeGuard: CanActivateFn = () => {
  if (!inject(AuthService).validToken()) return true;
  return inject(Router).createUrlTree([HOME_URL]);
};
