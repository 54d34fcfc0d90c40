/**
 * Graph's one error shape (wire-facts A3, A9):
 *   {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}
 * graph-client's GraphErrorHandler maps error.code → GraphError.code and innerError["request-id"] →
 * requestId, so every failure the simulator answers goes through `errorBody` below.
 */
export class GraphHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra innerError fields (e.g. the policy case's `code: "AccessDenied"`) and response headers. */
    readonly extra: { inner?: Record<string, unknown>; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'GraphHttpError';
  }
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

/** Graph prints innerError.date without milliseconds or zone: "2025-01-01T00:00:00". */
export const graphDate = (nowMs: number): string => new Date(nowMs).toISOString().slice(0, 19);

export function errorBody(e: GraphHttpError, ids: RequestIds, nowMs: number): Record<string, unknown> {
  return {
    error: {
      code: e.code,
      message: e.message,
      innerError: { ...e.extra.inner, date: graphDate(nowMs), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId },
    },
  };
}

export const badRequest = (message: string) => new GraphHttpError(400, 'BadRequest', message);

/** Directory query errors (/users, /groups) use the Azure AD codes ([INF] for the exact texts). */
export const unsupportedQuery = (message: string) => new GraphHttpError(400, 'Request_UnsupportedQuery', message);

/** Unknown segment, as Graph answers for `/v1.0/v1.0/...` (wire-facts A7, msgraph-sdk-javascript#1178). */
export const segmentNotFound = (segment: string) => new GraphHttpError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);

/** `GET /users/{id}` for nobody: the directory's 404 ([INF] text, the one Graph prints for /users). */
export const directoryNotFound = (id: string) =>
  new GraphHttpError(404, 'Request_ResourceNotFound', `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`);

/** The Teams endpoints' 404 for an unknown user (wire-facts A3, msgraph-sdk-java#1445). */
export const userNotFound = (id: string) => new GraphHttpError(404, 'NotFound', `User Id '${id}' not found.`);

export const notFound = (message: string) => new GraphHttpError(404, 'NotFound', message);

/** App-only token without a role the call accepts (wire-facts A3 table: many Teams Graph endpoints). */
export const missingRole = (accepted: readonly string[], granted: readonly string[]) =>
  new GraphHttpError(
    403,
    'Forbidden',
    `Missing role permissions on the request. API requires one of '${accepted.join(', ')}'. Roles on the request '${granted.join(', ')}'.`,
  );

/** Directory calls without a directory role ([DOC] concepts/json-batching.md example). */
export const directoryDenied = () => new GraphHttpError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');

export const invalidToken = (message: string) =>
  new GraphHttpError(401, 'InvalidAuthenticationToken', message, {
    headers: { 'WWW-Authenticate': 'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"' },
  });

/** Malformed JSON gets Graph's own text for it. */
export const unreadableJson = () =>
  badRequest('Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.');
