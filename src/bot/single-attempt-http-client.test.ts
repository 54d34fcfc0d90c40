import { expect } from 'chai';
import { RestError } from '@azure/core-rest-pipeline';
import { ConnectorClient } from 'botframework-connector';
import type { ServiceClientCredentials } from 'botframework-connector';
import { ConnectorAttemptError, createSingleAttemptHttpClient, parseError } from './single-attempt-http-client.js';

type Nock = typeof import('nock');

const SERVICE_URL = 'https://smba.example.test/amer/';
const CONVERSATION = 'a:1conv';
const SEND_PATH = `/amer/v3/conversations/${encodeURIComponent(CONVERSATION)}/activities`;
const noAuth = { signRequest: async (r: unknown) => r } as unknown as ServiceClientCredentials;

/**
 * One exchange at a time, through a real botbuilder ConnectorClient (the pipeline CloudAdapter uses)
 * built with `httpClient: createSingleAttemptHttpClient()`: the answers our sender retries must come
 * back to it after ONE request, since botbuilder's own pipeline would otherwise retry 429 and 5xx
 * by itself (wire-facts B2 "Double retries").
 */
describe('single-attempt HTTP client inside botbuilder’s ConnectorClient (nock)', () => {
  let nock: Nock;
  let attempts: (number | null)[];
  let client: ConnectorClient;

  before(async () => {
    // Imported here, not at the top: nock intercepts every http request of the process from import on.
    nock = (await import('nock')).default;
    if (!nock.isActive()) nock.activate();
  });
  beforeEach(() => {
    attempts = [];
    client = new ConnectorClient(noAuth, { baseUri: SERVICE_URL, httpClient: createSingleAttemptHttpClient(undefined, (s) => attempts.push(s)) } as never);
  });
  afterEach(() => nock.cleanAll());
  after(() => nock.restore());

  /** A route that answers `status` every time and counts what it saw, so a retry would show. */
  function always(status: number, body: unknown, headers: Record<string, string> = {}) {
    let seen = 0;
    nock('https://smba.example.test')
      .post(SEND_PATH)
      .times(10)
      .reply(() => {
        seen++;
        return [status, JSON.stringify(body), { 'content-type': 'application/json', ...headers }];
      });
    return () => seen;
  }

  const send = () => client.conversations.sendToConversation(CONVERSATION, { type: 'message', text: 'Welcome!' } as never);

  async function failure(): Promise<unknown> {
    try {
      await send();
    } catch (e) {
      return e;
    }
    return expect.fail('the send did not fail');
  }

  it('a 201 passes, with the connector activity id', async () => {
    const seen = always(201, { id: '1700000000000' });
    const res = await send();
    expect(res.id).to.equal('1700000000000');
    expect(seen()).to.equal(1);
    expect(attempts).to.deep.equal([201]);
  });

  it('a 429 with Retry-After becomes a ConnectorAttemptError after ONE request: botbuilder does not retry it', async () => {
    const seen = always(429, { error: { code: 'Throttled', message: 'Too many requests.' } }, { 'Retry-After': '1' });
    const e = await failure();
    expect(e).to.be.instanceOf(ConnectorAttemptError);
    const f = (e as ConnectorAttemptError).failure;
    if (f.kind !== 'status') return expect.fail(f.kind);
    expect(f).to.include({ status: 429, code: 'Throttled', message: 'Too many requests.' });
    expect(f.headers['retry-after']).to.equal('1');
    expect(seen(), 'requests the connector saw').to.equal(1);
    expect(attempts).to.deep.equal([429]);
  });

  for (const [status, code] of [
    [412, 'PreconditionFailed'],
    [502, 'ServiceError'],
    [503, 'ServiceUnavailable'],
    [504, 'GatewayTimeout'],
  ] as const) {
    it(`a ${status} (which botbuilder would retry up to 3 times) is one request and a ConnectorAttemptError`, async () => {
      const seen = always(status, { error: { code, message: 'x' } });
      const e = await failure();
      expect(e).to.be.instanceOf(ConnectorAttemptError);
      expect((e as ConnectorAttemptError).failure).to.include({ kind: 'status', status, code });
      expect(seen()).to.equal(1);
    });
  }

  it('a 403 ConversationBlockedByUser surfaces as botbuilder’s RestError with that code (not as success)', async () => {
    const seen = always(403, { error: { code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' } });
    const e = await failure();
    expect(e).to.be.instanceOf(RestError);
    expect(e).to.include({ statusCode: 403, code: 'ConversationBlockedByUser', message: 'User blocked the conversation with the bot.' });
    expect(seen()).to.equal(1);
  });

  it('a 404 ConversationNotFound surfaces as a RestError with that code', async () => {
    always(404, { error: { code: 'ConversationNotFound', message: 'Conversation not found.' } });
    expect(await failure()).to.include({ statusCode: 404, code: 'ConversationNotFound' });
  });

  for (const [status, code] of [
    [500, 'ServiceError'],
    [507, 'InsufficientStorage'],
    [408, 'RequestTimeout'],
  ] as const) {
    it(`a ${status}, which botbuilder would retry 3 times though Teams says no retry, is one request and handed back to the sender`, async () => {
      const seen = always(status, { error: { code, message: 'boom' } });
      const e = await failure();
      expect(e).to.be.instanceOf(ConnectorAttemptError);
      expect((e as ConnectorAttemptError).failure).to.include({ kind: 'status', status, code, message: 'boom' });
      expect(seen(), 'requests the connector saw').to.equal(1);
    });
  }

  it('a 501 (never retried by the pipeline) is a RestError', async () => {
    const seen = always(501, { error: { code: 'NotImplemented', message: 'no' } });
    expect(await failure()).to.be.instanceOf(RestError).and.to.include({ statusCode: 501, code: 'NotImplemented' });
    expect(seen()).to.equal(1);
  });

  it('a connection reset after the request left is a network failure marked sent (delivery unknown)', async () => {
    nock('https://smba.example.test').post(SEND_PATH).replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const e = await failure();
    expect(e).to.be.instanceOf(ConnectorAttemptError);
    expect((e as ConnectorAttemptError).failure).to.include({ kind: 'network', code: 'ECONNRESET', sent: true });
    expect(attempts).to.deep.equal([null]);
  });

  it('a refused connection is a network failure marked not sent (safe to try again)', async () => {
    nock('https://smba.example.test').post(SEND_PATH).replyWithError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }));
    const e = await failure();
    expect((e as ConnectorAttemptError).failure).to.include({ kind: 'network', code: 'ECONNREFUSED', sent: false });
  });

  it('parseError reads the connector ErrorResponse, and keeps a short text otherwise', () => {
    expect(parseError('{"error":{"code":"Throttled","message":"Too many requests."}}')).to.deep.equal({ code: 'Throttled', message: 'Too many requests.' });
    expect(parseError('<html>Bad gateway</html>')).to.deep.equal({ code: null, message: '<html>Bad gateway</html>' });
    expect(parseError(undefined)).to.deep.equal({ code: null, message: '' });
  });
});
