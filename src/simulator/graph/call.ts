import type { JWTPayload } from 'jose';
import type { SimContext } from '../context.js';

/**
 * One Graph request, independent of express, so that `$batch` can run its inner requests through
 * exactly the same pipeline (auth, throttling, faults, permissions, handler) as outer ones.
 */
export interface GraphCall {
  method: string;
  /** The path after `/v1.0`, still percent-encoded, e.g. `/users/a%40b.com/teamwork/installedApps`. */
  path: string;
  query: URLSearchParams;
  /** Header names in lower case. */
  headers: Record<string, string | undefined>;
  body: unknown;
  /** `https://host:port` of the request, for absolute `@odata.nextLink`s the Graph client follows. */
  origin: string;
  requestId: string;
  clientRequestId: string;
}

/** The verified access token's claims (roles, appid, tid) the handlers check permissions against. */
export interface TokenClaims extends JWTPayload {
  appid?: string;
  tid?: string;
  roles?: string[];
}

export interface GraphReply {
  status: number;
  headers?: Record<string, string>;
  /** Undefined = no body (201 install, 204 delete). */
  body?: unknown;
}

export interface HandlerInput {
  call: GraphCall;
  params: Record<string, string>;
  claims: TokenClaims;
  ctx: SimContext;
}

export type BucketName = 'graphGet' | 'graphPost' | 'graphDelete' | 'graphDirectory';

export interface GraphRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Segments; `{name}` captures one (decoded). Literal segments match case-insensitively, as Graph does. */
  pattern: string;
  /** The label the inspection API counts requests under (ctx.state.countRequest). */
  label: string;
  /** Which published limit applies (limits.ts); null = none (the $batch envelope; its inner requests count). */
  bucket: BucketName | null;
  handle(input: HandlerInput): GraphReply | Promise<GraphReply>;
}
