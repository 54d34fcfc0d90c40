import type { Context, Middleware } from '@microsoft/microsoft-graph-client';
import { expect } from 'chai';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { TokenBucket } from '../pace/token-bucket.js';
import { CallInfo, innerClasses, PacedRetryMiddleware, type GraphAttempt } from './paced-retry-middleware.js';

const INSTALL_URL = 'https://graph.example/v1.0/users/u1/teamwork/installedApps';
const POLICY = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1_000 };

/** The next middleware: answers each attempt from a script (a status with headers, or a thrown network error). */
class Scripted implements Middleware {
  readonly seen: { at: number; authorization: string | null }[] = [];
  constructor(
    private readonly script: (number | { status: number; headers?: Record<string, string>; body?: string } | Error)[],
    private readonly clock: FakeClock,
  ) {}
  setNext(): void {}
  async execute(context: Context): Promise<void> {
    const headers = new Headers(context.options?.headers as Record<string, string>);
    this.seen.push({ at: this.clock.now(), authorization: headers.get('Authorization') });
    const step = this.script[Math.min(this.seen.length - 1, this.script.length - 1)]!;
    if (step instanceof Error) throw step;
    const { status, headers: h, body } = typeof step === 'number' ? { status: step, headers: {}, body: undefined } : step;
    context.response = new Response(status === 201 || status === 204 ? null : (body ?? '{}'), { status, headers: h });
  }
}

/** Like the SDK's AuthenticationHandler: *appends* a bearer to whatever Authorization the request already carries. */
class AppendingAuth implements Middleware {
  private next!: Middleware;
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const headers = (context.options!.headers ??= {}) as Record<string, string>;
    headers.Authorization = headers.Authorization ? `${headers.Authorization}, Bearer t` : 'Bearer t';
    await this.next.execute(context);
  }
}

function setUp(script: ConstructorParameters<typeof Scripted>[0], withBucket = true, request = INSTALL_URL, method = 'POST') {
  const clock = new FakeClock(0);
  const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1 }, clock);
  const attempts: GraphAttempt[] = [];
  const mw = new PacedRetryMiddleware({ buckets: withBucket ? { teamsPost: bucket } : {}, policy: POLICY, clock, random: () => 0, onAttempt: (a) => attempts.push(a) });
  const next = new Scripted(script, clock);
  const auth = new AppendingAuth();
  auth.setNext(next);
  mw.setNext(auth);
  const info = new CallInfo();
  const context = {
    request,
    options: { method, headers: {} },
    middlewareControl: { getMiddlewareOptions: () => info },
  } as unknown as Context;
  return { clock, bucket, attempts, mw, next, info, context };
}

/** Runs the call to its end, moving the fake clock along as it sleeps. */
async function run(s: ReturnType<typeof setUp>): Promise<{ error?: unknown }> {
  let outcome: { error?: unknown } | undefined;
  s.mw.execute(s.context).then(
    () => (outcome = {}),
    (error: unknown) => (outcome = { error }),
  );
  await s.clock.advance(0);
  for (let i = 0; i < 200 && !outcome; i++) await s.clock.advance(100);
  if (!outcome) throw new Error('the call never ended');
  return outcome;
}

/** The body graph-docs#20972 reports for the transient install fault (Graph's error envelope, wire-facts A3). */
const ENTITLEMENT_400 = {
  status: 400,
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ error: { code: 'BadRequest', message: 'Exception in CreateOrUpdateUserAppEntitlementForTeamsAsync', innerError: { date: '2026-12-07T01:00:00', 'request-id': 'r1', 'client-request-id': 'c1' } } }),
};

describe('PacedRetryMiddleware', () => {
  describe("the install's transient 400 (graph-docs#20972)", () => {
    it('is retried, counted as transient, and the install goes through; the Graph client never sees the 400', async () => {
      const s = setUp([ENTITLEMENT_400, 201]);
      await run(s);
      expect(s.next.seen).to.have.length(2);
      expect(s.context.response?.status).to.equal(201);
      expect(s.attempts.map((a) => [a.status, a.willRetry, a.transient ?? false])).to.deep.equal([
        [400, true, true],
        [201, false, false],
      ]);
      expect(s.info.earlierAttemptMayHaveLanded).to.equal(true);
    });

    it('is bounded by the policy: a 400 that never passes is handed on after maxAttempts, its body still readable', async () => {
      const s = setUp([ENTITLEMENT_400]);
      await run(s);
      expect(s.next.seen).to.have.length(POLICY.maxAttempts);
      expect(await s.context.response!.json()).to.have.nested.property('error.message', 'Exception in CreateOrUpdateUserAppEntitlementForTeamsAsync');
    });

    it('any other 400 is final at once', async () => {
      const s = setUp([{ ...ENTITLEMENT_400, body: JSON.stringify({ error: { code: 'BadRequest', message: 'Invalid bind property name teamsApp@odata.bind.' } }) }]);
      await run(s);
      expect(s.next.seen).to.have.length(1);
      expect(s.attempts[0]).to.include({ status: 400, willRetry: false });
    });

    it('the same text on a call other than the install is not retried (the fault is the install\'s)', async () => {
      const s = setUp([ENTITLEMENT_400], false, 'https://graph.example/v1.0/users/u1/teamwork/installedApps', 'GET');
      await run(s);
      expect(s.next.seen).to.have.length(1);
    });
  });

  it('tries a persistent 503 exactly maxAttempts times, then hands the last answer to the Graph client', async () => {
    const s = setUp([503]);
    const out = await run(s);
    expect(out.error).to.equal(undefined);
    expect(s.next.seen).to.have.length(POLICY.maxAttempts);
    expect(s.context.response?.status).to.equal(503);
    expect(s.info.attempts).to.equal(POLICY.maxAttempts);
    expect(s.attempts.map((a) => a.willRetry)).to.deep.equal([true, true, true, false]);
  });

  it('does not retry a 403 or a 404: one attempt', async () => {
    for (const status of [403, 404]) {
      const s = setUp([status]);
      await run(s);
      expect(s.next.seen, `HTTP ${status}`).to.have.length(1);
      expect(s.context.response?.status).to.equal(status);
    }
  });

  it("on a 429 pauses the whole class for the Retry-After, then succeeds", async () => {
    const s = setUp([{ status: 429, headers: { 'Retry-After': '3' } }, 201]);
    await run(s);
    expect(s.next.seen).to.have.length(2);
    const refusedAt = s.next.seen[0]!.at;
    expect(s.bucket.pausedUntil).to.equal(refusedAt + 3_000);
    // The retry went no earlier than the pause: the other callers of the class were held as long.
    expect(s.next.seen[1]!.at).to.be.at.least(refusedAt + 3_000);
    expect(s.context.response?.status).to.equal(201);
    expect(s.attempts[0]).to.include({ status: 429, retryAfterMs: 3_000, willRetry: true, cls: 'teamsPost' });
  });

  it('a network error is retried within the bound, then thrown; the call is marked as maybe landed', async () => {
    const err = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const s = setUp([err]);
    const out = await run(s);
    expect(out.error).to.equal(err);
    expect(s.next.seen).to.have.length(POLICY.maxAttempts);
    expect(s.info.earlierAttemptMayHaveLanded).to.equal(true);
    expect(s.attempts[0]).to.include({ status: null, networkCode: 'ECONNRESET' });
  });

  it('a 409 after a 502 is known to follow an attempt that may have landed', async () => {
    const s = setUp([502, 409]);
    await run(s);
    expect(s.context.response?.status).to.equal(409);
    expect(s.info.earlierAttemptMayHaveLanded).to.equal(true);
  });

  it('a 409 on the first attempt is not', async () => {
    const s = setUp([409]);
    await run(s);
    expect(s.info.earlierAttemptMayHaveLanded).to.equal(false);
  });

  it('sends one bearer on every attempt, not the earlier one with a new one appended', async () => {
    const s = setUp([503, 503, 201]);
    await run(s);
    expect(s.next.seen.map((x) => x.authorization)).to.deep.equal(['Bearer t', 'Bearer t', 'Bearer t']);
  });

  it('paces attempts through the class bucket: ten calls at 10 rps take about a second', async () => {
    const s = setUp([201]);
    const done: number[] = [];
    for (let i = 0; i < 10; i++) {
      const context = { request: INSTALL_URL, options: { method: 'POST', headers: {} } } as unknown as Context;
      void s.mw.execute(context).then(() => done.push(s.clock.now()));
    }
    await s.clock.advance(0);
    for (let i = 0; i < 20; i++) await s.clock.advance(100);
    expect(done).to.have.length(10);
    expect(done[9]! - done[0]!).to.equal(900);
  });
});

describe('innerClasses: a $batch is paced by the requests inside it', () => {
  const body = (urls: [string, string][]) => JSON.stringify({ requests: urls.map(([method, url], i) => ({ id: String(i), method, url })) });
  const table: [string, string, unknown, string[]][] = [
    ['20 directory look-ups', 'https://graph.example/v1.0/$batch', body(Array.from({ length: 20 }, () => ['GET', "/users?$filter=id in ('a')"])), Array<string>(20).fill('directory')],
    ['mixed classes', 'https://graph.example/v1.0/$batch', body([['GET', '/users/u1'], ['POST', '/users/u1/teamwork/installedApps']]), ['directory', 'teamsPost']],
    ['not a batch', 'https://graph.example/v1.0/users', body([['GET', '/users/u1']]), []],
    ['a body that is not JSON', 'https://graph.example/v1.0/$batch', '{', []],
  ];
  for (const [what, url, b, expected] of table) it(what, () => expect(innerClasses(url, 'POST', b)).to.deep.equal(expected));
});
