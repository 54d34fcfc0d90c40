import { CommanderError } from 'commander';
import { ConfigError, RolloutError, UsageError } from '../errors.js';
import type { Output } from './output-schemas.js';

/** What an error becomes for a machine (`--output json`): one object, always the same keys. */
export type ErrorObject = Output<'error'>;

/** The exit code main.ts gives an error (PRODUCT.md §3: 2 usage or configuration, nothing changed). */
export function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (e instanceof RolloutError) return e.exitCode;
  return 1;
}

/** The fix, where the error's kind tells one; the message itself already says it for most. */
function fixOf(e: unknown, command: string): string | null {
  if (e instanceof RolloutError && e.fix) return e.fix;
  if (e instanceof ConfigError) return 'set the variables listed (in the environment or .env); `teams-rollout doctor` checks them one by one';
  if (e instanceof UsageError || e instanceof CommanderError) return `see \`teams-rollout ${command || '<command>'} --help\` for the options`;
  return null;
}

function codeOf(e: unknown): string {
  if (e instanceof RolloutError) return e.code;
  if (e instanceof CommanderError) return 'USAGE';
  return 'UNEXPECTED';
}

/** Commander's own messages start with "error: "; ours are whole sentences. */
function messageOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return e instanceof CommanderError ? text.replace(/^error: /, '') : text;
}

export function errorObject(e: unknown, command: string): ErrorObject {
  return { error: { code: codeOf(e), message: messageOf(e), fix: fixOf(e, command), exitCode: exitCodeOf(e) } };
}

/** Whether the command line asks for machine output (`--output json`, `--output=json`, `report --format json`). */
export function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--output=json' || a === '--format=json' || ((a === '--output' || a === '--format') && argv[i + 1] === 'json'));
}

/** The command's name: the first argument that is not an option (for the --help hint). */
export function commandOf(argv: readonly string[]): string {
  return argv.slice(2).find((a) => !a.startsWith('-')) ?? '';
}
