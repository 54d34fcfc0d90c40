import { expect } from 'chai';
import { parseBatch } from './batch.js';
import { GraphHttpError } from './errors.js';

const req = (id: string, extra: Record<string, unknown> = {}) => ({ id, method: 'GET', url: '/users/x', ...extra });

describe('parseBatch', () => {
  it('accepts up to 20 requests', () => {
    expect(parseBatch({ requests: Array.from({ length: 20 }, (_, i) => req(String(i))) })).to.have.length(20);
  });

  const bad: [string, unknown][] = [
    ['no requests array', { foo: [] }],
    ['21 requests', { requests: Array.from({ length: 21 }, (_, i) => req(String(i))) }],
    ['a duplicate id', { requests: [req('1'), req('1')] }],
    ['a missing url', { requests: [{ id: '1', method: 'GET' }] }],
    ['a body without Content-Type', { requests: [req('1', { method: 'POST', body: {} })] }],
    ['a dependency on nobody', { requests: [req('1', { dependsOn: ['9'] })] }],
    ['not an object', null],
  ];
  for (const [what, body] of bad) {
    it(`fails the whole batch with 400 for ${what}`, () => {
      expect(() => parseBatch(body)).to.throw(GraphHttpError).with.property('status', 400);
    });
  }
});
