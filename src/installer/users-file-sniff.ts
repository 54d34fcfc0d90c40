/**
 * What a `--users` / `--exclude` file is, judged from its first bytes before it is parsed: a text
 * or CSV file (and which delimiter its header uses), or something else that must not be parsed
 * (a spreadsheet saved as .xlsx, an image, a UTF-16 "Unicode text" export). Pure functions.
 */
import { isHeaderName } from './users-file-record.js';

export type Delimiter = ',' | ';' | '\t';
const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

/** How much of the file is looked at: enough for the header and the first lines. */
export const SNIFF_BYTES = 64 * 1024;

export type Sniffed = { kind: 'text'; delimiter: Delimiter } | { kind: 'binary'; why: string };

/**
 * Text or not. A NUL byte, or control characters (other than tab, line breaks and form feed)
 * making up more than 1% of the sample, mean binary: a CSV or a list never holds them, and echoing
 * them would garble the terminal. Bytes that are not UTF-8 are NOT refused: Excel's "CSV" on
 * Windows is saved in the ANSI code page (Müller in cp1252), and only the names, never a UPN, hold them.
 */
export function sniff(sample: Uint8Array): Sniffed {
  if ((sample[0] === 0xff && sample[1] === 0xfe) || (sample[0] === 0xfe && sample[1] === 0xff)) {
    return { kind: 'binary', why: 'it is saved as UTF-16 ("Unicode text"); save it as "CSV UTF-8" or plain text' };
  }
  let controls = 0;
  for (const b of sample) {
    if (b === 0) return { kind: 'binary', why: binaryWhy(sample) };
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) || b === 0x7f) controls++;
  }
  if (controls > 0 && controls / sample.length > 0.01) return { kind: 'binary', why: binaryWhy(sample) };
  return { kind: 'text', delimiter: chooseDelimiter(new TextDecoder('utf-8').decode(sample)) };
}

function binaryWhy(sample: Uint8Array): string {
  // A .xlsx (or .docx) is a zip archive: "PK\x03\x04".
  if (sample[0] === 0x50 && sample[1] === 0x4b && sample[2] === 0x03 && sample[3] === 0x04) return 'it looks like a spreadsheet or another zip archive (.xlsx); in Excel, use Save As → "CSV UTF-8"';
  return 'it holds binary data; give a CSV file or a plain list, one UPN or object id per line';
}

/**
 * The delimiter, taken once from the first line that is not blank or a comment: when it is a
 * header, the delimiter that sets a known column name apart (so "Display name,User principal
 * name" is comma-separated and "name;upn" semicolon-separated); otherwise the one that occurs
 * most outside quotes. A single-column file gets a comma, which it never contains.
 */
export function chooseDelimiter(text: string): Delimiter {
  const first = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  if (first === undefined) return ',';
  const counts = DELIMITERS.map((d) => ({ d, cells: splitOutsideQuotes(first, d) }));
  const naming = counts.filter((c) => c.cells.length > 1 && c.cells.some(isHeaderName));
  const pool = naming.length ? naming : counts;
  const best = pool.reduce((a, b) => (b.cells.length > a.cells.length ? b : a));
  return best.cells.length > 1 ? best.d : ',';
}

/** Splits one line on `d`, leaving quoted parts whole (only for sniffing; the parser does the real work). */
function splitOutsideQuotes(line: string, d: Delimiter): string[] {
  const cells: string[] = [];
  let cur = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (ch === d && !quoted) {
      cells.push(cur.trim());
      cur = '';
      continue;
    }
    cur += ch;
  }
  cells.push(cur.trim().replace(/^"|"$/g, ''));
  return cells.map((c) => c.replace(/^"|"$/g, ''));
}
