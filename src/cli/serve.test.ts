import { expect } from 'chai';
import { parseDuration } from './serve.js';

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
    ['1d', undefined],
    ['', undefined],
  ];
  for (const [text, ms] of table) it(`"${text}" → ${ms}`, () => expect(parseDuration(text)).to.equal(ms));
});
