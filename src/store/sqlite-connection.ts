import Database from 'better-sqlite3';

export interface SqliteStoreOptions {
  /**
   * How long a write waits for another process's transaction (a `serve` beside an `install`, two
   * `serve`s) before failing with SQLITE_BUSY. Our transactions are short, so a wait this long
   * means something is stuck. @default 5000
   */
  busyTimeoutMs?: number;
}

/** Opens the file with the settings every teams-rollout connection needs (most are per connection, not per file). */
export function openSqliteConnection(filename: string, options: SqliteStoreOptions = {}): Database.Database {
  const db = new Database(filename);
  try {
    // busy_timeout first: switching to WAL needs a lock that another process may hold right now.
    db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    // WAL lets readers (`status`) run beside the one writer (https://www.sqlite.org/wal.html).
    db.pragma('journal_mode = WAL');
    // NORMAL is durable against a process crash in WAL mode; only a power loss may drop the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

export interface SqliteConnectionSettings {
  journalMode: string;
  busyTimeoutMs: number;
  /** 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA. */
  synchronous: number;
  foreignKeys: boolean;
}

export function connectionSettings(db: Database.Database): SqliteConnectionSettings {
  const get = (name: string) => db.pragma(name, { simple: true });
  return {
    journalMode: String(get('journal_mode')),
    busyTimeoutMs: Number(get('busy_timeout')),
    synchronous: Number(get('synchronous')),
    foreignKeys: get('foreign_keys') === 1,
  };
}
