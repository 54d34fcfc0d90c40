/**
 * The service codes in a Bot Connector error body, in every shape Teams answers with. Classifying by
 * `RestError.code` alone is wrong: botframework-connector's deserialization only fills `code` from the
 * swagger's `{"error":{"code"}}` envelope (wire-facts H1), and Teams also answers without it:
 *
 *  - the ErrorResponse envelope `{"error":{"code":"ConversationBlockedByUser","message":"…"}}`
 *    (msteams-docs bots/build-conversational-capability.md; msteams-docs#10229);
 *  - the messaging service's own `{"errorCode":209,"message":"{\r\n  \"subCode\": \"MessageWritesBlocked\", …}"}`,
 *    whose `message` is a JSON string with the real reason in `subCode`
 *    (msteams-docs bots/how-to/conversations/send-proactive-messages.md, "Understand who blocked, muted,
 *    or uninstalled a bot");
 *  - anything else (HTML from a proxy, plain text): no code.
 */
export interface ConnectorErrorBody {
  /** Every code found, most specific first (a `subCode` before the envelope's `code`). */
  codes: string[];
  /** A human message: the inner `details`/`message` when there is one, else the raw text (shortened). */
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Reads one parsed body (or JSON text) into codes and a message. */
export function readConnectorErrorBody(body: unknown): ConnectorErrorBody {
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  const raw = typeof body === 'string' ? body : '';
  const codes: string[] = [];
  let message = '';
  const add = (c: unknown) => {
    if (typeof c === 'string' && c !== '' && !codes.includes(c)) codes.push(c);
  };
  const visit = (o: Record<string, unknown>, depth: number) => {
    add(o.subCode);
    if (typeof o.details === 'string' && !message) message = o.details;
    const inner = typeof o.message === 'string' ? parseJson(o.message) : undefined;
    if (isObject(inner) && depth < 3) visit(inner, depth + 1);
    else if (typeof o.message === 'string' && !message) message = o.message;
    if (isObject(o.error)) {
      const e = o.error;
      if (isObject(e.innerError) || isObject(e.innererror)) add(((e.innerError ?? e.innererror) as Record<string, unknown>).code);
      visit(e, depth + 1);
      add(e.code);
    }
    add(o.code);
  };
  if (isObject(parsed)) visit(parsed, 0);
  return { codes, message: (message || raw).slice(0, 300) };
}

interface RestErrorLike {
  code?: unknown;
  message?: unknown;
  details?: unknown;
  response?: { bodyAsText?: string | null; parsedBody?: unknown };
}

/**
 * The codes of an error that botframework-connector threw for a refused call: from the raw body when the
 * response is attached (the only form that keeps everything), else from `details`, else from `.code`
 * (botbuilder's generic `REST_ERROR` is not a service code).
 */
export function connectorErrorOf(e: unknown): ConnectorErrorBody {
  const r = (e ?? {}) as RestErrorLike;
  const fromText = typeof r.response?.bodyAsText === 'string' ? readConnectorErrorBody(r.response.bodyAsText) : undefined;
  const fromBody = fromText?.codes.length ? fromText : isObject(r.details) ? readConnectorErrorBody(r.details) : isObject(r.response?.parsedBody) ? readConnectorErrorBody(r.response?.parsedBody) : fromText;
  const codes = [...(fromBody?.codes ?? [])];
  // REST_ERROR and PARSE_ERROR are core-client's own labels (no code; a body that is not JSON), not the service's.
  if (typeof r.code === 'string' && r.code !== 'REST_ERROR' && r.code !== 'PARSE_ERROR' && !codes.includes(r.code)) codes.push(r.code);
  const message = fromBody?.message || (typeof r.message === 'string' ? r.message : String(e));
  return { codes, message: message.slice(0, 300) };
}
