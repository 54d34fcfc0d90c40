import pino from 'pino';

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

// Keys whose values must never reach a log line (PRODUCT.md §6: secrets and tokens are never logged).
const REDACT = [
  '*.authorization',
  '*.Authorization',
  '*.password',
  '*.secret',
  '*.clientSecret',
  '*.access_token',
  '*.token',
  'MicrosoftAppPassword',
  'AZURE_CLIENT_SECRET',
];

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** A pino logger writing JSON lines to stderr (fd 2). */
export function createLogger(level: LogLevel = 'info', destination = 2): Logger {
  const base = pino({ level, redact: { paths: REDACT, censor: '[redacted]' }, base: undefined }, pino.destination({ fd: destination, sync: true }));
  const wrap = (p: pino.Logger): Logger => ({
    debug: (msg, f) => p.debug(f ?? {}, msg),
    info: (msg, f) => p.info(f ?? {}, msg),
    warn: (msg, f) => p.warn(f ?? {}, msg),
    error: (msg, f) => p.error(f ?? {}, msg),
    child: (name) => wrap(p.child({ component: name })),
  });
  return wrap(base);
}
