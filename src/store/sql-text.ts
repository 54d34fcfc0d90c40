import { columnList, type ColumnMap } from './columns.js';
import type { Placeholder } from './user-queries.js';

/** SQL text both dialects write the same way (SQLite ≥ 3.35 and PostgreSQL share UPSERT and RETURNING). */

export function placeholders(count: number, ph: Placeholder, first = 1): string {
  return Array.from({ length: count }, (_, i) => ph(first + i)).join(', ');
}

/** INSERT of every column in map order; values come from `valuesOf(columns, row)`. */
export function insertSql<T>(table: string, columns: ColumnMap<T>, ph: Placeholder): string {
  return `INSERT INTO ${table} (${columnList(columns)}) VALUES (${placeholders(Object.keys(columns).length, ph)})`;
}

/** INSERT that overwrites every non-key column when the key exists: a put. */
export function upsertSql<T>(table: string, columns: ColumnMap<T>, keys: readonly (keyof T)[], ph: Placeholder): string {
  const keyColumns = keys.map((k) => columns[k]);
  const assignments = Object.values<string>(columns)
    .filter((c) => !keyColumns.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `${insertSql(table, columns, ph)} ON CONFLICT (${keyColumns.join(', ')}) DO UPDATE SET ${assignments}`;
}
