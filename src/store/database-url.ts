import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';

/** Where the store lives, as understood from DATABASE_URL (PRODUCT.md §3). */
export type DatabaseTarget =
  | { kind: 'sqlite'; /** Absolute, or ':memory:'. */ path: string }
  | { kind: 'postgres'; /** Without our own `schema` parameter. */ connectionString: string; schema: string; server: PostgresServer };

/** What may be shown of a PostgreSQL URL in a message: never the password. */
export interface PostgresServer {
  host: string;
  port: string;
  database: string;
  user: string;
}

/** @default `./teams-rollout.db`, beside where the command runs. */
export const DEFAULT_SQLITE_FILE = 'teams-rollout.db';

const ACCEPTED =
  'use a file path (default ./teams-rollout.db), sqlite:PATH or file:PATH for SQLite, or postgres://USER@HOST:5432/DATABASE[?schema=NAME] for PostgreSQL';

// Two letters at least, so a Windows drive (C:\…) reads as a path, not a scheme.
const SCHEME = /^([a-z][a-z0-9+.-]+):/i;
// PostgreSQL's unquoted identifier: we quote it anyway, but a plain name keeps SQL and logs readable.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/i;

/** `postgres://me:secret@h/db` → `postgres://me:***@h/db`, for messages. */
export function redactUrl(value: string): string {
  return value.replace(/(\/\/[^/:@]*:)[^@/]*@/, '$1***@');
}

const problem = (message: string) => new ConfigError([`DATABASE_URL ${message}`]);

/** Pure: the DATABASE_URL value → a target, or a ConfigError that names the accepted forms. */
export function parseDatabaseUrl(value: string | undefined, cwd: string): DatabaseTarget {
  const url = value?.trim() ?? '';
  if (url === '') return { kind: 'sqlite', path: path.resolve(cwd, DEFAULT_SQLITE_FILE) };
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return sqliteTarget(url, url, cwd);
  if (scheme === 'sqlite' || scheme === 'file') return sqliteTarget(sqlitePath(url, scheme), url, cwd);
  if (scheme === 'postgres' || scheme === 'postgresql') return postgresTarget(url);
  throw problem(`"${redactUrl(url)}" is not a supported database: ${ACCEPTED}.`);
}

function sqlitePath(url: string, scheme: string): string {
  // file:///abs/path is a real file URL (percent-decoded); sqlite://x and file:x take the rest as written.
  if (scheme === 'file' && url.startsWith('file:///')) return fileURLToPath(url);
  const rest = url.slice(scheme.length + 1);
  return rest.startsWith('//') ? rest.slice(2) : rest;
}

function sqliteTarget(file: string, url: string, cwd: string): DatabaseTarget {
  if (file === '') throw problem(`"${url}" names no file: ${ACCEPTED}.`);
  if (file.includes('?')) throw problem(`"${url}": SQLite takes no URL options here; give the file path alone (${ACCEPTED}).`);
  if (file === ':memory:') return { kind: 'sqlite', path: file };
  return { kind: 'sqlite', path: path.resolve(cwd, file) };
}

function postgresTarget(url: string): DatabaseTarget {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw problem(`"${redactUrl(url)}" is not a valid URL: ${ACCEPTED}.`);
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!IDENTIFIER.test(schema)) {
    throw problem(`schema "${schema}" is not a plain PostgreSQL identifier (letters, digits and _, at most 63, not starting with a digit): choose another ?schema= name.`);
  }
  parsed.searchParams.delete('schema');
  return { kind: 'postgres', connectionString: parsed.toString(), schema, server: serverOf(parsed) };
}

/** The showable parts of a postgres:// URL, for messages. */
export function describePostgresServer(connectionString: string): PostgresServer {
  try {
    return serverOf(new URL(connectionString));
  } catch {
    return { host: '(unparsable DATABASE_URL)', port: '?', database: '?', user: '?' };
  }
}

function serverOf(url: URL): PostgresServer {
  const user = decodeURIComponent(url.username);
  return {
    host: decodeURIComponent(url.hostname) || url.searchParams.get('host') || 'localhost',
    port: url.port || '5432',
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || user || '(default)',
    user: user || '(default)',
  };
}

/** Where the ledger is, for messages: the SQLite file's full path, or the PostgreSQL server without its password. */
export function describeDatabase(value: string | undefined, cwd: string): string {
  const t = parseDatabaseUrl(value, cwd);
  return t.kind === 'sqlite' ? t.path : `postgres://${t.server.user}@${t.server.host}:${t.server.port}/${t.server.database} (schema ${t.schema})`;
}
