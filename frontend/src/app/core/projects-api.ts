import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { CreateProjectInput, Project, UpdateProjectInput } from './api-models';
import { newIdempotencyKey } from './idempotency-key';
import { ifMatch } from './tasks-api';

/** What happens to a non-empty project's tasks when it is deleted (the API never cascades). */
export type ProjectTasksChoice = { tasks: 'trash' } | { tasks: 'move'; to: string };

@Injectable({ providedIn: 'root' })
export class ProjectsApi {
  private readonly http = inject(HttpClient);
  private readonly url = `${inject(API_BASE_URL)}/api/projects`;

  list(): Observable<Project[]> {
    return this.http.get<Project[]>(this.url);
  }

  create(input: CreateProjectInput, idempotencyKey = newIdempotencyKey()): Observable<Project> {
    return this.http.post<Project>(this.url, input, {
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  update(id: string, changes: UpdateProjectInput, version?: number): Observable<Project> {
    return this.http.patch<Project>(`${this.url}/${encodeURIComponent(id)}`, changes, {
      headers: ifMatch(version),
    });
  }

  remove(id: string, choice?: ProjectTasksChoice): Observable<void> {
    const params: Record<string, string> = choice ? { ...choice } : {};
    return this.http.delete<void>(`${this.url}/${encodeURIComponent(id)}`, { params });
  }
}
