import type { Client } from '@microsoft/microsoft-graph-client';
import pLimit from 'p-limit';
import { allUsers, getUser, groupUsers, usersDelta, type DirectoryUser, type UserPage } from '../graph/users.js';
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

/**
 * The targets as a stream of pages, never all in memory (PRODUCT.md §5). Everyone is read through
 * /users/delta so that the last page hands over a delta link for the next `--since-last`.
 */
export async function* targetPages(client: Client, spec: TargetSpec, fileLookupConcurrency = 8): AsyncGenerator<TargetPage> {
  if (spec.allUsers || spec.deltaLink) {
    for await (const p of usersDelta(client, spec.deltaLink)) yield fromPage(p);
  }
  for (const g of spec.groups) for await (const p of groupUsers(client, g)) yield fromPage(p);
  if (spec.usersFile) yield* filePages(client, spec.usersFile, fileLookupConcurrency);
}

function fromPage(p: UserPage): TargetPage {
  return { users: p.users.filter((u) => !u['@removed']), unresolved: [], deltaLink: p.deltaLink };
}

/** Looks each named person up (GET /users/{id | upn}), 100 lines at a time. */
async function* filePages(client: Client, path: string, concurrency: number): AsyncGenerator<TargetPage> {
  const limit = pLimit(concurrency);
  let chunk: UserRef[] = [];
  const lookup = async (refs: UserRef[]): Promise<TargetPage> => {
    const found = await Promise.all(refs.map((ref) => limit(async () => ({ ref, user: await getUser(client, ref.value) }))));
    return {
      users: found.filter((f) => f.user).map((f) => f.user!),
      unresolved: found.filter((f) => !f.user).map((f) => ({ ref: f.ref })),
    };
  };
  for await (const ref of readUsersFile(path)) {
    chunk.push(ref);
    if (chunk.length === 100) {
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
