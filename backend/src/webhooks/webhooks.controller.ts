import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { Scopes } from '../common/scopes.js';
import { CreateWebhookDto, UpdateWebhookDto } from './dto/create-webhook.dto.js';
import { CreatedWebhookResponse, DeliveryResponse, WebhookResponse } from './dto/webhook.response.js';
import { WebhooksService } from './webhooks.service.js';

const DELIVERY_DESCRIPTION =
  'Each event is POSTed as JSON `{"type", "timestamp", "data"}` with the Standard Webhooks headers `webhook-id` (the same ' +
  'on every attempt), `webhook-timestamp` (Unix seconds) and `webhook-signature` (`v1,` and the base64 HMAC-SHA256 of ' +
  '`<id>.<timestamp>.<body>` with the secret). Any 2xx within 10 s is a success; anything else (a redirect, a timeout, ' +
  'a connection error) is retried with exponential backoff (WEBHOOK_RETRY_BASE_SECONDS, 30 s, doubling, at most 4 h ' +
  'apart) for 24 hours. A webhook whose deliveries have failed for 24 hours is disabled, with the reason.';

@ApiTags('webhooks')
@ApiBearerAuth()
@Scopes('webhooks')
@Controller('api/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @ApiOperation({
    summary: 'Create a webhook',
    description: `${DELIVERY_DESCRIPTION} The answer carries the signing secret, this once. At most 25 webhooks per account (409).`,
  })
  @ApiResponse({ status: 201, type: CreatedWebhookResponse, description: 'The webhook, with its signing secret shown this once' })
  @ApiErrors(400, 401, 403, 409, 413)
  create(@CurrentUser() user: AuthUser, @Body() body: CreateWebhookDto): Promise<CreatedWebhookResponse> {
    return this.webhooks.create(user, body);
  }

  @Get()
  @ApiOperation({ summary: 'Your webhooks (never their secrets)' })
  @ApiResponse({ status: 200, type: [WebhookResponse], description: 'Your webhooks' })
  @ApiErrors(401, 403)
  list(@CurrentUser() user: AuthUser): Promise<WebhookResponse[]> {
    return this.webhooks.list(user.id);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One webhook' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: WebhookResponse, description: 'The webhook' })
  @ApiErrors(400, 401, 403)
  get(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<WebhookResponse> {
    return this.webhooks.get(user.id, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a webhook: url, events, description, enabled' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: WebhookResponse, description: 'The webhook after the change' })
  @ApiErrors(400, 401, 403, 413)
  update(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateWebhookDto): Promise<WebhookResponse> {
    return this.webhooks.update(user, id, body);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a webhook and its deliveries' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'Deleted' })
  @ApiErrors(400, 401, 403)
  remove(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.webhooks.remove(user.id, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: 'The last 100 deliveries of a webhook, newest first' })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 200, type: [DeliveryResponse], description: 'Its last 100 deliveries, newest first' })
  @ApiErrors(400, 401, 403)
  deliveries(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DeliveryResponse[]> {
    return this.webhooks.deliveries(user.id, id);
  }

  @Post(':id/deliveries/:delivery_id/redeliver')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a delivery\'s event again, now',
    description: 'A new delivery, queued at once, with the same `webhook-id` (a receiver that already has it may skip it) and body.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiParam({ name: 'delivery_id', format: 'uuid' })
  @ApiResponse({ status: 202, type: DeliveryResponse, description: 'Queued; its result shows in the deliveries' })
  @ApiErrors(400, 401, 403)
  redeliver(
    @CurrentUser() user: AuthUser,
    @Param('id', ParseUUIDPipe) id: string,
    @Param('delivery_id', ParseUUIDPipe) deliveryId: string,
  ): Promise<DeliveryResponse> {
    return this.webhooks.redeliver(user.id, id, deliveryId);
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({
    summary: 'Send a test event (`webhook.test`), signed like any other',
    description: 'Queued at once and tried once (no retries); its result shows in the deliveries within seconds.',
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiResponse({ status: 202, type: DeliveryResponse, description: 'Queued' })
  @ApiErrors(400, 401, 403)
  test(@CurrentUser() user: AuthUser, @Param('id', ParseUUIDPipe) id: string): Promise<DeliveryResponse> {
    return this.webhooks.test(user.id, id);
  }
}
