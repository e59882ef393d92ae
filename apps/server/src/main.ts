import pino from 'pino';
import { type Config, ConfigError, loadConfig } from './config.ts';
import { startServer } from './server.ts';

/**
 * Composition root: the only module that reads `process.env`. Starts Nordraum and stops it cleanly
 * on SIGINT/SIGTERM (a second signal forces the exit).
 */
async function main() {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = pino({ level: config.logLevel, base: { service: 'nordraum' } });
  const started = performance.now();
  const server = await startServer(config, {
    logger,
    announce: (text) => process.stdout.write(`${text}\n`),
    // Without its database Nordraum can only answer 503: a service manager restarting the whole
    // process (which then finds and recovers the cluster) is the better way out.
    onDatabaseLost: (err) => {
      logger.fatal({ err }, 'the database is lost: exiting');
      process.exit(1);
    },
  });
  logger.info(
    { url: server.url, publicOrigin: server.publicOrigin, ms: Math.round(performance.now() - started) },
    'Nordraum is ready',
  );
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'stopping');
    try {
      await server.stop();
      logger.info('stopped');
      process.exit(0);
    } catch (err) {
      logger.error({ err }, 'stopping failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
