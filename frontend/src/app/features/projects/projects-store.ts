import { DestroyRef, Injectable, computed, effect, inject, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { Observable, tap } from 'rxjs';
import { CreateProjectInput, Project, UpdateProjectInput } from '../../core/api-models';
import { AuthService } from '../../core/auth.service';
import { ProjectTasksChoice, ProjectsApi } from '../../core/projects-api';
import { TaskEvents } from '../../core/task-events';

/** Projects nest at most this deep (the API's rule). */
export const MAX_PROJECT_DEPTH = 3;

/** A project in the sidebar's tree, in order, with how deep it sits (0 = top level). */
export interface ProjectNode {
  project: Project;
  depth: number;
  /** Its own open tasks and those of every sub-project. */
  openTotal: number;
}

function byPosition(a: Project, b: Project): number {
  return a.position - b.position || a.name.localeCompare(b.name);
}

/** The projects as the sidebar lists them: the Inbox first, then each parent before its children. */
export function projectTree(projects: readonly Project[]): ProjectNode[] {
  const children = new Map<string | null, Project[]>();
  for (const project of projects) {
    const key = project.parent_id ?? null;
    children.set(key, [...(children.get(key) ?? []), project]);
  }
  const out: ProjectNode[] = [];
  const total = (project: Project): number =>
    project.open_task_count +
    (children.get(project.id) ?? []).reduce((sum, child) => sum + total(child), 0);
  const walk = (parent: string | null, depth: number) => {
    const level = [...(children.get(parent) ?? [])].sort(
      (a, b) => Number(b.is_inbox) - Number(a.is_inbox) || byPosition(a, b),
    );
    for (const project of level) {
      out.push({ project, depth, openTotal: total(project) });
      walk(project.id, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Ids of a project and all its sub-projects. */
export function subtreeIds(projects: readonly Project[], rootId: string): string[] {
  const ids = [rootId];
  for (let i = 0; i < ids.length; i++) {
    for (const p of projects) if (p.parent_id === ids[i]) ids.push(p.id);
  }
  return ids;
}

/** The user's projects, for the sidebar, quick add's +Project and the editor; kept live. */
@Injectable({ providedIn: 'root' })
export class ProjectsStore {
  private readonly api = inject(ProjectsApi);
  private readonly state = signal<{ projects: Project[]; loaded: boolean; error: string | null }>({
    projects: [],
    loaded: false,
    error: null,
  });

  readonly projects = computed(() => this.state().projects);
  readonly loaded = computed(() => this.state().loaded);
  readonly tree = computed(() => projectTree(this.projects()));
  readonly inbox = computed(() => this.projects().find((p) => p.is_inbox) ?? null);
  readonly byId = computed(() => new Map(this.projects().map((p) => [p.id, p])));
  /** For quick add's `+Project`. */
  readonly refs = computed(() => this.projects().map((p) => ({ id: p.id, name: p.name })));

  constructor() {
    const auth = inject(AuthService);
    const userId = computed(() => auth.user()?.id ?? null);
    effect(() => {
      const id = userId();
      untracked(() => {
        this.state.set({ projects: [], loaded: false, error: null });
        if (id) this.load();
      });
    });
    const events = inject(TaskEvents);
    events.projectChanges$.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe((change) => {
      if (change.type === 'project.deleted') this.drop(change.project_id);
      else this.upsert(change.project);
    });
    events.resync$.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe(() => {
      if (userId()) this.load();
    });
  }

  load(): void {
    this.api.list().subscribe({
      next: (projects) => this.state.set({ projects, loaded: true, error: null }),
      error: () => this.state.update((s) => ({ ...s, error: 'Could not load your projects.' })),
    });
  }

  name(id: string): string {
    return this.byId().get(id)?.name ?? 'Unknown project';
  }

  create(input: CreateProjectInput): Observable<Project> {
    return this.api.create(input).pipe(tap((project) => this.upsert(project)));
  }

  update(project: Project, changes: UpdateProjectInput): Observable<Project> {
    return this.api.update(project.id, changes, project.version).pipe(tap((p) => this.upsert(p)));
  }

  remove(project: Project, choice?: ProjectTasksChoice): Observable<void> {
    return this.api.remove(project.id, choice).pipe(tap(() => this.load()));
  }

  private upsert(project: Project): void {
    this.state.update((s) => {
      const shown = s.projects.find((p) => p.id === project.id);
      if (shown && shown.version >= project.version) return s;
      return {
        ...s,
        projects: shown
          ? s.projects.map((p) => (p.id === project.id ? project : p))
          : [...s.projects, project],
      };
    });
  }

  private drop(id: string): void {
    this.state.update((s) => ({ ...s, projects: s.projects.filter((p) => p.id !== id) }));
  }
}
