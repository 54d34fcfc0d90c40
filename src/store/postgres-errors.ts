import { FatalRunError, errorMessage } from '../errors.js';
import { redactUrl, type PostgresServer } from './database-url.js';

/**
 * The first contact with PostgreSQL (migrate at start) is where a wrong DATABASE_URL shows. Each
 * known failure becomes one line that names the server (never the password) and the fix.
 * SQLSTATE codes: https://www.postgresql.org/docs/current/errcodes-appendix.html
 */
function codeOf(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const code = (e as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Node ≥ 20 tries every address of a host name and reports an AggregateError of the attempts.
  const first = (e as { errors?: unknown[] }).errors?.[0];
  return first === undefined ? undefined : codeOf(first);
}

const oneLine = (s: string) => s.replace(/\s+/g, ' ').replace(/\.$/, '');

export function describePostgresError(e: unknown, server: PostgresServer, schema: string, connectTimeoutMs: number): FatalRunError {
  const where = `PostgreSQL at ${server.host}:${server.port} (database "${server.database}", user "${server.user}")`;
  const code = codeOf(e);
  const message = redactUrl(errorMessage(e));
  const line = ((): string => {
    switch (code) {
      case 'ECONNREFUSED':
        return `Cannot connect to ${where}: connection refused. Start PostgreSQL there, or fix the host and port in DATABASE_URL.`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `Cannot connect to ${where}: host "${server.host}" not found. Fix the host in DATABASE_URL.`;
      case 'ETIMEDOUT':
        return `Cannot connect to ${where}: no answer. Check the host, port and firewall, or fix DATABASE_URL.`;
      case '28P01':
        return `${where} refused the password for user "${server.user}". Fix the user or password in DATABASE_URL.`;
      case '28000':
        return `${where} refused the connection (no pg_hba.conf entry for this host, user and database, or no such role). Fix DATABASE_URL or pg_hba.conf.`;
      case '3D000':
        return `${where}: database "${server.database}" does not exist. Create it (createdb ${server.database}) or fix the database name in DATABASE_URL.`;
      case '42501':
        return `${where}: user "${server.user}" may not create or use schema "${schema}". Grant it (GRANT CREATE ON DATABASE ...) or choose another ?schema= in DATABASE_URL.`;
      default:
        // pg reports a connect timeout without a code.
        if (/timeout/i.test(message)) {
          return `Cannot connect to ${where}: no answer within ${Math.round(connectTimeoutMs / 1000)} s. Check the host, port and firewall, or fix DATABASE_URL.`;
        }
        if (/ssl|tls|certificate/i.test(message)) {
          return `Cannot connect to ${where}: ${oneLine(message)}. Match the server's TLS setting with ?sslmode= in DATABASE_URL.`;
        }
        return `Cannot use ${where}: ${oneLine(message)}. Check DATABASE_URL and the server's log.`;
    }
  })();
  return new FatalRunError('STORE_UNAVAILABLE', line, e);
}
