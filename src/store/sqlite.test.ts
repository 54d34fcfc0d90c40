import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import Database from 'better-sqlite3';
import { SqliteStore } from './sqlite.js';
import { SQLITE_MIGRATIONS } from './sqlite-schema.js';
import { makeSqliteHarness } from '../../test/store/harnesses.js';
import { oid, seedWelcomable, TENANT } from '../../test/store/contract/fixtures.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface WorkerReport {
  claimer: string;
  claimed: string[];
  lostUpdates: number;
}

/** Starts test/store/claim-worker.ts in its own Node process; resolves once it has the file open. */
function startWorker(file: string, claimer: string, batch: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/store/claim-worker.ts', file, claimer, String(batch)], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  let report: WorkerReport | undefined;
  const ready = new Promise<void>((resolve) => lines.on('line', (line) => (line === 'ready' ? resolve() : (report = JSON.parse(line) as WorkerReport))));
  const done = new Promise<WorkerReport>((resolve, reject) =>
    child.on('close', (code) => (code === 0 && report ? resolve(report) : reject(new Error(`claim worker ${claimer} exited with ${code}`)))),
  );
  return { ready, done, go: () => child.stdin.end('go\n') };
}

describe('SqliteStore on one file shared by several processes', () => {
  it('two processes claiming in a loop never take the same person, and together take everyone', async () => {
    const harness = await makeSqliteHarness();
    try {
      const ids = Array.from({ length: 1500 }, (_, i) => i + 1);
      await seedWelcomable(harness.store, ids);
      const workers = [startWorker(harness.file, 'serve-1', 5), startWorker(harness.file, 'serve-2', 5)];
      await Promise.all(workers.map((w) => w.ready));
      workers.forEach((w) => w.go());
      const reports = await Promise.all(workers.map((w) => w.done));

      const all = reports.flatMap((r) => r.claimed);
      expect(all).to.have.length(ids.length);
      expect(new Set(all)).to.have.property('size', ids.length);
      expect(all).to.have.members(ids.map(oid));
      // Both really ran at the same time, and no recorded outcome was lost to the other.
      for (const r of reports) expect(r.claimed.length, r.claimer).to.be.greaterThan(0);
      expect(reports.map((r) => r.lostUpdates)).to.deep.equal([0, 0]);
      const rows = await harness.store.listUsers({ limit: 5000, tenantId: TENANT });
      expect(rows.every((r) => r.state === 'welcomed' && r.welcomeAttempts === 1)).to.equal(true);
      for (const r of reports) {
        const mine = new Set(r.claimed);
        expect(rows.filter((row) => mine.has(row.aadObjectId)).every((row) => row.claimedBy === r.claimer)).to.equal(true);
      }
    } finally {
      await harness.dispose();
    }
  });

  it('runs in WAL mode with a busy timeout, synchronous=NORMAL and foreign keys on', async () => {
    const harness = await makeSqliteHarness();
    try {
      expect((harness.store as SqliteStore).connectionSettings()).to.deep.equal({ journalMode: 'wal', busyTimeoutMs: 5000, synchronous: 1, foreignKeys: true });
    } finally {
      await harness.dispose();
    }
  });

  it('records its schema version once, and refuses a file from a newer teams-rollout', async () => {
    const harness = await makeSqliteHarness();
    try {
      await harness.store.migrate();
      const db = new Database(harness.file);
      expect(db.prepare('SELECT version FROM schema_version').pluck().all()).to.deep.equal(SQLITE_MIGRATIONS.map((_, i) => i + 1));
      db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (99, 0)').run();
      db.close();
      const error = await harness.store.migrate().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.have.property('code', 'STORE_SCHEMA_TOO_NEW');
      expect((error as Error).message).to.contain(harness.file).and.contain('upgrade teams-rollout');
    } finally {
      await harness.dispose();
    }
  });

  it('says which file to change when the file holds some other database', async () => {
    const harness = await makeSqliteHarness();
    const other = `${harness.file}.other.db`;
    const db = new Database(other);
    db.exec('CREATE TABLE users (id INTEGER PRIMARY KEY)');
    db.close();
    const store = new SqliteStore(other);
    try {
      const error = await store.migrate().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).to.have.property('code', 'STORE_MIGRATION');
      expect((error as Error).message).to.contain(other).and.contain('DATABASE_URL');
    } finally {
      await store.close();
      await harness.dispose();
    }
  });

  it('reports a file that is not a database', async () => {
    const harness = await makeSqliteHarness();
    const notDb = `${harness.file}.txt`;
    writeFileSync(notDb, 'this is not a database, just some text that is long enough to fill a header '.repeat(20));
    try {
      expect(() => new SqliteStore(notDb)).to.throw(/not a database/);
    } finally {
      await harness.dispose();
    }
  });
});

describe('SqliteStore migrations', () => {
  it('upgrades a file made by the first schema in place, keeping its rows', async () => {
    const harness = await makeSqliteHarness();
    const old = `${harness.file}.v1.db`;
    const db = new Database(old);
    db.exec('CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
    db.exec(SQLITE_MIGRATIONS[0]!);
    db.prepare('INSERT INTO schema_version VALUES (1, 0)').run();
    db.prepare("INSERT INTO users (tenant_id, aad_object_id, state, created_at, updated_at, version) VALUES (?, ?, 'pending', 1, 1, 1)").run(TENANT, oid(1));
    db.close();
    const store = new SqliteStore(old);
    try {
      await store.migrate();
      expect(await store.getUser(TENANT, oid(1))).to.include({ state: 'pending', sendStartedAt: null, version: 1 });
    } finally {
      await store.close();
      await harness.dispose();
    }
  });
});
