import { Routes } from '@angular/router';

const APP = 'Evolution of Todo';

/** /settings: one page per part of the account, each loaded when opened. */
export const SETTINGS_ROUTES: Routes = [
  {
    path: '',
    loadComponent: () => import('./settings-layout').then((m) => m.SettingsLayout),
    children: [
      { path: '', pathMatch: 'full', redirectTo: 'profile' },
      { path: 'profile', title: `Profile · ${APP}`, loadComponent: () => import('./profile-page').then((m) => m.ProfilePage) },
      { path: 'password', title: `Password · ${APP}`, loadComponent: () => import('./password-page').then((m) => m.PasswordPage) },
      { path: 'sessions', title: `Sessions · ${APP}`, loadComponent: () => import('./sessions-page').then((m) => m.SessionsPage) },
      { path: 'tokens', title: `API tokens · ${APP}`, loadComponent: () => import('./tokens-page').then((m) => m.TokensPage) },
      { path: 'webhooks', title: `Webhooks · ${APP}`, loadComponent: () => import('./webhooks-page').then((m) => m.WebhooksPage) },
      { path: 'data', title: `Export and import · ${APP}`, loadComponent: () => import('./data-page').then((m) => m.DataPage) },
      { path: 'delete', title: `Delete account · ${APP}`, loadComponent: () => import('./delete-account-page').then((m) => m.DeleteAccountPage) },
    ],
  },
];
