import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

/** The built CLI, run as a real process (e2e tests exercise what users run: `npm test` builds it first). */
export const BIN = path.resolve('dist', 'main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** @param cwd the folder the command runs in (default: this process's). */
export function spawnCli(args: string[], env: Record<string, string>, cwd?: string): ChildProcess {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` (npm test does it)`);
  return spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
}

/** Runs the CLI to the end (or until `killWhen` says so, then SIGKILL). */
export function runCli(args: string[], env: Record<string, string>, options: { timeoutMs?: number; killWhen?: () => boolean; killSignal?: NodeJS.Signals; cwd?: string } = {}): Promise<CliResult> {
  const child = spawnCli(args, env, options.cwd);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const poll = options.killWhen
    ? setInterval(() => {
        // Once: a second SIGINT is "Ctrl-C twice", which a CLI may rightly treat as "stop now".
        if (options.killWhen!()) {
          child.kill(options.killSignal ?? 'SIGKILL');
          clearInterval(poll);
        }
      }, 20)
    : undefined;
  return new Promise((resolve) =>
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ code, signal, stdout, stderr });
    }),
  );
}
