import { inject } from '@angular/core';
import { CanActivateFn, Router } from '@angular/router';
import { AuthService } from './auth.service';

/** Keeps signed-out users out; they log in and come back to the URL they asked for. */
export const authGuard: CanActivateFn = (_route, state) => {
  if (inject(AuthService).validToken()) return true;
  return inject(Router).createUrlTree(['/login'], { queryParams: { returnUrl: state.url } });
};

/** Signed-in users have no business on /login or /signup. */
export const guestGuard: CanActivateFn = () => {
  if (!inject(AuthService).validToken()) return true;
  return inject(Router).createUrlTree(['/dashboard']);
};
