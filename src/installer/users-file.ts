import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.js';

/**
 * `--users FILE` / `--exclude FILE`: a CSV or a plain list, one person a line, by UPN or object id.
 * A header is optional (a first line naming a column such as userPrincipalName, upn, mail, email,
 * id, objectId or aadObjectId); blank lines and lines starting with # are ignored. A malformed line
 * is reported with its line number and the run refuses to start (nothing changed).
 */
export interface UserRef {
  line: number;
  /** A GUID (object id) or a UPN, as written (trimmed, unquoted). */
  value: string;
  kind: 'id' | 'upn';
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const UPN = /^[^\s@,;"']+@[^\s@,;"']+\.[^\s@,;"']+$/;
// Compared without case, spaces, _ and -: "User principal name", "Email Address" (Outlook and admin-center exports) match.
const HEADER_NAMES = ['userprincipalname', 'upn', 'mail', 'email', 'emailaddress', 'primarysmtpaddress', 'signinname', 'id', 'objectid', 'aadobjectid', 'user', 'userid'];
const HEADER_HINT = 'a header row, if any, must name the column: userPrincipalName, UPN, mail, email, Email Address, id or objectId';

/** Splits one CSV line (RFC 4180 quotes) into cells. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === ';' || ch === '\t') {
      cells.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  cells.push(cur.trim());
  return cells;
}

export type LineResult = { kind: 'skip' } | { kind: 'header'; column: number } | { kind: 'ref'; ref: UserRef } | { kind: 'error'; message: string };

/** Pure: reads one line, given the column chosen by a header (if any) and whether a header may still come. */
export function parseLine(raw: string, lineNo: number, column: number | undefined, headerAllowed: boolean): LineResult {
  const line = raw.replace(/^\uFEFF/, '').trim();
  if (line === '' || line.startsWith('#')) return { kind: 'skip' };
  const cells = splitCsvLine(line);
  if (headerAllowed) {
    const idx = cells.findIndex((c) => HEADER_NAMES.includes(c.toLowerCase().replace(/[\s_-]/g, '')));
    if (idx >= 0) return { kind: 'header', column: idx };
  }
  const value = column !== undefined ? cells[column] : cells.find((c) => c !== '');
  if (value === undefined || value === '') return { kind: 'error', message: `line ${lineNo}: no user in column ${column === undefined ? 1 : column + 1}` };
  if (GUID.test(value)) return { kind: 'ref', ref: { line: lineNo, value: value.toLowerCase(), kind: 'id' } };
  if (UPN.test(value)) return { kind: 'ref', ref: { line: lineNo, value, kind: 'upn' } };
  const hint = headerAllowed ? ` (${HEADER_HINT})` : '';
  return { kind: 'error', message: `line ${lineNo}: "${value.slice(0, 80)}" is neither a user principal name (name@domain) nor an object id (GUID)${hint}` };
}

async function* lines(path: string): AsyncGenerator<string> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const done = new Promise<never>((_, reject) => stream.once('error', reject));
  const rl = createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const l of rl) yield l;
  } catch (e) {
    await done.catch(() => undefined);
    throw e;
  }
}

/** Streams the references of a file that `validateUsersFile` accepted. */
export async function* readUsersFile(path: string): AsyncGenerator<UserRef> {
  let column: number | undefined;
  let headerAllowed = true;
  let n = 0;
  for await (const l of lines(path)) {
    const r = parseLine(l, ++n, column, headerAllowed);
    if (r.kind === 'skip') continue;
    headerAllowed = false;
    if (r.kind === 'header') column = r.column;
    else if (r.kind === 'ref') yield r.ref;
  }
}

/** Reads the whole file once before anything starts; throws a UsageError listing the first problems with their line numbers. */
export async function validateUsersFile(path: string, flag: string): Promise<{ count: number }> {
  const errors: string[] = [];
  let column: number | undefined;
  let headerAllowed = true;
  let count = 0;
  let n = 0;
  try {
    for await (const l of lines(path)) {
      const r = parseLine(l, ++n, column, headerAllowed);
      if (r.kind === 'skip') continue;
      headerAllowed = false;
      if (r.kind === 'header') column = r.column;
      else if (r.kind === 'error') errors.push(r.message);
      else count++;
    }
  } catch (e) {
    throw new UsageError(`${flag} ${path}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Check the path.`);
  }
  if (errors.length) {
    const shown = errors.slice(0, 10).map((e) => `  ${e}`).join('\n');
    throw new UsageError(`${flag} ${path} has ${errors.length} malformed line${errors.length > 1 ? 's' : ''}; nothing was changed. Fix ${errors.length > 1 ? 'them' : 'it'} and run again:\n${shown}${errors.length > 10 ? `\n  … and ${errors.length - 10} more` : ''}`);
  }
  if (count === 0) throw new UsageError(`${flag} ${path} names nobody (only blank lines, comments or a header). Put one UPN or object id per line.`);
  return { count };
}
