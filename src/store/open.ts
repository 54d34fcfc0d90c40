import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { FatalRunError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { describeDatabase, parseDatabaseUrl } from './database-url.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** Relative SQLite paths resolve against this. @default process.cwd() */
  cwd?: string;
  /** Passed to the PostgreSQL pool for lost idle connections. @default silentLogger */
  logger?: Logger;
  /**
   * For `install --dry-run`, which must change nothing: a SQLite file that does not exist yet is not
   * created (an empty in-memory store stands in: nobody is done yet). The caller writes nothing.
   */
  readOnly?: boolean | undefined;
  /**
   * For `status` and `report`, which read a ledger that install wrote: a SQLite file that does not
   * exist is a mistake in DATABASE_URL (or the folder), not an empty rollout.
   */
  mustExist?: boolean | undefined;
}

/**
 * DATABASE_URL → a migrated, ready Store (PRODUCT.md §3): unset or empty → ./teams-rollout.db; a
 * path, sqlite:PATH, sqlite://PATH or file:PATH → SQLite; postgres:// or postgresql://
 * (?schema=NAME) → PostgreSQL. A form it does not know is a ConfigError; a database it cannot
 * reach or open is a one-line FatalRunError naming the place and the fix (never the password).
 */
export async function openStore(databaseUrl: string | undefined, options: OpenStoreOptions = {}): Promise<Store> {
  const cwd = options.cwd ?? process.cwd();
  const parsed = parseDatabaseUrl(databaseUrl, cwd);
  const noLedger = () =>
    new FatalRunError(
      'NO_LEDGER',
      `No ledger at ${describeDatabase(databaseUrl, cwd)}: nothing was rolled out with this DATABASE_URL${parsed.kind === 'sqlite' ? ' from this folder' : ''}. Set DATABASE_URL to the ledger your install used (install's text summary ends with it), or run teams-rollout install first.`,
    );
  const missingFile = parsed.kind === 'sqlite' && parsed.path !== ':memory:' && !existsSync(parsed.path);
  if (options.mustExist && missingFile) throw noLedger();
  const target = options.readOnly && missingFile ? ({ kind: 'sqlite', path: ':memory:' } as const) : parsed;
  if (target.kind === 'postgres' && (options.readOnly || options.mustExist)) {
    // The same promise for PostgreSQL: a schema with no ledger is neither created nor reported as empty.
    const pg = new PostgresStore({ connectionString: target.connectionString, schema: target.schema, ...(options.logger ? { logger: options.logger } : {}) });
    const found = await pg.hasLedger().catch(async (e: unknown) => {
      await pg.close().catch(() => undefined);
      throw e;
    });
    if (!found) {
      await pg.close();
      if (options.mustExist) throw noLedger();
      return openStore(':memory:');
    }
    return pg;
  }
  const store =
    target.kind === 'sqlite'
      ? openSqlite(target.path)
      : new PostgresStore({ connectionString: target.connectionString, schema: target.schema, ...(options.logger ? { logger: options.logger } : {}) });
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => undefined);
    throw e;
  }
  return store;
}

function openSqlite(file: string): SqliteStore {
  try {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    return new SqliteStore(file);
  } catch (e) {
    // e.g. SQLITE_NOTADB (the file is something else), SQLITE_CANTOPEN or EACCES (no permission).
    throw new FatalRunError(
      'STORE_UNAVAILABLE',
      `Cannot open the SQLite database at ${file} (${errorMessage(e)}): point DATABASE_URL at a writable teams-rollout database file or a new path.`,
      e,
    );
  }
}
