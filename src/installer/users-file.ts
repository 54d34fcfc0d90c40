import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { parse, CsvError } from 'csv-parse';
import { UsageError } from '../errors.js';
import { interpretRecord, type UserRef } from './users-file-record.js';
import { SNIFF_BYTES, sniff, type Delimiter } from './users-file-sniff.js';

export type { UserRef } from './users-file-record.js';

/**
 * `--users FILE` / `--exclude FILE`: a CSV or a plain list, one person a record, by UPN or object
 * id. A header is optional (a first record naming a column such as userPrincipalName, upn, mail,
 * email, id, objectId or aadObjectId); blank lines and lines starting with # are ignored. The
 * delimiter (comma, semicolon or tab) is taken once from the header (users-file-sniff.ts), and
 * csv-parse reads the file as a stream (RFC 4180 quotes, a quoted field may span lines). A
 * malformed record is reported with its line number and the run refuses to start (nothing changed).
 */
type Item = { kind: 'ref'; ref: UserRef } | { kind: 'error'; message: string };

/** \r\n and lone \r become \n, so that the line numbers csv-parse counts are the editor's (a \r\n split across chunks too). */
class NormalizeNewlines extends Transform {
  private pendingCr = false;
  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let text = (this.pendingCr ? '\r' : '') + chunk.toString('latin1');
    this.pendingCr = text.endsWith('\r');
    if (this.pendingCr) text = text.slice(0, -1);
    done(null, Buffer.from(text.replace(/\r\n?/g, '\n'), 'latin1'));
  }
  override _flush(done: TransformCallback): void {
    done(null, this.pendingCr ? Buffer.from('\n') : undefined);
  }
}

async function readSample(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Streams every record as a person or an error; throws a UsageError for a file that is not text. */
async function* items(path: string, flag: string, delimiter: Delimiter): AsyncGenerator<Item> {
  const parser = parse({
    delimiter,
    bom: true,
    record_delimiter: '\n',
    comment: '#',
    // A # inside a record is data (guests' UPNs hold #EXT#): only lines that start with # are comments.
    comment_no_infix: true,
    skip_empty_lines: true,
    // Excel exports rows of empty cells (",,,") for formatted but empty rows.
    skip_records_with_empty_values: true,
    relax_column_count: true,
    relax_quotes: true,
    trim: true,
    info: true,
  });
  const source = createReadStream(path);
  const fail = (e: unknown) => parser.destroy(e as Error);
  source.once('error', fail);
  source.pipe(new NormalizeNewlines()).pipe(parser);
  let column: number | undefined;
  let headerAllowed = true;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      // info.lines is the record's last line; a quoted field spanning lines started earlier.
      const line = info.lines - record.reduce((n, c) => n + (c.match(/\n/g)?.length ?? 0), 0);
      const r = interpretRecord(record, line, column, headerAllowed);
      if (r.kind === 'skip') continue;
      headerAllowed = false;
      if (r.kind === 'header') column = r.column;
      else yield r;
    }
  } catch (e) {
    if (e instanceof CsvError) {
      yield { kind: 'error', message: `line ${(e as CsvError & { lines?: number }).lines ?? '?'}: ${csvProblem(e)}` };
      return;
    }
    throw new UsageError(`${flag} ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check the path.`);
  } finally {
    source.destroy();
  }
}

function csvProblem(e: CsvError): string {
  if (e.code === 'CSV_QUOTE_NOT_CLOSED') return 'a quoted field is never closed: the file ends inside quotes (add the closing ")';
  return e.message.replace(/\s*at line \d+/, '');
}

/** Checks that the file exists and is text; returns the delimiter its header uses. */
async function delimiterOf(path: string, flag: string): Promise<Delimiter> {
  let sample: Buffer;
  try {
    sample = await readSample(path);
  } catch (e) {
    throw new UsageError(`${flag} ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check the path.`);
  }
  const s = sniff(sample);
  if (s.kind === 'binary') throw new UsageError(`${flag} ${path} is not a text or CSV file: ${s.why}. Nothing was changed.`);
  return s.delimiter;
}

/** Streams the references of a file that `validateUsersFile` accepted. */
export async function* readUsersFile(path: string, flag = '--users'): AsyncGenerator<UserRef> {
  const delimiter = await delimiterOf(path, flag);
  for await (const it of items(path, flag, delimiter)) if (it.kind === 'ref') yield it.ref;
}

/** Reads the whole file once before anything starts; throws a UsageError listing the first problems with their line numbers. */
export async function validateUsersFile(path: string, flag: string): Promise<{ count: number }> {
  const delimiter = await delimiterOf(path, flag);
  const errors: string[] = [];
  let count = 0;
  for await (const it of items(path, flag, delimiter)) {
    if (it.kind === 'error') errors.push(it.message);
    else count++;
  }
  if (errors.length) {
    const shown = errors.slice(0, 10).map((e) => `  ${e}`).join('\n');
    throw new UsageError(`${flag} ${path} has ${errors.length} malformed line${errors.length > 1 ? 's' : ''}; nothing was changed. Fix ${errors.length > 1 ? 'them' : 'it'} and run again:\n${shown}${errors.length > 10 ? `\n  … and ${errors.length - 10} more` : ''}`);
  }
  if (count === 0) throw new UsageError(`${flag} ${path} names nobody (only blank lines, comments or a header). Put one UPN or object id per line.`);
  return { count };
}
