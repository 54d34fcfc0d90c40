import type { ReportRow } from './render-rows.js';

/**
 * `report --format table` laid out for the terminal it is read in (issue 11: at 80 columns each row
 * wrapped to 3 lines). Pure: (width, a sample of rows) → the columns to show and their widths.
 *
 * Columns are taken in order of use to an administrator: who, what state and why (always, whole
 * unless the terminal is very narrow), then the detail (what the service said: the fix starts there)
 * when at least 20 characters of it fit, then attempts, times, the service code and the object id,
 * each only if it fits whole; what is left widens the detail. Each column is as wide as the sample's
 * longest value (never wider than its cap); a later value longer than its column is cut with "…". With
 * no width (a file, a pipe without COLUMNS) every column is shown, empty or not, and the detail, last,
 * is never cut.
 */
export interface TableColumn {
  header: string;
  value: (r: ReportRow) => string;
  width: number;
}

interface ColumnSpec {
  header: string;
  value: (r: ReportRow) => string;
  /** The widest it gets; Infinity for the detail, which takes what is left. */
  cap: number;
  /** The UPN gives way down to this on a narrow terminal; the detail is shown only with this much room. */
  floor?: number;
}

/** `2026-12-07T07:36:52Z`: the table drops the milliseconds (CSV and JSON keep the full ISO time). */
const time = (iso: string | null) => (iso ? iso.replace(/\.\d{3}Z$/, 'Z') : '');

/** Display order, left to right. */
const SPECS: Record<string, ColumnSpec> = {
  upn: { header: 'UPN', value: (r) => r.userPrincipalName ?? '', cap: 46, floor: 20 },
  objectId: { header: 'OBJECT ID', value: (r) => r.aadObjectId, cap: 36 },
  state: { header: 'STATE', value: (r) => r.state, cap: 17 },
  reason: { header: 'REASON', value: (r) => r.reason ?? '', cap: 22 },
  serviceCode: { header: 'SERVICE CODE', value: (r) => r.serviceCode ?? '', cap: 26 },
  tries: { header: 'TRIES', value: (r) => `${r.installAttempts}/${r.welcomeAttempts}`, cap: 5 },
  installedAt: { header: 'INSTALLED AT', value: (r) => time(r.installedAt), cap: 20 },
  welcomedAt: { header: 'WELCOMED AT', value: (r) => time(r.welcomedAt), cap: 20 },
  detail: { header: 'DETAIL', value: (r) => r.detail ?? '', cap: Infinity, floor: 20 },
};
const DISPLAY_ORDER = ['upn', 'objectId', 'state', 'reason', 'serviceCode', 'tries', 'installedAt', 'welcomedAt', 'detail'];
/** After UPN, STATE, REASON and the detail, these in turn while they fit whole. */
const OPTIONAL = ['tries', 'welcomedAt', 'installedAt', 'serviceCode', 'objectId'];
const MUST = ['upn', 'state', 'reason'];

/** One space between columns. */
const GAP = 1;

export function layoutTable(width: number, sample: readonly ReportRow[]): TableColumn[] {
  const natural = (key: string) => {
    const spec = SPECS[key]!;
    const longest = sample.reduce((n, r) => Math.max(n, spec.value(r).length), spec.header.length);
    return Math.min(spec.cap, longest);
  };
  // On a terminal only a column with something to say is shown (the three that say who and what
  // excepted); with no width to fit, every column, so that a file's header is always the same.
  const hasValues = (key: string) => width === Infinity || sample.some((r) => SPECS[key]!.value(r) !== '');
  const widths = new Map<string, number>();
  const used = () => [...widths.values()].reduce((a, b) => a + b, 0) + GAP * Math.max(0, widths.size - 1);
  // Who, what and why, whole; on a narrow terminal the UPN gives way, down to its floor.
  for (const key of MUST) widths.set(key, natural(key));
  const over = used() - width;
  if (over > 0) widths.set('upn', Math.max(SPECS.upn!.floor!, natural('upn') - over));
  // The detail when there is room for a useful part of it, then the short columns that fit whole.
  if (hasValues('detail') && used() + GAP + SPECS.detail!.floor! <= width) widths.set('detail', SPECS.detail!.floor!);
  for (const key of OPTIONAL) {
    if (hasValues(key) && used() + GAP + natural(key) <= width) widths.set(key, natural(key));
  }
  // What is left widens the detail.
  if (widths.has('detail')) widths.set('detail', Math.min(natural('detail'), widths.get('detail')! + Math.max(0, width - used())));
  const columns = DISPLAY_ORDER.filter((k) => widths.has(k)).map((k) => ({ header: SPECS[k]!.header, value: SPECS[k]!.value, width: widths.get(k)! }));
  // Nothing to fit: the last column (the detail when there is one) is never cut, whatever later rows hold.
  if (width === Infinity) columns.at(-1)!.width = Infinity;
  return columns;
}

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, Math.max(0, n - 1))}…` : s);

/** One line: each value on one line, cut to its column and padded; no trailing spaces. */
export function tableRow(columns: readonly TableColumn[], cells: readonly string[]): string {
  return columns
    .map((c, i) => {
      const v = cut(cells[i]!.replace(/[\r\n\t]+/g, ' '), c.width);
      return i === columns.length - 1 ? v : v.padEnd(c.width);
    })
    .join(' '.repeat(GAP))
    .trimEnd();
}

export const tableHeaderLine = (columns: readonly TableColumn[]) => tableRow(columns, columns.map((c) => c.header));
export const tableDataLine = (columns: readonly TableColumn[], r: ReportRow) => tableRow(columns, columns.map((c) => c.value(r)));

/** The width to fit: the terminal's, else COLUMNS, else none (a file or a pipe: nothing is cut to fit). */
export function tableWidth(out: { isTTY?: boolean; columns?: number }, env: Record<string, string | undefined>): number {
  if (out.isTTY && out.columns && out.columns > 0) return out.columns;
  const columns = Number(env.COLUMNS);
  return Number.isInteger(columns) && columns > 0 ? columns : Infinity;
}
