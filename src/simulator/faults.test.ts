import { expect } from 'chai';
import { FaultInjector, parseFaults, type Fault } from './faults.js';

describe('parseFaults', () => {
  it('reads nothing as no faults', () => {
    for (const spec of [undefined, '', 'none']) expect(new FaultInjector(parseFaults(spec), 1).active).to.equal(false);
  });

  const table: [string, (r: ReturnType<typeof parseFaults>) => unknown, unknown][] = [
    ['429=5%', (r) => [r.graph['429'], r.bot['429']], [0.05, 0.05]],
    ['503=0.01', (r) => r.graph['503'], 0.01],
    ['graph.429=10%', (r) => [r.graph['429'], r.bot['429']], [0.1, undefined]],
    ['bot.429-no-retry-after=2%', (r) => [r.bot['429-no-retry-after'], r.graph['429-no-retry-after']], [0.02, undefined]],
    ['lost-events=2%,duplicate-events=3%', (r) => r.events, { lost: 0.02, duplicate: 0.03 }],
    ['slow=50%,slow-ms=200', (r) => [r.graph.slow, r.slowMs], [0.5, 200]],
    ['graph.reset=1%', (r) => [r.graph.reset, r.bot.reset], [0.01, undefined]],
    ['entitlement-400=5%', (r) => [r.entitlement400, r.graph, r.bot], [0.05, {}, {}]],
    ['conversation-update-only=10%', (r) => r.events.conversationUpdateOnly, 0.1],
    ['graph.entitlement-400=1', (r) => r.entitlement400, 1],
    ['502=1%, 504=1% ,412=1%', (r) => [r.graph['502'], r.graph['504'], r.bot['412']], [0.01, 0.01, 0.01]],
  ];
  for (const [spec, pick, expected] of table) {
    it(`reads ${spec}`, () => expect(pick(parseFaults(spec))).to.deep.equal(expected));
  }

  for (const bad of ['429', '429=150%', '429=2', 'teapot=1%', 'graph.teapot=1%', 'db.429=1%', '429=lots', 'bot.entitlement-400=5%']) {
    it(`refuses ${JSON.stringify(bad)} naming the flag`, () => expect(() => parseFaults(bad)).to.throw(/^--faults: /));
  }

  it('names an unknown fault as unknown, whatever its rate', () => {
    expect(() => parseFaults('teapot=3')).to.throw(/unknown fault "teapot"/);
  });
});

describe('FaultInjector', () => {
  it('entitlement-400: each person is drawn once, at about the rate, so a retry always passes', () => {
    const f = new FaultInjector(parseFaults('entitlement-400=20%'), 3);
    const ids = Array.from({ length: 5000 }, (_, i) => `u${i}`);
    const first = ids.filter((id) => f.entitlementFault(id));
    expect(first.length / ids.length).to.be.within(0.17, 0.23);
    expect(ids.filter((id) => f.entitlementFault(id))).to.deep.equal([]);
  });

  it('entitlement-400 off: nobody meets it, and the injector counts it as active only when set', () => {
    expect(new FaultInjector(parseFaults(undefined), 1).entitlementFault('u1')).to.equal(false);
    expect(new FaultInjector(parseFaults('entitlement-400=1%'), 1).active).to.equal(true);
  });

  const draws = (spec: string, seed: number, n: number): (Fault | null)[] => {
    const f = new FaultInjector(parseFaults(spec), seed);
    return Array.from({ length: n }, () => f.draw('graph'));
  };

  it('draws each fault at about its rate', () => {
    const d = draws('429=10%,503=5%,reset=2%', 1, 20_000);
    const share = (pred: (x: Fault | null) => boolean) => d.filter(pred).length / d.length;
    expect(share((x) => x?.kind === 'status' && x.status === 429)).to.be.closeTo(0.1, 0.01);
    expect(share((x) => x?.kind === 'status' && x.status === 503)).to.be.closeTo(0.05 * 0.9, 0.01);
    expect(share((x) => x?.kind === 'reset')).to.be.closeTo(0.02 * 0.9 * 0.95, 0.006);
  });

  it('replays the same story for a seed, and another for another seed', () => {
    expect(draws('429=20%,slow=10%', 7, 200)).to.deep.equal(draws('429=20%,slow=10%', 7, 200));
    expect(draws('429=20%,slow=10%', 7, 200)).to.not.deep.equal(draws('429=20%,slow=10%', 8, 200));
  });

  it('sends no Retry-After for 429-no-retry-after, and the slow delay asked for', () => {
    const f = new FaultInjector(parseFaults('bot.429-no-retry-after=100%'), 1);
    expect(f.draw('bot')).to.deep.equal({ kind: 'status', status: 429, retryAfter: false });
    expect(new FaultInjector(parseFaults('slow=100%,slow-ms=25'), 1).draw('graph')).to.deep.equal({ kind: 'slow', ms: 25 });
  });

  it('keeps scopes apart', () => {
    const f = new FaultInjector(parseFaults('bot.503=100%'), 1);
    expect(f.draw('graph')).to.equal(null);
    expect(f.draw('bot')).to.deep.include({ status: 503 });
  });

  it('loses and duplicates events at their rates', () => {
    const f = new FaultInjector(parseFaults('lost-events=25%,duplicate-events=10%'), 3);
    const lost = Array.from({ length: 10_000 }, () => f.loseEvent()).filter(Boolean).length;
    const dup = Array.from({ length: 10_000 }, () => f.duplicateEvent()).filter(Boolean).length;
    expect(lost / 10_000).to.be.closeTo(0.25, 0.02);
    expect(dup / 10_000).to.be.closeTo(0.1, 0.015);
  });
});
