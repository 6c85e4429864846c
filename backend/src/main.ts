import { Logger } from '@nestjs/common';
import { createApp } from './app.setup.js';
import { ConfigError, loadConfig } from './config/app-config.js';
import { connectWithRetry } from './database/wait-for-database.js';
import { resolveDatabase } from './database/database-location.js';
import { LifecycleState } from './health/lifecycle-state.js';

/** Draining (after SHUTDOWN_DELAY) may take this long; query and pool timeouts are 10 s and 5 s. */
const SHUTDOWN_TIMEOUT_MS = 10_000;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const database = await resolveDatabase(config);
  try {
    await connectWithRetry(database.url, config.dbStartupTimeoutSeconds * 1000);
    const app = await createApp({ ...config, databaseUrl: database.url });
    const logger = new Logger('Bootstrap');

    let stopping = false;
    const shutdown = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      // Health fails first, so a load balancer stops sending new requests.
      app.get(LifecycleState).shuttingDown = true;
      // An orchestrator's SIGTERM gets the delay; Ctrl-C (SIGINT) does not wait.
      const delayMs = signal === 'SIGTERM' ? config.shutdownDelaySeconds * 1000 : 0;
      logger.log(`${signal} received: /health answers 503, closing in ${delayMs / 1000} s, then draining requests`);
      // A request stuck past every timeout must not keep the process alive forever.
      setTimeout(() => {
        logger.error(`Shutdown did not finish within ${SHUTDOWN_TIMEOUT_MS / 1000} s of draining: exiting`);
        process.exit(1);
      }, delayMs + SHUTDOWN_TIMEOUT_MS).unref();
      try {
        if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
        // Stops accepting connections, lets requests in flight finish, closes the pool.
        await app.close();
        await database.stop();
        logger.log('Shutdown complete: requests drained, database pool closed');
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
      `API on http://localhost:${config.port} (Swagger UI at /docs), database: ${database.source}`,
    );
  } catch (error) {
    await database.stop().catch(() => undefined);
    throw error;
  }
}

bootstrap().catch((error: unknown) => {
  // One clear line, never a stack dump, and a non-zero exit.
  const message = error instanceof ConfigError || error instanceof Error ? error.message : String(error);
  process.stderr.write(`Failed to start the API: ${message}\n`);
  process.exit(1);
});
