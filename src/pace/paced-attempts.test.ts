import { expect } from 'chai';
import type { Clock } from '../clock.js';
import { pacedAttempts, type AttemptAnswer, type PacedAttemptsHooks } from './paced-attempts.js';
import type { Failure } from './retry-policy.js';

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

/** A clock whose sleeps pass at once, moving its time by what was slept (an aborted signal still rejects). */
class SkippingClock implements Clock {
  t = 0;
  readonly slept: number[] = [];
  now = () => this.t;
  sleep = async (ms: number, signal?: AbortSignal) => {
    if (signal?.aborted) throw signal.reason;
    this.slept.push(ms);
    this.t += ms;
  };
}

/** Runs the loop over a script of answers, recording what it did in order. */
async function run(script: AttemptAnswer<string>[], extra: Partial<PacedAttemptsHooks<string>> = {}, signal?: AbortSignal) {
  const clock = new SkippingClock();
  const log: string[] = [];
  let i = 0;
  const hooks: PacedAttemptsHooks<string> = {
    before: async (n) => void log.push(`take ${n}`),
    attempt: async (n) => {
      const a = script[i++] ?? { done: 'script ended' };
      log.push(`attempt ${n}: ${'done' in a ? `done ${a.done}` : 'again' in a ? 'again' : show(a.failure)}`);
      return a;
    },
    pause: (until) => void log.push(`pause until ${until}`),
    decided: (_f, d, n) => void log.push(`decided ${n}: ${d.retry ? `retry in ${d.delayMs}` : 'give up'}`),
    giveUp: (f, d) => `gave up on ${show(f)}: ${d.why}`,
    ...extra,
  };
  const result = await pacedAttempts({ clock, policy, random: () => 0 }, hooks, signal);
  return { result, log, slept: clock.slept };
}
const show = (f: Failure) => (f.kind === 'status' ? `${f.status}${f.retryAfterMs !== undefined ? ` after ${f.retryAfterMs}` : ''}` : 'network');

describe('pacedAttempts: the one paced retry loop', () => {
  it('a first success: one slot, one attempt, no sleep', async () => {
    const r = await run([{ done: 'ok' }]);
    expect(r.result).to.equal('ok');
    expect(r.log).to.deep.equal(['take 1', 'attempt 1: done ok']);
    expect(r.slept).to.deep.equal([]);
  });

  it("a 429 with Retry-After pauses the class until then, sleeps about that long, and the next attempt takes a slot again", async () => {
    const r = await run([{ failure: { kind: 'status', status: 429, retryAfterMs: 2000 } }, { done: 'ok' }]);
    expect(r.result).to.equal('ok');
    expect(r.log).to.deep.equal(['take 1', 'attempt 1: 429 after 2000', 'decided 1: retry in 2000', 'pause until 2000', 'take 2', 'attempt 2: done ok']);
    expect(r.slept).to.deep.equal([2000]);
  });

  it('a 503 without Retry-After backs off exponentially and does not pause the class', async () => {
    const r = await run([{ failure: { kind: 'status', status: 503 } }, { failure: { kind: 'network' } }, { done: 'ok' }]);
    expect(r.slept).to.deep.equal([50, 100]);
    expect(r.log.filter((l) => l.startsWith('pause'))).to.deep.equal([]);
  });

  it('bounded: gives up after maxAttempts, the first included, and says why', async () => {
    const r = await run(Array.from({ length: 9 }, () => ({ failure: { kind: 'status', status: 503 } as Failure })));
    expect(r.result).to.equal('gave up on 503: HTTP 503 after 4 attempts (the most the policy allows)');
    expect(r.log.filter((l) => l.startsWith('attempt'))).to.have.length(4);
  });

  it('a final status is given up at once, after a pause if it was a 429 (the class still waits)', async () => {
    const r = await run([{ failure: { kind: 'status', status: 404 } }]);
    expect(r.result).to.equal('gave up on 404: HTTP 404 is not retryable');
    const last = await run(Array.from({ length: 4 }, () => ({ failure: { kind: 'status', status: 429, retryAfterMs: 500 } as Failure })));
    expect(last.log.slice(-3)).to.deep.equal(['attempt 4: 429 after 500', 'decided 4: give up', 'pause until 2000']);
  });

  it('the veto turns a retry the policy allows into giving up', async () => {
    const r = await run([{ failure: { kind: 'status', status: 503 } }], { veto: () => true });
    expect(r.result).to.match(/^gave up on 503: HTTP 503, backoff; not retried here$/);
    expect(r.slept).to.deep.equal([]);
  });

  it('"again" tries at once without a decision or a sleep, and counts as an attempt', async () => {
    const r = await run([{ again: true }, { done: 'ok' }]);
    expect(r.log).to.deep.equal(['take 1', 'attempt 1: again', 'take 2', 'attempt 2: done ok']);
    expect(r.slept).to.deep.equal([]);
  });

  it('before may stop the loop with a value instead of attempting', async () => {
    const r = await run([{ done: 'never' }], { before: async () => ({ stop: 'released' }) });
    expect(r.result).to.equal('released');
    expect(r.log).to.deep.equal([]);
  });

  it('a sleep cut short by the signal: interrupted gives the value; without it the error is thrown', async () => {
    const ac = new AbortController();
    ac.abort(new Error('stopping'));
    const clock = new SkippingClock();
    const hooks: PacedAttemptsHooks<string> = {
      before: async () => undefined,
      attempt: async () => ({ failure: { kind: 'status', status: 503 } }),
      pause: () => undefined,
      giveUp: () => 'gave up',
    };
    const withHook = pacedAttempts({ clock, policy, random: () => 0 }, { ...hooks, interrupted: () => 'released' }, ac.signal);
    const without = pacedAttempts({ clock, policy, random: () => 0 }, hooks, ac.signal);
    expect(await withHook).to.equal('released');
    let thrown: unknown;
    await without.catch((e) => (thrown = e));
    expect((thrown as Error).message).to.equal('stopping');
  });

  it('beforeSleep runs before each backoff, not after the last attempt', async () => {
    const calls: number[] = [];
    let n = 0;
    await run([{ failure: { kind: 'network' } }, { failure: { kind: 'network' } }, { done: 'ok' }], { beforeSleep: () => void calls.push(++n) });
    expect(calls).to.deep.equal([1, 2]);
  });
});
