import { DataSource } from 'typeorm';
import { loadConfig } from '../config/app-config.js';
import { databaseUrlOfRunningApi } from './database-location.js';
import { dataSourceOptions } from './data-source-options.js';

/**
 * For the TypeORM CLI (`npm run migration:generate`): DATABASE_URL, or the
 * embedded server of a running `npm start` on EMBEDDED_PG_PORT.
 */
export default new DataSource(dataSourceOptions(databaseUrlOfRunningApi(loadConfig())));
