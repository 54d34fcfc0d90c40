#!/usr/bin/env node
/**
 * The bin entry: runs the CLI and maps errors to exit codes in one place
 * (PRODUCT.md §3: 0 done, 1 finished with failed users, 2 usage or configuration error).
 */
import { CommanderError } from 'commander';
import { buildProgram } from './cli/commands.js';
import { RolloutError } from './errors.js';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2; // commander printed the message (or help) already
    if (e instanceof RolloutError) {
      process.stderr.write(`teams-rollout: ${e.message}\n`);
      if (verbose && e.cause) process.stderr.write(`${(e.cause as Error)?.stack ?? String(e.cause)}\n`);
      return e.exitCode;
    }
    process.stderr.write(`teams-rollout: ${e instanceof Error ? e.message : String(e)}\n`);
    if (verbose) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    else process.stderr.write('Run again with --verbose for the stack trace.\n');
    return 1;
  }
}

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`teams-rollout: ${String(e)}\n`);
    process.exitCode = 1;
  },
);
