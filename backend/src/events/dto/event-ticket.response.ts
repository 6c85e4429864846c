import { ApiProperty } from '@nestjs/swagger';

export class EventTicketResponse {
  @ApiProperty({
    description:
      'Opens one event stream: `GET /api/events?ticket=<ticket>`, for clients that cannot send an Authorization ' +
      'header (EventSource). Single use, opaque, and never accepted as a bearer token.',
  })
  ticket!: string;

  @ApiProperty({ type: 'integer', example: 60, description: 'Seconds until the ticket expires if unused' })
  expires_in!: number;
}
