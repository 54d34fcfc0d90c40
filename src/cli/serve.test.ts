import { expect } from 'chai';
import { parseDuration, sweepProblem } from './serve.js';

describe('parseDuration (serve --sweep-every)', () => {
  const table: [string, number | undefined][] = [
    ['1h', 3_600_000],
    ['30m', 1_800_000],
    ['45s', 45_000],
    ['90', 90_000],
    ['1.5h', 5_400_000],
    ['250ms', 250],
    ['soon', undefined],
    ['-1h', undefined],
    ['1d', 86_400_000],
    ['2w', undefined],
    ['', undefined],
  ];
  for (const [text, ms] of table) it(`"${text}" → ${ms}`, () => expect(parseDuration(text)).to.equal(ms));
});

describe('sweepProblem (what --sweep-every accepts, and says when it does not)', () => {
  const table: [string, string | undefined][] = [
    ['1h', undefined],
    ['1d', undefined],
    ['24d', undefined],
    ['1m', undefined],
    ['30s', 'is shorter than a minute'],
    ['25d', 'is longer than 24 days'],
    ['2w', 'is not a duration'],
    ['soon', 'is not a duration'],
  ];
  for (const [text, why] of table) {
    it(`"${text}" → ${why ?? 'accepted'}`, () => {
      const problem = sweepProblem(text, parseDuration(text));
      if (why === undefined) expect(problem).to.equal(undefined);
      else expect(problem).to.contain(why).and.contain('s, m, h or d').and.contain('from 1m to 24d');
    });
  }
});
