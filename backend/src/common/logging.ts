import type { LoggerService } from '@nestjs/common';
import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import pino, { type Logger } from 'pino';
import type { AuthUser } from './current-user.decorator.js';

/** The one pino instance: Fastify's request log and Nest's own messages both go through it. */
export function createRootLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'evolution-of-todo-api' },
    timestamp: pino.stdTimeFunctions.isoTime,
    // Belt and braces: nothing below ever logs headers or bodies, but if a
    // future change does, credentials are still masked.
    redact: { paths: ['*.authorization', '*.password', '*.access_token', 'headers.*'], censor: '[redacted]' },
  });
}

/**
 * One JSON line per request: method, path (without the query string),
 * status, duration and the authenticated user's id. Headers and bodies are
 * never logged, so no password or token reaches the log.
 */
export class RequestLogController extends LogController {
  /**
   * The line's fields are fixed and never secret, so it skips the root
   * logger's redaction (wildcard paths cost as much as the rest of the line).
   */
  private readonly lines: Logger;

  constructor(root: Logger) {
    super();
    this.lines = root.child({}, { redact: { paths: [] } });
  }

  override incomingRequest(): void {
    // The completion line carries everything; one line per request.
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const user = (request as unknown as { user?: AuthUser }).user;
    const line = {
      reqId: request.id,
      method: request.method,
      path: request.url.split('?')[0],
      status: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 10) / 10,
      user_id: user?.id ?? null,
    };
    if (error || reply.statusCode >= 500) this.lines.error(line, 'request completed');
    else this.lines.info(line, 'request completed');
  }
}

/** Nest's LoggerService on top of pino, so start-up and error messages are JSON lines too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string) {
    this.logger.info({ context }, stringify(message));
  }
  error(message: unknown, trace?: string, context?: string) {
    this.logger.error({ context, trace }, stringify(message));
  }
  warn(message: unknown, context?: string) {
    this.logger.warn({ context }, stringify(message));
  }
  debug(message: unknown, context?: string) {
    this.logger.debug({ context }, stringify(message));
  }
  verbose(message: unknown, context?: string) {
    this.logger.trace({ context }, stringify(message));
  }
  fatal(message: unknown, context?: string) {
    this.logger.fatal({ context }, stringify(message));
  }
}

function stringify(message: unknown): string {
  return typeof message === 'string' ? message : JSON.stringify(message);
}
