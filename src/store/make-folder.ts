import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * `mkdir -p`, one level at a time. Node 20's own `mkdirSync(dir, { recursive: true })` never returns
 * when the kernel answers ENOENT for a child of a folder that exists (e.g. /proc/nope: procfs refuses
 * new entries with ENOENT, and Node retries forever), which made `DATABASE_URL=/proc/nope/x.db` and
 * `demo --dir /proc/nope` hang (issue 11 minor). Here every error is thrown at once, with its code.
 */
export function makeFolder(dir: string, mode?: number): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  for (;;) {
    try {
      if (!statSync(at).isDirectory()) throw Object.assign(new Error(`${at} is a file, not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (e) {
      if ((e as { code?: string }).code !== 'ENOENT') throw e;
      missing.unshift(at);
      const up = path.dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  for (const d of missing) {
    try {
      mkdirSync(d, mode === undefined ? undefined : { mode });
    } catch (e) {
      // Another process made it meanwhile: fine.
      if ((e as { code?: string }).code !== 'EEXIST') throw e;
    }
  }
}
