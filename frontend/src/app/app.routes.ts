import { Routes } from '@angular/router';
import { authGuard, guestGuard } from './core/auth.guards';

const APP = 'Evolution of Todo';

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: APP,
    loadComponent: () => import('./features/home/home').then((m) => m.Home),
  },
  {
    path: 'login',
    title: `Log in · ${APP}`,
    canActivate: [guestGuard],
    data: { mode: 'login' },
    loadComponent: () => import('./features/auth/auth-page').then((m) => m.AuthPage),
  },
  {
    path: 'signup',
    title: `Sign up · ${APP}`,
    canActivate: [guestGuard],
    data: { mode: 'signup' },
    loadComponent: () => import('./features/auth/auth-page').then((m) => m.AuthPage),
  },
  {
    path: 'dashboard',
    canActivate: [authGuard],
    canActivateChild: [authGuard],
    loadChildren: () => import('./features/tasks/tasks.routes').then((m) => m.TASKS_ROUTES),
  },
  {
    path: 'settings',
    canActivate: [authGuard],
    canActivateChild: [authGuard],
    loadChildren: () => import('./features/settings/settings.routes').then((m) => m.SETTINGS_ROUTES),
  },
  {
    path: '**',
    title: `Page not found · ${APP}`,
    loadComponent: () => import('./features/not-found/not-found').then((m) => m.NotFound),
  },
];
