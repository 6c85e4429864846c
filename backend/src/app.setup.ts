import type { INestApplication } from '@nestjs/common';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { registerAuthRateLimit } from './common/rate-limit.js';
import { BodyMustBeObjectPipe } from './common/body-object.pipe.js';
import { clientErrorHandler, HSTS_MAX_AGE_SECONDS } from './common/client-errors.js';
import { HttpExceptionFilter } from './common/http-exception.filter.js';
import { useStrictJsonBodies } from './common/json-body.js';
import { guardUploads } from './common/upload-guard.js';
import { bearerToken } from './auth/jwt.strategy.js';
import { apiTokenOf } from './auth/jwt-auth.guard.js';
import { ApiTokensService } from './api-tokens/api-tokens.service.js';
import { JwtService } from '@nestjs/jwt';
import { createSecretKey } from 'node:crypto';
import { createRootLogger, PinoNestLogger, RequestLogController } from './common/logging.js';
import { validationExceptionFactory } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { runMigrations } from './database/data-source-options.js';
import { LifecycleState } from './health/lifecycle-state.js';
import { installJobQueue } from './webhooks/job-queue-schema.js';
import { WebhookQueue } from './webhooks/webhook-queue.js';
import { openApiDocument } from './openapi/openapi-document.js';

export { openApiDocument };

export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * Builds the whole API (used by main.ts and by the end-to-end tests, so they
 * exercise exactly what runs in production) and brings the schema up to date.
 */
export async function createApp(config: AppConfig & { databaseUrl: string }): Promise<NestFastifyApplication> {
  const logger = createRootLogger(config.logLevel);
  const adapter: FastifyAdapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLogController(logger),
    // No child logger per request: the one request line names its reqId itself.
    childLoggerFactory: (root: FastifyBaseLogger) => root,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    // Tokens never travel in URLs, and very long paths are refused early.
    routerOptions: { maxParamLength: 200 },
    // Slow-loris: a request (headers and body) must arrive within REQUEST_TIMEOUT,
    // checked every second; Fastify's default is no limit at all.
    requestTimeout: config.requestTimeoutSeconds * 1000,
    http: {
      connectionsCheckingInterval: 1000,
      headersTimeout: Math.min(config.requestTimeoutSeconds, 60) * 1000,
    },
    // Fastify's own 503 while closing has another body shape and no security
    // headers; requests that still arrive on an open keep-alive connection
    // during the drain are served normally (with `Connection: close`) instead.
    return503OnClosing: false,
    // The router refuses a malformed URL (`%ff`) or an over-long parameter
    // before any Nest layer runs; answer in the contract's error shape anyway.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      securityHook(adapter)?.(request, reply.raw);
      const { status, body } = new HttpExceptionFilter().toErrorBody(error);
      // No hooks run for router errors, so the onSend hook below does not either.
      reply.code(status).header('Cache-Control', 'no-store').type('application/json; charset=utf-8').send(body);
    },
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Replaced by useStrictJsonBodies: JSON only, strictly decoded.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  useStrictJsonBodies(fastify, BODY_LIMIT_BYTES);
  // Uploads (imports) are authenticated before their body is read: Nest's guards run after it.
  // The same key and algorithm as the JWT strategy (the guard then checks everything again).
  const bearerKey = new JwtService({ secret: createSecretKey(Buffer.from(config.jwtSecret)), verifyOptions: { algorithms: ['HS256'] } });
  const apiTokens = app.get(ApiTokensService);
  guardUploads(fastify, async (request) => {
    const apiToken = apiTokenOf(request);
    if (apiToken) return apiTokens.authenticate(apiToken).then(() => 'api-token' as const, () => 'invalid' as const);
    const token = bearerToken(request);
    if (!token) return 'invalid';
    return bearerKey.verifyAsync<{ exp?: unknown }>(token).then(
      (payload) => (typeof payload.exp === 'number' ? 'session' : 'invalid'),
      () => 'invalid' as const,
    );
  });
  const lifecycle = app.get(LifecycleState);
  fastify.addHook('onSend', (request, reply, payload, done) => {
    // Responses carry tasks and tokens: no shared or browser cache may keep them.
    if (!reply.hasHeader('cache-control')) reply.header('Cache-Control', 'no-store');
    // Draining: every answer closes its connection, so no idle keep-alive
    // socket holds the server open and clients reconnect to another instance.
    if (lifecycle.shuttingDown) reply.header('Connection', 'close');
    // A CORS preflight is answered before the security hook runs; give it the headers too.
    if (!reply.raw.hasHeader('x-content-type-options')) securityHook(adapter)?.(request, reply.raw);
    done(null, payload);
  });
  await registerAuthRateLimit(app, config.authRateLimit, config.redisUrl);

  app.useSecurityHeaders({ strictTransportSecurity: { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true } });
  app.enableCors({
    origin: [...config.corsOrigins],
    exposedHeaders: ['X-Total-Count', 'Link', 'Location', 'Retry-After', 'ETag', 'Idempotent-Replayed', 'Content-Disposition'],
    allowedHeaders: ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'Last-Event-ID'],
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    maxAge: 600,
  });
  app.useGlobalPipes(
    new BodyMustBeObjectPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      // JSON is never coerced: "5" is not a number and 5 is not a string.
      transformOptions: { enableImplicitConversion: false },
      forbidUnknownValues: true,
      stopAtFirstError: false,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  setupSwagger(app);

  await app.init();
  await runMigrations(app.get(DataSource), config.migrationsRun ? 'run' : 'check', [installJobQueue]);
  // The webhook delivery workers need the schema, so they start after it is up to date.
  await app.get(WebhookQueue).start();
  return app;
}

/**
 * The request hook behind `app.useSecurityHeaders()`. Nest runs it for router
 * errors only in its own `frameworkErrors` handler, which this app replaces;
 * a test checks the headers on those responses, so a rename is caught.
 */
function securityHook(adapter: FastifyAdapter) {
  return (adapter as unknown as { securityHook?: (request: unknown, raw: unknown) => void }).securityHook;
}

function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
    swaggerOptions: { persistAuthorization: true },
  });
}
