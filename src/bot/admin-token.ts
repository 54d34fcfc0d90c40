import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Whether the bearer a caller gave is the admin token, in constant time (issue 10.8): `===` stops at
 * the first differing character, so the answer time tells an attacker how much of a guess was right.
 * Both sides are hashed first, so the comparison is of equal lengths (`timingSafeEqual` throws on
 * unequal ones) and the time does not reveal the token's length either (Node docs, crypto.timingSafeEqual).
 */
export function isAdminToken(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
