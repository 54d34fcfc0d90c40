import { GraphError, type Client } from '@microsoft/microsoft-graph-client';
import type { Clock } from '../clock.js';
import { parseRetryAfter } from '../pace/retry-after.js';
import { USER_SELECT, type DirectoryUser } from './users.js';

/**
 * People named in a file, looked up in bulk: `GET /users?$filter=userPrincipalName in (…)` (or
 * `id in (…)`; both properties support `in`: https://learn.microsoft.com/graph/api/resources/user),
 * up to 15 values each — "When using the `in` operator, the request is limited to 15 expressions in
 * the filter clause by default" (https://learn.microsoft.com/graph/known-issues, "Some limitations
 * apply to query parameters") — and up to 20 of those in one JSON `$batch`
 * (https://learn.microsoft.com/graph/json-batching, wire-facts A7): 300 people per HTTP call, where
 * one GET /users/{upn} each made 2,000 calls of a 2,000-line file. The inner requests still count
 * one by one against the directory rate ("evaluated individually against throttling limits"), which
 * the pacing middleware charges for them.
 */
export const IN_MAX_VALUES = 15;
export const BATCH_MAX_REQUESTS = 20;
/** The URL length Graph accepts for a filter (same known-issues page); each inner url stays well under it. */
const URL_BUDGET = 2048 - 200;
const MAX_ATTEMPTS = 5;

export interface LookupRef {
  kind: 'id' | 'upn';
  value: string;
}

/** How a ref and a directory user meet: `upn:` or `id:` and the lower-cased value (the directory ignores case). */
export const lookupKey = (r: LookupRef): string => `${r.kind}:${r.value.toLowerCase()}`;

export interface LookupRequest {
  url: string;
  keys: string[];
}

const literal = (v: string) => `'${v.replace(/'/g, "''")}'`;

function urlOf(kind: LookupRef['kind'], values: string[]): string {
  const filter = `${kind === 'id' ? 'id' : 'userPrincipalName'} in (${values.map(literal).join(',')})`;
  return `/users?$filter=${encodeURIComponent(filter)}&$select=${USER_SELECT}`;
}

/** Pure: the inner GETs for these refs (each distinct value once), at most 15 values of one kind and one URL budget each. */
export function lookupRequests(refs: readonly LookupRef[]): LookupRequest[] {
  const out: LookupRequest[] = [];
  for (const kind of ['upn', 'id'] as const) {
    const values = [...new Map(refs.filter((r) => r.kind === kind).map((r) => [lookupKey(r), r.value])).values()];
    let chunk: string[] = [];
    const flush = () => {
      if (chunk.length) out.push({ url: urlOf(kind, chunk), keys: chunk.map((value) => lookupKey({ kind, value })) });
      chunk = [];
    };
    for (const v of values) {
      if (chunk.length === IN_MAX_VALUES || (chunk.length && urlOf(kind, [...chunk, v]).length > URL_BUDGET)) flush();
      chunk.push(v);
    }
    flush();
  }
  return out;
}

interface InnerResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { value?: DirectoryUser[]; error?: { code?: string; message?: string } };
}

export interface LookupOptions {
  clock: Clock;
  signal?: AbortSignal | undefined;
}

/**
 * Looks the refs up; returns the users found, under both their `id:` and `upn:` keys. Someone
 * absent from the answers is not in the directory. Inner 429s and 5xx are retried (only those
 * requests, after the longest Retry-After among them: wire-facts A7); any other inner refusal
 * (403 missing permission…) is thrown as a GraphError, as an outer one would be.
 */
export async function findUsers(client: Client, refs: readonly LookupRef[], o: LookupOptions): Promise<Map<string, DirectoryUser>> {
  const found = new Map<string, DirectoryUser>();
  const requests = lookupRequests(refs);
  for (let i = 0; i < requests.length; i += BATCH_MAX_REQUESTS) {
    for (const u of await runBatch(client, requests.slice(i, i + BATCH_MAX_REQUESTS), o)) {
      found.set(`id:${u.id.toLowerCase()}`, u);
      if (u.userPrincipalName) found.set(`upn:${u.userPrincipalName.toLowerCase()}`, u);
    }
  }
  return found;
}

async function runBatch(client: Client, requests: LookupRequest[], o: LookupOptions): Promise<DirectoryUser[]> {
  const users: DirectoryUser[] = [];
  let pending = requests.map((r, i) => ({ id: String(i + 1), url: r.url }));
  for (let attempt = 1; pending.length; attempt++) {
    // Relative urls without the version: graph-client 3.0.7's BatchRequestContent keeps "/v1.0" (wire-facts A7), so the JSON is built here.
    const body = { requests: pending.map((r) => ({ id: r.id, method: 'GET', url: r.url })) };
    const answer = (await client.api('/$batch').options({ signal: o.signal } as unknown as Record<string, string>).post(body)) as { responses?: InnerResponse[] };
    // Responses may come back in any order: paired by id, never by position.
    const byId = new Map((answer.responses ?? []).map((r) => [r.id, r]));
    const again: typeof pending = [];
    let waitMs = 0;
    for (const r of pending) {
      const res = byId.get(r.id);
      const status = res?.status ?? 0;
      if (status >= 200 && status < 300) {
        users.push(...(res!.body?.value ?? []));
        continue;
      }
      const transient = status === 0 || status === 429 || status >= 500;
      if (!transient || attempt >= MAX_ATTEMPTS) throw innerError(res, status);
      const h = Object.fromEntries(Object.entries(res?.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      waitMs = Math.max(waitMs, parseRetryAfter((n) => h[n], o.clock.now()) ?? Math.min(30_000, 1000 * 2 ** (attempt - 1)));
      again.push(r);
    }
    pending = again;
    if (pending.length) await o.clock.sleep(waitMs, o.signal);
  }
  return users;
}

function innerError(res: InnerResponse | undefined, status: number): GraphError {
  const e = new GraphError(status || 500, res?.body?.error?.message ?? `The directory look-up answered ${status || 'nothing'} inside $batch.`);
  e.code = res?.body?.error?.code ?? null;
  e.body = JSON.stringify(res?.body ?? null);
  return e;
}
