import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { ErrorPayload } from '../common/error-body.js';
import { Public } from '../common/public.decorator.js';
import { LifecycleState } from './lifecycle-state.js';

class HealthResponse {
  @ApiProperty({ enum: ['ok'] })
  status!: 'ok';

  @ApiProperty({ enum: ['up'] })
  database!: 'up';
}

class HealthDownResponse {
  @ApiProperty({ type: ErrorPayload, example: { code: 503, message: 'Database unavailable' } })
  error!: ErrorPayload;

  @ApiProperty({ enum: ['error', 'shutting-down'], example: 'error' })
  status!: string;

  @ApiProperty({ enum: ['up', 'down'], example: 'down' })
  database!: 'up' | 'down';
}

@ApiTags('platform')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: TypeOrmHealthIndicator,
    private readonly lifecycle: LifecycleState,
  ) {}

  @Public()
  @Get()
  @ApiOperation({ summary: 'Is this instance ready to serve?', description: 'For load balancers: 503 while the database is unreachable or the instance is shutting down.' })
  @ApiResponse({ status: 200, type: HealthResponse, description: 'Serving, and the database answers' })
  @ApiResponse({ status: 503, type: HealthDownResponse, description: 'Database unreachable, or the instance is shutting down' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthResponse | HealthDownResponse> {
    const databaseUp = await Promise.resolve(this.db.pingCheck('database', { timeout: 1500 })).then(
      (result) => result.database?.status === 'up',
      () => false,
    );
    if (databaseUp && !this.lifecycle.shuttingDown) return { status: 'ok', database: 'up' };

    reply.status(503);
    const message = this.lifecycle.shuttingDown ? 'Shutting down' : 'Database unavailable';
    return {
      error: { code: 503, message },
      status: this.lifecycle.shuttingDown ? 'shutting-down' : 'error',
      database: databaseUp ? 'up' : 'down',
    };
  }
}
