import { UsageError } from '../errors.js';
import { FAIL_REASONS, SKIP_REASONS, STATES, type State } from '../ledger/states.js';
import { openReportFile } from './report-out.js';
import { openStore } from '../store/open.js';
import { describeDatabase } from '../store/database-url.js';
import { configFor } from './env.js';
import { ledgerLine } from './render.js';
import { findPerson } from './report-person.js';
import { renderPerson } from './render-person.js';
import { csvHeader, csvLine, toReportRow } from './render-rows.js';
import { layoutTable, tableDataLine, tableHeaderLine, tableWidth } from './table-layout.js';

export interface ReportCliOptions {
  format: 'table' | 'csv' | 'json';
  state?: string[];
  rollout?: string;
  /** One person whole (UPN or object id): text, or JSON with --format/--output json. */
  person?: string;
  /** Only people with this skip or failure reason (repeatable, or comma-separated). */
  reason?: string[];
  /** Write the report to this file instead of stdout. */
  out?: string;
}

const REASONS: readonly string[] = [...SKIP_REASONS, ...FAIL_REASONS];

export function parseReasons(values: string[] | undefined): Set<string> | undefined {
  if (!values?.length) return undefined;
  const reasons = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  const bad = reasons.filter((r) => !REASONS.includes(r));
  if (bad.length) throw new UsageError(`--reason ${bad.join(', ')}: unknown reason. Use one of: ${REASONS.join(', ')}`);
  return new Set(reasons);
}

export function parseStates(values: string[] | undefined): State[] | undefined {
  if (!values?.length) return undefined;
  const states = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  const bad = states.filter((s) => !(STATES as readonly string[]).includes(s));
  if (bad.length) throw new UsageError(`--state ${bad.join(', ')}: unknown state. Use one of: ${STATES.join(', ')}`);
  return states as State[];
}

/** `teams-rollout report`: one row per person in the ledger (or in one rollout), streamed to stdout. */
export async function runReportCommand(o: ReportCliOptions, stdout: NodeJS.WritableStream = process.stdout): Promise<number> {
  const states = parseStates(o.state);
  const reasons = parseReasons(o.reason);
  const config = configFor([]);
  const ledger = describeDatabase(config.databaseUrl, process.cwd());
  // On stderr: stdout is the table, CSV or JSON, and stays exactly that.
  process.stderr.write(`${ledgerLine(ledger)}\n`);
  const store = await openStore(config.databaseUrl, { mustExist: true });
  try {
    if (o.rollout && !(await store.getRollout(o.rollout))) throw new UsageError(`--rollout ${o.rollout}: no such rollout in ${ledger} (teams-rollout status lists the latest).`);
    const person = o.person ? await findPerson(store, o.person, ledger, config.graph.tenantId) : undefined;
    // Opened only once the question is known to be good, so a mistake never empties an existing file.
    const file = o.out ? openReportFile(o.out) : undefined;
    const out = file?.stream ?? stdout;
    let rowsWritten = 0;
    if (person) {
      const row = person;
      const events = await store.history(row.tenantId, row.aadObjectId);
      out.write(`${renderPerson({ row, events, ledger }, o.format === 'json' ? 'json' : 'text')}\n`);
      if (file) await file.done();
      if (file) process.stderr.write(`Wrote ${o.person} to ${file.path}\n`);
      return 0;
    }
    const write = (s: string) => new Promise<void>((resolve) => (out.write(s) ? resolve() : out.once('drain', resolve)));
    let first = true;
    if (o.format === 'json') await write('[');
    else if (o.format === 'csv') await write(`${csvHeader()}\n`);
    let after: { tenantId: string; aadObjectId: string } | undefined;
    const page = () => store.listUsers({ rolloutId: o.rollout, states, after, limit: 1000 });
    const wanted = (r: { reason: string | null }) => !reasons || (!!r.reason && reasons.has(r.reason));
    let rows = await page();
    // The table is laid out for its terminal from the first page (issue 11: 80 columns, no wrapping).
    const columns = o.format === 'table' ? layoutTable(file ? Infinity : tableWidth(stdout as NodeJS.WriteStream, process.env), rows.filter(wanted).map(toReportRow)) : [];
    if (o.format === 'table') await write(`${tableHeaderLine(columns)}\n`);
    for (; rows.length > 0; rows = await page()) {
      after = { tenantId: rows.at(-1)!.tenantId, aadObjectId: rows.at(-1)!.aadObjectId };
      let chunk = '';
      for (const r of rows) {
        if (!wanted(r)) continue;
        rowsWritten++;
        const row = toReportRow(r);
        if (o.format === 'json') {
          chunk += `${first ? '\n' : ',\n'}${JSON.stringify(row)}`;
          first = false;
        } else chunk += `${o.format === 'csv' ? csvLine(row) : tableDataLine(columns, row)}\n`;
      }
      await write(chunk);
    }
    if (o.format === 'json') await write(first ? ']\n' : '\n]\n');
    if (file) {
      await file.done();
      process.stderr.write(`Wrote ${rowsWritten} ${rowsWritten === 1 ? 'person' : 'people'} (${o.format}) to ${file.path}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
