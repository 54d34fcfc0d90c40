/**
 * Where and on what the bench ran: the machine, its load, and the commit of the code measured
 * (read only; the bench never changes git state).
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  loadAtStart: number[];
  loadAtEnd: number[];
  /** Short commit id, with a mark when src/ had uncommitted changes. */
  commit: string;
  line: string;
}

export const load = () => loadavg().map((x) => Number(x.toFixed(2)));

function commit(): string {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return 'unknown';
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? ' (+ uncommitted changes in src/)' : ''}`;
}

export function machine(loadAtStart: number[]): Machine {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const cores = cpus().length;
  const memoryGb = Math.round(totalmem() / 2 ** 30);
  const loadAtEnd = load();
  const c = commit();
  return {
    cpu,
    cores,
    memoryGb,
    node: process.version,
    loadAtStart,
    loadAtEnd,
    commit: c,
    line: `${cores} × ${cpu}, ${memoryGb} GB, Node ${process.version}; load average ${loadAtStart.join(' / ')} at the start, ${loadAtEnd.join(' / ')} at the end; code at ${c}`,
  };
}
