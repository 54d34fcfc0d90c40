/**
 * A micro-benchmark of the two stores' hot paths (not a test): rows per second of
 *   - insertUsers (one call for all rows),
 *   - claimWelcomes(claimer, 50, …) until the queue is empty, as the sender drains it,
 *   - updateUser (the compare-and-set that records each welcome), one row at a time,
 *     and for PostgreSQL also with 8 writers at once, as replicas would.
 *
 *   npx tsx scripts/store-bench.ts [--rows 10000] [--postgres postgres://postgres@127.0.0.1:5432/test]
 *
 * SQLite runs on a file in the temp folder (WAL, synchronous=NORMAL, as in production); PostgreSQL in
 * a throwaway schema that is dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../src/store/postgres.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { NewUser, Store, UserRow } from '../src/store/types.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '10000' }, postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' } },
});
const ROWS = Number(values.rows);
const T0 = 1_750_000_000_000;
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';

interface Result {
  store: string;
  operation: string;
  rows: number;
  ms: number;
}

async function timed(store: string, operation: string, fn: () => Promise<number>): Promise<Result> {
  const start = performance.now();
  const rows = await fn();
  return { store, operation, rows, ms: performance.now() - start };
}

const people = (): NewUser[] =>
  Array.from({ length: ROWS }, (_, i) => ({
    tenantId: TENANT,
    aadObjectId: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    userPrincipalName: `user${i}@contoso.com`,
    displayName: `User ${i}`,
    locale: 'en-GB',
    state: 'reference_ready',
    reason: null,
    rolloutId: 'bench',
  }));

async function bench(name: string, store: Store, extraWriters: number, afterSeed: () => Promise<void> = async () => {}): Promise<Result[]> {
  await store.migrate();
  const results: Result[] = [];
  const users = people();
  results.push(await timed(name, 'insertUsers (one call)', () => store.insertUsers(users, T0, 'bench')));
  for (const [i, u] of users.entries()) {
    await store.putReference({ tenantId: TENANT, aadObjectId: u.aadObjectId, conversationId: `a:${i}`, serviceUrl: 'https://smba.trafficmanager.net/emea/', userId: null, botId: null, source: 'graph', capturedAt: T0 + i });
  }

  await afterSeed();

  const claimed: UserRow[] = [];
  results.push(
    await timed(name, 'claimWelcomes(…, 50, …)', async () => {
      for (let batch = await store.claimWelcomes('bench', 50, T0 + 1); batch.length; batch = await store.claimWelcomes('bench', 50, T0 + 1)) claimed.push(...batch);
      return claimed.length;
    }),
  );
  if (claimed.length !== ROWS) throw new Error(`claimed ${claimed.length} of ${ROWS}`);

  const record = (row: UserRow) =>
    store.updateUser(row.tenantId, row.aadObjectId, row.version, { state: 'welcomed', welcomedAt: T0 + 2, welcomeActivityId: '1:abc', claimedBy: null, claimedAt: null }, {
      at: T0 + 2,
      from: 'welcoming',
      to: 'welcomed',
      reason: null,
      actor: 'sender',
    });
  const half = claimed.length / 2;
  results.push(
    await timed(name, 'updateUser (1 writer)', async () => {
      for (const row of claimed.slice(0, half)) if (!(await record(row))) throw new Error('CAS lost without a competitor');
      return half;
    }),
  );
  if (extraWriters > 1) {
    const rest = claimed.slice(half);
    results.push(
      await timed(name, `updateUser (${extraWriters} writers)`, async () => {
        await Promise.all(Array.from({ length: extraWriters }, async (_, w) => {
          for (let i = w; i < rest.length; i += extraWriters) await record(rest[i]!);
        }));
        return rest.length;
      }),
    );
  }
  return results;
}

async function admin(fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new pg.Client({ connectionString: values.postgres });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

const dir = mkdtempSync(path.join(tmpdir(), 'tr-bench-'));
const schema = `tr_bench_${randomBytes(4).toString('hex')}`;
const results: Result[] = [];
try {
  const sqlite = new SqliteStore(path.join(dir, 'bench.db'));
  results.push(...(await bench('sqlite', sqlite, 1)));
  await sqlite.close();
  const postgres = new PostgresStore({ connectionString: values.postgres, schema, maxConnections: 8 });
  try {
    // What autovacuum does within a minute of a bulk load (autovacuum_naptime): without statistics the
    // planner takes the freshly filled users table for empty and sorts the whole queue on every claim
    // (about 10x slower) instead of walking users_welcome_queue.
    const analyze = () => admin((c) => c.query(`ANALYZE "${schema}".users; ANALYZE "${schema}".conversation_references`));
    results.push(...(await bench('postgres', postgres, 8, analyze)));
  } finally {
    await postgres.close();
    await admin((c) => c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(`store micro-benchmark, ${ROWS} rows, Node ${process.version}`);
for (const r of results) {
  console.log(`${r.store.padEnd(9)} ${r.operation.padEnd(26)} ${String(r.rows).padStart(6)} rows in ${r.ms.toFixed(0).padStart(6)} ms = ${Math.round((r.rows / r.ms) * 1000).toLocaleString('en-US').padStart(9)} rows/s`);
}
