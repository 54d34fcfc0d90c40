import { RestError, createHttpHeaders, type HttpClient, type PipelineRequest, type PipelineResponse } from '@azure/core-rest-pipeline';
import type { Fetch } from './outbound-fetch.js';

/**
 * An @azure/core-rest-pipeline HttpClient that sends through the given fetch (outbound-fetch.ts), for
 * the clients built on that pipeline: @azure/identity (its MSAL network calls go through the
 * credential's pipeline) and botframework-connector's ConnectorClient. With it their calls follow the
 * same proxy rule as Graph's, from the same configuration (a `.env` file included), instead of each
 * library reading process.env on its own.
 *
 * Redirects are left to the pipeline's redirectPolicy (`redirect: 'manual'`), as with core's own Node
 * client. A connection that fails is a RestError REQUEST_SEND_ERROR whose code is the socket's
 * (ECONNREFUSED…), as core's Node client reports it, so the callers' retry and classification read it.
 */
export function createFetchHttpClient(fetch: Fetch): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const signals = [request.abortSignal, request.timeout > 0 ? AbortSignal.timeout(request.timeout) : undefined].filter((s): s is AbortSignal => !!s);
      let res: Response;
      try {
        res = await fetch(request.url, {
          method: request.method,
          headers: request.headers.toJSON({ preserveCase: true }),
          body: bodyOf(request),
          redirect: 'manual',
          signal: signals.length ? AbortSignal.any(signals) : undefined,
        });
      } catch (e) {
        const cause = (e as { cause?: { code?: string; message?: string } }).cause;
        const err = new RestError(cause?.message ?? (e as Error).message, { code: cause?.code ?? RestError.REQUEST_SEND_ERROR, request });
        (err as { cause?: unknown }).cause = cause ?? e;
        throw err;
      }
      const headers = createHttpHeaders();
      res.headers.forEach((value, name) => headers.set(name, value));
      return { request, status: res.status, headers, bodyAsText: await res.text() };
    },
  };
}

function bodyOf(request: PipelineRequest): string | Uint8Array | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string' || body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  throw new Error(`fetch-http-client: a ${typeof body === 'function' ? 'stream factory' : (body as object).constructor?.name ?? typeof body} body is not supported (only text and bytes are sent)`);
}
