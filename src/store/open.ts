import { accessSync, constants, existsSync } from 'node:fs';
import path from 'node:path';
import { FatalRunError, errorMessage } from '../errors.js';
import type { Logger } from '../log.js';
import { describeDatabase, parseDatabaseUrl, type DatabaseTarget } from './database-url.js';
import { otherLedgersHere } from './ledger-candidates.js';
import { makeFolder } from './make-folder.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** Relative SQLite paths resolve against this. @default process.cwd() */
  cwd?: string;
  /** Passed to the PostgreSQL pool for lost idle connections. @default silentLogger */
  logger?: Logger;
  /**
   * For `install --dry-run`, which must change nothing: a ledger that does not exist yet (SQLite file
   * or PostgreSQL schema) is not created; an empty in-memory store stands in (nobody is done yet).
   */
  readOnly?: boolean | undefined;
  /**
   * For `status` and `report`, which read a ledger that install wrote: one that does not exist is a
   * mistake in DATABASE_URL (or the folder), not an empty rollout. Implies readOnly.
   */
  mustExist?: boolean | undefined;
}

/**
 * DATABASE_URL → a migrated, ready Store (PRODUCT.md §3): unset or empty → ./teams-rollout.db (the CLI
 * passes its own default instead: the user's data folder, cli/env.ts withDefaultLedger); a
 * path, sqlite:PATH, sqlite://PATH or file:PATH → SQLite; postgres:// or postgresql://
 * (?schema=NAME) → PostgreSQL. A form it does not know is a ConfigError; a database it cannot
 * reach or open is a one-line FatalRunError naming the place and the fix (never the password).
 */
export async function openStore(databaseUrl: string | undefined, options: OpenStoreOptions = {}): Promise<Store> {
  const cwd = options.cwd ?? process.cwd();
  const target = parseDatabaseUrl(databaseUrl, cwd);
  if (!options.readOnly && !options.mustExist) {
    if (target.kind === 'sqlite') requireWritable(target.path);
    return migrated(createStore(target, options.logger));
  }
  // Readers and dry runs: a ledger that is not there is neither created nor read as an empty one.
  const existing = await openExisting(target, options.logger);
  if (existing) return existing;
  if (options.mustExist) {
    const here = describeDatabase(databaseUrl, cwd);
    const others = otherLedgersHere(here);
    throw new FatalRunError(
      'NO_LEDGER',
      `No ledger at ${here}: nothing was rolled out with this ledger.${others.length ? ` Other ledgers on this machine: ${others.join(', ')}.` : ''} Set DATABASE_URL to the ledger your install used (every command prints it as "Ledger: …"), or run teams-rollout install first.`,
    );
  }
  return migrated(createStore({ kind: 'sqlite', path: ':memory:' })); // an empty stand-in: nothing written anywhere
}

function createStore(target: DatabaseTarget, logger?: Logger): Store {
  return target.kind === 'sqlite' ? openSqlite(target.path) : createPostgres(target, logger);
}

function createPostgres(target: Extract<DatabaseTarget, { kind: 'postgres' }>, logger?: Logger): PostgresStore {
  return new PostgresStore({ connectionString: target.connectionString, schema: target.schema, ...(logger ? { logger } : {}) });
}

/** The store at `target` when it already holds a ledger, else undefined; in both cases nothing is created. */
async function openExisting(target: DatabaseTarget, logger?: Logger): Promise<Store | undefined> {
  if (target.kind === 'sqlite') return target.path === ':memory:' || existsSync(target.path) ? migrated(createStore(target)) : undefined;
  const store = createPostgres(target, logger);
  const found = await store.hasLedger().catch(async (e: unknown) => {
    await store.close().catch(() => undefined);
    throw e;
  });
  if (found) return migrated(store);
  await store.close();
  return undefined;
}

/** Brings the schema up to date (a no-op on a current one); closes the store if that fails. */
async function migrated(store: Store): Promise<Store> {
  try {
    await store.migrate();
  } catch (e) {
    await store.close().catch(() => undefined);
    // SQLite says "attempt to write a readonly database" (SQLITE_READONLY, https://www.sqlite.org/rescode.html#readonly)
    // when the check below could not see it coming (a read-only mount seen differently, a race): the same fix.
    if (store instanceof SqliteStore && isSqliteReadOnly(e)) throw readOnlyLedger(store.filename, 'SQLite refused to write it (SQLITE_READONLY)', e);
    throw e;
  }
  return store;
}

const isSqliteReadOnly = (e: unknown): boolean => {
  const x = e as { code?: unknown; cause?: unknown } | null;
  return !!x && (/^SQLITE_READONLY/.test(String(x.code)) || (x.cause !== undefined && isSqliteReadOnly(x.cause)));
};

const writable = (p: string) => {
  try {
    accessSync(p, constants.W_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * A ledger install and serve cannot write would fail at the first write with SQLite's bare
 * "attempt to write a readonly database" (exit 1): say which file or folder and the fix, exit 2,
 * before anything is asked of Graph. In WAL mode SQLite also creates FILE-wal and FILE-shm beside the
 * file (https://www.sqlite.org/wal.html#the_wal_file), so the folder must be writable too.
 */
function requireWritable(file: string): void {
  if (file === ':memory:') return;
  const dir = path.dirname(file);
  const problem = existsSync(file) && !writable(file) ? 'the file is read-only' : existsSync(dir) && !writable(dir) ? `its folder ${dir} is read-only (SQLite writes ${path.basename(file)}-wal and -shm beside it)` : undefined;
  if (problem) throw readOnlyLedger(file, problem);
}

function readOnlyLedger(file: string, problem: string, cause?: unknown): FatalRunError {
  return new FatalRunError(
    'LEDGER_READ_ONLY',
    `The ledger ${file} cannot be written: ${problem}. Nothing was changed. Make the file and its folder writable for the user running teams-rollout (e.g. chmod u+w "${file}" "${path.dirname(file)}"), or copy the ledger to a writable place and point DATABASE_URL at the copy (a new, empty ledger would not know who was already welcomed).`,
    cause,
  );
}

function openSqlite(file: string): SqliteStore {
  try {
    // 0700: the ledger holds who works here and how to reach them (conversation references).
    if (file !== ':memory:') makeFolder(path.dirname(file), 0o700);
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
