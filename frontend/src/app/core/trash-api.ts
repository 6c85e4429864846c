import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { Task, TrashedTask } from './api-models';

@Injectable({ providedIn: 'root' })
export class TrashApi {
  private readonly http = inject(HttpClient);
  private readonly url = `${inject(API_BASE_URL)}/api/trash`;

  /** Newest first; `total` from X-Total-Count. */
  list(limit = 100, offset = 0): Observable<{ tasks: TrashedTask[]; total: number }> {
    return this.http
      .get<TrashedTask[]>(this.url, { params: { limit, offset }, observe: 'response' })
      .pipe(
        map((response) => {
          const tasks = response.body ?? [];
          const header = Number(response.headers.get('X-Total-Count'));
          return { tasks, total: Number.isFinite(header) && header > 0 ? header : tasks.length };
        }),
      );
  }

  restore(id: string): Observable<Task> {
    return this.http.post<Task>(`${this.url}/${encodeURIComponent(id)}/restore`, null);
  }

  purge(id: string): Observable<void> {
    return this.http.delete<void>(`${this.url}/${encodeURIComponent(id)}`);
  }

  empty(): Observable<void> {
    return this.http.delete<void>(this.url);
  }
}
