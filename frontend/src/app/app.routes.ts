import { Routes } from '@angular/router';
import { authGuard, guestGuard, homeGuard } from './core/auth.guards';

const APP = 'Evolution of Todo';
const publicLayout = () => import('./features/shell/public-layout').then((m) => m.PublicLayout);

export const routes: Routes = [
  {
    path: '',
    loadComponent: publicLayout,
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: APP,
        canActivate: [homeGuard],
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
    ],
  },
  // Addresses of the first web app, kept working for bookmarks and shared links.
  { path: 'dashboard', pathMatch: 'full', redirectTo: '/today' },
  { path: 'dashboard/tasks', pathMatch: 'full', redirectTo: '/tasks' },
  { path: 'dashboard/tasks/:id', redirectTo: '/tasks/:id' },
  {
    path: '',
    canActivate: [authGuard],
    canActivateChild: [authGuard],
    loadComponent: () => import('./features/shell/shell').then((m) => m.Shell),
    children: [
      {
        path: 'today',
        title: `Today · ${APP}`,
        loadComponent: () => import('./features/tasks/today-page').then((m) => m.TodayPage),
      },
      {
        path: 'upcoming',
        title: `Upcoming · ${APP}`,
        loadComponent: () => import('./features/tasks/upcoming-page').then((m) => m.UpcomingPage),
      },
      {
        path: 'inbox',
        title: `Inbox · ${APP}`,
        loadComponent: () => import('./features/projects/project-page').then((m) => m.ProjectPage),
      },
      {
        path: 'projects/:id',
        title: `Project · ${APP}`,
        loadComponent: () => import('./features/projects/project-page').then((m) => m.ProjectPage),
      },
      {
        path: 'views/:id',
        title: `View · ${APP}`,
        loadComponent: () => import('./features/views/view-page').then((m) => m.ViewPage),
      },
      {
        path: 'tasks',
        title: `Tasks · ${APP}`,
        loadComponent: () => import('./features/tasks/task-list').then((m) => m.TaskList),
      },
      {
        path: 'tasks/:id',
        title: `Task · ${APP}`,
        loadComponent: () => import('./features/tasks/task-page').then((m) => m.TaskPage),
      },
      {
        path: 'trash',
        title: `Trash · ${APP}`,
        loadComponent: () => import('./features/trash/trash-page').then((m) => m.TrashPage),
      },
      {
        path: 'settings',
        loadChildren: () => import('./features/settings/settings.routes').then((m) => m.SETTINGS_ROUTES),
      },
    ],
  },
  {
    path: '',
    loadComponent: publicLayout,
    children: [
      {
        path: '**',
        title: `Page not found · ${APP}`,
        loadComponent: () => import('./features/not-found/not-found').then((m) => m.NotFound),
      },
    ],
  },
];

/** Pages that need a session: when it lapses there, the user is asked to log in again. */
export const SIGNED_IN_PREFIXES = ['/today', '/upcoming', '/inbox', '/projects', '/views', '/tasks', '/trash', '/settings'];
