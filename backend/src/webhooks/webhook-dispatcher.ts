import { Inject, Injectable, Logger } from '@nestjs/common';
import { Webhook as Signer } from 'standardwebhooks';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { DISABLE_AFTER_FAILING_MS, nextAttemptAt } from './retry-schedule.js';
import { sendDelivery } from './webhook-sender.js';
import { webhookBody } from './webhook-payload.js';
import { WebhooksRepository } from './webhooks.repository.js';

export const WEBHOOK_USER_AGENT = 'EvolutionOfTodo-Webhooks/1.0';

/**
 * One attempt of one delivery, run by a pg-boss worker. Idempotent: the job
 * may run more than once (a worker killed mid-delivery leaves its job to be
 * retried after it expires), and only a delivery still pending and due is
 * sent. So a delivery is sent at least once, and rarely twice; receivers
 * recognise a repeat by its `webhook-id`.
 */
@Injectable()
export class WebhookDispatcher {
  private readonly logger = new Logger('Webhooks');

  constructor(
    private readonly webhooks: WebhooksRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(deliveryId: string): Promise<void> {
    const delivery = await this.webhooks.workerLoad(deliveryId);
    // Gone with its webhook or account, already done, or an early duplicate of a retry's job.
    if (!delivery || delivery.status !== 'pending') return;
    if (delivery.next_attempt_at && delivery.next_attempt_at.getTime() > Date.now() + 1000) return;
    if (!delivery.enabled) {
      await this.webhooks.workerAbandon(delivery.id, 'webhook disabled');
      return;
    }
    const body = webhookBody(delivery);
    const sentAt = new Date();
    const signature = new Signer(delivery.secret).sign(delivery.message_id, sentAt, body);
    const result = await sendDelivery(
      delivery.url,
      {
        'Content-Type': 'application/json',
        'User-Agent': WEBHOOK_USER_AGENT,
        'webhook-id': delivery.message_id,
        'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body,
      { allowHttp: this.config.webhookAllowHttp, allowPrivate: this.config.webhookAllowPrivate },
    );
    const attempt = delivery.attempts + 1;
    const now = new Date();
    const retryAt =
      result.ok || (delivery.max_attempts !== null && attempt >= delivery.max_attempts)
        ? undefined
        : nextAttemptAt(attempt, this.config.webhookRetryBaseSeconds, delivery.created_at, now);
    const failingSince = await this.webhooks.workerRecord(
      delivery,
      result,
      result.ok ? { status: 'succeeded' } : retryAt ? { status: 'pending', retryAt } : { status: 'failed' },
    );
    if (!result.ok && failingSince && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS) {
      const reason = `Disabled on ${now.toISOString()}: deliveries failed for 24 hours (last: ${result.error ?? 'failed'})`;
      await this.webhooks.workerDisable(delivery.webhook_id, reason);
      this.logger.warn(`Webhook ${delivery.webhook_id} of user ${delivery.user_id} disabled after 24 hours of failures`);
    }
  }
}
