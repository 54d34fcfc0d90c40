/**
 * Runs one program as a child process and measures it the way the kernel accounts for it: peak
 * resident set size and CPU seconds (user + system).
 *
 * How: the child is started through GNU time (`/usr/bin/time -f '%M %U %S %e %x'`), which reads the
 * child's own rusage from wait4() when it exits: exact, whatever the child does, and nothing is added
 * to the program measured. Without /usr/bin/time (another Linux), /proc/<pid>/status VmHWM and
 * /proc/<pid>/stat utime+stime are polled every 100 ms instead (`method` says which was used).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const TIME = '/usr/bin/time';
const TICKS_PER_SECOND = 100; // CLK_TCK on Linux

export interface ProcessUsage {
  name: string;
  method: 'gnu-time' | 'proc-poll' | 'proc-snapshot';
  /** Peak resident set size, MB (ru_maxrss / VmHWM). */
  peakRssMb: number;
  /** User + system CPU, seconds. */
  cpuSeconds: number;
  elapsedSeconds: number;
  exitCode: number | null;
}

export interface MeasuredChild {
  name: string;
  /** What the program printed on stdout so far. */
  stdout(): string;
  /** The last few KB of stdout and stderr, for error messages. */
  tail(): string;
  /** SIGTERM to the program itself (not to the time wrapper), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<ProcessUsage>;
  /** Resolves when the program has exited and its usage is known. */
  done: Promise<ProcessUsage>;
  /** Its usage so far, while it runs (/proc: VmHWM and utime+stime), e.g. to split a long-lived serve between runs. */
  snapshot(): ProcessUsage;
}

let counter = 0;

/** Starts `node <args>` measured; `scratch` is a folder for the time reports. */
export function spawnMeasured(name: string, args: string[], env: Record<string, string>, scratch: string): MeasuredChild {
  const useTime = existsSync(TIME);
  const report = path.join(scratch, `${name.replace(/\W+/g, '-')}-${++counter}.time`);
  const command = useTime ? TIME : process.execPath;
  const argv = useTime ? ['-f', '%M %U %S %e %x', '-o', report, process.execPath, ...args] : args;
  const child = spawn(command, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const started = performance.now();
  const chunks: Buffer[] = [];
  let tailText = '';
  const keepTail = (d: Buffer) => {
    tailText = (tailText + d.toString()).slice(-6000);
  };
  child.stdout!.on('data', (d: Buffer) => {
    chunks.push(d);
    keepTail(d);
  });
  child.stderr!.on('data', keepTail);
  const poll = useTime ? undefined : pollProc(child.pid!);
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const done = exited.then((code): ProcessUsage => {
    const elapsedSeconds = (performance.now() - started) / 1000;
    if (poll) {
      poll.stop();
      return { name, method: 'proc-poll', peakRssMb: poll.peakKb / 1024, cpuSeconds: poll.cpuTicks / TICKS_PER_SECOND, elapsedSeconds, exitCode: code };
    }
    return { name, method: 'gnu-time', ...readTimeReport(report, elapsedSeconds, code) };
  });
  const stop = async (graceMs = 10_000) => {
    const pid = useTime ? innerPid(child.pid!) : child.pid;
    if (child.exitCode === null && pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, graceMs);
      await exited;
      clearTimeout(timer);
    }
    return done;
  };
  const snapshot = (): ProcessUsage => {
    const pid = useTime ? innerPid(child.pid!) : child.pid;
    const now = pid ? readProc(pid) : { peakKb: NaN, cpuTicks: NaN };
    return { name, method: 'proc-snapshot', peakRssMb: now.peakKb / 1024, cpuSeconds: now.cpuTicks / TICKS_PER_SECOND, elapsedSeconds: (performance.now() - started) / 1000, exitCode: null };
  };
  return { name, stdout: () => Buffer.concat(chunks).toString(), tail: () => tailText, stop, done, snapshot };
}

/** Peak RSS (VmHWM, kB) and CPU (utime + stime, ticks) of a live process. */
function readProc(pid: number): { peakKb: number; cpuTicks: number } {
  try {
    const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { peakKb: hwm ? Number(hwm[1]) : NaN, cpuTicks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return { peakKb: NaN, cpuTicks: NaN };
  }
}

/** What a process used since an earlier snapshot: CPU is the difference, peak RSS the peak so far. */
export function usageSince(now: ProcessUsage, earlier: ProcessUsage): ProcessUsage {
  return { ...now, cpuSeconds: now.cpuSeconds - earlier.cpuSeconds, elapsedSeconds: now.elapsedSeconds - earlier.elapsedSeconds };
}

/** The program GNU time started: its only child. */
function innerPid(timePid: number): number | undefined {
  try {
    const children = readFileSync(`/proc/${timePid}/task/${timePid}/children`, 'utf8').trim().split(/\s+/);
    return children[0] ? Number(children[0]) : undefined;
  } catch {
    return undefined;
  }
}

function readTimeReport(file: string, elapsedSeconds: number, code: number | null): Omit<ProcessUsage, 'name' | 'method'> {
  // A program killed by a signal gets a "Command terminated by signal N" line before the figures.
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : [];
  const figures = (lines.at(-1) ?? '').trim().split(/\s+/).map(Number);
  const [maxKb, user, sys, elapsed, status] = figures;
  if (figures.length < 5 || figures.some((n) => !Number.isFinite(n))) return { peakRssMb: NaN, cpuSeconds: NaN, elapsedSeconds, exitCode: code };
  return { peakRssMb: maxKb! / 1024, cpuSeconds: user! + sys!, elapsedSeconds: elapsed!, exitCode: lines.some((l) => l.startsWith('Command terminated by signal')) ? null : status! };
}

function pollProc(pid: number): { peakKb: number; cpuTicks: number; stop(): void } {
  const s = { peakKb: 0, cpuTicks: 0, stop: () => clearInterval(timer) };
  const read = () => {
    const now = readProc(pid);
    if (Number.isFinite(now.peakKb)) s.peakKb = Math.max(s.peakKb, now.peakKb);
    if (Number.isFinite(now.cpuTicks)) s.cpuTicks = now.cpuTicks;
  };
  const timer = setInterval(read, 100);
  return s;
}

export function childDied(c: MeasuredChild, usage: ProcessUsage): Error {
  return new Error(`${c.name} exited with ${usage.exitCode ?? 'a signal'}:\n${c.tail().slice(-2500)}`);
}
