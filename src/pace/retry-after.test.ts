import { expect } from 'chai';
import { headerGetter, parseRetryAfter } from './retry-after.js';

const NOW = Date.parse('2025-03-01T09:30:00Z');

describe('parseRetryAfter', () => {
  const table: [string, Record<string, string>, number | undefined][] = [
    ['whole seconds', { 'Retry-After': '3' }, 3000],
    ['fractional seconds, as Graph sends', { 'retry-after': '2.128' }, 2128],
    ['zero', { 'Retry-After': '0' }, 0],
    ['an HTTP-date', { 'Retry-After': 'Sat, 01 Mar 2025 09:30:05 GMT' }, 5000],
    ['an HTTP-date in the past', { 'Retry-After': 'Sat, 01 Mar 2025 09:29:00 GMT' }, 0],
    ['retry-after-ms first', { 'retry-after-ms': '250', 'Retry-After': '9' }, 250],
    ['x-ms-retry-after-ms', { 'x-ms-retry-after-ms': '1200' }, 1200],
    ['absent', {}, undefined],
    ['garbage', { 'Retry-After': 'soon' }, undefined],
    ['negative', { 'Retry-After': '-4' }, undefined],
    ['absurdly long, capped at 10 minutes', { 'Retry-After': '86400' }, 600_000],
  ];
  for (const [what, headers, expected] of table) {
    it(`reads ${what}`, () => expect(parseRetryAfter(headerGetter(headers), NOW)).to.equal(expected));
  }

  it('reads fetch Headers too', () => {
    expect(parseRetryAfter(headerGetter(new Headers({ 'Retry-After': '1.5' })), NOW)).to.equal(1500);
  });
});
