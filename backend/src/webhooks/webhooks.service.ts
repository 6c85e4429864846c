import { randomBytes } from 'node:crypto';
import { HttpException, HttpStatus, Inject, Injectable, Logger } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { ValidationFailedException } from '../common/api-errors.js';
import type { AuthUser } from '../common/current-user.decorator.js';
import { type ApiTokenScope, grantsScope, InsufficientScopeException } from '../common/scopes.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import type { CreateWebhookDto, UpdateWebhookDto } from './dto/create-webhook.dto.js';
import {
  type CreatedWebhookResponse,
  type DeliveryResponse,
  toDeliveryResponse,
  toWebhookResponse,
  type WebhookResponse,
} from './dto/webhook.response.js';
import { familiesOf } from './event-patterns.js';
import { checkWebhookUrl, RefusedTargetError, resolveWebhookTarget } from './ssrf.js';
import { WebhooksRepository } from './webhooks.repository.js';

export const MAX_WEBHOOKS_PER_USER = 25;
export const DELIVERIES_LISTED = 100;

export class WebhookAccessDeniedException extends HttpException {
  constructor(what: 'webhook' | 'delivery' = 'webhook') {
    super(`Access denied: ${what} not found or not owned by user`, HttpStatus.FORBIDDEN);
  }
}

export class TooManyWebhooksException extends HttpException {
  constructor() {
    super(`At most ${MAX_WEBHOOKS_PER_USER} webhooks per account: delete one first`, HttpStatus.CONFLICT);
  }
}

/** The scope that reads each kind of entity; saved views are read with the tasks scopes (see ViewsController). */
const READ_SCOPE_OF_FAMILY: Record<string, ApiTokenScope> = { task: 'tasks:read', project: 'projects:read', view: 'tasks:read' };

@Injectable()
export class WebhooksService {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly webhooks: WebhooksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(user: AuthUser, dto: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    const events = [...new Set(dto.events)];
    this.checkReadScopes(user, events);
    await this.checkTarget(dto.url);
    if ((await this.webhooks.count(user.id)) >= MAX_WEBHOOKS_PER_USER) throw new TooManyWebhooksException();
    // Standard Webhooks: `whsec_` and a base64 key; 32 random bytes.
    const secret = `whsec_${randomBytes(32).toString('base64')}`;
    const row = await this.webhooks.create(user.id, { url: dto.url, events, description: dto.description ?? null, secret });
    return { ...toWebhookResponse(row), secret };
  }

  async list(userId: string): Promise<WebhookResponse[]> {
    return (await this.webhooks.list(userId)).map(toWebhookResponse);
  }

  async get(userId: string, id: string): Promise<WebhookResponse> {
    const row = await this.webhooks.find(userId, id);
    if (!row) throw new WebhookAccessDeniedException();
    return toWebhookResponse(row);
  }

  async update(user: AuthUser, id: string, dto: UpdateWebhookDto): Promise<WebhookResponse> {
    if (!(await this.webhooks.find(user.id, id))) throw new WebhookAccessDeniedException();
    const events = dto.events ? [...new Set(dto.events)] : undefined;
    if (events) this.checkReadScopes(user, events);
    if (dto.url !== undefined) await this.checkTarget(dto.url);
    const row = await this.webhooks.update(user.id, id, { url: dto.url, events, description: dto.description, enabled: dto.enabled });
    if (!row) throw new WebhookAccessDeniedException();
    return toWebhookResponse(row);
  }

  async remove(userId: string, id: string): Promise<void> {
    if (!(await this.webhooks.delete(userId, id))) throw new WebhookAccessDeniedException();
  }

  async deliveries(userId: string, id: string): Promise<DeliveryResponse[]> {
    if (!(await this.webhooks.find(userId, id))) throw new WebhookAccessDeniedException();
    return (await this.webhooks.listDeliveries(userId, id, DELIVERIES_LISTED)).map(toDeliveryResponse);
  }

  /** Sends a delivery's event again, now, as a new delivery with the same `webhook-id`. */
  async redeliver(userId: string, id: string, deliveryId: string): Promise<DeliveryResponse> {
    if (!(await this.webhooks.find(userId, id))) throw new WebhookAccessDeniedException();
    const row = await this.webhooks.queueDelivery(userId, id, { of: deliveryId });
    if (!row) throw new WebhookAccessDeniedException('delivery');
    return toDeliveryResponse(row);
  }

  /** A `webhook.test` event, signed like any other and tried once; its result shows in the deliveries. */
  async test(userId: string, id: string): Promise<DeliveryResponse> {
    const webhook = await this.webhooks.find(userId, id);
    if (!webhook) throw new WebhookAccessDeniedException();
    const row = await this.webhooks.queueDelivery(userId, id, {
      test: {
        webhook_id: webhook.id, message: 'A test delivery from Evolution of Todo: your endpoint is reachable and can check signatures.',
      },
    });
    if (!row) throw new WebhookAccessDeniedException();
    return toDeliveryResponse(row);
  }

  /**
   * A personal token with the `webhooks` scope may only subscribe to what it
   * could read itself: a webhook would otherwise be a way round its scopes.
   */
  private checkReadScopes(user: AuthUser, events: string[]): void {
    if (user.credential.kind !== 'api-token') return;
    for (const family of familiesOf(events)) {
      const needed = READ_SCOPE_OF_FAMILY[family];
      if (needed && !grantsScope(user.credential.scopes, needed)) {
        throw new InsufficientScopeException(`insufficient_scope: subscribing to ${family} events needs the ${needed} scope`, needed);
      }
    }
  }

  /** The SSRF rules, checked when the URL is set (and again before every delivery). */
  private async checkTarget(raw: string): Promise<void> {
    const rules = { allowHttp: this.config.webhookAllowHttp, allowPrivate: this.config.webhookAllowPrivate };
    try {
      await resolveWebhookTarget(checkWebhookUrl(raw, rules), rules);
    } catch (error) {
      if (error instanceof RefusedTargetError) throw new ValidationFailedException([{ field: 'url', message: error.message }]);
      throw error;
    }
  }

  @Interval('webhook-delivery-purge', 60 * 60_000)
  async purge(): Promise<void> {
    try {
      const deleted = await this.webhooks.purgeOld();
      if (deleted > 0) this.logger.log(`Purged ${deleted} old webhook deliveries`);
    } catch (error) {
      this.logger.warn(`Webhook delivery purge failed: ${(error as Error).message}`);
    }
  }
}
