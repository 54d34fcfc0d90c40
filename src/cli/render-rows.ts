import type { UserRow } from '../store/types.js';
import type { ReportRowOutput } from './output-schemas.js';

/**
 * Report rows (PRODUCT.md §2 "Report": one row per targeted person, nobody missing) in the three
 * formats of `report --format` (the table is laid out in table-layout.ts). Streamed: each function renders one row, so a report of 100,000
 * people never sits in memory.
 */
/** A row as schemas/report.schema.json describes it; times are ISO 8601, for people and spreadsheets. */
export type ReportRow = ReportRowOutput;

const iso = (ms: number | null) => (ms ? new Date(ms).toISOString() : null);

export function toReportRow(r: UserRow): ReportRow {
  return {
    userPrincipalName: r.userPrincipalName,
    aadObjectId: r.aadObjectId,
    displayName: r.displayName,
    state: r.state,
    reason: r.reason,
    statusCode: r.statusCode,
    serviceCode: r.serviceCode,
    detail: r.detail,
    installAttempts: r.installAttempts,
    welcomeAttempts: r.welcomeAttempts,
    installedAt: iso(r.installedAt),
    welcomedAt: iso(r.welcomedAt),
    optedOut: !!r.optedOutAt,
    rolloutId: r.rolloutId,
    tenantId: r.tenantId,
  };
}

const CSV_COLUMNS: (keyof ReportRow)[] = ['userPrincipalName', 'aadObjectId', 'displayName', 'state', 'reason', 'statusCode', 'serviceCode', 'installAttempts', 'welcomeAttempts', 'installedAt', 'welcomedAt', 'optedOut', 'rolloutId', 'detail'];

/** RFC 4180: quote cells with commas, quotes or line breaks; a leading =,+,-,@ is defused for spreadsheets. */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvHeader = () => CSV_COLUMNS.join(',');
export const csvLine = (r: ReportRow) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(',');
