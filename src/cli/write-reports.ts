import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Store } from '../store/types.js';
import { csvHeader, csvLine, toReportRow } from './render-rows.js';

/** Writes report.csv and report.json (one row per person) by streaming the ledger. */
export async function writeReportFiles(store: Store, csvPath: string, jsonPath: string, filter: { rolloutId?: string } = {}): Promise<number> {
  const csv = createWriteStream(csvPath);
  const json = createWriteStream(jsonPath);
  const put = async (s: NodeJS.WritableStream, text: string) => {
    if (!s.write(text)) await once(s, 'drain');
  };
  await put(csv, `${csvHeader()}\n`);
  await put(json, '[');
  let n = 0;
  let after: { tenantId: string; aadObjectId: string } | undefined;
  for (;;) {
    const rows = await store.listUsers({ rolloutId: filter.rolloutId, after, limit: 1000 });
    if (rows.length === 0) break;
    after = { tenantId: rows.at(-1)!.tenantId, aadObjectId: rows.at(-1)!.aadObjectId };
    let c = '';
    let j = '';
    for (const r of rows) {
      const row = toReportRow(r);
      c += `${csvLine(row)}\n`;
      j += `${n++ === 0 ? '\n' : ',\n'}${JSON.stringify(row)}`;
    }
    await put(csv, c);
    await put(json, j);
  }
  await put(json, n ? '\n]\n' : ']\n');
  csv.end();
  json.end();
  await Promise.all([once(csv, 'finish'), once(json, 'finish')]);
  return n;
}
