import { createDefaultHttpClient, createHttpHeaders, createPipelineRequest, type HttpClient as PipelineHttpClient } from '@azure/core-rest-pipeline';
import { toCompatResponse } from '@azure/core-http-compat';
import { readConnectorErrorBody } from './connector-error-body.js';

/**
 * The HTTP client we hand to botbuilder's ConnectorClient (ConnectorClientOptions.httpClient).
 *
 * botbuilder's pipeline retries 429-with-Retry-After and 5xx up to three times on its own
 * (wire-facts B2), and a sender that also retries would try one logical send up to 16 times.
 * This client makes every attempt exactly one HTTP request: an answer our retry policy should
 * judge (412, 429, 5xx, 408: `judgedByUs`) or a network failure is thrown as a ConnectorAttemptError,
 * which the Azure pipeline's retry strategies do not retry (they retry only responses and
 * system errors), so the decision comes back to our sender, which paces and bounds it.
 */
export type AttemptFailure =
  | { kind: 'status'; status: number; headers: Record<string, string>; code: string | null; message: string }
  /** `sent` is false when the connection never carried the request (refused, no DNS): safe to try again. */
  | { kind: 'network'; code: string | null; message: string; sent: boolean };

export class ConnectorAttemptError extends Error {
  constructor(readonly failure: AttemptFailure) {
    super(failure.kind === 'status' ? `HTTP ${failure.status}${failure.code ? ` ${failure.code}` : ''}: ${failure.message}` : `network error ${failure.code ?? ''}: ${failure.message}`);
    this.name = 'ConnectorAttemptError';
  }
}

/**
 * Answers that must come back to our sender after one request: the ones our policy retries (412, 429,
 * 502, 503, 504), and every one the Azure pipeline would retry on its own — 408 and 5xx but 501/505
 * (@typespec/ts-http-runtime exponentialRetryStrategy `isExponentialRetryResponse`; wire-facts B2). A
 * 500 ServiceError passed on as a response was sent three more times, while the Teams table says
 * "no retry" (and the message may have gone through).
 */
const judgedByUs = (status: number) => status === 408 || status === 412 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
/** Errors raised before a byte of the request left: the connector cannot have acted on it. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'CERT_HAS_EXPIRED', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']);

interface WebResourceLike {
  url: string;
  method: string;
  body?: unknown;
  headers: { toJson(options?: { preserveCase?: boolean }): Record<string, string> };
  timeout?: number;
  abortSignal?: AbortSignal;
}

export function createSingleAttemptHttpClient(inner: PipelineHttpClient = createDefaultHttpClient(), onAttempt?: (status: number | null) => void) {
  return {
    async sendRequest(wr: WebResourceLike) {
      const request = createPipelineRequest({
        url: wr.url,
        method: wr.method as 'POST',
        headers: createHttpHeaders(wr.headers.toJson({ preserveCase: true })),
        body: wr.body as string | undefined,
        timeout: wr.timeout ?? 0,
        abortSignal: wr.abortSignal,
        // Bot Connector serviceUrls may be http in local set-ups; ServiceClientContext allows it the same way (wire-facts B2).
        allowInsecureConnection: wr.url.toLowerCase().startsWith('http:'),
      });
      let response;
      try {
        response = await inner.sendRequest(request);
      } catch (e) {
        onAttempt?.(null);
        const code = errorCode(e);
        throw new ConnectorAttemptError({ kind: 'network', code, message: (e as Error).message, sent: !NOT_SENT.has(code ?? '') });
      }
      onAttempt?.(response.status);
      if (judgedByUs(response.status)) {
        const body = parseError(response.bodyAsText);
        throw new ConnectorAttemptError({ kind: 'status', status: response.status, headers: response.headers.toJSON(), code: body.code, message: body.message });
      }
      // The answer must carry botbuilder's own request object, not ours: core-client finds the operation's
      // error mapping through it, and without it a 403/404 would pass for success.
      return { ...toCompatResponse(response), request: wr };
    },
  };
}

function errorCode(e: unknown): string | null {
  const err = e as { code?: string; cause?: { code?: string } };
  return err?.cause?.code ?? (err?.code && err.code !== 'REQUEST_SEND_ERROR' ? err.code : null) ?? null;
}

/**
 * The connector's error body: the ErrorResponse `{"error":{"code","message"}}` (wire-facts B2) or the
 * messaging service's `{"errorCode":…,"message":"{…subCode…}"}` (wire-facts H1); the most specific code.
 */
export function parseError(text: string | null | undefined): { code: string | null; message: string } {
  const body = readConnectorErrorBody(text ?? '');
  return { code: body.codes[0] ?? null, message: body.message || (text ?? '').slice(0, 200) };
}
