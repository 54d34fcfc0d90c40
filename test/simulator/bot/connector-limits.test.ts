import { expect } from 'chai';
import { FakeClock } from '../../helpers/fake-clock.js';
import { startBotSideTenant, type BotSideTenant } from './harness.js';
import { connectorClient, enc, fetchToken } from './connector-client.js';

// The clock stands still in these tests: a rate window never empties by itself, so counts are exact.
describe('simulated Bot Connector rate limits and faults', () => {
  const started: BotSideTenant[] = [];
  const start = async (options: Parameters<typeof startBotSideTenant>[0]) => {
    const t = await startBotSideTenant({ clock: new FakeClock(), ...options });
    started.push(t);
    return { t, call: connectorClient(t.urls.serviceUrl, await fetchToken(t.urls, t.ctx.state)) };
  };
  afterEach(async () => {
    await Promise.all(started.splice(0).map((t) => t.close()));
  });

  it('answers 429 Throttled with Retry-After past 50 requests per second for the app', async () => {
    const { t, call } = await start({});
    const path = `v3/conversations/${enc(t.ctx.state.teams[0]!.conversationId)}/pagedmembers?pageSize=1`;
    const answers = await Promise.all(Array.from({ length: 55 }, () => call('GET', path)));
    expect(answers.filter((a) => a.status === 200)).to.have.length(50);
    const throttled = answers.filter((a) => a.status === 429);
    expect(throttled).to.have.length(5);
    expect(throttled[0]!.body.error).to.deep.equal({ code: 'Throttled', message: 'Too many requests.' });
    expect(Number(throttled[0]!.headers.get('retry-after'))).to.be.at.least(1);
  });

  it('answers 429 to the 8th send to one conversation within a second (7 per second), and records 7', async () => {
    const { t, call } = await start({});
    const { state } = t.ctx;
    const user = state.users.find((u) => u.kind === 'already_installed')!;
    const id = state.personalConversationFor(user.id, 0).id;
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const r = await call('POST', `v3/conversations/${enc(id)}/activities`, { type: 'message', text: `#${i}` });
      statuses.push(r.status);
      retryAfter ??= r.headers.get('retry-after');
    }
    expect(statuses).to.deep.equal([201, 201, 201, 201, 201, 201, 201, 429]);
    expect(retryAfter).to.equal('1');
    expect(state.messages.filter((m) => m.conversationId === id)).to.have.length(7);
    // Another conversation is not affected.
    const other = state.personalConversationFor(state.users.filter((u) => u.kind === 'already_installed')[1]!.id, 0).id;
    expect((await call('POST', `v3/conversations/${enc(other)}/activities`, { type: 'message', text: 'hi' })).status).to.equal(201);
  });

  it('injects status faults in the connector error shape, with and without Retry-After', async () => {
    for (const [spec, status, code, retryAfter] of [
      ['bot.429-no-retry-after=100%', 429, 'Throttled', null],
      ['bot.429=100%', 429, 'Throttled', '1'],
      ['bot.502=100%', 502, 'ServiceError', null],
      ['bot.412=100%', 412, 'PreconditionFailed', null],
    ] as const) {
      const { t, call } = await start({ faults: spec });
      const r = await call('GET', `v3/conversations/${enc(t.ctx.state.teams[0]!.conversationId)}/members`);
      expect(r.status, spec).to.equal(status);
      expect(r.body.error.code, spec).to.equal(code);
      expect(r.headers.get('retry-after'), spec).to.equal(retryAfter);
    }
  });

  it('drops the connection on a reset fault and records no message', async () => {
    const { t, call } = await start({ faults: 'bot.reset=100%' });
    const id = t.ctx.state.personalConversationFor(t.ctx.state.users.find((u) => u.kind === 'already_installed')!.id, 0).id;
    let error: unknown;
    await call('POST', `v3/conversations/${enc(id)}/activities`, { type: 'message', text: 'x' }).catch((e) => (error = e));
    expect(error).to.be.instanceOf(TypeError);
    expect(t.ctx.state.messages).to.have.length(0);
  });
});
