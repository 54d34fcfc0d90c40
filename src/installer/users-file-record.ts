/**
 * One parsed record of a `--users` / `--exclude` file → a person, a header, or an error with its
 * line number. Pure: the CSV parsing itself is csv-parse's (users-file.ts).
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
export const HEADER_HINT = 'a header row, if any, must name the column: userPrincipalName, UPN, mail, email, Email Address, id or objectId';

export function isHeaderName(cell: string): boolean {
  return HEADER_NAMES.includes(cell.toLowerCase().replace(/[\s_-]/g, ''));
}

export type RecordResult = { kind: 'skip' } | { kind: 'header'; column: number } | { kind: 'ref'; ref: UserRef } | { kind: 'error'; message: string };

/**
 * Reads one record (its cells, trimmed and unquoted), given the column chosen by a header (if
 * any) and whether a header may still come (only the first record may be one).
 */
export function interpretRecord(cells: readonly string[], lineNo: number, column: number | undefined, headerAllowed: boolean): RecordResult {
  if (cells.every((c) => c === '')) return { kind: 'skip' };
  if (headerAllowed) {
    const idx = cells.findIndex(isHeaderName);
    if (idx >= 0) return { kind: 'header', column: idx };
  }
  const value = column !== undefined ? cells[column] : cells.find((c) => c !== '');
  if (value === undefined || value === '') return { kind: 'error', message: `line ${lineNo}: no user in column ${column === undefined ? 1 : column + 1}` };
  if (GUID.test(value)) return { kind: 'ref', ref: { line: lineNo, value: value.toLowerCase(), kind: 'id' } };
  if (UPN.test(value)) return { kind: 'ref', ref: { line: lineNo, value, kind: 'upn' } };
  const hint = headerAllowed ? ` (${HEADER_HINT})` : '';
  return { kind: 'error', message: `line ${lineNo}: ${shown(value)} is neither a user principal name (name@domain) nor an object id (GUID)${hint}` };
}

/** A cell as it may be echoed on a terminal: quoted, cut at 80 characters, control characters escaped. */
export function shown(value: string): string {
  const cut = value.length > 80 ? `${value.slice(0, 80)}…` : value;
  return `"${cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => (c === '\n' ? '\\n' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))}"`;
}
