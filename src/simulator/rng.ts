/**
 * A small seeded PRNG (mulberry32) so that a seed gives the same population and the same fault
 * draws in the same order. Not for cryptography.
 */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** A random RFC 4122 v4-shaped id, deterministic for the seed. */
  uuid(): string;
}

/** A seed as typed on a command line ("7") is the number 7, so `demo --seed 7` and `simulate --seed 7` make one tenant. */
export function seedFrom(seed: string | number): number {
  if (typeof seed === 'number' && Number.isFinite(seed)) return seed >>> 0;
  if (typeof seed === 'string' && /^\d+$/.test(seed)) return Number(seed) >>> 0;
  let h = 2166136261;
  for (const ch of String(seed)) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

const HEX_DIGITS = '0123456789abcdef';

export function createRng(seed: string | number): Rng {
  let a = seedFrom(seed);
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // A plain loop: uuid() runs once per simulated person, and 100,000 people must start in seconds.
  const hex = (n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX_DIGITS[Math.floor(next() * 16)];
    return s;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number],
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[Math.floor(next() * 4)]}${hex(3)}-${hex(12)}`,
  };
}
