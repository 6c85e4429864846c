import { Controller, Get, Headers, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiExtraModels,
  ApiHeader,
  ApiOperation,
  ApiResponse,
  ApiSecurity,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiErrors } from '../common/api-errors.decorator.js';
import { type AuthUser, CurrentUser } from '../common/current-user.decorator.js';
import { ErrorBody } from '../common/error-body.js';
import { retryAfterHeader, TICKET_SECURITY } from '../openapi/openapi-document.js';
import { Public } from '../common/public.decorator.js';
import { Scopes } from '../common/scopes.js';
import {
  ExpiredEventData,
  HeartbeatEventData,
  ProjectEventData,
  ReadyEventData,
  ResetEventData,
  RevokedEventData,
  TaskEventData,
  ViewEventData,
} from './dto/event-data.js';
import { EventStreamQuery, resumePoint } from './dto/event-stream.query.js';
import { EventTicketResponse } from './dto/event-ticket.response.js';
import { EventStreamAuthGuard, StreamTicket } from './event-stream-auth.guard.js';
import type { TicketClaims } from './event-tickets.service.js';
import { EventsService } from './events.service.js';
import { SSE_HEADERS } from './sse-connection.js';

const STREAM_DESCRIPTION = `Server-Sent Events (\`text/event-stream\`) about the caller's own tasks, projects and views, whichever API instance
the change went through. Every event has an \`id\` and one JSON object as \`data\` (schemas below):

| event | id | data |
|---|---|---|
| \`ready\` | the cursor | \`ReadyEventData\`. Always first, with \`retry: 3000\`. Every change after the cursor follows: (re)load what you show once it has arrived. |
| \`task.created\`, \`task.updated\` | the event id | \`TaskEventData\` with \`task\`, the task after the change |
| \`task.deleted\` | the event id | \`TaskEventData\` without \`task\`: deleted, or moved to the trash |
| \`project.created\`, \`project.updated\`, \`project.deleted\` | the event id | \`ProjectEventData\`, the same shape with \`project_id\` and \`project\`. A project's open task count is part of it: a task change that alters it comes with a \`project.updated\` |
| \`view.created\`, \`view.updated\`, \`view.deleted\` | the event id | \`ViewEventData\`, with \`view_id\` and \`view\` |
| \`heartbeat\` | the last id sent, again | \`HeartbeatEventData\`. Every 25 s (SSE_HEARTBEAT_SECONDS); after ~35 s without any event, reconnect. |
| \`reset\` | a new cursor | \`ResetEventData\`. The resume point is older than the history kept (1 hour) or unknown: reload everything you show, then carry on. |
| \`expired\` | the last id sent, again | \`ExpiredEventData\`. The token that opened the stream (or got its ticket) has expired; the stream ends. Open a new one with a fresh token and this id. |
| \`revoked\` | the last id sent, again | \`RevokedEventData\`. The session (or personal API token) that opened the stream has ended: log out, revocation, password change, account deletion. Sent within seconds, by every instance; the stream ends. |

Event ids are your own sequence numbers (decimal strings 1, 2, 3…): they count your changes only. To resume, send the
last id seen as \`Last-Event-ID\` (an EventSource does so when it reconnects) or \`last_event_id\`.

A client that stops reading is sent nothing more once 64 kB wait for it, and is disconnected when its data has waited
for two heartbeats: it resumes with Last-Event-ID. \`HEAD\` checks the credentials and answers the headers only; it
does not use up a ticket.`;

@ApiTags('events')
@Controller('api/events')
export class EventsController {
  constructor(private readonly events: EventsService) {}

  @Post('ticket')
  @Scopes('tasks:read')
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Get a single-use ticket to open an event stream',
    description: 'For EventSource, which cannot send an Authorization header: `new EventSource(`/api/events?ticket=${ticket}`)`.',
  })
  @ApiResponse({ status: 201, type: EventTicketResponse, description: 'A ticket for one stream, valid for 60 seconds' })
  @ApiErrors(401)
  issueTicket(@CurrentUser() user: AuthUser): Promise<EventTicketResponse> {
    return this.events.issueTicket(user);
  }

  @Public()
  @Scopes('tasks:read')
  @UseGuards(EventStreamAuthGuard)
  @Get()
  // Public to the global guard: EventStreamAuthGuard takes a bearer token or a ticket.
  @ApiSecurity(TICKET_SECURITY)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Live changes of your tasks, projects and saved views (Server-Sent Events)',
    description:
      'Authenticated by `Authorization: Bearer <token>`, or by `?ticket=` from `POST /api/events/ticket`. ' +
      'The stream ends when that token expires (`expired` event) and when its session or personal token ends (`revoked`). ' +
      'A personal API token needs the tasks:read scope, and is sent project events only if it also holds projects:read ' +
      '(their ids are skipped, as if sent).',
  })
  @ApiHeader({
    name: 'Last-Event-ID',
    required: false,
    description: 'Resume after this event id; wins over `last_event_id`',
    schema: { type: 'string', pattern: '^[0-9]{1,19}$', example: '1234' },
  })
  @ApiExtraModels(ReadyEventData, TaskEventData, ProjectEventData, ViewEventData, HeartbeatEventData, ResetEventData, ExpiredEventData, RevokedEventData)
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
    headers: retryAfterHeader(false, 'Seconds to wait before trying again; sent when the instance holds as many streams as it takes'),
  })
  @ApiErrors(400, 401, 429)
  async stream(
    @CurrentUser() user: AuthUser,
    @Query() query: EventStreamQuery,
    @Headers('last-event-id') lastEventId: string | undefined,
    @StreamTicket() ticket: TicketClaims | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const resumeFrom = resumePoint(lastEventId, query.last_event_id);
    // HEAD asks what a GET would answer: the credentials are checked (above),
    // but a ticket is not used up and no stream is opened.
    if (request.method === 'HEAD') {
      await this.events.checkStream(user, ticket);
      await reply.status(200).headers(SSE_HEADERS).send();
      return;
    }
    await this.events.openStream(user, reply, { resumeFrom, ticket });
  }
}
