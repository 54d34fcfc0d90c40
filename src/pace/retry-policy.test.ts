import { expect } from 'chai';
import { DEFAULT_RETRY_POLICY, decideRetry, type Failure } from './retry-policy.js';

const policy = DEFAULT_RETRY_POLICY; // 5 attempts, 500 ms base, 30 s cap

describe('decideRetry', () => {
  const table: [string, Failure, number, number, { retry: boolean; delayMs?: number }][] = [
    ['429 with Retry-After waits that long', { kind: 'status', status: 429, retryAfterMs: 2000 }, 1, 0, { retry: true, delayMs: 2000 }],
    ['429 with Retry-After adds at most 10% jitter', { kind: 'status', status: 429, retryAfterMs: 2000 }, 1, 0.999, { retry: true, delayMs: 2200 }],
    ['429 without Retry-After backs off', { kind: 'status', status: 429 }, 1, 0, { retry: true, delayMs: 250 }],
    ['503 on the 3rd attempt backs off 1–2 s', { kind: 'status', status: 503 }, 3, 0, { retry: true, delayMs: 1000 }],
    ['502 is retried', { kind: 'status', status: 502 }, 1, 1, { retry: true, delayMs: 500 }],
    ['504 is retried', { kind: 'status', status: 504 }, 2, 0.5, { retry: true, delayMs: 750 }],
    ['412 is retried (Teams: precondition failed, try again)', { kind: 'status', status: 412 }, 1, 0, { retry: true, delayMs: 250 }],
    ['a network error is retried', { kind: 'network', code: 'ECONNRESET' }, 1, 0, { retry: true, delayMs: 250 }],
    ['the backoff is capped', { kind: 'status', status: 503 }, 4, 1, { retry: true, delayMs: 4000 }],
    ['500 is final (connector ServiceError)', { kind: 'status', status: 500 }, 1, 0, { retry: false }],
    ['400 is final', { kind: 'status', status: 400 }, 1, 0, { retry: false }],
    ["a transient 400 (the install's entitlement fault, graph-docs#20972) backs off like a 503", { kind: 'status', status: 400, transient: true }, 2, 0, { retry: true, delayMs: 500 }],
    ['a transient 400 is bounded too: the 5th attempt is the last', { kind: 'status', status: 400, transient: true }, 5, 0, { retry: false }],
    ['401 is final', { kind: 'status', status: 401 }, 1, 0, { retry: false }],
    ['403 is final', { kind: 'status', status: 403 }, 1, 0, { retry: false }],
    ['404 is final', { kind: 'status', status: 404 }, 1, 0, { retry: false }],
    ['409 is final (the caller counts it as success)', { kind: 'status', status: 409 }, 1, 0, { retry: false }],
    ['the 5th attempt is the last', { kind: 'status', status: 429, retryAfterMs: 10 }, 5, 0, { retry: false }],
  ];
  for (const [what, failure, attempt, random, expected] of table) {
    it(what, () => {
      const d = decideRetry(failure, attempt, policy, random);
      expect(d.retry).to.equal(expected.retry);
      if (d.retry && expected.delayMs !== undefined) expect(d.delayMs).to.equal(expected.delayMs);
      expect(d.why).to.be.a('string').and.not.equal('');
    });
  }

  it('caps at maxDelayMs', () => {
    const d = decideRetry({ kind: 'status', status: 503 }, 9, { maxAttempts: 10, baseDelayMs: 500, maxDelayMs: 30_000 }, 1);
    expect(d).to.include({ retry: true, delayMs: 30_000 });
  });
});
