import type { ChildProcess } from 'node:child_process';
import { spawnCli } from './cli.js';

/** A port that was free a moment ago, so a restarted `serve` can come back on the same address. */
export { freePort } from '../../src/cli/child-cli.js';
import { freePort } from '../../src/cli/child-cli.js';

/** The built CLI's `serve`, running as its own process. */
export interface ServeProcess {
  child: ChildProcess;
  port: number;
  base: string;
  readonly stdout: string;
  readonly stderr: string;
  /** Resolves when the process has exited. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Sends `signal` and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  status(): Promise<{ counts: Record<string, number>; sender: { holdsLease: boolean; results: Record<string, number> } }>;
}

/** Starts `teams-rollout serve --port N` and waits until /healthz answers. */
export async function startServeProcess(env: Record<string, string>, options: { port?: number; args?: string[] } = {}): Promise<ServeProcess> {
  const port = options.port ?? (await freePort());
  const child = spawnCli(['serve', '--port', String(port), ...(options.args ?? [])], env);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  const base = `http://127.0.0.1:${port}`;
  const p: ServeProcess = {
    child,
    port,
    base,
    get stdout() {
      return stdout;
    },
    get stderr() {
      return stderr;
    },
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    async status() {
      return (await (await fetch(`${base}/status`)).json()) as Awaited<ReturnType<ServeProcess['status']>>;
    },
  };
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (done) throw new Error(`serve exited before listening: ${stderr.slice(-500)}`);
    if (Date.now() > deadline) {
      await p.stop('SIGKILL');
      throw new Error(`serve did not answer /healthz on ${port} within 20 s: ${stderr.slice(-500)}`);
    }
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return p;
    await new Promise((r) => setTimeout(r, 50));
  }
}
