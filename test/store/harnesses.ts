import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PostgresStore } from '../../src/store/postgres.js';
import { SqliteStore } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/types.js';
import type { StoreHarness } from './contract/index.js';

/**
 * The PostgreSQL the tests use: trust auth on the local server by default; set TEST_DATABASE_URL
 * to point elsewhere. Each harness works in its own schema and drops it afterwards.
 */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function openAll<S extends Store>(open: () => S, opened: Store[]): Promise<S> {
  const store = open();
  opened.push(store);
  await store.migrate();
  return store;
}

export async function makeSqliteHarness(): Promise<StoreHarness & { file: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tr-store-'));
  const file = path.join(dir, 'rollout.db');
  const opened: Store[] = [];
  const store = await openAll(() => new SqliteStore(file), opened);
  return {
    store,
    file,
    openAnother: () => openAll(() => new SqliteStore(file), opened),
    async dispose() {
      for (const s of opened) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const randomSchema = (): string => `tr_test_${randomBytes(6).toString('hex')}`;

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

export async function makePostgresHarness(): Promise<StoreHarness & { schema: string }> {
  const schema = randomSchema();
  const opened: Store[] = [];
  const open = () => openAll(() => new PostgresStore({ connectionString: TEST_POSTGRES_URL, schema, maxConnections: 8 }), opened);
  const store = await open();
  return {
    store,
    schema,
    openAnother: open,
    async dispose() {
      for (const s of opened) await s.close();
      await dropSchema(schema);
    },
  };
}
