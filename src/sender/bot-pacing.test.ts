import { expect } from 'chai';
import { FakeClock } from '../../test/helpers/fake-clock.js';
import { BotPacing } from './bot-pacing.js';

const LIMITS = { botRps: 50, botPerConversationRps: 7 };

/** Starts `n` takes for each conversation and counts how many got through after `ms`. */
async function admittedAfter(pacing: BotPacing, clock: FakeClock, conversations: string[], n: number, ms: number): Promise<number> {
  let done = 0;
  for (const c of conversations) for (let i = 0; i < n; i++) void pacing.take('tenant-1', c).then(() => done++);
  await clock.advance(0);
  await clock.advance(ms);
  return done;
}

describe('BotPacing', () => {
  it('lets at most 7 a second into one conversation', async () => {
    const clock = new FakeClock(0);
    expect(await admittedAfter(new BotPacing(LIMITS, clock), clock, ['a:1'], 20, 999)).to.equal(7);
  });

  it('lets at most 50 a second into the tenant across conversations', async () => {
    const clock = new FakeClock(0);
    const conversations = Array.from({ length: 100 }, (_, i) => `a:${i}`);
    expect(await admittedAfter(new BotPacing(LIMITS, clock), clock, conversations, 1, 999)).to.equal(50);
  });

  it("a Retry-After pause holds every send of the tenant, whatever the conversation", async () => {
    const clock = new FakeClock(0);
    const pacing = new BotPacing(LIMITS, clock);
    pacing.pause('tenant-1', 5_000);
    expect(await admittedAfter(pacing, clock, ['a:1', 'a:2', 'a:3'], 1, 4_900)).to.equal(0);
    await clock.advance(200);
    expect(pacing.tenant('tenant-1').count).to.equal(3);
  });

  it('keeps tenants apart', async () => {
    const clock = new FakeClock(0);
    const pacing = new BotPacing(LIMITS, clock);
    pacing.pause('tenant-2', 60_000);
    expect(await admittedAfter(pacing, clock, ['a:1'], 1, 10)).to.equal(1);
  });
});
