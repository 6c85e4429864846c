import { HttpClient, HttpContext, HttpHeaders, HttpParams } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import { Observable, map } from 'rxjs';
import { API_BASE_URL } from '../../core/api-base-url';
import {
  ApiToken,
  CreateApiTokenInput,
  CreatedApiToken,
  CreatedWebhook,
  CreateWebhookInput,
  ImportResult,
  SessionInfo,
  UpdateMeInput,
  UpdateWebhookInput,
  User,
  Webhook,
  WebhookDelivery,
} from '../../core/api-models';
import { CREDENTIAL_CHECK } from '../../core/auth.service';
import { newIdempotencyKey } from '../../core/idempotency-key';
import { BACKGROUND_REQUEST } from '../../core/loading.service';

export type ImportFormat = 'json' | 'csv' | 'todoist';

/** A 401 on these means a wrong password, not an ended session. */
const passwordChecked = () => ({ context: new HttpContext().set(CREDENTIAL_CHECK, true) });

/** The account routes of the API: profile, password, sessions, tokens, webhooks, export/import. */
@Injectable({ providedIn: 'root' })
export class AccountApi {
  private readonly http = inject(HttpClient);
  private readonly base = inject(API_BASE_URL);

  me(): Observable<User> {
    return this.http.get<User>(`${this.base}/auth/me`);
  }

  updateMe(changes: UpdateMeInput): Observable<User> {
    return this.http.patch<User>(`${this.base}/auth/me`, changes, changes.current_password ? passwordChecked() : {});
  }

  changePassword(currentPassword: string, newPassword: string): Observable<void> {
    return this.http.post<void>(
      `${this.base}/api/me/password`,
      { current_password: currentPassword, new_password: newPassword },
      passwordChecked(),
    );
  }

  deleteAccount(password: string): Observable<void> {
    return this.http.delete<void>(`${this.base}/api/me`, { body: { password }, ...passwordChecked() });
  }

  sessions(): Observable<SessionInfo[]> {
    return this.http.get<SessionInfo[]>(`${this.base}/api/me/sessions`);
  }

  endSession(id: string): Observable<void> {
    return this.http.delete<void>(`${this.base}/api/me/sessions/${encodeURIComponent(id)}`);
  }

  endOtherSessions(): Observable<void> {
    return this.http.delete<void>(`${this.base}/api/me/sessions`);
  }

  tokens(): Observable<ApiToken[]> {
    return this.http.get<ApiToken[]>(`${this.base}/api/me/tokens`);
  }

  createToken(input: CreateApiTokenInput): Observable<CreatedApiToken> {
    return this.http.post<CreatedApiToken>(`${this.base}/api/me/tokens`, input);
  }

  revokeToken(id: string): Observable<void> {
    return this.http.delete<void>(`${this.base}/api/me/tokens/${encodeURIComponent(id)}`);
  }

  webhooks(): Observable<Webhook[]> {
    return this.http.get<Webhook[]>(`${this.base}/api/webhooks`);
  }

  createWebhook(input: CreateWebhookInput): Observable<CreatedWebhook> {
    return this.http.post<CreatedWebhook>(`${this.base}/api/webhooks`, input);
  }

  updateWebhook(id: string, changes: UpdateWebhookInput): Observable<Webhook> {
    return this.http.patch<Webhook>(`${this.base}/api/webhooks/${encodeURIComponent(id)}`, changes);
  }

  deleteWebhook(id: string): Observable<void> {
    return this.http.delete<void>(`${this.base}/api/webhooks/${encodeURIComponent(id)}`);
  }

  /** `background`: a refresh nobody asked for (no progress bar). */
  deliveries(id: string, background = false): Observable<WebhookDelivery[]> {
    return this.http.get<WebhookDelivery[]>(`${this.base}/api/webhooks/${encodeURIComponent(id)}/deliveries`, {
      context: new HttpContext().set(BACKGROUND_REQUEST, background),
    });
  }

  redeliver(id: string, deliveryId: string): Observable<WebhookDelivery> {
    return this.http.post<WebhookDelivery>(
      `${this.base}/api/webhooks/${encodeURIComponent(id)}/deliveries/${encodeURIComponent(deliveryId)}/redeliver`,
      null,
    );
  }

  testWebhook(id: string): Observable<WebhookDelivery> {
    return this.http.post<WebhookDelivery>(`${this.base}/api/webhooks/${encodeURIComponent(id)}/test`, null);
  }

  /** The export as a file: the bytes and the name the server gave it. */
  export(format: 'json' | 'csv'): Observable<{ blob: Blob; filename: string }> {
    return this.http
      .get(`${this.base}/api/me/export`, { params: new HttpParams().set('format', format), responseType: 'blob', observe: 'response' })
      .pipe(
        map((response) => ({
          blob: response.body as Blob,
          filename:
            /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? `evolution-of-todo.${format}`,
        })),
      );
  }

  /** Checks (dryRun) or imports a file. The real import carries an Idempotency-Key, so a retry creates nothing twice. */
  import(file: Blob, format: ImportFormat, dryRun: boolean, idempotencyKey = newIdempotencyKey()): Observable<ImportResult> {
    let params = new HttpParams().set('format', format);
    if (dryRun) params = params.set('dry_run', 'true');
    let headers = new HttpHeaders({ 'Content-Type': format === 'json' ? 'application/json' : 'text/csv' });
    if (!dryRun) headers = headers.set('Idempotency-Key', idempotencyKey);
    return this.http.post<ImportResult>(`${this.base}/api/me/import`, file, { params, headers });
  }
}
