/**
 * The few error types of the tool. Each has a stable `code`; the message says what went wrong and,
 * where it can, how to fix it. main.ts maps them to exit codes (PRODUCT.md §3: 2 = usage or
 * configuration error, nothing changed).
 */
export class RolloutError extends Error {
  readonly code: string;
  readonly exitCode: number;
  /** How to fix it, on its own, for `--output json` (the message says it too, in words). */
  readonly fix: string | undefined;
  constructor(code: string, message: string, options: { exitCode?: number; cause?: unknown; fix?: string } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'RolloutError';
    this.code = code;
    this.exitCode = options.exitCode ?? 1;
    this.fix = options.fix;
  }
}

/** Bad flags or arguments: exit 2, nothing changed. */
export class UsageError extends RolloutError {
  constructor(message: string) {
    super('USAGE', message, { exitCode: 2 });
    this.name = 'UsageError';
  }
}

/** Missing or invalid configuration: exit 2; `problems` lists every one at once. */
export class ConfigError extends RolloutError {
  readonly problems: string[];
  constructor(problems: string[]) {
    super('CONFIG', `The configuration has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      exitCode: 2,
    });
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** A fatal problem found while running (app missing from the catalogue, no permission…). */
export class FatalRunError extends RolloutError {
  constructor(code: string, message: string, cause?: unknown, fix?: string) {
    super(code, message, { exitCode: 2, cause, fix });
    this.name = 'FatalRunError';
  }
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
