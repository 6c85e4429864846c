import { Controller, Headers, type MessageEvent, Post, Query, Res, Sse, SseSignal, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Observable } from 'rxjs';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { ErrorBody } from '../common/error-body.js';
import { Public } from '../common/public.decorator.js';
import { HeartbeatEventData, ReadyEventData, ResetEventData, TaskEventData } from './dto/event-data.js';
import { EventStreamQuery, resumePoint } from './dto/event-stream.query.js';
import { EventTicketResponse } from './dto/event-ticket.response.js';
import { EventStreamCapException } from './event-errors.js';
import { EventStreamAuthGuard, StreamTicket } from './event-stream-auth.guard.js';
import type { TicketClaims } from './event-tickets.service.js';
import { EventsService } from './events.service.js';

/**
 * Events a client has not read yet wait in memory; past this many characters
 * it is disconnected, and resumes from the database with Last-Event-ID.
 */
const MAX_PENDING_CHARACTERS = 1024 * 1024;

const STREAM_DESCRIPTION = `Server-Sent Events (\`text/event-stream\`) about the caller's own tasks, whichever API instance
the change went through. Every event has an \`id\` and one JSON object as \`data\` (schemas below):

| event | id | data |
|---|---|---|
| \`ready\` | the cursor | \`ReadyEventData\`. Always first, with \`retry: 3000\`. Every change after the cursor follows: (re)load what you show once it has arrived. |
| \`task.created\`, \`task.updated\` | the event id | \`TaskEventData\` with \`task\`, the task after the change |
| \`task.deleted\` | the event id | \`TaskEventData\` without \`task\` |
| \`heartbeat\` | the last id sent, again | \`HeartbeatEventData\`. Every 25 s (SSE_HEARTBEAT_SECONDS); after ~35 s without any event, reconnect. |
| \`reset\` | a new cursor | \`ResetEventData\`. The resume point is older than the history kept (1 hour) or unknown: reload everything you show, then carry on. |

Event ids are decimal strings that increase per user. To resume, send the last id seen as \`Last-Event-ID\`
(an EventSource does so when it reconnects) or \`last_event_id\`.`;

@ApiTags('events')
@Controller('api/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post('ticket')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Get a single-use ticket to open an event stream',
    description: 'For EventSource, which cannot send an Authorization header: `new EventSource(`/api/events?ticket=${ticket}`)`.',
  })
  @ApiResponse({ status: 201, type: EventTicketResponse })
  @ApiErrors(401)
  issueTicket(@CurrentUser() user: AuthUser): Promise<EventTicketResponse> {
    return this.events.issueTicket(user.id);
  }

  @Public()
  @UseGuards(EventStreamAuthGuard)
  @Sse('', { maxPendingDataLength: MAX_PENDING_CHARACTERS })
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Live changes of your tasks (Server-Sent Events)',
    description: 'Authenticated by `Authorization: Bearer <token>`, or by `?ticket=` from `POST /api/events/ticket`.',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this event id; wins over `last_event_id`',
    schema: { type: 'string', pattern: '^[0-9]{1,19}$', example: '1234' },
  })
  @ApiExtraModels(ReadyEventData, TaskEventData, HeartbeatEventData, ResetEventData)
  // The media type is set on the 200 only: errors before the stream starts are JSON.
  @ApiResponse({
    status: 200,
    description: STREAM_DESCRIPTION,
    content: { 'text/event-stream': { schema: { type: 'string', example: 'event: ready\nid: 1234\nretry: 3000\ndata: {"last_event_id":"1234"}\n\n' } } },
  })
  @ApiResponse({
    status: 503,
    type: ErrorBody,
    description:
      'Also when the instance is shutting down, or holds as many streams as it takes (SSE_MAX_STREAMS): try again after Retry-After seconds',
  })
  @ApiErrors(400, 401, 429)
  async stream(
    @CurrentUser() user: AuthUser,
    @Query() query: EventStreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @StreamTicket() ticket: TicketClaims | undefined,
    @SseSignal() signal: AbortSignal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Observable<MessageEvent>> {
    const resumeFrom = resumePoint(lastEventId, query.last_event_id);
    try {
      return await this.events.openStream(user.id, { resumeFrom, ticket, signal, response: reply.raw });
    } catch (error) {
      if (error instanceof EventStreamCapException) reply.header('Retry-After', String(error.retryAfterSeconds));
      throw error;
    }
  }
}
