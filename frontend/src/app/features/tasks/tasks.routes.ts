import { Routes } from '@angular/router';

const APP = 'Evolution of Todo';

/** Everything under /dashboard; the parent route's guard keeps signed-out users out. */
export const TASKS_ROUTES: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: `Dashboard · ${APP}`,
    loadComponent: () => import('./dashboard').then((m) => m.Dashboard),
  },
  {
    path: 'tasks',
    title: `Tasks · ${APP}`,
    loadComponent: () => import('./task-list').then((m) => m.TaskList),
  },
  {
    path: 'tasks/:id',
    title: `Task · ${APP}`,
    loadComponent: () => import('./task-detail').then((m) => m.TaskDetail),
  },
];
