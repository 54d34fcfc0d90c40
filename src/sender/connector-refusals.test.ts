import { expect } from 'chai';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCloudAdapter } from '../bot/adapter.js';
import { createSingleAttemptHttpClient } from '../bot/single-attempt-http-client.js';
import type { ConversationReferenceRow } from '../store/types.js';
import { classifySendFailure } from './classify-send-failure.js';
import { createConnectorSend } from './connector-send.js';

/**
 * Refusals as Teams sends them, byte for byte, read by the real botframework-connector client inside
 * botbuilder's CloudAdapter (the path every welcome takes): a raw local HTTP server answers each body
 * verbatim, and the sender's classifier must name the reason from whatever the library made of it.
 * No RestError is built by hand here: the library's deserialization is the thing under test (wire-facts H1).
 */
interface RawAnswer {
  name: string;
  _source: string;
  status: number;
  body: string;
  expected: { reason: string; serviceCode: string | null; verdict: 'final' | 'reresolve' };
}

const ANSWERS: RawAnswer[] = [
  {
    name: '403 errorCode 209 with MessageWritesBlocked in the inner JSON (no error envelope)',
    _source: 'msteams-docs msteams-platform/bots/how-to/conversations/send-proactive-messages.md, "Understand who blocked, muted, or uninstalled a bot"',
    status: 403,
    // Verbatim from the doc, \r\n and indentation included.
    body: '{"errorCode":209,"message":"{\\r\\n  \\"subCode\\": \\"MessageWritesBlocked\\",\\r\\n  \\"details\\": \\"Thread is blocked from message writes.\\",\\r\\n  \\"errorCode\\": null,\\r\\n  \\"errorSubCode\\": null\\r\\n}"}',
    expected: { reason: 'bot_blocked_by_user', serviceCode: 'MessageWritesBlocked', verdict: 'final' },
  },
  {
    name: '403 ConversationBlockedByUser in the ErrorResponse envelope',
    _source: 'msteams-docs#10229; msteams-docs bots/build-conversational-capability.md status-code table',
    status: 403,
    body: '{"error":{"code":"ConversationBlockedByUser","message":"User blocked the conversation with the bot."}}',
    expected: { reason: 'bot_blocked_by_user', serviceCode: 'ConversationBlockedByUser', verdict: 'final' },
  },
  {
    name: '403 TenantNoPermission: the tenant refuses the bot',
    _source: 'getsentry/sentry msteams integration halt codes (wire-facts H1); [INF] body in the envelope shape',
    status: 403,
    body: '{"error":{"code":"TenantNoPermission","message":"Tenant does not have permission to use this bot."}}',
    expected: { reason: 'bot_blocked_in_tenant', serviceCode: 'TenantNoPermission', verdict: 'final' },
  },
  {
    name: '403 CapabilityOverride: the tenant turned the capability off',
    _source: 'getsentry/sentry msteams integration halt codes (wire-facts H1); [INF] body in the errorCode/subCode shape',
    status: 403,
    body: '{"errorCode":209,"message":"{\\r\\n  \\"subCode\\": \\"CapabilityOverride\\",\\r\\n  \\"details\\": \\"Capability override.\\",\\r\\n  \\"errorCode\\": null,\\r\\n  \\"errorSubCode\\": null\\r\\n}"}',
    expected: { reason: 'bot_blocked_in_tenant', serviceCode: 'CapabilityOverride', verdict: 'final' },
  },
  {
    name: '404 ConversationNotFound',
    _source: 'msteams-docs bots/build-conversational-capability.md status-code table',
    status: 404,
    body: '{"error":{"code":"ConversationNotFound","message":"Conversation not found."}}',
    expected: { reason: 'conversation_not_found', serviceCode: 'ConversationNotFound', verdict: 'reresolve' },
  },
  {
    name: '403 with a body that is not JSON (a proxy page): unknown, with the text kept',
    _source: 'none: bad input, the classifier must not throw',
    status: 403,
    body: '<html><body>Forbidden by proxy</body></html>',
    expected: { reason: 'unknown', serviceCode: null, verdict: 'final' },
  },
];

describe('connector refusals through the real botframework-connector deserialization (raw HTTP)', () => {
  let server: http.Server;
  let serviceUrl: string;
  let answer: RawAnswer;
  let requests = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      requests++;
      req.resume();
      req.on('end', () => {
        res.writeHead(answer.status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(answer.body) });
        res.end(answer.body);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    serviceUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/amer/`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  // Local-emulator mode (no app id): no token is asked for, the request goes straight to the connector.
  const { adapter } = createCloudAdapter({ appType: 'MultiTenant' }, { connectorClientOptions: { httpClient: createSingleAttemptHttpClient() } as never });
  const send = createConnectorSend(adapter, '');
  const ref = (): ConversationReferenceRow => ({
    tenantId: 't-1',
    aadObjectId: '62ab1234-4444-4d4d-8e8e-000000000004',
    conversationId: 'a:1stale',
    serviceUrl,
    userId: '29:1ada',
    botId: '28:bot',
    source: 'installationUpdate',
    capturedAt: 0,
  });

  for (const a of ANSWERS) {
    it(`${a.name} → ${a.expected.verdict} ${a.expected.reason}`, async () => {
      answer = a;
      requests = 0;
      let error: unknown;
      try {
        await send(ref(), { type: 'message', text: 'Welcome!' });
      } catch (e) {
        error = e;
      }
      expect(error, 'the send must fail').to.exist;
      expect(requests, 'one request, no retry').to.equal(1);
      const v = classifySendFailure(error, Date.now());
      if (v.kind !== 'final' && v.kind !== 'reresolve') return expect.fail(`verdict ${v.kind}`);
      expect({ verdict: v.kind, reason: v.refusal.reason, serviceCode: v.refusal.serviceCode, statusCode: v.refusal.statusCode }).to.deep.equal({
        verdict: a.expected.verdict,
        reason: a.expected.reason,
        serviceCode: a.expected.serviceCode,
        statusCode: a.status,
      });
    });
  }

  it('keeps the inner details of the 209 body in the refusal detail for the report', async () => {
    answer = ANSWERS[0]!;
    const error = await send(ref(), { type: 'message', text: 'Welcome!' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    const v = classifySendFailure(error, Date.now());
    if (v.kind !== 'final') return expect.fail(v.kind);
    expect(v.refusal.detail).to.contain('Thread is blocked from message writes.');
  });
});
