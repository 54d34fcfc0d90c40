import { createHash } from 'node:crypto';
import pg from 'pg';
import { silentLogger, type Logger } from '../log.js';
import type { DbRecord } from './columns.js';

export interface PostgresStoreOptions {
  /** A postgres:// URL. */
  connectionString: string;
  /** The schema that holds the tables; created by migrate() if missing. @default 'public' */
  schema?: string;
  /** Connections in the pool. @default 10 */
  maxConnections?: number;
  /** How long to wait for a connection before failing (pg's own default waits forever). @default 10000 */
  connectTimeoutMs?: number;
  /**
   * Run each statement as a named prepared statement (parsed and planned once per connection). Turn
   * off behind a pooler that cannot keep them, such as PgBouncer in transaction mode before 1.21.
   * @default true
   */
  preparedStatements?: boolean;
  /** Where errors of idle connections go (a server restart): without a listener pg would crash the process. @default silentLogger */
  logger?: Logger;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

// BIGINT (int8) arrives as a string by default, since it may exceed 2^53. Our BIGINTs are epoch
// milliseconds and counts, far below that, so they become numbers. A per-pool parser, not
// pg.types.setTypeParser, which would change every other pg user in the process.
const INT8_OID = 20;
const numberTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary' ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

export function createPostgresPool(options: PostgresStoreOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    types: numberTypes,
    application_name: 'teams-rollout',
  });
  const logger = options.logger ?? silentLogger;
  pool.on('error', (e) => logger.warn('PostgreSQL connection lost; the pool opens a new one on the next query', { error: e.message }));
  return pool;
}

export type Query = (text: string, values: unknown[]) => Promise<pg.QueryResult<DbRecord>>;

/**
 * Runs each distinct SQL text as a named prepared statement, so every connection parses and plans
 * it once: that halves the cost of the store's CTE statements. The name is the text's hash, as pg
 * requires one text per name.
 */
export function preparedQuery(pool: pg.Pool, prepared = true): Query {
  if (!prepared) return (text, values) => pool.query<DbRecord>(text, values);
  const names = new Map<string, string>();
  return (text, values) => {
    let name = names.get(text);
    if (!name) {
      name = `tr_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
      names.set(text, name);
    }
    return pool.query<DbRecord>({ name, text, values });
  };
}
