#!/usr/bin/env node
/**
 * The bin entry: runs the CLI and maps errors to exit codes in one place
 * (PRODUCT.md §3: 0 done, 1 finished with failed users, 2 usage or configuration error).
 */
import { CommanderError } from 'commander';
import { buildProgram } from './cli/commands.js';
import { commandOf, errorObject, exitCodeOf, wantsJson } from './cli/render-error.js';
import { RolloutError } from './errors.js';

// `report | head -1`, `status --watch | head`: the reader has what it wanted. Leave quietly, as
// Unix tools do on a closed pipe, instead of "Error: write EPIPE" and a stack.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv);
    return process.exitCode === undefined ? 0 : Number(process.exitCode);
  } catch (e) {
    const code = exitCodeOf(e);
    if (e instanceof CommanderError && code === 0) return 0; // --help or --version, printed already
    if (wantsJson(argv)) {
      // A machine asked: one JSON object on stdout, whatever went wrong (commander also printed its line to stderr).
      process.stdout.write(`${JSON.stringify(errorObject(e, commandOf(argv)))}\n`);
      return code;
    }
    if (e instanceof CommanderError) return code; // commander printed the message already
    if (e instanceof RolloutError) {
      process.stderr.write(`teams-rollout: ${e.message}\n`);
      if (verbose && e.cause) process.stderr.write(`${(e.cause as Error)?.stack ?? String(e.cause)}\n`);
      return code;
    }
    process.stderr.write(`teams-rollout: ${e instanceof Error ? e.message : String(e)}\n`);
    if (verbose) process.stderr.write(`${(e as Error)?.stack ?? ''}\n`);
    else process.stderr.write('Run again with --verbose for the stack trace.\n');
    return code;
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
