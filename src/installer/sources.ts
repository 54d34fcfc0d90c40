import type { Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../clock.js';
import { BATCH_MAX_REQUESTS, findUsers, IN_MAX_VALUES, lookupKey } from '../graph/user-lookup.js';
import { groupUsers, usersDelta, type DirectoryUser, type UserPage } from '../graph/users.js';
import type { Store } from '../store/types.js';
import { readUsersFile, type UserRef } from './users-file.js';

/** Who a run targets (PRODUCT.md §2): everyone, groups (transitive, users only), or a file. */
export interface TargetSpec {
  allUsers: boolean;
  groups: string[];
  usersFile?: string | undefined;
  /** Follow the delta link saved by the previous --all-users run: only people added or changed since. */
  deltaLink?: string | undefined;
}

/** A person named in a file whom the directory does not know. */
export interface Unresolved {
  ref: UserRef;
}

export interface TargetPage {
  users: DirectoryUser[];
  unresolved: Unresolved[];
  deltaLink?: string | undefined;
}

export function describeTargets(spec: TargetSpec): string {
  const parts: string[] = [];
  if (spec.deltaLink) parts.push('--all-users --since-last');
  else if (spec.allUsers) parts.push('--all-users');
  for (const g of spec.groups) parts.push(`--group ${g}`);
  if (spec.usersFile) parts.push(`--users ${spec.usersFile}`);
  return parts.join(' ');
}

export interface TargetOptions {
  clock: Clock;
  /** Ctrl-C: ends the look-ups under way (and their pacing waits) at once. */
  signal?: AbortSignal | undefined;
  /** Where the people a file names are kept once found, so that a resumed run does not look them up again. */
  lookups?: LookupMemory | undefined;
}

export interface LookupMemory {
  store: Store;
  tenantId: string;
  /** Reuse answers saved since then (a resume), or none (undefined). */
  reuseSince: number | undefined;
  /** Save the answers (not in a dry run, which writes nothing). */
  save: boolean;
}

/**
 * How long the people found by an interrupted run stay good for its resume: long enough for "run
 * the same command" after a night, short enough that a change in the directory (an account
 * disabled, a licence removed) is seen by the next day's run. Only found people are kept: someone
 * not found is asked again, since they may have been added since.
 */
export const LOOKUP_REUSE_MS = 24 * 60 * 60 * 1000;

/**
 * The targets as a stream of pages, never all in memory (PRODUCT.md §5). Everyone is read through
 * /users/delta so that the last page hands over a delta link for the next `--since-last`.
 */
export async function* targetPages(client: Client, spec: TargetSpec, o: TargetOptions): AsyncGenerator<TargetPage> {
  if (spec.allUsers || spec.deltaLink) {
    for await (const p of usersDelta(client, spec.deltaLink)) yield fromPage(p);
  }
  for (const g of spec.groups) for await (const p of groupUsers(client, g)) yield fromPage(p);
  if (spec.usersFile) yield* filePages(client, spec.usersFile, o);
}

function fromPage(p: UserPage): TargetPage {
  return { users: p.users.filter((u) => !u['@removed']), unresolved: [], deltaLink: p.deltaLink };
}

/** One $batch worth of lines: 20 look-ups of 15 people (user-lookup.ts). */
export const FILE_PAGE = IN_MAX_VALUES * BATCH_MAX_REQUESTS;

/** Looks the named people up in bulk, a page of 300 lines at a time. */
async function* filePages(client: Client, path: string, o: TargetOptions): AsyncGenerator<TargetPage> {
  let chunk: UserRef[] = [];
  const mem = o.lookups;
  const lookup = async (refs: UserRef[]): Promise<TargetPage> => {
    const found = new Map<string, DirectoryUser>();
    if (mem?.reuseSince !== undefined) {
      for (const [k, v] of await mem.store.getLookups(mem.tenantId, refs.map(lookupKey), mem.reuseSince)) found.set(k, JSON.parse(v) as DirectoryUser);
    }
    const ask = refs.filter((r) => !found.has(lookupKey(r)));
    if (ask.length) {
      const answers = await findUsers(client, ask, { clock: o.clock, signal: o.signal });
      const keep = ask.flatMap((r) => {
        const u = answers.get(lookupKey(r));
        return u ? [{ key: lookupKey(r), value: JSON.stringify(u) }] : [];
      });
      if (mem?.save) await mem.store.putLookups(mem.tenantId, keep, o.clock.now());
      for (const r of ask) {
        const u = answers.get(lookupKey(r));
        if (u) found.set(lookupKey(r), u);
      }
    }
    const page: TargetPage = { users: [], unresolved: [] };
    const seen = new Set<string>();
    for (const ref of refs) {
      const user = found.get(lookupKey(ref));
      if (!user) page.unresolved.push({ ref });
      else if (!seen.has(user.id)) {
        // The same person on two lines (by UPN and by id) is one target.
        seen.add(user.id);
        page.users.push(user);
      }
    }
    return page;
  };
  for await (const ref of readUsersFile(path)) {
    chunk.push(ref);
    if (chunk.length === FILE_PAGE) {
      yield await lookup(chunk);
      chunk = [];
    }
  }
  if (chunk.length) yield await lookup(chunk);
}

/** The ledger key of a person the directory does not know: their object id, or the UPN as written. */
export function unresolvedKey(u: Unresolved): string {
  return u.ref.kind === 'id' ? u.ref.value : `unresolved:${u.ref.value.toLowerCase()}`;
}
