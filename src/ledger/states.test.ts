import { expect } from 'chai';
import { adviceFor, FAIL_REASONS, isReason, REASON_ADVICE, SKIP_REASONS } from './states.js';

describe('reasons and their advice', () => {
  it('every skip and failure reason has advice, and the advice names no reason that does not exist', () => {
    // The type (Record<Reason, string>) makes a missing entry a compile error; this holds the other direction.
    expect(Object.keys(REASON_ADVICE).sort()).to.deep.equal([...SKIP_REASONS, ...FAIL_REASONS].sort());
  });
  const cases: [string | null | undefined, boolean][] = [
    ['bot_blocked_by_user', true],
    ['guest', true],
    ['no_such_reason', false],
    ['', false],
    [null, false],
    [undefined, false],
    ['toString', false],
  ];
  for (const [value, known] of cases) {
    it(`${JSON.stringify(value)} is ${known ? '' : 'not '}a reason${known ? ', with its advice' : ', and has no advice'}`, () => {
      expect(isReason(value)).to.equal(known);
      expect(adviceFor(value)).to.equal(known ? REASON_ADVICE[value as keyof typeof REASON_ADVICE] : undefined);
    });
  }
});
