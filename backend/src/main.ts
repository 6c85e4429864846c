import { Logger } from '@nestjs/common';
import { createApp } from './app.setup.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { connectWithRetry } from './database/wait-for-database.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './database/embedded-database.js';
import { LifecycleState } from './health/lifecycle-state.js';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (!databaseUrl) {
    embedded = await startEmbeddedDatabase(config.dataDir, config.embeddedPgPort);
    databaseUrl = embedded.url;
  }
  try {
    await connectWithRetry(databaseUrl, config.dbStartupTimeoutSeconds * 1000);
    const app = await createApp({ ...config, databaseUrl });
    const logger = new Logger('Bootstrap');

    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.log(`${signal} received: draining requests`);
      // Health fails first, so a load balancer stops sending new requests.
      app.get(LifecycleState).shuttingDown = true;
      try {
        // Stops accepting connections, lets requests in flight finish, closes the pool.
        await app.close();
        await embedded?.stop();
        process.exit(0);
      } catch (error) {
        logger.error(`Shutdown failed: ${(error as Error).message}`);
        process.exit(1);
      }
    };
    process.once('SIGTERM', () => void shutdown('SIGTERM'));
    process.once('SIGINT', () => void shutdown('SIGINT'));

    await app.listen({ port: config.port, host: '0.0.0.0' });
    logger.log(
      `API on http://localhost:${config.port} (Swagger UI at /docs), database: ${embedded ? 'embedded PostgreSQL' : 'DATABASE_URL'}`,
    );
  } catch (error) {
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
}

bootstrap().catch((error: unknown) => {
  // One clear line, never a stack dump, and a non-zero exit.
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`Failed to start the API: ${message}\n`);
  process.exit(1);
});
