/**
 * Counter-based pseudo-random numbers: every draw is a pure function of (seed, key, index), so a
 * sample at any time can be produced without replaying the ones before it, in any order.
 */

/** 32-bit FNV-1a hash of a string, mixed with a number. */
const fnv1a = (text: string, seed: number): number => {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
};

/** splitmix32 finaliser: a well-mixed 32-bit value from a 32-bit state. */
const mix32 = (value: number): number => {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
};

/** Uniform number in (0, 1) for (seed, key, index); index may be any safe integer. */
export const uniform = (seed: number, key: string, index: number): number => {
  const low = index % 0x100000000;
  const high = Math.floor(index / 0x100000000);
  const h = mix32(fnv1a(key, seed) ^ mix32(low ^ mix32(high + seed)));
  return (h + 0.5) / 0x100000000;
};

/** Standard normal draw (Box–Muller) for (seed, key, index). */
export const gaussian = (seed: number, key: string, index: number): number => {
  const u1 = uniform(seed, key, 2 * index);
  const u2 = uniform(seed, `${key}#`, 2 * index + 1);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
};
