import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { EXIT_WITH_PARENT } from './parent-watch.js';

/**
 * Runs this same CLI as a child process (demo starts `serve` and `install` this way, so each gets
 * NODE_EXTRA_CA_CERTS at start — Node reads it only then — and so the demo shows the real commands
 * working together). `process.execArgv` carries a loader such as tsx when there is one.
 */
export function spawnSelf(args: string[], env: Record<string, string>, stdio: 'pipe' | 'ignore' = 'pipe'): ChildProcess {
  return spawn(process.execPath, [...process.execArgv, process.argv[1]!, ...args], { env: { ...process.env, ...env, [EXIT_WITH_PARENT]: '1' }, stdio: ['ignore', stdio, stdio] });
}

export function exited(child: ChildProcess): Promise<number> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
}

/** SIGTERM, then SIGKILL if it has not gone within `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = exited(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await done;
  clearTimeout(timer);
}

export async function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitForHealth(url: string, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode} before answering ${url}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** Collects a child's output (for error messages); keeps the last `max` characters. */
export function tail(child: ChildProcess, max = 4000): () => string {
  let out = '';
  const add = (d: Buffer) => {
    out = (out + d.toString()).slice(-max);
  };
  child.stdout?.on('data', add);
  child.stderr?.on('data', add);
  return () => out;
}

/** The last line of a command's output that is a JSON object (what `--output json` prints at the end). */
export function lastJsonLine(text: string): Record<string, unknown> | undefined {
  const line = text.trim().split('\n').reverse().find((l) => l.startsWith('{'));
  try {
    return line ? (JSON.parse(line) as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
