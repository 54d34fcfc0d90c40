import { createWriteStream, openSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';

/**
 * `report --out FILE`: the report goes to a file instead of stdout. The file is opened before the
 * ledger is read, so a folder that does not exist or cannot be written is a usage error (exit 2)
 * with the fix, not a half-written report.
 */
export function openReportFile(file: string): { stream: NodeJS.WritableStream; done: () => Promise<void>; path: string } {
  const full = path.resolve(file);
  let fd: number;
  try {
    fd = openSync(full, 'w');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' || code === 'EPERM' ? 'it cannot be written (permissions)' : code === 'EISDIR' ? 'it is a folder' : (e as Error).message;
    throw new UsageError(`--out ${file}: cannot write ${full}: ${why}. Give a file in a folder you can write to.`);
  }
  const stream = createWriteStream(full, { fd });
  const done = () =>
    new Promise<void>((resolve, reject) => {
      stream.once('error', reject);
      stream.end(() => resolve());
    });
  return { stream, done, path: full };
}
