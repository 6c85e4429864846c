import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable } from 'rxjs';
import { API_BASE_URL } from './api-base-url';
import { CreateViewInput, SavedView, UpdateViewInput } from './api-models';
import { newIdempotencyKey } from './idempotency-key';

@Injectable({ providedIn: 'root' })
export class ViewsApi {
  private readonly http = inject(HttpClient);
  private readonly url = `${inject(API_BASE_URL)}/api/views`;

  list(): Observable<SavedView[]> {
    return this.http.get<SavedView[]>(this.url);
  }

  create(input: CreateViewInput, idempotencyKey = newIdempotencyKey()): Observable<SavedView> {
    return this.http.post<SavedView>(this.url, input, {
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  update(id: string, changes: UpdateViewInput): Observable<SavedView> {
    return this.http.patch<SavedView>(`${this.url}/${encodeURIComponent(id)}`, changes);
  }

  remove(id: string): Observable<void> {
    return this.http.delete<void>(`${this.url}/${encodeURIComponent(id)}`);
  }
}
