import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';

/**
 * For the TypeORM CLI (`npm run migration:generate`): DATABASE_URL, or the
 * embedded server of a running `npm start` on EMBEDDED_PG_PORT.
 */
const config = loadConfig();
const url = config.databaseUrl ?? `postgres://postgres:postgres@127.0.0.1:${config.embeddedPgPort}/postgres`;

export default new DataSource(dataSourceOptions(url));
