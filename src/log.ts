import { isatty } from 'node:tty';
import pino from 'pino';
import pinoPretty from 'pino-pretty';

/**
 * A four-method logger with child(name). The core never logs to the console itself: it takes a
 * Logger (silent by default) and the CLI decides where lines go (stderr, so stdout stays data).
 */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(name: string): Logger;
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

// Keys whose values must never reach a log line (PRODUCT.md §6: secrets and tokens are never logged),
// as a field of the line itself and one level down (pino's `*.key` does not match a top-level key).
const SECRET_KEYS = ['authorization', 'Authorization', 'password', 'secret', 'clientSecret', 'access_token', 'token'];
const REDACT = [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`), 'MicrosoftAppPassword', 'AZURE_CLIENT_SECRET'];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** LOG_FORMAT: `auto` (the default) is `pretty` when the logs go to a terminal and `json` otherwise. */
export type LogFormat = 'auto' | 'json' | 'pretty';

/**
 * The form a log line takes. JSON lines are for a log shipper or a pipe; a person reading `serve` in a
 * terminal gets one readable line per event (issue 11: raw JSON on a TTY). Pure, for a table test.
 */
export function resolveLogFormat(format: LogFormat, toTerminal: boolean): 'json' | 'pretty' {
  if (format === 'auto') return toTerminal ? 'pretty' : 'json';
  return format;
}

/** A pino logger writing to stderr (fd 2): JSON lines, or readable lines on a terminal (LOG_FORMAT). */
export function createLogger(level: LogLevel = 'info', format: LogFormat = 'auto', destination = 2): Logger {
  const options = { level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined };
  const terminal = isatty(destination);
  // Synchronous in both forms: a process that exits at once (exit 2 on a refused token) keeps its last line.
  const stream =
    resolveLogFormat(format, terminal) === 'pretty'
      ? pinoPretty({ destination, sync: true, colorize: terminal, translateTime: 'SYS:HH:MM:ss', ignore: 'component', messageFormat: '{if component}{component}: {end}{msg}' })
      : pino.destination({ fd: destination, sync: true });
  const base = pino(options, stream);
  const wrap = (p: pino.Logger): Logger => ({
    debug: (msg, f) => p.debug(f ?? {}, msg),
    info: (msg, f) => p.info(f ?? {}, msg),
    warn: (msg, f) => p.warn(f ?? {}, msg),
    error: (msg, f) => p.error(f ?? {}, msg),
    child: (name) => wrap(p.child({ component: name })),
  });
  return wrap(base);
}
