import { expect } from 'chai';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { reserve, TokenBucket, type BucketState } from './token-bucket.js';

describe('reserve (pure token bucket)', () => {
  const start: BucketState = { tat: 0, pausedUntil: 0 };

  it('spaces requests 1/rate apart with a burst of 1', () => {
    let s = start;
    const waits: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = reserve(s, 1000, { ratePerSecond: 10, burst: 1 });
      s = r.state;
      waits.push(r.waitMs);
    }
    expect(waits).to.deep.equal([0, 100, 200, 300]);
  });

  it('lets `burst` requests go at once after an idle spell', () => {
    let s = start;
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = reserve(s, 5000, { ratePerSecond: 10, burst: 3 });
      s = r.state;
      waits.push(r.waitMs);
    }
    expect(waits).to.deep.equal([0, 0, 0, 100, 200]);
  });

  it('holds everyone until a pause ends', () => {
    const r = reserve({ tat: 0, pausedUntil: 3000 }, 1000, { ratePerSecond: 10, burst: 1 });
    expect(r.waitMs).to.equal(2000);
  });

  it('never waits when unpaced', () => {
    const r = reserve(start, 1000, { ratePerSecond: Infinity, burst: 1 });
    expect(r.waitMs).to.equal(0);
  });
});

describe('TokenBucket', () => {
  it('admits 30 per second at 30 rps', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 30, burst: 1 }, clock);
    let done = 0;
    for (let i = 0; i < 90; i++) void bucket.take().then(() => done++);
    await clock.advance(0);
    await clock.advance(999);
    expect(done).to.equal(30);
    await clock.advance(1000);
    expect(done).to.equal(60);
  });

  it('a pause from Retry-After holds callers already waiting', async () => {
    const clock = new FakeClock(0);
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1 }, clock);
    let done = 0;
    for (let i = 0; i < 5; i++) void bucket.take().then(() => done++);
    await clock.advance(0);
    expect(done).to.equal(1);
    bucket.pauseUntil(2000);
    await clock.advance(1500);
    expect(done).to.equal(1);
    await clock.advance(1000);
    expect(done).to.be.greaterThan(1);
  });
});
