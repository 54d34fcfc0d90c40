import { expect } from 'chai';
import { ConversationWindows, NO_LIMITS, PUBLISHED_LIMITS, ServerBucket, parseLimits, type Limits } from './limits.js';

describe('parseLimits', () => {
  const table: [string | undefined, Partial<Limits>][] = [
    [undefined, PUBLISHED_LIMITS],
    ['', PUBLISHED_LIMITS],
    ['published', PUBLISHED_LIMITS],
    ['off', NO_LIMITS],
    ['none', NO_LIMITS],
    ['x100', { graphGet: 3000, graphPost: 3000, graphDelete: 1500, bot: 5000, botPerConversation: 700 }],
    ['graph-post=60', { graphPost: 60, graphGet: 30, bot: 50 }],
    ['graph-get=off', { graphGet: Infinity, graphPost: 30 }],
    ['x10,bot=20', { graphGet: 300, bot: 20 }],
    [' graph-delete=7.5 , bot-conversation=14 ', { graphDelete: 7.5, botPerConversation: 14 }],
    ['graph-directory=5', { graphDirectory: 5 }],
  ];
  for (const [spec, expected] of table) {
    it(`reads ${JSON.stringify(spec)}`, () => {
      expect(parseLimits(spec)).to.include(expected);
    });
  }

  for (const bad of ['fast', 'graph-post=', 'graph-post=-1', 'graph-pots=30', 'x', 'bot=lots']) {
    it(`refuses ${JSON.stringify(bad)} naming the flag`, () => {
      expect(() => parseLimits(bad)).to.throw(/^--limits: /);
    });
  }

  it('does not share the published object (a change to one result leaves the defaults alone)', () => {
    parseLimits('published').graphPost = 1;
    expect(PUBLISHED_LIMITS.graphPost).to.equal(30);
  });
});

describe('ServerBucket', () => {
  it('lets one second of requests through at once, then refuses with how long to wait', () => {
    const b = new ServerBucket(30, 0);
    const results = Array.from({ length: 40 }, () => b.take(0));
    expect(results.filter((r) => r.ok)).to.have.length(30);
    const refused = results.find((r) => !r.ok) as { ok: false; retryAfterMs: number };
    expect(refused.retryAfterMs).to.be.greaterThan(0);
  });

  it('refills at its rate: 30 per second evenly spaced never runs dry', () => {
    const b = new ServerBucket(30, 0);
    for (let i = 0; i < 90; i++) expect(b.take(Math.round((i * 1000) / 30)).ok, `request ${i}`).to.equal(true);
  });

  it('keeps counting refused requests, so a client that ignores Retry-After waits longer', () => {
    const polite = new ServerBucket(10, 0);
    const rude = new ServerBucket(10, 0);
    for (let i = 0; i < 11; i++) polite.take(0);
    for (let i = 0; i < 25; i++) rude.take(0);
    const waitPolite = (polite.take(0) as { retryAfterMs: number }).retryAfterMs;
    const waitRude = (rude.take(0) as { retryAfterMs: number }).retryAfterMs;
    expect(waitRude).to.be.greaterThan(waitPolite);
  });

  it('never refuses when the limit is off', () => {
    const b = new ServerBucket(Infinity, 0);
    for (let i = 0; i < 10_000; i++) expect(b.take(0).ok).to.equal(true);
  });
});

describe('ConversationWindows', () => {
  it('allows 7 sends in a second to one conversation, refuses the 8th, and not another conversation', () => {
    const w = new ConversationWindows(7);
    for (let i = 0; i < 7; i++) expect(w.take('a', i).ok).to.equal(true);
    expect(w.take('a', 10).ok).to.equal(false);
    expect(w.take('b', 10).ok).to.equal(true);
  });

  it('holds the 2-second window: 8 per 2 s even when each second is under 7', () => {
    const w = new ConversationWindows(7);
    for (let i = 0; i < 5; i++) expect(w.take('a', i).ok).to.equal(true);
    for (let i = 0; i < 3; i++) expect(w.take('a', 1100 + i).ok).to.equal(true);
    expect(w.take('a', 1200).ok).to.equal(false);
  });
});
