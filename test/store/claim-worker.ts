/**
 * A sender in its own process, for the two-process test in src/store/sqlite.test.ts: opens the
 * SQLite file, says "ready", waits for "go" on stdin (so both processes start claiming together),
 * then claims and records welcomes until nothing is left, and prints one JSON line of what it did.
 *
 *   node --import tsx test/store/claim-worker.ts FILE CLAIMER BATCH
 */
import { createInterface } from 'node:readline';
import { SqliteStore } from '../../src/store/sqlite.js';

const [file, claimer, batch] = process.argv.slice(2);
if (!file || !claimer || !batch) throw new Error('usage: claim-worker.ts FILE CLAIMER BATCH');

const store = new SqliteStore(file);
await store.migrate();
process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) if (line === 'go') break;

const claimed: string[] = [];
let lostUpdates = 0;
// A fixed clock: the test checks who got whom, not when.
for (let at = 1_750_000_000_000; ; at++) {
  const rows = await store.claimWelcomes(claimer, Number(batch), at);
  if (rows.length === 0) break;
  for (const row of rows) {
    claimed.push(row.aadObjectId);
    // What a sender does after the connector's 201: record it with a compare-and-set on the claimed version.
    const done = await store.updateUser(row.tenantId, row.aadObjectId, row.version, { state: 'welcomed', welcomedAt: at }, { at, from: 'welcoming', to: 'welcomed', reason: null, actor: 'sender' });
    if (!done) lostUpdates++;
  }
}
await store.close();
process.stdout.write(`${JSON.stringify({ claimer, claimed, lostUpdates })}\n`);
lines.close();
