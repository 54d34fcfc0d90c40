import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ledgerFolder } from './default-ledger.js';

/** The old default, beside the working folder, before the ledger moved to the user's data folder. */
export const OLD_DEFAULT_LEDGER = 'teams-rollout.db';

export interface CandidateWhere {
  /** The ledger in use (a full path, or a PostgreSQL description): never offered as the other one. */
  current: string;
  cwd: string;
  /** The folder of the default ledgers (ledgerFolder). */
  folder: string;
}

/**
 * The ledgers a run may have meant, most recently changed first: every other *.db in the default
 * ledgers' folder, and ./teams-rollout.db in the working folder (the default before issue 11).
 * Reads the disk, changes nothing; a folder it cannot read offers nothing.
 */
export function findOtherLedgers(w: CandidateWhere): string[] {
  const found = new Map<string, number>();
  const consider = (file: string) => {
    if (path.resolve(file) === path.resolve(w.current) || found.has(file)) return;
    try {
      const s = statSync(file);
      if (s.isFile() && s.size > 0) found.set(file, s.mtimeMs);
    } catch {
      // not there, or not ours to read
    }
  };
  let names: string[] = [];
  try {
    names = readdirSync(w.folder);
  } catch {
    names = [];
  }
  for (const name of names) if (name.endsWith('.db')) consider(path.join(w.folder, name));
  consider(path.resolve(w.cwd, OLD_DEFAULT_LEDGER));
  return [...found.entries()].sort((a, b) => b[1] - a[1]).map(([file]) => file);
}

/** findOtherLedgers for this process: its data folder and working folder. */
export function otherLedgersHere(current: string, env: Record<string, string | undefined> = process.env): string[] {
  return findOtherLedgers({ current, cwd: process.cwd(), folder: ledgerFolder(process.platform, env, os.homedir()) });
}
