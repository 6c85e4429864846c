import type { INestApplication } from '@nestjs/common';
import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AppModule } from './app.module.js';
import { registerAuthRateLimit } from './common/rate-limit.js';
import { BodyMustBeObjectPipe } from './common/body-object.pipe.js';
import { createRootLogger, PinoNestLogger, RequestLogController } from './common/logging.js';
import { validationExceptionFactory } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { runMigrations } from './database/data-source-options.js';

export const BODY_LIMIT_BYTES = 100 * 1024;

/**
 * Builds the whole API (used by main.ts and by the end-to-end tests, so they
 * exercise exactly what runs in production) and brings the schema up to date.
 */
export async function createApp(config: AppConfig & { databaseUrl: string }): Promise<NestFastifyApplication> {
  const logger = createRootLogger(config.logLevel);
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    logController: new RequestLogController(),
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy,
    // Tokens never travel in URLs, and very long paths are refused early.
    routerOptions: { maxParamLength: 200 },
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
  await registerAuthRateLimit(app, config.authRateLimit);

  app.useSecurityHeaders({ strictTransportSecurity: { maxAge: 31_536_000, includeSubDomains: true } });
  app.enableCors({
    origin: [...config.corsOrigins],
    exposedHeaders: ['X-Total-Count', 'Link', 'Location', 'Retry-After'],
    allowedHeaders: ['Authorization', 'Content-Type'],
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
  await runMigrations(app.get(DataSource));
  return app;
}

export function openApiDocument(app: INestApplication) {
  const config = new DocumentBuilder()
    .setTitle('Evolution of Todo API')
    .setDescription(
      'Multi-user task manager. Sign up or log in under /auth, then send the token as `Authorization: Bearer <token>`. ' +
        'Every error is `{"error": {"code", "message", "details"?}}`.',
    )
    .setVersion('1.0.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  return SwaggerModule.createDocument(app, config);
}

function setupSwagger(app: INestApplication): void {
  SwaggerModule.setup('docs', app, () => openApiDocument(app), {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
    swaggerOptions: { persistAuthorization: true },
  });
}
